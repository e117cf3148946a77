//! What the screen shows: the base as the server last sent it, with the outbox replayed on top.

use crate::store::OutboxEntry;
use domain::{
    programme::mixer::{Badge, MixerProfile},
    registration::{Decision, RegistrationStatus},
    sync::{
        CancelArgs, ConfirmArgs, HoursAnswerArgs, HoursRequestArgs, HoursRequestRow,
        HoursRequestStatus, MatchCard, Op, Outcome, PickArgs, Present, ProfileArgs, RateArgs,
        RegistrationRow, RequestArgs,
    },
};
use serde::{Deserialize, Serialize};

/// A registration as the person sees it on this device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationView {
    /// Id.
    pub id: String,
    /// The offering.
    pub offering_id: String,
    /// The status to show (`pending_sync` until the server has decided).
    pub status: RegistrationStatus,
    /// Place on the waitlist.
    pub waitlist_position: Option<u32>,
    /// Why refused.
    pub reject_reason: Option<String>,
    /// A change made on this device that the server has not confirmed yet (待同步).
    pub pending: bool,
    /// What the device expected the server to decide, for a request not yet decided.
    pub predicted: Option<Decision>,
    /// When the person acted (device clock, Unix ms).
    pub created_at: i64,
    /// The admin's note, or why the offering was cancelled.
    pub note: Option<String>,
    /// The signed ticket, once confirmed.
    pub ticket: Option<String>,
    /// First check-in (server clock, Unix seconds).
    pub checked_in_at: Option<i64>,
    /// Volunteer minutes credited.
    pub credited_minutes: u32,
    /// Flags on the hours.
    pub hours_flags: Vec<String>,
    /// An activity's hours count from then, after their public notice (Unix seconds).
    pub hours_effective_at: Option<i64>,
    /// A night-school course's own parts (empty for other kinds).
    pub course: CourseView,
    /// A mixer's own parts (empty for other kinds).
    pub mixer: MixerView,
}

/// What a mixer registration has beyond the others, once the person is checked in: their
/// badge, their picks (a queued change shows at once), who else is present, their matches.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MixerView {
    /// The person's badge.
    pub badge: Option<Badge>,
    /// Their picks (as queued on this device, if a change is waiting).
    pub picks: Vec<Badge>,
    /// A change of picks queued on this device that the server has not taken yet.
    pub picks_pending: bool,
    /// Others checked in, while the window is not closed.
    pub present: Vec<Present>,
    /// Their matches, once the window has closed.
    pub matches: Vec<MatchCard>,
}

/// What a course registration has beyond the others: its public number in the draw, the
/// deadline to confirm a won place, attendance per lesson, the certificate and the rating.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseView {
    /// The application's public number (`K7Q2-0031`).
    pub application_no: Option<String>,
    /// A won place must be confirmed by then (server clock, Unix seconds).
    pub confirm_by: Option<i64>,
    /// Lessons attended, by number (1 = the first).
    pub lessons_attended: Vec<u32>,
    /// The signed completion certificate, once attendance reaches the threshold.
    pub certificate: Option<String>,
    /// The learner's rating: stars and comment (a queued one shows before the server has it).
    pub rating: Option<(u8, String)>,
    /// A rating queued on this device that the server has not confirmed yet.
    pub rating_pending: bool,
}

impl RegistrationView {
    fn local(id: String, offering_id: String, created_at: i64) -> Self {
        Self {
            id,
            offering_id,
            status: RegistrationStatus::PendingSync,
            waitlist_position: None,
            reject_reason: None,
            pending: true,
            predicted: None,
            created_at,
            note: None,
            ticket: None,
            checked_in_at: None,
            credited_minutes: 0,
            hours_flags: Vec::new(),
            hours_effective_at: None,
            course: CourseView::default(),
            mixer: MixerView::default(),
        }
    }
}

