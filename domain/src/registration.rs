//! The registration core shared by activities, courses and mixers: statuses, decisions, and a
//! reference model of pools and waitlists. The decision itself is in [`crate::signup`].
//!
//! The server applies the rules inside one database transaction per mutation, taking a place
//! with a conditional update on one pool; [`Ledger`] is the same behaviour on plain data, the
//! executable specification the property tests check (no pool over its capacity, each pool's
//! waitlist gapless, idempotent).

use crate::signup::{Applicant, Route, Rules, admission, when_full};
use crate::{PoolKey, Quota};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where a registration stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RegistrationStatus {
    /// Only on the device so far (never sent by the server).
    PendingSync,
    /// Waiting for an admin's approval.
    PendingReview,
    /// Has a seat.
    Confirmed,
    /// On the waitlist (with a position).
    Waitlisted,
    /// In the lottery pool.
    LotteryEntered,
    /// Drawn in the lottery.
    Won,
    /// Not drawn.
    NotDrawn,
    /// Refused (with a reason).
    Rejected,
    /// Cancelled by the person (or the offering was cancelled).
    Cancelled,
}

impl RegistrationStatus {
    /// Every status.
    pub const ALL: [Self; 9] = [
        Self::PendingSync,
        Self::PendingReview,
        Self::Confirmed,
        Self::Waitlisted,
        Self::LotteryEntered,
        Self::Won,
        Self::NotDrawn,
        Self::Rejected,
        Self::Cancelled,
    ];

    /// The stable string used in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PendingSync => "pending_sync",
            Self::PendingReview => "pending_review",
            Self::Confirmed => "confirmed",
            Self::Waitlisted => "waitlisted",
            Self::LotteryEntered => "lottery_entered",
            Self::Won => "won",
            Self::NotDrawn => "not_drawn",
            Self::Rejected => "rejected",
            Self::Cancelled => "cancelled",
        }
    }

    /// The statuses the server stores that are still in play: each counts as the person's one
    /// registration for the offering. The one definition: the server's SQL is written from it
    /// ([`Self::sql_list`]).
    pub const LIVE: [Self; 5] = [
        Self::PendingReview,
        Self::Confirmed,
        Self::Waitlisted,
        Self::LotteryEntered,
        Self::Won,
    ];

    /// Still in play: counts as the person's one registration for the offering (a request only
    /// on the device too).
    pub fn is_live(self) -> bool {
        self == Self::PendingSync || Self::LIVE.contains(&self)
    }

    /// `'a', 'b', …`: statuses as an SQL list, for `status IN (…)`.
    pub fn sql_list(statuses: &[Self]) -> String {
        let quoted: Vec<String> = statuses
            .iter()
            .map(|s| format!("'{}'", s.as_str()))
            .collect();
        quoted.join(", ")
    }

    /// Whether the person may cancel from this status.
    pub fn is_cancellable(self) -> bool {
        matches!(
            self,
            Self::PendingReview
                | Self::Confirmed
                | Self::Waitlisted
                | Self::LotteryEntered
                | Self::Won
        )
    }
}

/// Why a registration was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RejectReason {
    /// No seat and no waitlist.
    Full,
    /// Outside the sign-up window, or the offering is cancelled.
    Closed,
    /// The person does not meet the offering's conditions.
    NotEligible,
    /// The person already has a live registration for this offering.
    Duplicate,
    /// The person has as many applications in this course's term as the term allows.
    TermLimit,
    /// A mixer: the person has no mixer profile yet.
    NoProfile,
    /// A mixer: the person has not declared that they are single.
    NotDeclared,
    /// A mixer: the person's age (by birth year) is outside the mixer's range.
    AgeRange,
}

impl RejectReason {
    /// The stable string used in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Full => "full",
            Self::Closed => "closed",
            Self::NotEligible => "not_eligible",
            Self::Duplicate => "duplicate",
            Self::TermLimit => "term_limit",
            Self::NoProfile => "no_profile",
            Self::NotDeclared => "not_declared",
            Self::AgeRange => "age_range",
        }
    }

    /// Parses the stable string.
    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Full,
            Self::Closed,
            Self::NotEligible,
            Self::Duplicate,
            Self::TermLimit,
            Self::NoProfile,
            Self::NotDeclared,
            Self::AgeRange,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }
}

/// How seats are given out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Allocation {
    /// In the order the server receives requests.
    #[default]
    FirstCome,
    /// A registration window, then a draw.
    Lottery,
}

impl Allocation {
    /// Every way.
    pub const ALL: [Self; 2] = [Self::FirstCome, Self::Lottery];

