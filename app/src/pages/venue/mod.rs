//! Venue mode for organizers (`/venue`, `/venue/{offering}`): pick today's activity, download its
//! roster and the ticket keys (a sync), then check people in and out all day with no network —
//! by camera where the browser reads QR codes, by pasting the ticket text, or by finding them by
//! name or the last four digits of their phone. Walk-ins, live counts, repeated scans flagged by
//! the server, people who never checked out, and corrections of hours.
//!
//! The staff build's screens only. `/venue` is [`VenuePicker`] (`picker.rs`); `/venue/{offering}`
//! is [`VenueCheckin`], whose screen (`checkin.rs`) is made of the scanner (`scanner.rs`), the
//! search (`search.rs`), walk-ins (`walk_in.rs`), the people still inside after the end
//! (`not_checked_out.rs`), repeated scans (`duplicates.rs`) and the whole roster (`roster.rs`),
//! whose rows (`row.rs`) hold an hours correction each (`correction.rs`). Both screens start
//! with the download card (`download.rs`). A mixer's screen adds badges, walk-ins by gender,
//! check-ins per gender and the pick window (`mixer.rs`).

mod checkin;
mod correction;
mod download;
mod duplicates;
mod mixer;
mod not_checked_out;
mod picker;
pub(crate) mod requests;
mod roster;
mod row;
mod scanner;
mod search;
mod sheet;
mod walk_in;

use crate::nav::{A, use_params_map};
use crate::{
    account::sign_in_href,
    format,
    i18n::{Msg, use_i18n},
    state::{session::use_session, sync::use_sync},
};
use checkin::Checkin;
use domain::Role;
use download::DownloadCard;
use leptos::prelude::*;
use picker::AssignedList;
pub use sheet::SignInSheet;
use time::OffsetDateTime;

/// A time on the server's clock (Unix seconds) as `HH:MM` in China.
fn clock_at(at: i64) -> String {
    OffsetDateTime::from_unix_timestamp(at)
        .map(format::clock)
        .unwrap_or_default()
}

/// A course's lesson held today (on a day of two, the one nearest to now); `None` for other
/// kinds, and for a course on a day without a lesson.
fn lesson_today(o: &domain::Offering) -> Option<u32> {
    o.plan
        .programme
        .course()
        .and_then(|c| c.lesson_on(format::now()))
}

/// Signed in as an organizer (or admin), else why not.
#[component]
fn OrganizerOnly(here: String, children: ChildrenFn) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let sync = use_sync();
    let allowed = Memo::new(move |_| {
        session
            .user()
            .map(|u| u.has(Role::Organizer) || u.has(Role::Admin))
    });
    let here = StoredValue::new(here);
    move || {
        match allowed.get() {
        None => view! {
            <div class="card" data-testid="venue-sign-in">
                <p>{move || i18n.t(Msg::VenueSignIn)}</p>
                <div class="actions">
                    <A href=sign_in_href(&here.get_value()) attr:class="button button-primary">{move || i18n.t(Msg::SignIn)}</A>
                </div>
            </div>
        }
        .into_any(),
        Some(false) => view! {
            <div class="card" role="alert" data-testid="venue-only">
                <p>{move || i18n.t(Msg::VenueOrganizersOnly)}</p>
            </div>
        }
        .into_any(),
        // The person's store is still opening: nothing to show yet.
        Some(true) if !sync.ready.get() => view! {
            <p class="empty" aria-busy="true">{move || i18n.t(Msg::Loading)}</p>
        }
        .into_any(),
        Some(true) => children().into_any(),
    }
    }
}

/// `/venue`: the activities this organizer runs, today's first.
#[component]
pub fn VenuePicker() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page">
            <h1 class="page-title">{move || i18n.t(Msg::VenueTitle)}</h1>
            <OrganizerOnly here="/venue".to_owned()>
                <DownloadCard />
                <AssignedList />
            </OrganizerOnly>
        </section>
    }
}

/// `/venue/{offering}`: check-in and check-out at one activity.
#[component]
pub fn VenueCheckin() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = params.with_untracked(|p| p.get("id").unwrap_or_default());
    let here = format!("/venue/{}", crate::api::encode_query_value(&id));
    view! {
        <section class="page venue-page">
            <A href="/venue" attr:class="button button-quiet back-link">{move || i18n.t(Msg::VenueAllActivities)}</A>
            <OrganizerOnly here=here>
                <Checkin offering_id=id.clone() />
            </OrganizerOnly>
        </section>
    }
}