impl From<RegistrationRow> for RegistrationView {
    fn from(r: RegistrationRow) -> Self {
        Self {
            id: r.id,
            offering_id: r.offering_id,
            status: r.status,
            waitlist_position: r.waitlist_position,
            reject_reason: r.reject_reason,
            pending: false,
            predicted: None,
            created_at: r.created_at,
            note: r.note,
            ticket: r.ticket,
            checked_in_at: r.checked_in_at,
            credited_minutes: r.credited_minutes,
            hours_flags: r.hours_flags,
            hours_effective_at: r.hours_effective_at,
            course: CourseView {
                application_no: r.application_no,
                confirm_by: r.confirm_by,
                lessons_attended: r.lessons_attended,
                certificate: r.certificate,
                rating: r.rating,
                rating_pending: false,
            },
            mixer: MixerView {
                badge: r.badge,
                picks: r.picks,
                picks_pending: false,
                present: r.present,
                matches: r.matches,
            },
        }
    }
}

/// The person's own actions on their registrations, as queued on this device. Organizers' and
/// admins' actions change other people's registrations, not the actor's own list, so they are
/// not read here (nor is [`domain::sync::Op::parse`], the server's check of every mutation,
/// carried into every phone's build for two of its arms).
enum Own {
    Request(RequestArgs),
    Cancel(CancelArgs),
    Confirm(ConfirmArgs),
    Rate(RateArgs),
    Pick(PickArgs),
}

impl Own {
    fn read(entry: &OutboxEntry) -> Option<Self> {
        match entry.name.as_str() {
            Op::REGISTRATION_REQUEST => crate::from_json(&entry.args).ok().map(Self::Request),
            Op::REGISTRATION_CANCEL => crate::from_json(&entry.args).ok().map(Self::Cancel),
            Op::COURSE_CONFIRM => crate::from_json(&entry.args).ok().map(Self::Confirm),
            Op::COURSE_RATE => crate::from_json(&entry.args).ok().map(Self::Rate),
            Op::MIXER_PICK => crate::from_json(&entry.args).ok().map(Self::Pick),
            _ => None,
        }
    }
}

/// Replays the outbox over the base registrations, oldest action first; newest first out.
pub fn registrations(base: Vec<RegistrationRow>, outbox: &[OutboxEntry]) -> Vec<RegistrationView> {
    let mut views: Vec<RegistrationView> = base.into_iter().map(Into::into).collect();
    for entry in outbox {
        let Some(op) = Own::read(entry) else {
            continue;
        };
        let outcome: Option<Outcome> = entry
            .outcome
            .as_deref()
            .and_then(|o| crate::from_json(o).ok());
        match op {
            Own::Request(a) => {
                if views.iter().any(|v| v.id == a.registration_id) {
                    continue; // the base has it already: the server's word wins
                }
                let view = match outcome {
                    Some(Outcome::Rejected { .. }) => continue,
                    Some(Outcome::Applied { decision: Some(d) }) => RegistrationView {
                        status: d.status,
                        waitlist_position: d.waitlist_position,
                        reject_reason: d.reason.map(|r| r.as_str().to_owned()),
                        pending: false,
                        ..RegistrationView::local(
                            a.registration_id,
                            a.offering_id,
                            entry.created_at,
                        )
                    },
                    _ => RegistrationView {
                        predicted: entry
                            .local
                            .as_deref()
                            .and_then(|l| crate::from_json(l).ok()),
                        ..RegistrationView::local(
                            a.registration_id,
                            a.offering_id,
                            entry.created_at,
                        )
                    },
                };
                views.push(view);
            }
            Own::Cancel(a) => {
                if matches!(outcome, Some(Outcome::Rejected { .. })) {
                    continue;
                }
                if let Some(v) = views.iter_mut().find(|v| v.id == a.registration_id)
                    && v.status != RegistrationStatus::Cancelled
                {
                    v.status = RegistrationStatus::Cancelled;
                    v.waitlist_position = None;
                    v.pending = outcome.is_none();
                }
            }
            // A won place accepted shows as confirmed, declined as cancelled, until the pull
            // brings the server's row (with the ticket once accepted).
            Own::Confirm(a) => {
                if matches!(outcome, Some(Outcome::Rejected { .. })) {
                    continue;
                }
                if let Some(v) = views.iter_mut().find(|v| v.id == a.registration_id)
                    && v.status == RegistrationStatus::Won
                {
                    v.status = if a.accept {
                        RegistrationStatus::Confirmed
                    } else {
                        RegistrationStatus::Cancelled
                    };
                    v.course.confirm_by = None;
                    v.pending = outcome.is_none();
                }
            }
            Own::Rate(a) => {
                if matches!(outcome, Some(Outcome::Rejected { .. })) {
                    continue;
                }
                if let Some(v) = views.iter_mut().find(|v| v.id == a.registration_id) {
                    v.course.rating = Some((a.stars, a.comment));
                    v.course.rating_pending = outcome.is_none();
                }
            }
            // New picks replace the old on the screen at once; a refusal (the window closed
            // first) leaves the server's and comes back as a notice.
            Own::Pick(a) => {
                if matches!(outcome, Some(Outcome::Rejected { .. })) {
                    continue;
                }
                if let Some(v) = views.iter_mut().find(|v| v.id == a.registration_id) {
                    v.mixer.picks = a.badges;
                    v.mixer.picks.sort();
                    v.mixer.picks_pending = outcome.is_none();
                }
            }
        }
    }
    domain::sort::sort_by(&mut views, |a, b| {
        b.created_at
            .cmp(&a.created_at)
            .then_with(|| a.id.cmp(&b.id))
    });
    views
}

