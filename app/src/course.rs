//! Night school on the young person's side, the pure parts (tested natively): the public
//! results of a course's draw as the page reads them, the recompute of the draw from what the
//! page shows (`domain::draw::verify`), and the words for a course registration's states,
//! lessons and certificate.

use crate::{
    format,
    i18n::{Lang, Msg},
};
use domain::{
    draw::{Mismatch, PublicValueError, PublishedDraw, PublishedEntry},
    moment,
    programme::course::CourseRules,
    registration::RegistrationStatus,
};
use engine::view::RegistrationView;
use serde::Deserialize;

/// `GET /api/v1/courses/{id}/results`, as the server publishes it (`server::routes::courses`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Results {
    /// The course.
    pub offering_id: String,
    /// Its title.
    pub title: String,
    /// When its applications close (Unix seconds).
    pub closes_at: i64,
    /// Applications so far, or in the frozen list.
    pub applications: u64,
    /// Places.
    pub capacity: u32,
    /// Published at the close.
    pub frozen: Option<Frozen>,
    /// Published at the draw.
    pub drawn: Option<Drawn>,
}

/// The list frozen at the close.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Frozen {
    /// When (Unix seconds).
    pub frozen_at: i64,
    /// The entries in canonical order.
    pub entries: Vec<PublishedEntry>,
    /// SHA-256 of the canonical list (hex).
    pub list_hash: String,
    /// SHA-256 of the secret seed (hex).
    pub commitment: String,
}

/// The draw, once run.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Drawn {
    /// When (Unix seconds).
    pub drawn_at: i64,
    /// The published draw (its seed, public value and places are what the page shows).
    pub draw: PublishedDraw,
    /// Every application in draw order.
    pub results: Vec<ResultRow>,
}

/// One application in the published results.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ResultRow {
    /// Its place in the draw order (1 = drawn first).
    pub position: u32,
    /// The application number.
    pub number: String,
    /// The masked name (王*青).
    pub name: String,
    /// The phone's last four digits.
    pub phone_last4: String,
    /// `won`, `waitlist` or `not_drawn`.
    pub outcome: String,
}

/// The draw as the page shows it: the list and the two hashes published at the close, the
/// seed and public value revealed at the draw, and the order of the results table. Nothing is
/// taken from parts of the answer the page does not show.
pub fn shown_draw(r: &Results) -> Option<PublishedDraw> {
    let frozen = r.frozen.as_ref()?;
    let drawn = r.drawn.as_ref()?;
    let mut rows: Vec<&ResultRow> = drawn.results.iter().collect();
    rows.sort_by_key(|row| row.position);
    Some(PublishedDraw {
        entries: frozen.entries.clone(),
        list_hash: frozen.list_hash.clone(),
        commitment: frozen.commitment.clone(),
        seed: drawn.draw.seed.clone(),
        public_value: drawn.draw.public_value.clone(),
        capacity: drawn.draw.capacity,
        order: rows.into_iter().map(|row| row.number.clone()).collect(),
    })
}

/// Redoes the draw from what the page shows; `None` before the draw.
pub fn recompute(r: &Results) -> Option<Result<(), Mismatch>> {
    shown_draw(r).map(|d| domain::draw::verify(&d))
}

/// What the recompute found, in words.
pub fn recompute_text(lang: Lang, found: &Result<(), Mismatch>) -> String {
    match found {
        Ok(()) => Msg::RecomputeMatches.text(lang).to_owned(),
        Err(m) => Msg::RecomputeDiffers.fill(lang, &[&mismatch_text(lang, m)]),
    }
}

/// Where the shown draw first differs from the recomputed one, in words.
pub fn mismatch_text(lang: Lang, m: &Mismatch) -> String {
    match m {
        Mismatch::BadEntry { number, .. } => Msg::MismatchBadEntry.fill(lang, &[number]),
        Mismatch::DuplicateEntry(n) => Msg::MismatchDuplicate.fill(lang, &[n]),
        Mismatch::ListHash { .. } => Msg::MismatchListHash.text(lang).to_owned(),
        Mismatch::BadSeed => Msg::MismatchBadSeed.text(lang).to_owned(),
        Mismatch::Commitment { .. } => Msg::MismatchCommitment.text(lang).to_owned(),
        Mismatch::BadPublicValue(
            PublicValueError::TooLong
            | PublicValueError::BadCharacters
            | PublicValueError::SurroundingSpace,
        ) => Msg::MismatchPublicValue.text(lang).to_owned(),
        Mismatch::Order {
            position,
            published,
            computed,
        } => {
            let none = Msg::ResultsNone.text(lang);
            let or_none = |s: &str| {
                if s.is_empty() {
                    none.to_owned()
                } else {
                    s.to_owned()
                }
            };
            Msg::MismatchOrder.fill(
                lang,
                &[
                    &position.to_string(),
                    &or_none(published),
                    &or_none(computed),
                ],
            )
        }
    }
}

