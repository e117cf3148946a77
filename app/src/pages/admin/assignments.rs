//! An organizer's assignments: the programmes they run (and so see in venue mode), chosen from
//! the catalogue this device has.

use super::{
    programmes::kind_msg,
    users::{Saved, admin_error_msg},
};
use crate::{
    api,
    components::{
        choice_list::{Choice, ChoiceList},
        field::FormMessage,
    },
    format,
    i18n::{Lang, Msg, use_i18n},
    state::{catalogue::use_catalogue, session::use_session},
};
use domain::{Offering, account::Assignments};
use leptos::prelude::*;

/// The offerings as choices, and any assigned id the catalogue does not know (a past or
/// withdrawn programme) after them, so saving never drops an assignment silently.
fn offering_choices(offerings: &[Offering], assigned: &[String], lang: Lang) -> Vec<Choice> {
    let mut choices: Vec<Choice> = offerings
        .iter()
        .map(|o| Choice {
            value: o.id.clone(),
            label: o.plan.title.clone(),
            detail: Some(format!(
                "{} · {}",
                kind_msg(o.kind()).text(lang),
                format::date_time(lang, o.starts_at())
            )),
        })
        .collect();
    for id in assigned {
        if !offerings.iter().any(|o| &o.id == id) {
            choices.push(Choice {
                value: id.clone(),
                label: Msg::UnknownOffering.fill(lang, &[id]),
                detail: None,
            });
        }
    }
    choices
}

/// Where an organizer's assignments stand.
#[derive(Debug, Clone, PartialEq)]
enum Loaded {
    Loading,
    Ready,
    Failed(Msg),
}

/// The offerings an organizer runs, chosen from the catalogue this device has.
#[component]
pub(super) fn AssignmentsEditor(user_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let catalogue = use_catalogue();
    let user_id = StoredValue::new(user_id);
    let loaded = RwSignal::new(Loaded::Loading);
    let selected = RwSignal::new(Vec::<String>::new());
    // Venues are not edited here, but a save sends them back unchanged.
    let venues = RwSignal::new(Vec::<String>::new());
    let status = RwSignal::new(Saved::Idle);

    let load = move || {
        let Some(token) = session.token() else {
            return;
        };
        loaded.set(Loaded::Loading);
        leptos::task::spawn_local(async move {
            let id = user_id.get_value();
            match session.guard(&token, api::assignments(&token, &id).await) {
                Ok(a) => {
                    selected.set(a.offering_ids);
                    venues.set(a.venue_ids);
                    loaded.set(Loaded::Ready);
                }
                Err(e) => loaded.set(Loaded::Failed(admin_error_msg(&e))),
            }
        });
    };
    load();

    let save = move |_| {
        let Some(token) = session.token() else {
            return;
        };
        if status.get_untracked() == Saved::Busy {
            return;
        }
        let body = Assignments {
            offering_ids: selected.get_untracked(),
            venue_ids: venues.get_untracked(),
        };
        status.set(Saved::Busy);
        leptos::task::spawn_local(async move {
            let id = user_id.get_value();
            match session.guard(&token, api::set_assignments(&token, &id, &body).await) {
                Ok(a) => {
                    selected.set(a.offering_ids);
                    venues.set(a.venue_ids);
                    status.set(Saved::Ok);
                }
                Err(e) => status.set(Saved::Failed(admin_error_msg(&e))),
            }
        });
    };

    let options = Signal::derive(move || {
        let lang = i18n.lang.get();
        catalogue
            .catalogue
            .with(|c| selected.with(|s| offering_choices(&c.offerings, s, lang)))
    });
    let summary = move || {
        i18n.f(
            Msg::AssignmentsTitle,
            &[&selected.with(Vec::len).to_string()],
        )
    };

    view! {
        <details class="assignments" data-testid="assignments">
            <summary>{summary}</summary>
            {move || match loaded.get() {
                Loaded::Loading => view! {
                    <p class="empty" aria-busy="true">{move || i18n.t(Msg::Loading)}</p>
                }
                .into_any(),
                Loaded::Failed(msg) => view! {
                    <div class="banner banner-error" role="alert">
                        <span>{move || i18n.t(msg)}</span>
                        <button type="button" class="button" on:click=move |_| load()>
                            {move || i18n.t(Msg::Retry)}
                        </button>
                    </div>
                }
                .into_any(),
                Loaded::Ready => view! {
                    <Show when=move || options.with(Vec::is_empty)>
                        <p class="hint">{move || i18n.t(Msg::NoOfferingsKnown)}</p>
                    </Show>
                    <ChoiceList
                        legend=Signal::derive(move || i18n.t(Msg::AssignmentsLegend).to_owned())
                        options=options
                        selected=selected
                        id_prefix=format!("offerings-{}", user_id.get_value())
                    />
                    <Show when=move || !venues.with(Vec::is_empty)>
                        <p class="hint">
                            {move || i18n.f(Msg::AssignmentsVenues, &[&venues.with(Vec::len).to_string()])}
                        </p>
                    </Show>
                    <div class="actions">
                        <button
                            type="button"
                            class="button button-primary"
                            aria-busy=move || (status.get() == Saved::Busy).then_some("true")
                            disabled=move || status.get() == Saved::Busy
                            on:click=save
                        >
                            {move || i18n.t(Msg::SaveAssignments)}
                        </button>
                    </div>
                    <FormMessage message=Signal::derive(move || status.get().error()) testid="assignments-error" />
                    <FormMessage message=Signal::derive(move || status.get().ok()) error=false testid="assignments-saved" />
                }
                .into_any(),
            }}
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// As the catalogue sends it (fields the server may add later take their defaults).
    fn offering(id: &str) -> Offering {
        crate::test_offering::from_flat(serde_json::json!({
            "id": id, "kind": "course", "title": format!("课程 {id}"), "summary": "",
            "category": "书法", "venue_id": "v1",
            "starts_at": "2026-12-03T19:00:00+08:00", "ends_at": "2026-12-03T21:00:00+08:00",
            "sessions": 8, "capacity": 20, "seats_taken": 0,
            "signup_closes_at": "2026-12-01T20:00:00+08:00", "volunteer_hours": null
        }))
    }

    #[test]
    fn assigned_programmes_missing_from_the_catalogue_stay_choosable() {
        let choices = offering_choices(
            &[offering("a"), offering("b")],
            &["b".into(), "gone".into()],
            Lang::Zh,
        );
        let values: Vec<_> = choices.iter().map(|c| c.value.as_str()).collect();
        assert_eq!(values, ["a", "b", "gone"]);
        assert_eq!(
            choices[0].detail.as_deref(),
            Some("青年夜校 · 12月3日 周四 19:00")
        );
        assert_eq!(choices[2].label, "列表外的项目 gone");
    }
}