/// The person's mixer profile as the screen shows it: the last one written on this device (not
/// yet sent, or sent and not yet pulled back) over the server's; and whether it is waiting.
pub fn mixer_profile(
    base: Option<MixerProfile>,
    outbox: &[OutboxEntry],
) -> Option<(MixerProfile, bool)> {
    let mut shown = base.map(|p| (p, false));
    for entry in outbox.iter().filter(|e| e.name == Op::MIXER_PROFILE) {
        let outcome: Option<Outcome> = entry
            .outcome
            .as_deref()
            .and_then(|o| crate::from_json(o).ok());
        if matches!(outcome, Some(Outcome::Rejected { .. })) {
            continue;
        }
        if let Ok(a) = crate::from_json::<ProfileArgs>(&entry.args) {
            shown = Some((a.profile, outcome.is_none()));
        }
    }
    shown
}

/// A correction request as the screens show it: the server's row, or one queued on this device
/// (`pending` until the server has it); an answer queued on this device shows at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoursRequestView {
    /// The request as known.
    pub row: HoursRequestRow,
    /// Made or answered on this device and not yet confirmed by the server (待同步).
    pub pending: bool,
}

/// Replays queued `hours.request` and `hours.answer` over the synced requests; a refused one
/// is left out (its notice says why). Newest first.
pub fn hours_requests(base: Vec<HoursRequestRow>, outbox: &[OutboxEntry]) -> Vec<HoursRequestView> {
    let mut views: Vec<HoursRequestView> = base
        .into_iter()
        .map(|row| HoursRequestView {
            row,
            pending: false,
        })
        .collect();
    for entry in outbox {
        let outcome: Option<Outcome> = entry
            .outcome
            .as_deref()
            .and_then(|o| crate::from_json(o).ok());
        if matches!(outcome, Some(Outcome::Rejected { .. })) {
            continue;
        }
        match entry.name.as_str() {
            Op::HOURS_REQUEST => {
                let Ok(a) = crate::from_json::<HoursRequestArgs>(&entry.args) else {
                    continue;
                };
                if views.iter().any(|v| v.row.id == a.request_id) {
                    continue; // the server's row wins
                }
                views.push(HoursRequestView {
                    row: HoursRequestRow {
                        id: a.request_id,
                        registration_id: a.registration_id,
                        offering_id: String::new(),
                        offering_title: String::new(),
                        display_name: String::new(),
                        current_minutes: 0,
                        minutes: a.minutes,
                        reason: a.reason.trim().to_owned(),
                        status: HoursRequestStatus::Open,
                        answer: String::new(),
                        created_at: entry.created_at.div_euclid(1000),
                        answered_at: None,
                    },
                    pending: outcome.is_none(),
                });
            }
            Op::HOURS_ANSWER => {
                let Ok(a) = crate::from_json::<HoursAnswerArgs>(&entry.args) else {
                    continue;
                };
                if let Some(v) = views.iter_mut().find(|v| v.row.id == a.request_id)
                    && v.row.status == HoursRequestStatus::Open
                {
                    v.row.status = if a.accept {
                        HoursRequestStatus::Accepted
                    } else {
                        HoursRequestStatus::Declined
                    };
                    v.row.answer = a.reason.trim().to_owned();
                    v.pending = outcome.is_none();
                }
            }
            _ => {}
        }
    }
    domain::sort::sort_by(&mut views, |a, b| {
        b.row
            .created_at
            .cmp(&a.row.created_at)
            .then_with(|| a.row.id.cmp(&b.row.id))
    });
    views
}