    /// The stable string used in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::FirstCome => "first_come",
            Self::Lottery => "lottery",
        }
    }
}

/// The outcome of a request, as the person sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Decision {
    /// The new status.
    pub status: RegistrationStatus,
    /// 1-based place on the waitlist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waitlist_position: Option<u32>,
    /// Why it was refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<RejectReason>,
}

impl Decision {
    /// A decision without a position or reason.
    pub fn status(status: RegistrationStatus) -> Self {
        Self {
            status,
            waitlist_position: None,
            reason: None,
        }
    }

    /// A refusal.
    pub fn rejected(reason: RejectReason) -> Self {
        Self {
            status: RegistrationStatus::Rejected,
            waitlist_position: None,
            reason: Some(reason),
        }
    }
}

/// Why a mutation itself was refused (nothing changed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MutationError {
    /// No such mutation name.
    UnknownMutation,
    /// The arguments do not parse.
    BadArgs,
    /// The offering does not exist.
    UnknownOffering,
    /// The registration does not exist (for this person).
    UnknownRegistration,
    /// The id is already used for something else.
    IdConflict,
    /// The registration cannot be cancelled in its status.
    NotCancellable,
    /// The person may not do this.
    Forbidden,
    /// The answers do not fit the offering's questions.
    BadAnswers,
    /// The registration is not in a state this action applies to (e.g. reviewing a confirmed one).
    WrongStatus,
    /// A check-in for a registration of another offering.
    WrongOffering,
    /// A time outside what can have happened (a scan dated 9999, a device clock decades off).
    TimeOutOfRange,
    /// Too late: the deadline to confirm a place has passed.
    DeadlinePassed,
    /// Only those who attended may do this (rate a course).
    NotAttended,
    /// Not yet: the course has lessons still to come.
    NotOverYet,
    /// A rating can be changed only for a few days after it was given.
    RatingClosed,
    /// A mixer: more picks than the mixer allows.
    TooManyPicks,
    /// A mixer: one cannot pick oneself.
    PickedSelf,
    /// A mixer: the badge is nobody checked in at this mixer.
    UnknownBadge,
    /// A mixer: the pick window had closed when the picks arrived.
    PicksClosed,
    /// A mixer: the person is not checked in (picks are for those present).
    NotCheckedIn,
    /// A reason is required (a correction request, declining one) and was empty.
    ReasonRequired,
    /// A correction request for these hours is already open.
    RequestOpen,
    /// Not an activity that credits volunteer hours.
    NoHours,
}

impl MutationError {
    /// The stable snake_case code.
    pub fn code(self) -> &'static str {
        match self {
            Self::UnknownMutation => "unknown_mutation",
            Self::BadArgs => "bad_args",
            Self::UnknownOffering => "unknown_offering",
            Self::UnknownRegistration => "unknown_registration",
            Self::IdConflict => "id_conflict",
            Self::NotCancellable => "not_cancellable",
            Self::Forbidden => "forbidden",
            Self::BadAnswers => "bad_answers",
            Self::WrongStatus => "wrong_status",
            Self::WrongOffering => "wrong_offering",
            Self::TimeOutOfRange => "time_out_of_range",
            Self::DeadlinePassed => "deadline_passed",
            Self::NotAttended => "not_attended",
            Self::NotOverYet => "not_over_yet",
            Self::RatingClosed => "rating_closed",
            Self::TooManyPicks => "too_many_picks",
            Self::PickedSelf => "picked_self",
            Self::UnknownBadge => "unknown_badge",
            Self::PicksClosed => "picks_closed",
            Self::NotCheckedIn => "not_checked_in",
            Self::ReasonRequired => "reason_required",
            Self::RequestOpen => "request_open",
            Self::NoHours => "no_hours",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    user: String,
    pool: PoolKey,
    status: RegistrationStatus,
    /// Order key on the pool's waitlist (the server keeps 1..n without gaps per pool).
    position: Option<u32>,
}

/// One offering's registrations on plain data: the reference behaviour for the server.
#[derive(Debug, Clone)]
pub struct Ledger {
    rules: Rules,
    quotas: Vec<Quota>,
    entries: BTreeMap<String, Entry>,
}

impl Ledger {
    /// An offering with these rules and pools, and no registrations.
    pub fn new(rules: Rules, quotas: Vec<Quota>) -> Self {
        Self {
            rules,
            quotas,
            entries: BTreeMap::new(),
        }
    }

    /// Places taken in `pool`.
    pub fn confirmed(&self, pool: PoolKey) -> u32 {
        self.count(pool, RegistrationStatus::Confirmed)
    }

