//! `/venue`'s list: the activities this organizer runs, today's first, each with its counts.

use crate::nav::A;
use crate::{
    format,
    i18n::{Msg, use_i18n},
    state::{sync::use_sync, venue::use_venue},
};
use domain::Offering;
use leptos::prelude::*;

/// Whether the offering runs on `today` (China date).
pub fn runs_on(o: &Offering, today: time::Date) -> bool {
    let starts = format::in_china(o.starts_at()).date();
    let ends = format::in_china(o.ends_at()).date();
    starts <= today && today <= ends
}

#[component]
pub(super) fn AssignedList() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let venue = use_venue();
    let show_all = RwSignal::new(false);
    // (offering id, the offering if synced), soonest first.
    let assigned = Memo::new(move |_| {
        let ids = venue.data.with(|v| v.assignments.clone());
        let mut list: Vec<(String, Option<Offering>)> = ids
            .into_iter()
            .map(|id| {
                let o = sync.offering(&id);
                (id, o)
            })
            .collect();
        domain::sort::sort_by_key(&mut list, |(id, o)| {
            (o.as_ref().map(|o| o.starts_at()), id.clone())
        });
        list
    });
    let today = format::in_china(format::now()).date();
    let item = move |(id, o): (String, Option<Offering>)| {
        let lang = i18n.lang.get();
        let lesson = o.as_ref().and_then(super::lesson_today);
        let counts = venue.data.with(|v| v.offering(&id, lesson).counts);
        let href = format!("/venue/{}", crate::api::encode_query_value(&id));
        let (title, when, place) = match &o {
            Some(o) => (
                o.plan.title.clone(),
                format::time_range(lang, o.starts_at(), o.ends_at()),
                sync.venue_of(&o.plan.venue_id)
                    .map(|v| v.name)
                    .unwrap_or_default(),
            ),
            None => (
                Msg::UnknownProgramme.text(lang).to_owned(),
                String::new(),
                String::new(),
            ),
        };
        let cancelled = o
            .as_ref()
            .is_some_and(|o| o.status == domain::OfferingStatus::Cancelled);
        view! {
            <li>
                <A href=href attr:class="venue-pick card" attr:data-testid="venue-pick">
                    <span class="venue-pick-title">{title}</span>
                    {cancelled.then(|| view! { <span class="tag tag-warn">{Msg::OfferingCancelledTag.text(lang)}</span> })}
                    <span class="card-meta">{when}</span>
                    <span class="card-meta">{place}</span>
                    <span class="card-meta">
                        {Msg::VenuePickCounts.fill(lang, &[&counts.checked_in.to_string(), &counts.registered.to_string()])}
                    </span>
                </A>
            </li>
        }
    };
    let list = move || {
        let all = assigned.get();
        let (todays, others): (Vec<_>, Vec<_>) = all
            .into_iter()
            .partition(|(_, o)| o.as_ref().is_some_and(|o| runs_on(o, today)));
        let lang = i18n.lang.get();
        if todays.is_empty() && others.is_empty() {
            return view! {
                <p class="empty" data-testid="venue-none">{Msg::VenueNoAssignments.text(lang)}</p>
            }
            .into_any();
        }
        let others_count = others.len();
        view! {
            <h2 class="section-title">{Msg::VenueToday.text(lang)}</h2>
            {if todays.is_empty() {
                view! { <p class="hint" data-testid="venue-none-today">{Msg::VenueNoneToday.text(lang)}</p> }.into_any()
            } else {
                view! { <ul class="venue-picks" data-testid="venue-today">{todays.into_iter().map(item).collect_view()}</ul> }.into_any()
            }}
            {(others_count > 0).then(|| view! {
                <div class="actions">
                    <button
                        type="button"
                        class="button"
                        aria-expanded=move || show_all.get().to_string()
                        on:click=move |_| show_all.update(|s| *s = !*s)
                    >
                        {move || i18n.f(if show_all.get() { Msg::VenueHideOthers } else { Msg::VenueShowOthers }, &[&others_count.to_string()])}
                    </button>
                </div>
                <Show when=move || show_all.get()>
                    <ul class="venue-picks" data-testid="venue-others">{others.clone().into_iter().map(item).collect_view()}</ul>
                </Show>
            })}
        }
        .into_any()
    };
    view! { {list} }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn an_activity_runs_on_every_china_day_it_touches() {
        let o: Offering = crate::test_offering::from_flat(serde_json::json!({
            "id": "a", "kind": "activity", "title": "t", "summary": "", "category": "c",
            "venue_id": "v", "starts_at": "2026-12-05T22:00:00+08:00",
            "ends_at": "2026-12-06T02:00:00+08:00", "sessions": 1, "capacity": 10,
            "seats_taken": 0, "signup_closes_at": "2026-12-04T20:00:00+08:00",
            "volunteer_hours": 2
        }));
        assert!(!runs_on(&o, date!(2026 - 12 - 04)));
        assert!(runs_on(&o, date!(2026 - 12 - 05)));
        assert!(runs_on(&o, date!(2026 - 12 - 06)));
        assert!(!runs_on(&o, date!(2026 - 12 - 07)));
    }
}
