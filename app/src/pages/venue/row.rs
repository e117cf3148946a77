//! One person as venue mode shows them (in the search, the roster, the people still inside):
//! name, phone, tags, where they are, and the check-in or check-out the mode offers.

use super::{checkin::Desk, clock_at, mixer};
use crate::{
    components::venue_parts::PersonMain,
    i18n::{Lang, Msg, StaffMsg},
    status_text,
};
use domain::{hours::ScanKind, registration::RegistrationStatus};
use engine::venue::{Attendance, Source};
use leptos::prelude::*;

/// What a person's row says, and the action it offers.
pub(super) fn person_main(
    desk: Desk,
    a: Attendance,
    lang: Lang,
    with_action: bool,
) -> impl IntoView {
    let p = a.person.clone();
    let mut tags = Vec::new();
    if p.walk_in {
        tags.push(Msg::TagWalkIn.text(lang).to_owned());
    }
    if p.source == Source::Ticket {
        tags.push(Msg::TagByTicket.text(lang).to_owned());
    }
    let mut lines = Vec::new();
    if let Some(phone) = p
        .phone
        .clone()
        .or_else(|| p.phone_last4.clone().map(|l| format!("****{l}")))
    {
        lines.push(phone);
    }
    let at_mixer = desk
        .offering
        .with_untracked(|o| mixer::is_mixer(o.as_ref()));
    let badge = at_mixer.then(|| mixer::badge_line(lang, &p)).flatten();
    let state = match (&a.first_in, &a.last) {
        // A walk-in the server refused holds no place (at a mixer: beyond their gender's quota).
        _ if at_mixer && p.walk_in && p.status == RegistrationStatus::Rejected => {
            StaffMsg::WalkInRefusedFull.text(lang).to_owned()
        }
        (_, Some(last)) if last.kind == ScanKind::Out => {
            Msg::StateOut.fill(lang, &[&clock_at(last.at)])
        }
        (Some(first), _) => Msg::StateIn.fill(lang, &[&clock_at(first.at)]),
        _ if p.is_registered() => Msg::StateExpected.text(lang).to_owned(),
        _ => status_text::roster_status(lang, p.status),
    };
    let kind = desk.mode.get_untracked();
    // Someone not (yet) confirmed on the downloaded roster is admitted by their ticket only.
    let can_act = with_action
        && p.is_registered()
        && match kind {
            ScanKind::In => !a.inside(),
            ScanKind::Out => a.inside(),
        };
    let action = can_act.then(|| {
        match kind {
            ScanKind::In => Msg::CheckInAction,
            ScanKind::Out => Msg::CheckOutAction,
        }
        .text(lang)
        .to_owned()
    });
    let (rid, name) = (p.registration_id.clone(), p.display_name.clone());
    let on_roster = p.source == Source::Roster;
    let on_action =
        Callback::new(move |()| desk.record(rid.clone(), name.clone(), kind, on_roster));
    view! { <PersonMain name=p.display_name lines=lines tags=tags state=state action=action on_action=on_action badge=badge /> }
}

/// A person's row in a list drawn as a whole (the search's results, the people still inside).
pub(super) fn person_row(
    desk: Desk,
    a: Attendance,
    lang: Lang,
    with_action: bool,
) -> impl IntoView {
    let data = a.person.display_name.clone();
    view! {
        <li class="person" data-testid="person" data-name=data>
            {person_main(desk, a, lang, with_action)}
        </li>
    }
}
