//! One programme in a list.

use crate::nav::A;
use crate::{
    format,
    i18n::{Lang, Msg},
};
use domain::{Offering, OfferingStatus, Programme};
use leptos::prelude::*;

/// A card with title, time, place, places left and what it offers.
#[component]
pub fn OfferingCard(
    offering: Offering,
    venue_name: Option<String>,
    lang: Lang,
    /// The details page, when the title should link there.
    #[prop(optional)]
    href: Option<String>,
) -> impl IntoView {
    let total = offering.total();
    let left = total.seats_left();
    let seats = if left == 0 {
        Msg::SeatsFull.fill(lang, &[&total.capacity.to_string()])
    } else {
        Msg::SeatsLeft.fill(lang, &[&left.to_string(), &total.capacity.to_string()])
    };
    let extra = match &offering.plan.programme {
        Programme::Course(c) => Some(Msg::Sessions.fill(lang, &[&c.lessons.len().to_string()])),
        Programme::Activity(a) => a
            .volunteer_hours
            .map(|h| Msg::VolunteerHours.fill(lang, &[&h.to_string()])),
        Programme::Mixer(_) => None,
    };
    let when = format::time_range(lang, offering.starts_at(), offering.ends_at());
    let closes = Msg::SignupCloses.fill(
        lang,
        &[&format::date_time(lang, offering.plan.signup_closes_at)],
    );
    let venue = venue_name.unwrap_or_else(|| Msg::VenueUnknown.text(lang).to_owned());
    view! {
        <article class="card offering-card" data-testid="offering-card" data-id=offering.id.clone()>
            <div class="card-tags">
                <span class="tag">{offering.plan.category.clone()}</span>
                {extra.map(|e| view! { <span class="tag tag-soft">{e}</span> })}
                {offering.plan.requires_approval.then(|| view! { <span class="tag tag-soft">{Msg::NeedsApproval.text(lang)}</span> })}
                {(offering.status == OfferingStatus::Cancelled).then(|| view! { <span class="tag tag-warn">{Msg::OfferingCancelledTag.text(lang)}</span> })}
            </div>
            <h2 class="card-title">
                {match href {
                    Some(href) => view! {
                        <A href=href attr:class="card-link" attr:data-testid="offering-link">{offering.plan.title.clone()}</A>
                    }
                    .into_any(),
                    None => view! { <span>{offering.plan.title.clone()}</span> }.into_any(),
                }}
            </h2>
            <p class="card-meta">
                <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
                    <circle cx="12" cy="12" r="9"></circle>
                    <path d="M12 7v5l3 2"></path>
                </svg>
                {when}
            </p>
            <p class="card-meta">
                <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
                    <path d="M12 21s-7-6.2-7-11a7 7 0 0 1 14 0c0 4.8-7 11-7 11z"></path>
                    <circle cx="12" cy="10" r="2.5"></circle>
                </svg>
                {venue}
            </p>
            <p class="card-summary">{offering.plan.summary.clone()}</p>
            <div class="card-foot">
                <span class=if left == 0 { "seats seats-full" } else { "seats" }>{seats}</span>
                <span class="closes">{closes}</span>
            </div>
        </article>
    }
}