/// A result's outcome in words.
pub fn outcome_text(lang: Lang, outcome: &str) -> &'static str {
    match outcome {
        "won" => Msg::OutcomeWon,
        "waitlist" => Msg::OutcomeWaitlist,
        _ => Msg::OutcomeNotDrawn,
    }
    .text(lang)
}

/// A time in Unix seconds, in China time and words (empty if out of range).
pub fn unix_time(lang: Lang, s: i64) -> String {
    moment::from_unix_s(s)
        .map(|t| format::date_time(lang, t))
        .unwrap_or_default()
}

/// The line under a course registration's state: what it means and what to do next.
pub fn hint(lang: Lang, r: &RegistrationView) -> Option<&'static str> {
    let msg = match r.status {
        RegistrationStatus::LotteryEntered => Msg::LotteryEnteredHint,
        RegistrationStatus::Won if !r.pending => Msg::WonHint,
        RegistrationStatus::Waitlisted => Msg::WaitlistDrawHint,
        RegistrationStatus::NotDrawn => Msg::NotDrawnHint,
        _ => return None,
    };
    Some(msg.text(lang))
}

/// One lesson as the learner sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LessonState {
    /// Attendance recorded.
    Attended,
    /// Over, with no attendance recorded.
    Missed,
    /// Not over yet.
    Upcoming,
}

impl LessonState {
    /// In words.
    pub fn text(self, lang: Lang) -> &'static str {
        match self {
            Self::Attended => Msg::LessonAttended,
            Self::Missed => Msg::LessonMissed,
            Self::Upcoming => Msg::LessonUpcoming,
        }
        .text(lang)
    }
}

/// Every lesson (numbered from 1) with what is recorded so far, at `now` (Unix seconds).
pub fn lessons(rules: &CourseRules, attended: &[u32], now: i64) -> Vec<(u32, LessonState)> {
    (1u32..)
        .zip(&rules.lessons)
        .map(|(n, lesson)| {
            let state = if attended.contains(&n) {
                LessonState::Attended
            } else if lesson.ends_at.unix_timestamp() <= now {
                LessonState::Missed
            } else {
                LessonState::Upcoming
            };
            (n, state)
        })
        .collect()
}

/// Whether the rating form is offered at `now`: after the last lesson, having attended one.
/// (How long a rating stays editable is the server's to say; a refusal comes back as a notice.)
pub fn may_rate(rules: &CourseRules, r: &RegistrationView, now: i64) -> bool {
    let last = rules
        .lessons
        .iter()
        .map(|l| l.ends_at.unix_timestamp())
        .max();
    r.status == RegistrationStatus::Confirmed
        && last.is_some_and(|last| {
            domain::programme::course::may_rate(r.course.lessons_attended.len(), last, None, now)
                .is_ok()
        })
}

/// Why a rating cannot be sent as typed, if it cannot.
pub fn rating_error(stars: u8, comment: &str) -> Option<Msg> {
    if !(1..=5).contains(&stars) {
        return Some(Msg::ErrStarsRequired);
    }
    if comment.trim().chars().count() > domain::programme::course::MAX_COMMENT {
        return Some(Msg::ErrCommentTooLong);
    }
    None
}