#[cfg(test)]
mod tests {
    use super::*;

    const R1: &str = "00000000-0000-4000-8000-000000000001";
    const R2: &str = "00000000-0000-4000-8000-000000000002";

    fn entry(id: u64, op: Op, outcome: Option<&str>) -> OutboxEntry {
        OutboxEntry {
            id,
            name: op.name().into(),
            args: op.args().to_string(),
            created_at: id as i64,
            local: None,
            outcome: outcome.map(str::to_owned),
        }
    }

    fn request(id: &str) -> Op {
        Op::RegistrationRequest(RequestArgs {
            registration_id: id.into(),
            offering_id: "act-1".into(),
            answers: Default::default(),
        })
    }

    #[test]
    fn a_queued_request_shows_as_pending_and_a_queued_cancel_applies() {
        let base = vec![RegistrationRow {
            id: R1.into(),
            offering_id: "act-0".into(),
            status: RegistrationStatus::Confirmed,
            waitlist_position: None,
            reject_reason: None,
            created_at: 0,
            received_at: 0,
            note: None,
            ticket: None,
            checked_in_at: None,
            present_minutes: 0,
            credited_minutes: 0,
            hours_flags: vec![],
            hours_effective_at: None,
            application_no: None,
            confirm_by: None,
            lessons_attended: vec![],
            certificate: None,
            rating: None,
            badge: None,
            picks: vec![],
            present: vec![],
            matches: vec![],
        }];
        let outbox = [
            entry(1, request(R2), None),
            entry(
                2,
                Op::RegistrationCancel(CancelArgs {
                    registration_id: R1.into(),
                }),
                None,
            ),
        ];
        let v = registrations(base, &outbox);
        assert_eq!(v.len(), 2);
        assert_eq!(
            (v[0].id.as_str(), v[0].status, v[0].pending),
            (R2, RegistrationStatus::PendingSync, true)
        );
        assert_eq!(
            (v[1].id.as_str(), v[1].status, v[1].pending),
            (R1, RegistrationStatus::Cancelled, true)
        );
    }

    fn won(id: &str) -> RegistrationRow {
        RegistrationRow {
            id: id.into(),
            offering_id: "course-1".into(),
            status: RegistrationStatus::Won,
            waitlist_position: None,
            reject_reason: None,
            created_at: 0,
            received_at: 0,
            note: None,
            ticket: None,
            checked_in_at: None,
            present_minutes: 0,
            credited_minutes: 0,
            hours_flags: vec![],
            hours_effective_at: None,
            application_no: Some("K7Q2-0031".into()),
            confirm_by: Some(1_800_000_000),
            lessons_attended: vec![],
            certificate: None,
            rating: None,
            badge: None,
            picks: vec![],
            present: vec![],
            matches: vec![],
        }
    }

