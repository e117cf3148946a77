//! The registration core shared by activities, courses and mixers: statuses, the admission
//! rules, and a reference model of capacity and waitlists.
//!
//! The server applies these rules inside one database transaction per mutation, taking seats
//! with a conditional update; [`Ledger`] is the same behaviour on plain data, the executable
//! specification the property tests check (never over capacity, gapless waitlists, idempotent).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where a registration stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
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

    /// Parses the stable string.
    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::PendingSync,
            Self::PendingReview,
            Self::Confirmed,
            Self::Waitlisted,
            Self::LotteryEntered,
            Self::Won,
            Self::NotDrawn,
            Self::Rejected,
            Self::Cancelled,
        ]
        .into_iter()
        .find(|s2| s2.as_str() == s)
    }

    /// Still in play: counts as the person's one registration for the offering.
    pub fn is_live(self) -> bool {
        !matches!(self, Self::Rejected | Self::Cancelled | Self::NotDrawn)
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
}

impl RejectReason {
    /// The stable string used in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Full => "full",
            Self::Closed => "closed",
            Self::NotEligible => "not_eligible",
            Self::Duplicate => "duplicate",
        }
    }

    /// Parses the stable string.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Full, Self::Closed, Self::NotEligible, Self::Duplicate]
            .into_iter()
            .find(|r| r.as_str() == s)
    }
}

/// How seats are given out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Allocation {
    /// In the order the server receives requests.
    #[default]
    FirstCome,
    /// A registration window, then a draw.
    Lottery,
}

impl Allocation {
    /// The stable string used in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::FirstCome => "first_come",
            Self::Lottery => "lottery",
        }
    }

    /// Parses the stable string.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::FirstCome, Self::Lottery]
            .into_iter()
            .find(|a| a.as_str() == s)
    }
}

/// An offering's registration rules (everything but the live counts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    /// Published (not a draft, not cancelled).
    pub open_for_signup: bool,
    /// Seats.
    pub capacity: u32,
    /// A waitlist when full.
    pub waitlist_enabled: bool,
    /// An admin approves each registration.
    pub requires_approval: bool,
    /// First come or lottery.
    pub allocation: Allocation,
    /// Sign-up opens (Unix seconds); `None`: open now.
    pub signup_opens_at: Option<i64>,
    /// Sign-up closes (Unix seconds).
    pub signup_closes_at: i64,
}

/// What happens to a request that passed the checks that do not depend on counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// Wait for an admin (no seat is taken yet).
    Review,
    /// Enter the lottery pool (no seat is taken yet).
    Lottery,
    /// Take a seat if one is free, else the waitlist, else full.
    Seat,
}

/// The checks that do not depend on seat counts: window, status, one per person.
pub fn admission(
    rules: &Rules,
    now: i64,
    has_live_registration: bool,
) -> Result<Route, RejectReason> {
    if !rules.open_for_signup
        || now >= rules.signup_closes_at
        || rules.signup_opens_at.is_some_and(|t| now < t)
    {
        return Err(RejectReason::Closed);
    }
    if has_live_registration {
        return Err(RejectReason::Duplicate);
    }
    Ok(if rules.requires_approval {
        Route::Review
    } else if rules.allocation == Allocation::Lottery {
        Route::Lottery
    } else {
        Route::Seat
    })
}

/// The decision for a request on the [`Route::Seat`] route when no seat could be taken.
pub fn when_no_seat(rules: &Rules) -> Result<RegistrationStatus, RejectReason> {
    if rules.waitlist_enabled {
        Ok(RegistrationStatus::Waitlisted)
    } else {
        Err(RejectReason::Full)
    }
}

/// The outcome of a request, as the person sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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

/// What a device expects the server to decide, from the counts it last synced. The server's
/// order decides in the end; when it decides otherwise the person is told.
pub fn predict(
    rules: &Rules,
    seats_left: u32,
    waitlist_len: u32,
    now: i64,
    has_live: bool,
) -> Decision {
    match admission(rules, now, has_live) {
        Err(reason) => Decision::rejected(reason),
        Ok(Route::Review) => Decision::status(RegistrationStatus::PendingReview),
        Ok(Route::Lottery) => Decision::status(RegistrationStatus::LotteryEntered),
        Ok(Route::Seat) if seats_left > 0 => Decision::status(RegistrationStatus::Confirmed),
        Ok(Route::Seat) => match when_no_seat(rules) {
            Ok(status) => Decision {
                status,
                waitlist_position: Some(waitlist_len + 1),
                reason: None,
            },
            Err(reason) => Decision::rejected(reason),
        },
    }
}

/// Why a mutation itself was refused (nothing changed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    user: String,
    status: RegistrationStatus,
    /// Order key on the waitlist (the server keeps 1..n without gaps).
    position: Option<u32>,
}

