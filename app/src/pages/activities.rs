//! The activities tab, the home screen: what is coming up for the person, then the list.

use super::programme_list::{ProgrammeList, offering_href};
use crate::{
    agenda,
    components::upcoming_card::{UpcomingCard, UpcomingItem},
    dom, format,
    i18n::{Msg, use_i18n},
    ics,
    state::{
        registrations::{Registrations, use_registrations},
        sync::{SyncState, use_sync},
    },
};
use domain::OfferingKind;
use leptos::prelude::*;

/// Every published activities programme, under the person's upcoming ones.
#[component]
pub fn Activities() -> impl IntoView {
    view! {
        <ProgrammeList kind=OfferingKind::Activity title=Msg::ActivitiesTitle>
            <Upcoming />
        </ProgrammeList>
    }
}

/// 近期活动: confirmed registrations in the next seven days, from the device.
#[component]
fn Upcoming() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let registrations = use_registrations();
    let failed = RwSignal::new(false);
    let items = Signal::derive(move || {
        let lang = i18n.lang.get();
        let now = format::now();
        registrations.list.with(|regs| {
            sync.offerings.with(|offerings| {
                agenda::upcoming(regs, offerings, now)
                    .into_iter()
                    .map(|(r, o)| UpcomingItem {
                        registration_id: r.id.clone(),
                        href: offering_href(&o.id),
                        title: o.plan.title.clone(),
                        when: format::time_range(lang, o.starts_at(), o.ends_at()),
                        place: sync
                            .venue_of(&o.plan.venue_id)
                            .map(|v| v.name)
                            .unwrap_or_else(|| Msg::VenueUnknown.text(lang).to_owned()),
                    })
                    .collect::<Vec<_>>()
            })
        })
    });
    let on_calendar = Callback::new(move |registration_id: String| {
        failed.set(!save_calendar(&registrations, &sync, &registration_id));
    });
    view! {
        <UpcomingCard items=items on_calendar=on_calendar />
        <Show when=move || failed.get()>
            <p class="banner banner-error" role="alert">{move || i18n.t(Msg::ErrUnexpected)}</p>
        </Show>
    }
}

/// Saves the calendar file of one of the person's registrations; false when it could not be.
pub fn save_calendar(
    registrations: &Registrations,
    sync: &SyncState,
    registration_id: &str,
) -> bool {
    let Some(offering_id) = registrations.list.with_untracked(|rs| {
        rs.iter()
            .find(|r| r.id == registration_id)
            .map(|r| r.offering_id.clone())
    }) else {
        return false;
    };
    let Some(offering) = sync.offering(&offering_id) else {
        return false;
    };
    let venue = sync.venue_of(&offering.plan.venue_id);
    let text = agenda::calendar_file(registration_id, &offering, venue.as_ref(), format::now());
    match dom::download(
        &ics::file_name(registration_id),
        "text/calendar;charset=utf-8",
        &text,
    ) {
        Ok(()) => true,
        Err(e) => {
            leptos::logging::warn!("saving the calendar file failed: {e}");
            false
        }
    }
}
