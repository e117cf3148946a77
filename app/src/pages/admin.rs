//! The admin overview: every published programme with its places, for wide screens.

use crate::{
    format,
    i18n::{Msg, use_i18n},
    state::catalogue::use_catalogue,
};
use domain::OfferingKind;
use leptos::prelude::*;

fn kind_msg(kind: OfferingKind) -> Msg {
    match kind {
        OfferingKind::Activity => Msg::KindActivity,
        OfferingKind::Course => Msg::KindCourse,
        OfferingKind::Mixer => Msg::KindMixer,
    }
}

/// A table of programmes: kind, title, venue, start, places taken.
#[component]
pub fn Admin() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_catalogue();
    let rows = move || {
        let lang = i18n.lang.get();
        state
            .catalogue
            .get()
            .offerings
            .into_iter()
            .map(|o| {
                let venue = state.venue_name(&o.venue_id).unwrap_or_default();
                view! {
                    <tr>
                        <td>{kind_msg(o.kind).text(lang)}</td>
                        <td>{o.title}</td>
                        <td>{venue}</td>
                        <td>{format::date_time(lang, o.starts_at)}</td>
                        <td class="num">{format!("{} / {}", o.seats_taken, o.capacity)}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <section class="page page-wide">
            <h1 class="page-title">{move || i18n.t(Msg::AdminTitle)}</h1>
            <p class="hint only-narrow">{move || i18n.t(Msg::AdminWideOnly)}</p>
            <div class="table-wrap">
                <table class="table" data-testid="admin-table">
                    <thead>
                        <tr>
                            <th>{move || i18n.t(Msg::ColKind)}</th>
                            <th>{move || i18n.t(Msg::ColTitle)}</th>
                            <th>{move || i18n.t(Msg::ColVenue)}</th>
                            <th>{move || i18n.t(Msg::ColStart)}</th>
                            <th>{move || i18n.t(Msg::ColSeats)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}