/// One offering's registrations on plain data: the reference behaviour for the server.
#[derive(Debug, Clone)]
pub struct Ledger {
    rules: Rules,
    entries: BTreeMap<String, Entry>,
}

impl Ledger {
    /// An offering with no registrations.
    pub fn new(rules: Rules) -> Self {
        Self {
            rules,
            entries: BTreeMap::new(),
        }
    }

    /// Seats taken.
    pub fn confirmed(&self) -> u32 {
        self.count(RegistrationStatus::Confirmed)
    }

    fn count(&self, status: RegistrationStatus) -> u32 {
        self.entries.values().filter(|e| e.status == status).count() as u32
    }

    /// Waitlist positions in order of the waitlist.
    pub fn waitlist_positions(&self) -> Vec<u32> {
        let mut p: Vec<u32> = self.entries.values().filter_map(|e| e.position).collect();
        p.sort_unstable();
        p
    }

    /// The status and position of a registration.
    pub fn get(&self, id: &str) -> Option<(RegistrationStatus, Option<u32>)> {
        self.entries.get(id).map(|e| (e.status, e.position))
    }

    /// `registration.request`. A repeated request with the same id changes nothing and answers
    /// what the first one decided (now).
    pub fn request(&mut self, id: &str, user: &str, now: i64) -> Result<Decision, MutationError> {
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
        let live = self
            .entries
            .values()
            .any(|e| e.user == user && e.status.is_live());
        let decision = match admission(&self.rules, now, live) {
            Err(reason) => Decision::rejected(reason),
            Ok(Route::Review) => Decision::status(RegistrationStatus::PendingReview),
            Ok(Route::Lottery) => Decision::status(RegistrationStatus::LotteryEntered),
            Ok(Route::Seat) if self.confirmed() < self.rules.capacity => {
                Decision::status(RegistrationStatus::Confirmed)
            }
            Ok(Route::Seat) => match when_no_seat(&self.rules) {
                Ok(status) => Decision {
                    status,
                    waitlist_position: Some(self.count(RegistrationStatus::Waitlisted) + 1),
                    reason: None,
                },
                Err(reason) => Decision::rejected(reason),
            },
        };
        self.entries.insert(
            id.to_owned(),
            Entry {
                user: user.to_owned(),
                status: decision.status,
                position: decision.waitlist_position,
            },
        );
        Ok(decision)
    }

