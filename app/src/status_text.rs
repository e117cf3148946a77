//! Words for registration states, sync states and notices (pure, tested natively).

use crate::{
    format,
    i18n::{Lang, Msg},
    state::sync::SyncStatus,
};
use domain::registration::{Decision, MutationError, RegistrationStatus, RejectReason};
use domain::sync::Op;
use engine::{Notice, sync::NoticeKind, view::RegistrationView};

fn reason(lang: Lang, reason: Option<&str>) -> String {
    let msg = match reason.and_then(RejectReason::parse) {
        Some(RejectReason::Full) => Msg::ReasonFull,
        Some(RejectReason::Closed) => Msg::ReasonClosed,
        Some(RejectReason::NotEligible) => Msg::ReasonNotEligible,
        Some(RejectReason::Duplicate) => Msg::ReasonDuplicate,
        Some(RejectReason::TermLimit) => Msg::ReasonTermLimit,
        Some(RejectReason::NoProfile) => Msg::ReasonNoProfile,
        Some(RejectReason::NotDeclared) => Msg::ReasonNotDeclared,
        Some(RejectReason::AgeRange) => Msg::ReasonAgeRange,
        None => Msg::ReasonClosed,
    };
    msg.text(lang).to_owned()
}

/// `已报名`, `候补第 3 位`, `未报上：名额已满` …
pub fn status(
    lang: Lang,
    status: RegistrationStatus,
    position: Option<u32>,
    why: Option<&str>,
) -> String {
    match status {
        RegistrationStatus::PendingSync => Msg::StatusPendingSync.text(lang).to_owned(),
        RegistrationStatus::PendingReview => Msg::StatusPendingReview.text(lang).to_owned(),
        RegistrationStatus::Confirmed => Msg::StatusConfirmed.text(lang).to_owned(),
        RegistrationStatus::Waitlisted => Msg::StatusWaitlisted.fill(
            lang,
            &[&position.map(|p| p.to_string()).unwrap_or_default()],
        ),
        RegistrationStatus::LotteryEntered => Msg::StatusLotteryEntered.text(lang).to_owned(),
        RegistrationStatus::Won => Msg::StatusWon.text(lang).to_owned(),
        RegistrationStatus::NotDrawn => Msg::StatusNotDrawn.text(lang).to_owned(),
        RegistrationStatus::Rejected => Msg::StatusRejected.fill(lang, &[&reason(lang, why)]),
        RegistrationStatus::Cancelled => Msg::StatusCancelled.text(lang).to_owned(),
    }
}

fn decision(lang: Lang, d: &Decision) -> String {
    status(
        lang,
        d.status,
        d.waitlist_position,
        d.reason.map(RejectReason::as_str),
    )
}

fn note(r: &RegistrationView) -> Option<&str> {
    r.note.as_deref().map(str::trim).filter(|n| !n.is_empty())
}

/// What a registration card says: the status, and for one not yet synced, what is expected.
/// Decisions made on the server by others carry their reason: `活动已取消：…` when the
/// organizer cancelled the activity, `审核未通过：…` when an admin refused the sign-up.
pub fn registration(lang: Lang, r: &RegistrationView) -> String {
    let now = match (r.status, note(r)) {
        (RegistrationStatus::Cancelled, Some(n)) => Msg::StatusOfferingCancelled.fill(lang, &[n]),
        (RegistrationStatus::Rejected, Some(n)) => Msg::StatusReviewRejected.fill(lang, &[n]),
        (RegistrationStatus::Won, _) if r.course.confirm_by.is_some() => {
            let by = r.course.confirm_by.unwrap_or_default();
            Msg::StatusWonConfirmBy.fill(lang, &[&crate::course::unix_time(lang, by)])
        }
        _ => status(
            lang,
            r.status,
            r.waitlist_position,
            r.reject_reason.as_deref(),
        ),
    };
    match (&r.predicted, r.pending) {
        (Some(p), true) => format!(
            "{now} · {}",
            Msg::StatusExpected.fill(lang, &[&decision(lang, p)])
        ),
        _ => now,
    }
}

/// A roster entry's status in words.
pub fn roster_status(lang: Lang, s: RegistrationStatus) -> String {
    status(lang, s, None, None)
}

/// Names the kind of action a notice is about when no programme title is known (the actions
/// of organizers and admins concern other people's registrations).
pub fn action_title(lang: Lang, mutation: &str) -> Option<&'static str> {
    let msg = match mutation {
        Op::REVIEW_DECIDE => Msg::ActionReview,
        Op::CHECKIN_RECORD => Msg::ActionCheckin,
        Op::WALKIN_REGISTER => Msg::ActionWalkIn,
        Op::HOURS_CORRECT => Msg::ActionHoursCorrect,
        Op::HOURS_ANSWER => Msg::ActionHoursAnswer,
        _ => return None,
    };
    Some(msg.text(lang))
}

