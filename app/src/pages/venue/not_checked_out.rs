//! 未签退: after the activity's end, the people checked in and never checked out (the server
//! closes their hours at the end; the organizer sees who they are).

use super::{checkin::Desk, row::person_row};
use crate::{format, i18n::Msg};
use engine::venue::Attendance;
use leptos::prelude::*;

#[component]
pub(super) fn NotCheckedOut(desk: Desk) -> impl IntoView {
    let Desk {
        i18n,
        offering,
        here,
        ..
    } = desk;
    let now_secs = move || format::now().unix_timestamp();
    move || {
        let ends = offering.get().map(|o| o.ends_at().unix_timestamp())?;
        let lang = i18n.lang.get();
        let open: Vec<Attendance> = here.with(|ov| {
            ov.not_checked_out(ends, now_secs())
                .into_iter()
                .cloned()
                .collect()
        });
        let count = open.len();
        Some(view! {
            <section class="card" data-testid="not-checked-out">
                <h2 class="card-title">{Msg::NotCheckedOutTitle.fill(lang, &[&count.to_string()])}</h2>
                <p class="hint">{Msg::NotCheckedOutHint.text(lang)}</p>
                <ul class="people">
                    {open.into_iter().map(|a| person_row(desk, a, lang, false)).collect_view()}
                </ul>
            </section>
        })
        .filter(|_| count > 0)
    }
}