    fn confirm(id: &str, accept: bool) -> Op {
        Op::CourseConfirm(ConfirmArgs {
            registration_id: id.into(),
            accept,
        })
    }

    #[test]
    fn a_queued_confirm_shows_the_place_taken_or_given_up_until_the_server_has_it() {
        let v = registrations(
            vec![won(R1), won(R2)],
            &[
                entry(1, confirm(R1, true), None),
                entry(2, confirm(R2, false), None),
            ],
        );
        let by = |id: &str| v.iter().find(|r| r.id == id).unwrap();
        assert_eq!(
            (by(R1).status, by(R1).pending, by(R1).course.confirm_by),
            (RegistrationStatus::Confirmed, true, None)
        );
        assert_eq!(
            (by(R2).status, by(R2).pending),
            (RegistrationStatus::Cancelled, true)
        );
        assert_eq!(by(R1).course.application_no.as_deref(), Some("K7Q2-0031"));

        // Applied: no longer pending; refused (the deadline passed): the server's row stands.
        let applied = r#"{"outcome":"applied"}"#;
        let refused = r#"{"outcome":"rejected","code":"deadline_passed"}"#;
        let v = registrations(
            vec![won(R1), won(R2)],
            &[
                entry(1, confirm(R1, true), Some(applied)),
                entry(2, confirm(R2, true), Some(refused)),
            ],
        );
        let by = |id: &str| v.iter().find(|r| r.id == id).unwrap();
        assert_eq!(
            (by(R1).status, by(R1).pending),
            (RegistrationStatus::Confirmed, false)
        );
        assert_eq!(
            (by(R2).status, by(R2).pending),
            (RegistrationStatus::Won, false)
        );
    }

    #[test]
    fn a_confirm_only_changes_a_won_place_and_a_queued_rating_shows() {
        let mut row = won(R1);
        row.status = RegistrationStatus::Confirmed;
        let v = registrations(
            vec![row],
            &[
                entry(1, confirm(R1, false), None),
                entry(
                    2,
                    Op::CourseRate(RateArgs {
                        registration_id: R1.into(),
                        stars: 4,
                        comment: "好".into(),
                    }),
                    None,
                ),
            ],
        );
        assert_eq!(v[0].status, RegistrationStatus::Confirmed);
        assert_eq!(v[0].course.rating, Some((4, "好".into())));
        assert!(v[0].course.rating_pending);
    }

    #[test]
    fn queued_picks_replace_the_shown_ones_and_a_refused_change_leaves_the_servers() {
        use domain::programme::mixer::Gender;
        let f = |n| Badge {
            gender: Gender::Female,
            number: n,
        };
        let mut row = won(R1);
        row.status = RegistrationStatus::Confirmed;
        row.badge = Some(Badge {
            gender: Gender::Male,
            number: 1,
        });
        row.picks = vec![f(1)];
        let pick = |badges: Vec<Badge>| {
            Op::MixerPick(PickArgs {
                registration_id: R1.into(),
                badges,
            })
        };
        let v = registrations(vec![row.clone()], &[entry(1, pick(vec![f(3), f(2)]), None)]);
        assert_eq!(v[0].mixer.picks, [f(2), f(3)]);
        assert!(v[0].mixer.picks_pending);
        let refused = r#"{"outcome":"rejected","code":"picks_closed"}"#;
        let v = registrations(vec![row], &[entry(1, pick(vec![f(3)]), Some(refused))]);
        assert_eq!(v[0].mixer.picks, [f(1)]);
        assert!(!v[0].mixer.picks_pending);
    }