/// A note that is not already in the status line (an admin's word on an approval).
pub fn registration_note(lang: Lang, r: &RegistrationView) -> Option<String> {
    match r.status {
        RegistrationStatus::Cancelled | RegistrationStatus::Rejected => None,
        _ => note(r).map(|n| Msg::NoteFromOrganizer.fill(lang, &[n])),
    }
}

/// Why the server refused an action, in words.
pub fn mutation_error_text(lang: Lang, code: MutationError) -> &'static str {
    mutation_error(lang, code)
}

fn mutation_error(lang: Lang, code: MutationError) -> &'static str {
    match code {
        MutationError::UnknownOffering => Msg::MutUnknownOffering,
        MutationError::IdConflict => Msg::MutIdConflict,
        MutationError::UnknownRegistration => Msg::MutUnknownRegistration,
        MutationError::NotCancellable => Msg::MutNotCancellable,
        MutationError::UnknownMutation | MutationError::BadArgs => Msg::MutOutdated,
        MutationError::Forbidden => Msg::MutForbidden,
        MutationError::BadAnswers => Msg::MutBadAnswers,
        MutationError::WrongStatus => Msg::MutWrongStatus,
        MutationError::WrongOffering => Msg::MutWrongOffering,
        MutationError::TimeOutOfRange => Msg::MutTimeOutOfRange,
        MutationError::DeadlinePassed => Msg::MutDeadlinePassed,
        MutationError::NotAttended => Msg::MutNotAttended,
        MutationError::NotOverYet => Msg::MutNotOverYet,
        MutationError::RatingClosed => Msg::MutRatingClosed,
        MutationError::TooManyPicks => Msg::MutTooManyPicks,
        MutationError::PickedSelf => Msg::MutPickedSelf,
        MutationError::UnknownBadge => Msg::MutUnknownBadge,
        MutationError::PicksClosed => Msg::MutPicksClosed,
        MutationError::NotCheckedIn => Msg::MutNotCheckedIn,
        MutationError::ReasonRequired => Msg::MutReasonRequired,
        MutationError::RequestOpen => Msg::MutRequestOpen,
        MutationError::NoHours => Msg::MutNoHours,
    }
    .text(lang)
}

/// A notice in words; `title` is the programme's title if the device knows it.
pub fn notice(lang: Lang, n: &Notice, title: Option<&str>) -> String {
    let title = title.unwrap_or(Msg::UnknownProgramme.text(lang));
    match &n.kind {
        NoticeKind::Rejected { code } => {
            Msg::NoticeRejected.fill(lang, &[title, mutation_error(lang, *code)])
        }
        NoticeKind::Decided { predicted, actual } => Msg::NoticeDecided.fill(
            lang,
            &[
                title,
                &decision(lang, actual),
                &status(lang, *predicted, None, None),
            ],
        ),
    }
}