    /// `registration.cancel`. Cancelling a seat promotes the head of the waitlist; cancelling
    /// a waitlist place moves everyone behind it up. A repeated cancel changes nothing.
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
        let (was, position) = (e.status, e.position);
        if let Some(e) = self.entries.get_mut(id) {
            e.status = RegistrationStatus::Cancelled;
            e.position = None;
        }
        match (was, position) {
            (RegistrationStatus::Confirmed, _) => self.promote_head(),
            (RegistrationStatus::Waitlisted, Some(p)) => self.close_gap(p),
            _ => {}
        }
        Ok(())
    }

    fn promote_head(&mut self) {
        let head = self
            .entries
            .iter()
            .filter(|(_, e)| e.status == RegistrationStatus::Waitlisted)
            .min_by_key(|(_, e)| e.position)
            .map(|(id, e)| (id.clone(), e.position));
        if let Some((id, Some(p))) = head {
            if let Some(e) = self.entries.get_mut(&id) {
                e.status = RegistrationStatus::Confirmed;
                e.position = None;
            }
            self.close_gap(p);
        }
    }

    fn close_gap(&mut self, removed: u32) {
        for e in self.entries.values_mut() {
            if let Some(p) = e.position.as_mut()
                && *p > removed
            {
                *p -= 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(capacity: u32, waitlist: bool) -> Rules {
        Rules {
            open_for_signup: true,
            capacity,
            waitlist_enabled: waitlist,
            requires_approval: false,
            allocation: Allocation::FirstCome,
            signup_opens_at: Some(100),
            signup_closes_at: 1_000,
        }
    }

    #[test]
    fn the_window_and_one_per_person_come_first() {
        let r = rules(10, true);
        assert_eq!(admission(&r, 50, false), Err(RejectReason::Closed));
        assert_eq!(admission(&r, 1_000, false), Err(RejectReason::Closed));
        assert_eq!(admission(&r, 500, true), Err(RejectReason::Duplicate));
        assert_eq!(admission(&r, 500, false), Ok(Route::Seat));
        let closed = Rules {
            open_for_signup: false,
            ..r
        };
        assert_eq!(admission(&closed, 500, false), Err(RejectReason::Closed));
        let review = Rules {
            requires_approval: true,
            ..r
        };
        assert_eq!(admission(&review, 500, false), Ok(Route::Review));
        let lottery = Rules {
            allocation: Allocation::Lottery,
            ..r
        };
        assert_eq!(admission(&lottery, 500, false), Ok(Route::Lottery));
    }

    #[test]
    fn seats_then_waitlist_then_promotion() {
        let mut l = Ledger::new(rules(1, true));
        assert_eq!(
            l.request("a", "u1", 500).unwrap().status,
            RegistrationStatus::Confirmed
        );
        let b = l.request("b", "u2", 500).unwrap();
        assert_eq!(
            (b.status, b.waitlist_position),
            (RegistrationStatus::Waitlisted, Some(1))
        );
        let c = l.request("c", "u3", 500).unwrap();
        assert_eq!(c.waitlist_position, Some(2));
        l.cancel("a", "u1").unwrap();
        assert_eq!(l.get("b"), Some((RegistrationStatus::Confirmed, None)));
        assert_eq!(l.get("c"), Some((RegistrationStatus::Waitlisted, Some(1))));
    }

    #[test]
    fn predictions_follow_the_same_rules() {
        let r = rules(10, true);
        assert_eq!(
            predict(&r, 3, 0, 500, false).status,
            RegistrationStatus::Confirmed
        );
        let w = predict(&r, 0, 4, 500, false);
        assert_eq!(
            (w.status, w.waitlist_position),
            (RegistrationStatus::Waitlisted, Some(5))
        );
        assert_eq!(
            predict(&r, 3, 0, 5_000, false),
            Decision::rejected(RejectReason::Closed)
        );
        assert_eq!(
            predict(&rules(1, false), 0, 0, 500, false),
            Decision::rejected(RejectReason::Full)
        );
    }

    #[test]
    fn without_a_waitlist_a_full_offering_rejects() {
        let mut l = Ledger::new(rules(1, false));
        l.request("a", "u1", 500).unwrap();
        assert_eq!(
            l.request("b", "u2", 500).unwrap(),
            Decision::rejected(RejectReason::Full)
        );
    }

    #[test]
    fn only_the_owner_cancels_and_rejections_cannot_be_cancelled() {
        let mut l = Ledger::new(rules(0, false));
        l.request("a", "u1", 500).unwrap();
        assert_eq!(l.cancel("a", "u2"), Err(MutationError::UnknownRegistration));
        assert_eq!(l.cancel("a", "u1"), Err(MutationError::NotCancellable));
        assert_eq!(
            l.cancel("zzz", "u1"),
            Err(MutationError::UnknownRegistration)
        );
    }

    /// Property tests: native only (proptest's randomness does not build for wasm32).
    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use super::*;
        use proptest::prelude::*;

        #[derive(Debug, Clone)]
        enum Op {
            Request { reg: u8, user: u8 },
            Cancel { reg: u8, user: u8 },
        }

        fn op() -> impl Strategy<Value = Op> {
            prop_oneof![
                (0u8..30, 0u8..12).prop_map(|(reg, user)| Op::Request { reg, user }),
                (0u8..30, 0u8..12).prop_map(|(reg, user)| Op::Cancel { reg, user }),
            ]
        }

        fn run(l: &mut Ledger, op: &Op) {
            match op {
                Op::Request { reg, user } => {
                    let _ = l.request(&format!("r{reg}"), &format!("u{user}"), 500);
                }
                Op::Cancel { reg, user } => {
                    let _ = l.cancel(&format!("r{reg}"), &format!("u{user}"));
                }
            }
        }

        fn snapshot(l: &Ledger) -> Vec<(String, RegistrationStatus, Option<u32>)> {
            l.entries
                .iter()
                .map(|(id, e)| (id.clone(), e.status, e.position))
                .collect()
        }

        proptest! {
            #[test]
            fn never_over_capacity_and_waitlists_have_no_gaps(
                capacity in 0u32..6,
                waitlist in any::<bool>(),
                ops in proptest::collection::vec(op(), 0..80),
            ) {
                let mut l = Ledger::new(rules(capacity, waitlist));
                for op in &ops {
                    run(&mut l, op);
                    prop_assert!(l.confirmed() <= capacity);
                    let positions = l.waitlist_positions();
                    let expected: Vec<u32> = (1..=positions.len() as u32).collect();
                    prop_assert_eq!(positions, expected);
                    // A seat is never left empty while someone waits.
                    if l.count(RegistrationStatus::Waitlisted) > 0 {
                        prop_assert_eq!(l.confirmed(), capacity);
                    }
                    // One live registration per person.
                    for user in 0..12 {
                        let u = format!("u{user}");
                        let live = l.entries.values().filter(|e| e.user == u && e.status.is_live()).count();
                        prop_assert!(live <= 1);
                    }
                }
            }

            #[test]
            fn a_mutation_applied_twice_has_the_effect_of_once(
                capacity in 0u32..6,
                ops in proptest::collection::vec(op(), 0..60),
            ) {
                let mut once = Ledger::new(rules(capacity, true));
                let mut twice = Ledger::new(rules(capacity, true));
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