    fn count(&self, pool: PoolKey, status: RegistrationStatus) -> u32 {
        self.entries
            .values()
            .filter(|e| e.pool == pool && e.status == status)
            .count() as u32
    }

    fn capacity(&self, pool: PoolKey) -> Option<u32> {
        self.quotas
            .iter()
            .find(|q| q.pool == pool)
            .map(|q| q.capacity)
    }

    /// `pool`'s waitlist positions, in order.
    pub fn waitlist_positions(&self, pool: PoolKey) -> Vec<u32> {
        let mut p: Vec<u32> = self
            .entries
            .values()
            .filter(|e| e.pool == pool)
            .filter_map(|e| e.position)
            .collect();
        p.sort_unstable();
        p
    }

    /// The status and position of a registration.
    pub fn get(&self, id: &str) -> Option<(RegistrationStatus, Option<u32>)> {
        self.entries.get(id).map(|e| (e.status, e.position))
    }

    /// `registration.request` by `user` for a place in `pool`. A repeated request with the
    /// same id changes nothing and answers what the first one decided (now).
    pub fn request(
        &mut self,
        id: &str,
        user: &str,
        pool: PoolKey,
        now: i64,
    ) -> Result<Decision, MutationError> {
        if let Some(e) = self.entries.get(id) {
            if e.user != user {
                return Err(MutationError::IdConflict);
            }
            return Ok(Decision {
                status: e.status,
                waitlist_position: e.position,
                reason: None,
            });
        }
        let applicant = Applicant {
            has_live: self
                .entries
                .values()
                .any(|e| e.user == user && e.status.is_live()),
            pool: self.capacity(pool).map(|_| pool),
            term_full: false,
            ineligible: None,
        };
        let decision = match admission(&self.rules, &applicant, now) {
            Err(reason) => Decision::rejected(reason),
            Ok(Route::Review(_)) => Decision::status(RegistrationStatus::PendingReview),
            Ok(Route::Lottery(_)) => Decision::status(RegistrationStatus::LotteryEntered),
            Ok(Route::Seat(p)) if self.confirmed(p) < self.capacity(p).unwrap_or(0) => {
                Decision::status(RegistrationStatus::Confirmed)
            }
            Ok(Route::Seat(p)) => when_full(
                self.rules.waitlist_enabled,
                self.count(p, RegistrationStatus::Waitlisted) + 1,
            ),
        };
        self.entries.insert(
            id.to_owned(),
            Entry {
                user: user.to_owned(),
                pool,
                status: decision.status,
                position: decision.waitlist_position,
            },
        );
        Ok(decision)
    }

    /// `registration.cancel`. Cancelling a place promotes the head of its pool's waitlist;
    /// cancelling a waitlist place moves everyone behind it in that pool up. A repeated cancel
    /// changes nothing.
    pub fn cancel(&mut self, id: &str, user: &str) -> Result<(), MutationError> {
        let Some(e) = self.entries.get(id) else {
            return Err(MutationError::UnknownRegistration);
        };
        if e.user != user {
            return Err(MutationError::UnknownRegistration);
        }
        if e.status == RegistrationStatus::Cancelled {
            return Ok(());
        }
        if !e.status.is_cancellable() {
            return Err(MutationError::NotCancellable);
        }
        let (was, pool, position) = (e.status, e.pool, e.position);
        if let Some(e) = self.entries.get_mut(id) {
            e.status = RegistrationStatus::Cancelled;
            e.position = None;
        }
        match (was, position) {
            (RegistrationStatus::Confirmed, _) => self.promote_head(pool),
            (RegistrationStatus::Waitlisted, Some(p)) => self.close_gap(pool, p),
            _ => {}
        }
        Ok(())
    }

    fn promote_head(&mut self, pool: PoolKey) {
        let head = self
            .entries
            .iter()
            .filter(|(_, e)| e.pool == pool && e.status == RegistrationStatus::Waitlisted)
            .min_by_key(|(_, e)| e.position)
            .map(|(id, e)| (id.clone(), e.position));
        if let Some((id, Some(p))) = head {
            if let Some(e) = self.entries.get_mut(&id) {
                e.status = RegistrationStatus::Confirmed;
                e.position = None;
            }
            self.close_gap(pool, p);
        }
    }