/// The sync indicator's words, with the number of actions waiting.
pub fn sync(lang: Lang, s: &SyncStatus, pending: usize) -> String {
    let n = pending.to_string();
    match s {
        SyncStatus::Offline if pending > 0 => Msg::SyncOfflinePending.fill(lang, &[&n]),
        SyncStatus::Offline => Msg::SyncOffline.text(lang).to_owned(),
        SyncStatus::Syncing => Msg::SyncSyncing.text(lang).to_owned(),
        SyncStatus::NeedsSignIn => Msg::SyncNeedsSignIn.text(lang).to_owned(),
        SyncStatus::UpdateApp => Msg::SyncUpdateApp.text(lang).to_owned(),
        _ if pending > 0 => Msg::SyncPending.fill(lang, &[&n]),
        SyncStatus::Synced(at) => Msg::SyncSynced.fill(lang, &[&format::clock(*at)]),
        SyncStatus::Failed(_) => Msg::SyncFailed.text(lang).to_owned(),
        SyncStatus::Idle => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn the_indicator_says_offline_waiting_syncing_or_when() {
        assert_eq!(sync(Lang::Zh, &SyncStatus::Offline, 0), "离线");
        assert_eq!(sync(Lang::Zh, &SyncStatus::Offline, 2), "离线 · 2 项待同步");
        assert_eq!(
            sync(Lang::Zh, &SyncStatus::Failed("x".into()), 3),
            "3 项待同步"
        );
        assert_eq!(sync(Lang::Zh, &SyncStatus::Syncing, 3), "同步中…");
        assert_eq!(
            sync(
                Lang::Zh,
                &SyncStatus::Synced(datetime!(2026-11-22 06:05 UTC)),
                0
            ),
            "已同步 14:05"
        );
        assert_eq!(
            sync(Lang::En, &SyncStatus::NeedsSignIn, 1),
            "Sign in again; nothing waiting is lost"
        );
    }

    #[test]
    fn statuses_read_naturally() {
        assert_eq!(
            status(Lang::Zh, RegistrationStatus::Waitlisted, Some(3), None),
            "候补第 3 位"
        );
        assert_eq!(
            status(Lang::Zh, RegistrationStatus::Rejected, None, Some("full")),
            "未报上：名额已满"
        );
        assert_eq!(
            status(Lang::En, RegistrationStatus::Confirmed, None, None),
            "Signed up"
        );
    }

    fn view(status: RegistrationStatus, note: Option<&str>) -> RegistrationView {
        RegistrationView {
            id: "r".into(),
            offering_id: "o".into(),
            status,
            waitlist_position: None,
            reject_reason: None,
            pending: false,
            predicted: None,
            created_at: 0,
            note: note.map(str::to_owned),
            ticket: None,
            checked_in_at: None,
            credited_minutes: 0,
            hours_flags: vec![],
            hours_effective_at: None,
            course: Default::default(),
            mixer: Default::default(),
        }
    }

    #[test]
    fn a_won_place_says_its_deadline_and_the_draw_s_other_outcomes_their_words() {
        let mut won = view(RegistrationStatus::Won, None);
        assert_eq!(registration(Lang::Zh, &won), "已中签");
        // 2027-03-04 20:00 in China.
        won.course.confirm_by = Some(1_804_161_600);
        let zh = registration(Lang::Zh, &won);
        assert!(
            zh.starts_with("已中签，请在 ") && zh.ends_with(" 前确认"),
            "{zh}"
        );
        assert!(zh.contains("20:00"), "{zh}");
        assert!(registration(Lang::En, &won).starts_with("Drawn: confirm by "));
        let mut waiting = view(RegistrationStatus::Waitlisted, None);
        waiting.waitlist_position = Some(2);
        assert_eq!(registration(Lang::Zh, &waiting), "候补第 2 位");
        assert_eq!(
            registration(Lang::En, &view(RegistrationStatus::NotDrawn, None)),
            "Not drawn"
        );
        assert_eq!(
            registration(Lang::Zh, &view(RegistrationStatus::LotteryEntered, None)),
            "已参加摇号"
        );
    }

    #[test]
    fn decisions_made_by_others_carry_their_reason() {
        assert_eq!(
            registration(
                Lang::Zh,
                &view(RegistrationStatus::Cancelled, Some("暴雨预警"))
            ),
            "活动已取消：暴雨预警"
        );
        assert_eq!(
            registration(
                Lang::Zh,
                &view(RegistrationStatus::Rejected, Some("年龄不符"))
            ),
            "审核未通过：年龄不符"
        );
        // Cancelled by the person: no note.
        assert_eq!(
            registration(Lang::Zh, &view(RegistrationStatus::Cancelled, None)),
            "已取消"
        );
        assert_eq!(
            registration(
                Lang::En,
                &view(RegistrationStatus::Rejected, Some("too young"))
            ),
            "Not approved: too young"
        );
        let approved = view(RegistrationStatus::Confirmed, Some("请带身份证"));
        assert_eq!(registration(Lang::Zh, &approved), "已报名");
        assert_eq!(
            registration_note(Lang::Zh, &approved).as_deref(),
            Some("备注：请带身份证")
        );
        assert_eq!(
            registration_note(Lang::Zh, &view(RegistrationStatus::Rejected, Some("x"))),
            None
        );
    }

    #[test]
    fn a_notice_names_the_programme_and_both_decisions() {
        let n = Notice {
            mutation_id: 1,
            name: "registration.request".into(),
            registration_id: None,
            offering_id: Some("a".into()),
            kind: NoticeKind::Decided {
                predicted: RegistrationStatus::Confirmed,
                actual: Decision {
                    status: RegistrationStatus::Waitlisted,
                    waitlist_position: Some(2),
                    reason: None,
                },
            },
        };
        assert_eq!(
            notice(Lang::Zh, &n, Some("河小青")),
            "「河小青」：候补第 2 位（手机上曾显示为「已报名」）"
        );
        let r = Notice {
            kind: NoticeKind::Rejected {
                code: MutationError::UnknownOffering,
            },
            ..n
        };
        assert_eq!(
            notice(Lang::Zh, &r, None),
            "「（项目信息未同步）」：操作未成功，项目不存在或已下架"
        );
    }
}