    #[test]
    fn the_profile_shown_is_the_last_written_over_the_servers() {
        use domain::programme::mixer::{ContactKind, Education, Gender};
        let p = |nickname: &str| MixerProfile {
            nickname: nickname.into(),
            gender: Gender::Female,
            education: Education::Master,
            occupation: "设计".into(),
            height_cm: None,
            intro: String::new(),
            contact_kind: ContactKind::Phone,
            wechat_id: String::new(),
            single: true,
        };
        let save = |nickname: &str| {
            Op::MixerProfile(ProfileArgs {
                profile: p(nickname),
            })
        };
        assert_eq!(mixer_profile(None, &[]), None);
        assert_eq!(mixer_profile(Some(p("甲")), &[]), Some((p("甲"), false)));
        let queued = [entry(1, save("乙"), None)];
        assert_eq!(mixer_profile(Some(p("甲")), &queued), Some((p("乙"), true)));
        let refused = [entry(
            1,
            save("乙"),
            Some(r#"{"outcome":"rejected","code":"bad_args"}"#),
        )];
        assert_eq!(
            mixer_profile(Some(p("甲")), &refused),
            Some((p("甲"), false))
        );
    }

    #[test]
    fn known_outcomes_show_before_the_pull_and_rejections_disappear() {
        let applied =
            r#"{"outcome":"applied","decision":{"status":"waitlisted","waitlist_position":3}}"#;
        let rejected = r#"{"outcome":"rejected","code":"unknown_offering"}"#;
        let v = registrations(
            vec![],
            &[
                entry(1, request(R1), Some(applied)),
                entry(2, request(R2), Some(rejected)),
            ],
        );
        assert_eq!(v.len(), 1);
        assert_eq!(
            (v[0].status, v[0].waitlist_position, v[0].pending),
            (RegistrationStatus::Waitlisted, Some(3), false)
        );
    }

    #[test]
    fn others_actions_and_unreadable_entries_leave_the_list_alone() {
        let review = Op::ReviewDecide(domain::sync::ReviewArgs {
            registration_id: R1.into(),
            decision: domain::sync::ReviewDecision::Reject,
            reason: "名额有限".into(),
        });
        let mut garbled = entry(2, request(R2), None);
        garbled.args = "{not json".into();
        let v = registrations(vec![], &[entry(1, review, None), garbled]);
        assert!(v.is_empty(), "{v:?}");
    }

    #[test]
    fn correction_requests_show_queued_and_refused_ones_drop_out() {
        let ask = |id: &str| {
            Op::HoursRequest(HoursRequestArgs {
                request_id: id.into(),
                registration_id: R1.into(),
                minutes: 150,
                reason: " 签退漏扫 ".into(),
            })
        };
        let refused = r#"{"outcome":"rejected","code":"request_open"}"#;
        let views = hours_requests(
            Vec::new(),
            &[entry(1, ask(R1), None), entry(2, ask(R2), Some(refused))],
        );
        assert_eq!(views.len(), 1);
        assert!(views[0].pending);
        assert_eq!(
            (views[0].row.status, views[0].row.reason.as_str()),
            (HoursRequestStatus::Open, "签退漏扫")
        );
        // The server's row wins over the queued request; a queued answer shows at once.
        let mut synced = views[0].row.clone();
        synced.display_name = "王青青".into();
        let answer = Op::HoursAnswer(HoursAnswerArgs {
            request_id: R1.into(),
            accept: false,
            reason: "记录无误".into(),
        });
        let views = hours_requests(
            vec![synced],
            &[
                entry(1, ask(R1), Some(r#"{"outcome":"applied"}"#)),
                entry(2, answer, None),
            ],
        );
        assert_eq!(views.len(), 1);
        assert_eq!(views[0].row.display_name, "王青青");
        assert_eq!(views[0].row.status, HoursRequestStatus::Declined);
        assert!(views[0].pending);
    }
}