/// The public check page's address for a certificate code.
pub fn verify_href(code: &str) -> String {
    format!(
        "/certificates/verify?code={}",
        crate::api::encode_query_value(code)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::draw::{FrozenList, PublicValue, Seed};
    use time::macros::datetime;

    fn results() -> Results {
        let pairs = [
            ("K7Q2-0031", 1),
            ("K7Q2-8XF3", 0),
            ("K7Q2-2M9D", 0),
            ("K7Q2-HB6W", 1),
            ("K7Q2-5T0R", 0),
        ];
        let list = FrozenList::from_pairs(pairs.iter().map(|(n, t)| (*n, *t))).unwrap();
        let seed = Seed::from_bytes(std::array::from_fn(|i| i as u8));
        let draw = PublishedDraw::new(&list, &seed, &PublicValue::parse("7 3 9").unwrap(), 2);
        let mut results: Vec<ResultRow> = (1u32..)
            .zip(&draw.order)
            .map(|(position, number)| ResultRow {
                position,
                number: number.clone(),
                name: "王*青".into(),
                phone_last4: "0003".into(),
                outcome: if position <= 2 { "won" } else { "waitlist" }.into(),
            })
            .collect();
        results.reverse();
        Results {
            offering_id: "c1".into(),
            title: "书法".into(),
            closes_at: 0,
            applications: 5,
            capacity: 2,
            frozen: Some(Frozen {
                frozen_at: 0,
                entries: draw.entries.clone(),
                list_hash: draw.list_hash.clone(),
                commitment: draw.commitment.clone(),
            }),
            drawn: Some(Drawn {
                drawn_at: 0,
                draw,
                results,
            }),
        }
    }

    #[test]
    fn the_draw_shown_recomputes_and_an_altered_result_is_found() {
        let r = results();
        assert_eq!(recompute(&r), Some(Ok(())));
        assert_eq!(
            recompute_text(Lang::Zh, &Ok(())),
            "一致：重新计算的顺序与本页公示的结果相同。"
        );

        // Two results swapped on the page: the first position that differs is named.
        let mut altered = r.clone();
        let rows = &mut altered.drawn.as_mut().unwrap().results;
        let (a, b) = (rows.len() - 1, rows.len() - 2); // positions 1 and 2 (the rows came reversed)
        let first = rows[a].number.clone();
        rows[a].number = rows[b].number.clone();
        rows[b].number = first.clone();
        let found = recompute(&altered).unwrap();
        assert!(
            matches!(&found, Err(Mismatch::Order { position: 1, computed, .. }) if *computed == first),
            "{found:?}"
        );
        assert!(recompute_text(Lang::Zh, &found).starts_with("不一致：第 1 位公示为 "));
        assert!(recompute_text(Lang::En, &found).starts_with("It does not match: at position 1"));

        // Another public value, another list hash: each named.
        let mut altered = r.clone();
        altered.drawn.as_mut().unwrap().draw.public_value = "7 3 8".into();
        assert!(matches!(
            recompute(&altered),
            Some(Err(Mismatch::Order { .. }))
        ));
        let mut altered = r.clone();
        altered.frozen.as_mut().unwrap().entries[0].tier = 1;
        assert_eq!(
            recompute(&altered)
                .unwrap()
                .map_err(|m| mismatch_text(Lang::Zh, &m)),
            Err("名单与名单哈希不符".to_owned())
        );
        let mut altered = r;
        altered.drawn = None;
        assert_eq!(recompute(&altered), None);
    }

    #[test]
    fn the_server_s_answer_reads() {
        let json = serde_json::json!({
            "offering_id": "c1", "title": "t", "closes_at": 1, "applications": 3, "capacity": 2,
            "frozen": null, "drawn": null
        });
        let r: Results = serde_json::from_value(json).unwrap();
        assert_eq!((r.applications, r.capacity, r.frozen), (3, 2, None));
        assert_eq!(outcome_text(Lang::Zh, "won"), "中签");
        assert_eq!(outcome_text(Lang::En, "waitlist"), "Waitlist");
        assert_eq!(outcome_text(Lang::Zh, "not_drawn"), "未中签");
    }

    fn rules() -> CourseRules {
        CourseRules {
            lessons: domain::programme::course::weekly(
                datetime!(2027-03-01 19:00 +8),
                time::Duration::hours(2),
                3,
            ),
            ..CourseRules::default()
        }
    }

    #[test]
    fn lessons_show_what_is_recorded_and_rating_opens_after_the_last() {
        let now = datetime!(2027-03-09 12:00 +8).unix_timestamp();
        assert_eq!(
            lessons(&rules(), &[1], now),
            vec![
                (1, LessonState::Attended),
                (2, LessonState::Missed),
                (3, LessonState::Upcoming)
            ]
        );
        let mut r = RegistrationView {
            id: "r".into(),
            offering_id: "c".into(),
            status: RegistrationStatus::Confirmed,
            waitlist_position: None,
            reject_reason: None,
            pending: false,
            predicted: None,
            created_at: 0,
            note: None,
            ticket: None,
            checked_in_at: None,
            credited_minutes: 0,
            hours_flags: vec![],
            hours_effective_at: None,
            course: Default::default(),
            mixer: Default::default(),
        };
        let after = datetime!(2027-03-16 22:00 +8).unix_timestamp();
        assert!(!may_rate(&rules(), &r, after), "attended none");
        r.course.lessons_attended = vec![1, 3];
        assert!(!may_rate(&rules(), &r, now), "not over yet");
        assert!(may_rate(&rules(), &r, after));
        assert_eq!(rating_error(0, ""), Some(Msg::ErrStarsRequired));
        assert_eq!(
            rating_error(5, &"字".repeat(301)),
            Some(Msg::ErrCommentTooLong)
        );
        assert_eq!(rating_error(3, &"字".repeat(300)), None);
        r.status = RegistrationStatus::Won;
        assert_eq!(hint(Lang::Zh, &r), Some(Msg::WonHint.text(Lang::Zh)));
        r.status = RegistrationStatus::NotDrawn;
        assert_eq!(
            hint(Lang::En, &r),
            Some("Not drawn this time. Thank you for applying.")
        );
        assert_eq!(
            verify_href("QC1.a+b/c"),
            "/certificates/verify?code=QC1.a%2Bb%2Fc"
        );
    }
}