    fn close_gap(&mut self, pool: PoolKey, removed: u32) {
        for e in self.entries.values_mut().filter(|e| e.pool == pool) {
            if let Some(p) = e.position.as_mut()
                && *p > removed
            {
                *p -= 1;
            }
        }
    }
}

crate::serde_by_name! {
    RegistrationStatus => "a registration status",
    Allocation => "first_come or lottery",
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{OfferingKind, OfferingStatus};

    fn rules(waitlist: bool) -> Rules {
        Rules {
            kind: OfferingKind::Activity,
            status: OfferingStatus::Published,
            requires_approval: false,
            waitlist_enabled: waitlist,
            allocation: Allocation::FirstCome,
            opens_at: Some(100),
            closes_at: 1_000,
        }
    }

    fn one_pool(capacity: u32) -> Vec<Quota> {
        vec![Quota {
            pool: PoolKey::All,
            capacity,
        }]
    }

    fn per_gender(men: u32, women: u32) -> Vec<Quota> {
        vec![
            Quota {
                pool: PoolKey::Male,
                capacity: men,
            },
            Quota {
                pool: PoolKey::Female,
                capacity: women,
            },
        ]
    }

    use PoolKey::{All, Female, Male};

    #[test]
    fn seats_then_waitlist_then_promotion() {
        let mut l = Ledger::new(rules(true), one_pool(1));
        assert_eq!(
            l.request("a", "u1", All, 500).unwrap().status,
            RegistrationStatus::Confirmed
        );
        let b = l.request("b", "u2", All, 500).unwrap();
        assert_eq!(
            (b.status, b.waitlist_position),
            (RegistrationStatus::Waitlisted, Some(1))
        );
        let c = l.request("c", "u3", All, 500).unwrap();
        assert_eq!(c.waitlist_position, Some(2));
        l.cancel("a", "u1").unwrap();
        assert_eq!(l.get("b"), Some((RegistrationStatus::Confirmed, None)));
        assert_eq!(l.get("c"), Some((RegistrationStatus::Waitlisted, Some(1))));
    }

    #[test]
    fn each_pool_fills_and_waits_on_its_own() {
        let mut l = Ledger::new(rules(true), per_gender(1, 1));
        assert_eq!(
            l.request("m1", "u1", Male, 500).unwrap().status,
            RegistrationStatus::Confirmed
        );
        assert_eq!(
            l.request("m2", "u2", Male, 500).unwrap().waitlist_position,
            Some(1)
        );
        // The women's pool is untouched by the men's waitlist.
        assert_eq!(
            l.request("f1", "u3", Female, 500).unwrap().status,
            RegistrationStatus::Confirmed
        );
        assert_eq!(
            l.request("f2", "u4", Female, 500)
                .unwrap()
                .waitlist_position,
            Some(1)
        );
        l.cancel("f1", "u3").unwrap();
        assert_eq!(l.get("f2"), Some((RegistrationStatus::Confirmed, None)));
        assert_eq!(l.get("m2"), Some((RegistrationStatus::Waitlisted, Some(1))));
        // A pool the offering does not have gives no place.
        assert_eq!(
            l.request("x", "u5", All, 500).unwrap(),
            Decision::rejected(RejectReason::NotEligible)
        );
    }

    #[test]
    fn without_a_waitlist_a_full_offering_rejects() {
        let mut l = Ledger::new(rules(false), one_pool(1));
        l.request("a", "u1", All, 500).unwrap();
        assert_eq!(
            l.request("b", "u2", All, 500).unwrap(),
            Decision::rejected(RejectReason::Full)
        );
    }

    #[test]
    fn only_the_owner_cancels_and_rejections_cannot_be_cancelled() {
        let mut l = Ledger::new(rules(false), one_pool(0));
        l.request("a", "u1", All, 500).unwrap();
        assert_eq!(l.cancel("a", "u2"), Err(MutationError::UnknownRegistration));
        assert_eq!(l.cancel("a", "u1"), Err(MutationError::NotCancellable));
        assert_eq!(
            l.cancel("zzz", "u1"),
            Err(MutationError::UnknownRegistration)
        );
    }

    #[test]
    fn live_statuses_are_listed_once_and_written_as_sql() {
        assert_eq!(
            RegistrationStatus::sql_list(&RegistrationStatus::LIVE),
            "'pending_review', 'confirmed', 'waitlisted', 'lottery_entered', 'won'"
        );
        for s in RegistrationStatus::LIVE {
            assert!(s.is_live() && s.is_cancellable(), "{s:?}");
        }
        assert!(RegistrationStatus::PendingSync.is_live());
        for s in [
            RegistrationStatus::Rejected,
            RegistrationStatus::Cancelled,
            RegistrationStatus::NotDrawn,
        ] {
            assert!(!s.is_live(), "{s:?}");
        }
    }

    /// Property tests: native only (proptest's randomness does not build for wasm32).
    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use super::*;
        use proptest::prelude::*;

        #[derive(Debug, Clone)]
        enum Op {
            Request { reg: u8, user: u8, pool: u8 },
            Cancel { reg: u8, user: u8 },
        }

        const POOLS: [PoolKey; 3] = [All, Male, Female];

        fn op() -> impl Strategy<Value = Op> {
            prop_oneof![
                (0u8..30, 0u8..12, 0u8..3).prop_map(|(reg, user, pool)| Op::Request {
                    reg,
                    user,
                    pool
                }),
                (0u8..30, 0u8..12).prop_map(|(reg, user)| Op::Cancel { reg, user }),
            ]
        }

        fn run(l: &mut Ledger, op: &Op) {
            match op {
                Op::Request { reg, user, pool } => {
                    let _ = l.request(
                        &format!("r{reg}"),
                        &format!("u{user}"),
                        POOLS[*pool as usize],
                        500,
                    );
                }
                Op::Cancel { reg, user } => {
                    let _ = l.cancel(&format!("r{reg}"), &format!("u{user}"));
                }
            }
        }

        fn snapshot(l: &Ledger) -> Vec<(String, PoolKey, RegistrationStatus, Option<u32>)> {
            l.entries
                .iter()
                .map(|(id, e)| (id.clone(), e.pool, e.status, e.position))
                .collect()
        }

        /// One pool for everyone, or one per gender.
        fn quotas() -> impl Strategy<Value = Vec<Quota>> {
            prop_oneof![
                (0u32..6).prop_map(one_pool),
                (0u32..4, 0u32..4).prop_map(|(m, f)| per_gender(m, f)),
            ]
        }

        proptest! {
            #[test]
            fn no_pool_over_capacity_and_each_waitlist_has_no_gaps(
                quotas in quotas(),
                waitlist in any::<bool>(),
                ops in proptest::collection::vec(op(), 0..80),
            ) {
                let mut l = Ledger::new(rules(waitlist), quotas.clone());
                for op in &ops {
                    run(&mut l, op);
                    for q in &quotas {
                        prop_assert!(l.confirmed(q.pool) <= q.capacity);
                        let positions = l.waitlist_positions(q.pool);
                        let expected: Vec<u32> = (1..=positions.len() as u32).collect();
                        prop_assert_eq!(positions, expected);
                        // A place is never left empty while someone waits for that pool.
                        if l.count(q.pool, RegistrationStatus::Waitlisted) > 0 {
                            prop_assert_eq!(l.confirmed(q.pool), q.capacity);
                        }
                    }
                    // Nobody holds anything in a pool the offering does not have.
                    for e in l.entries.values() {
                        if !quotas.iter().any(|q| q.pool == e.pool) {
                            prop_assert!(!e.status.is_live());
                        }
                    }
                    // One live registration per person.
                    for user in 0..12 {
                        let u = format!("u{user}");
                        let live = l.entries.values().filter(|e| e.user == u && e.status.is_live()).count();
                        prop_assert!(live <= 1);
                    }
                }
            }

            /// Each pool's waitlist moves on its own: nothing done in one pool changes another
            /// pool's places or positions.
            #[test]
            fn each_pools_waitlist_moves_on_its_own(
                waitlist in any::<bool>(),
                men in 0u32..4,
                women in 0u32..4,
                ops in proptest::collection::vec(op(), 0..80),
            ) {
                let mut l = Ledger::new(rules(waitlist), per_gender(men, women));
                let in_pool = |l: &Ledger, pool: PoolKey| -> Vec<_> {
                    snapshot(l).into_iter().filter(|e| e.1 == pool).collect()
                };
                for op in &ops {
                    let pool_of_op = match op {
                        Op::Request { pool, .. } => Some(POOLS[*pool as usize]),
                        Op::Cancel { reg, .. } => l.entries.get(&format!("r{reg}")).map(|e| e.pool),
                    };
                    let before: Vec<_> = POOLS.iter().map(|p| in_pool(&l, *p)).collect();
                    run(&mut l, op);
                    for (i, p) in POOLS.iter().enumerate() {
                        if Some(*p) != pool_of_op {
                            prop_assert_eq!(&in_pool(&l, *p), &before[i], "{:?} moved", p);
                        }
                    }
                }
            }

            #[test]
            fn a_mutation_applied_twice_has_the_effect_of_once(
                quotas in quotas(),
                ops in proptest::collection::vec(op(), 0..60),
            ) {
                let mut once = Ledger::new(rules(true), quotas.clone());
                let mut twice = Ledger::new(rules(true), quotas);
                for op in &ops {
                    run(&mut once, op);
                    run(&mut twice, op);
                    run(&mut twice, op);
                }
                prop_assert_eq!(snapshot(&once), snapshot(&twice));
            }
        }
    }
}
