//! A mixer's panel in the programmes list: its numbers (signed up, confirmed per gender
//! against the quotas, the waitlists, checked in per gender, the pick window, and once picking
//! has closed how many picked and the pairs matched). Counts only: nobody, admins included,
//! sees from here who picked whom.

use crate::{
    account::general_error_msg,
    api,
    i18n::{Lang, Msg, StaffMsg, use_i18n},
    state::session::use_session,
};
use domain::{
    PoolKey,
    admin::AdminOffering,
    programme::mixer::{MixerCounts, PickWindow},
};
use leptos::prelude::*;

/// The pick window in words.
fn window_msg(w: PickWindow) -> StaffMsg {
    match w {
        PickWindow::NotOpen => StaffMsg::PicksNotOpen,
        PickWindow::Open => StaffMsg::PicksOpen,
        PickWindow::Closed => StaffMsg::PicksClosed,
    }
}

/// The panel's lines: what the admin's list knows of the offering (places, waitlists,
/// reviews) with the server's counts.
pub fn mixer_lines(lang: Lang, o: &AdminOffering, c: &MixerCounts) -> Vec<(&'static str, String)> {
    let pool = |key| o.offering.pool(key).unwrap_or_default();
    let (men, women) = (pool(PoolKey::Male), pool(PoolKey::Female));
    let signed_up = men.seats_taken
        + men.waitlist_len
        + women.seats_taken
        + women.waitlist_len
        + o.pending_reviews;
    let n = |v: u32| v.to_string();
    let mut lines = vec![
        (
            "signed-up",
            StaffMsg::MixerSignedUp.fill(lang, &[&n(signed_up), &n(o.pending_reviews)]),
        ),
        (
            "confirmed",
            StaffMsg::MixerConfirmed.fill(
                lang,
                &[
                    &n(c.confirmed[0]),
                    &n(men.capacity),
                    &n(c.confirmed[1]),
                    &n(women.capacity),
                ],
            ),
        ),
    ];
    if men.waitlist_len + women.waitlist_len > 0 {
        lines.push((
            "waitlisted",
            StaffMsg::MixerWaitlisted.fill(lang, &[&n(men.waitlist_len), &n(women.waitlist_len)]),
        ));
    }
    lines.push((
        "checked-in",
        StaffMsg::MixerCheckedIn.fill(lang, &[&n(c.checked_in[0]), &n(c.checked_in[1])]),
    ));
    lines.push(("window", window_msg(c.window).text(lang).to_owned()));
    match (c.pickers, c.pairs) {
        (Some(pickers), Some(pairs)) => {
            lines.push(("pickers", StaffMsg::MixerPickers.fill(lang, &[&n(pickers)])));
            lines.push(("pairs", StaffMsg::MixerPairs.fill(lang, &[&n(pairs)])));
        }
        _ => lines.push(("pairs", StaffMsg::MixerPairsLater.text(lang).to_owned())),
    }
    lines
}

/// The mixer's panel: opened from its row.
#[component]
pub(super) fn MixerPanel(offering: AdminOffering) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let offering = StoredValue::new(offering);
    let counts = RwSignal::new(None::<MixerCounts>);
    let failed = RwSignal::new(None::<Msg>);
    if let Some(token) = session.token() {
        let id = offering.with_value(|o| o.offering.id.clone());
        leptos::task::spawn_local(async move {
            match session.guard(&token, api::mixer_counts(&token, &id).await) {
                Ok(c) => counts.set(Some(c)),
                Err(e) => failed.set(Some(general_error_msg(&e, Msg::AdminNeedsNetworkOfferings))),
            }
        });
    }
    view! {
        <section class="course-panel" data-testid="mixer-panel">
            {move || {
                let lang = i18n.lang.get();
                match (counts.get(), failed.get()) {
                    (Some(c), _) => {
                        let lines = offering.with_value(|o| mixer_lines(lang, o, &c));
                        view! {
                            <ul class="course-stands" data-testid="mixer-numbers">
                                {lines.into_iter().map(|(id, text)| view! { <li data-testid=format!("mixer-{id}")>{text}</li> }).collect_view()}
                            </ul>
                        }
                        .into_any()
                    }
                    (None, Some(msg)) => view! {
                        <p class="form-message form-message-error" role="alert">{msg.text(lang)}</p>
                    }
                    .into_any(),
                    (None, None) => view! { <p class="hint" aria-busy="true">{Msg::Loading.text(lang)}</p> }.into_any(),
                }
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mixer(pending: u32) -> AdminOffering {
        let json = serde_json::json!({
            "id": "m-1", "status": "published",
            "plan": {
                "title": "望青团缘", "summary": "", "category": "联谊", "venue_id": "v",
                "starts_at": "2026-12-12T19:00:00+08:00", "ends_at": "2026-12-12T21:00:00+08:00",
                "signup_closes_at": "2026-12-11T20:00:00+08:00", "requires_approval": true,
                "waitlist_enabled": true,
                "quotas": [{ "pool": "male", "capacity": 20 }, { "pool": "female", "capacity": 25 }],
                "programme": { "kind": "mixer", "min_age": 22, "max_age": 35, "picks": 3 }
            },
            "counts": [
                { "pool": "male", "seats_taken": 20, "waitlist_len": 3 },
                { "pool": "female", "seats_taken": 18, "waitlist_len": 0 }
            ],
            "pending_reviews": pending, "organizer_ids": []
        });
        serde_json::from_value(json).unwrap()
    }

    fn counts(window: PickWindow) -> MixerCounts {
        let closed = window == PickWindow::Closed;
        MixerCounts {
            window,
            confirmed: [20, 18],
            checked_in: [17, 16],
            pickers: closed.then_some(30),
            picks: closed.then_some(61),
            pairs: closed.then_some(7),
        }
    }

    #[test]
    fn before_the_close_the_numbers_leave_the_pairs_for_later() {
        let lines = mixer_lines(Lang::Zh, &mixer(4), &counts(PickWindow::Open));
        let texts: Vec<&str> = lines.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(
            texts,
            [
                "报名 45 人（待审核 4）",
                "已确认：男 20 / 20，女 18 / 25",
                "候补：男 3，女 0",
                "已签到：男 17，女 16",
                "互选进行中。",
                "互选结束后显示配对数。",
            ]
        );
    }

    #[test]
    fn after_the_close_the_pairs_and_who_picked_are_counted() {
        let lines = mixer_lines(Lang::En, &mixer(0), &counts(PickWindow::Closed));
        let by_id = |id: &str| {
            lines
                .iter()
                .find(|(i, _)| *i == id)
                .map(|(_, t)| t.clone())
                .unwrap()
        };
        assert_eq!(by_id("signed-up"), "41 signed up (0 to review)");
        assert_eq!(by_id("checked-in"), "Checked in: 17 men, 16 women");
        assert_eq!(by_id("pickers"), "30 people picked");
        assert_eq!(by_id("pairs"), "7 pairs matched");
    }
}
