//! The one decision for signing up: whether a person may sign up for an offering at a time, and
//! what the request becomes. The server applies it inside the request's transaction (with the
//! pool's counts read there), the device predicts with it (with the counts it last synced), and
//! every screen reads its button and its words from it ([`Offer::of`]).

use crate::registration::{Allocation, Decision, RegistrationStatus, RejectReason};
use crate::{Offering, OfferingKind, OfferingStatus, PoolKey, PoolState, plan::Plan};
use time::OffsetDateTime;

/// An offering's sign-up rules: what the decision reads besides the counts (the server reads
/// them from its columns, a device from the plan).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    /// Activity, course or mixer.
    pub kind: OfferingKind,
    /// Draft, published or cancelled.
    pub status: OfferingStatus,
    /// An admin reviews each sign-up.
    pub requires_approval: bool,
    /// A waitlist when a pool is full.
    pub waitlist_enabled: bool,
    /// First come or a draw.
    pub allocation: Allocation,
    /// Sign-up opens (Unix seconds); `None`: open as soon as published.
    pub opens_at: Option<i64>,
    /// Sign-up closes (Unix seconds).
    pub closes_at: i64,
}

impl Rules {
    /// The rules of `plan` in `status`.
    pub fn of(plan: &Plan, status: OfferingStatus) -> Self {
        Self {
            kind: plan.kind(),
            status,
            requires_approval: plan.requires_approval,
            waitlist_enabled: plan.waitlist_enabled,
            allocation: plan.allocation,
            opens_at: plan.signup_opens_at.map(OffsetDateTime::unix_timestamp),
            closes_at: plan.signup_closes_at.unix_timestamp(),
        }
    }
}

/// Who is asking, as far as the rules care.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Applicant {
    /// They already hold a live registration for this offering.
    pub has_live: bool,
    /// The pool their place would come from ([`pool_for`]); `None`: they have none (a mixer
    /// sign-up without a gender).
    pub pool: Option<PoolKey>,
    /// A course: they already hold as many places or applications in its term as the term
    /// allows.
    pub term_full: bool,
    /// A mixer: why the person may not sign up (no profile, no declaration, age), from
    /// [`crate::programme::mixer::MixerRules::eligibility`].
    pub ineligible: Option<RejectReason>,
}

/// Whether a person holding live registrations for `held` (the offerings, other than `offering`)
/// has used up the per-term limit of `offering`'s term (a course with a term; none otherwise).
/// The server counts the same from its rows; the device from what it has synced.
pub fn term_full<'a>(offering: &Offering, held: impl IntoIterator<Item = &'a Offering>) -> bool {
    let Some(rules) = offering
        .plan
        .programme
        .course()
        .filter(|c| !c.term.is_empty())
    else {
        return false;
    };
    let same_term = held
        .into_iter()
        .filter(|o| o.id != offering.id)
        .filter(|o| {
            o.plan
                .programme
                .course()
                .is_some_and(|c| c.term == rules.term)
        })
        .count();
    same_term >= usize::from(rules.per_term_limit)
}

/// The pool a person's place comes from: an offering's one pool, or a mixer's pool for their
/// gender. `None` when the offering has no pool for them.
pub fn pool_for(plan: &Plan, gender: Option<crate::programme::mixer::Gender>) -> Option<PoolKey> {
    if plan.capacity(PoolKey::All).is_some() {
        return Some(PoolKey::All);
    }
    let pool = gender?.pool();
    plan.capacity(pool).map(|_| pool)
}

/// What happens to a request that passed every check that does not depend on counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// Wait for an admin (no place is taken yet).
    Review(PoolKey),
    /// An application for the draw (no place is taken yet).
    Lottery(PoolKey),
    /// A place from the pool if one is free, else its waitlist, else refused as full.
    Seat(PoolKey),
}

impl Route {
    /// The pool the request is for.
    pub fn pool(self) -> PoolKey {
        match self {
            Self::Review(p) | Self::Lottery(p) | Self::Seat(p) => p,
        }
    }
}

/// Why sign-up is not possible now, before the person's own situation is looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closed {
    /// Not published yet.
    Draft,
    /// Called off.
    Cancelled,
    /// Sign-up opens later (Unix seconds).
    NotYetOpen(i64),
    /// Sign-up has closed.
    Over,
}

/// Whether the window is open at `now`.
pub fn window(rules: &Rules, now: i64) -> Result<(), Closed> {
    match rules.status {
        OfferingStatus::Draft => Err(Closed::Draft),
        OfferingStatus::Cancelled => Err(Closed::Cancelled),
        OfferingStatus::Published => match rules.opens_at {
            Some(t) if now < t => Err(Closed::NotYetOpen(t)),
            _ if now >= rules.closes_at => Err(Closed::Over),
            _ => Ok(()),
        },
    }
}

/// The checks that do not depend on counts: the window, one live registration per person, a
/// pool for them; then the route the request takes.
pub fn admission(rules: &Rules, applicant: &Applicant, now: i64) -> Result<Route, RejectReason> {
    window(rules, now).map_err(|_| RejectReason::Closed)?;
    if applicant.has_live {
        return Err(RejectReason::Duplicate);
    }
    if applicant.term_full {
        return Err(RejectReason::TermLimit);
    }
    if let Some(reason) = applicant.ineligible {
        return Err(reason);
    }
    let pool = applicant.pool.ok_or(RejectReason::NotEligible)?;
    Ok(if rules.requires_approval {
        Route::Review(pool)
    } else if rules.allocation == Allocation::Lottery {
        Route::Lottery(pool)
    } else {
        Route::Seat(pool)
    })
}

/// A request on the [`Route::Seat`] route when its pool has no free place: its waitlist (at
/// `position`) if the offering has one, else refused as full.
pub fn when_full(waitlist_enabled: bool, position: u32) -> Decision {
    if waitlist_enabled {
        Decision {
            status: RegistrationStatus::Waitlisted,
            waitlist_position: Some(position),
            reason: None,
        }
    } else {
        Decision::rejected(RejectReason::Full)
    }
}

/// The decision for a request, given its pool's state: what the server decides (with counts
/// read in the request's transaction) and what a device predicts (with the counts it last
/// synced). The server's order decides in the end; when it decides otherwise the person is told.
pub fn decide(rules: &Rules, applicant: &Applicant, pool: PoolState, now: i64) -> Decision {
    match admission(rules, applicant, now) {
        Err(reason) => Decision::rejected(reason),
        Ok(Route::Review(_)) => Decision::status(RegistrationStatus::PendingReview),
        Ok(Route::Lottery(_)) => Decision::status(RegistrationStatus::LotteryEntered),
        Ok(Route::Seat(_)) if pool.seats_left() > 0 => {
            Decision::status(RegistrationStatus::Confirmed)
        }
        Ok(Route::Seat(_)) => when_full(rules.waitlist_enabled, pool.waitlist_len + 1),
    }
}

/// What a screen offers a person for an offering: the button and the words beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Offer {
    /// 报名 (or 申请 for a draw): the request would become this.
    Open(Decision),
    /// Not open (a draft, cancelled, not yet open, over).
    Closed(Closed),
    /// Open, but no place and no waitlist.
    Full,
    /// Open, but the offering has no pool for this person (a mixer without their gender).
    NotEligible,
    /// Open, but the person holds as many courses as the term allows.
    TermFull,
    /// Open, but a mixer's conditions keep the person out (no profile yet, no declaration,
    /// age): the reason.
    Ineligible(RejectReason),
    /// The person already holds a live registration.
    Registered,
}

impl Offer {
    /// The offer for `offering` to a person with `applicant`'s situation at `now` (Unix
    /// seconds): the same decision the server takes, read for a screen.
    pub fn of(offering: &crate::Offering, applicant: &Applicant, now: i64) -> Self {
        let rules = offering.rules();
        if let Err(closed) = window(&rules, now) {
            return Self::Closed(closed);
        }
        if applicant.has_live {
            return Self::Registered;
        }
        if applicant.term_full {
            return Self::TermFull;
        }
        if let Some(reason) = applicant.ineligible {
            return Self::Ineligible(reason);
        }
        let Some(pool) = applicant.pool.and_then(|p| offering.pool(p)) else {
            return Self::NotEligible;
        };
        match decide(&rules, applicant, pool, now) {
            d if d.reason == Some(RejectReason::Full) => Self::Full,
            d => Self::Open(d),
        }
    }

    /// Whether the screen shows a sign-up button.
    pub fn can_sign_up(self) -> bool {
        matches!(self, Self::Open(_))
    }
}

/// Whether a person may give up a registration in `status`: any live one, a request still
/// waiting on the device included (its cancel is queued after it). The server, which never
/// holds a request only on a device, applies [`RegistrationStatus::is_cancellable`].
pub fn may_cancel(status: RegistrationStatus) -> bool {
    status.is_cancellable() || status == RegistrationStatus::PendingSync
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::offering::tests::offering;
    use time::macros::datetime;

    fn rules() -> Rules {
        Rules {
            kind: OfferingKind::Activity,
            status: OfferingStatus::Published,
            requires_approval: false,
            waitlist_enabled: true,
            allocation: Allocation::FirstCome,
            opens_at: Some(100),
            closes_at: 1_000,
        }
    }

    const ALL: Applicant = Applicant {
        has_live: false,
        pool: Some(PoolKey::All),
        term_full: false,
        ineligible: None,
    };

    #[test]
    fn the_window_and_one_per_person_come_first() {
        let r = rules();
        assert_eq!(admission(&r, &ALL, 50), Err(RejectReason::Closed));
        assert_eq!(admission(&r, &ALL, 1_000), Err(RejectReason::Closed));
        let live = Applicant {
            has_live: true,
            ..ALL
        };
        assert_eq!(admission(&r, &live, 500), Err(RejectReason::Duplicate));
        assert_eq!(admission(&r, &ALL, 500), Ok(Route::Seat(PoolKey::All)));
        for status in [OfferingStatus::Draft, OfferingStatus::Cancelled] {
            let closed = Rules { status, ..r };
            assert_eq!(admission(&closed, &ALL, 500), Err(RejectReason::Closed));
        }
        let review = Rules {
            requires_approval: true,
            ..r
        };
        assert_eq!(
            admission(&review, &ALL, 500),
            Ok(Route::Review(PoolKey::All))
        );
        let lottery = Rules {
            allocation: Allocation::Lottery,
            ..r
        };
        assert_eq!(
            admission(&lottery, &ALL, 500),
            Ok(Route::Lottery(PoolKey::All))
        );
        let nobody = Applicant::default();
        assert_eq!(admission(&r, &nobody, 500), Err(RejectReason::NotEligible));
        let full_term = Applicant {
            term_full: true,
            ..ALL
        };
        assert_eq!(admission(&r, &full_term, 500), Err(RejectReason::TermLimit));
    }

    #[test]
    fn decisions_follow_the_pools_counts() {
        let r = rules();
        let pool = |capacity, seats_taken, waitlist_len| PoolState {
            capacity,
            seats_taken,
            waitlist_len,
        };
        assert_eq!(
            decide(&r, &ALL, pool(10, 7, 0), 500).status,
            RegistrationStatus::Confirmed
        );
        let w = decide(&r, &ALL, pool(10, 10, 4), 500);
        assert_eq!(
            (w.status, w.waitlist_position),
            (RegistrationStatus::Waitlisted, Some(5))
        );
        assert_eq!(
            decide(&r, &ALL, pool(10, 7, 0), 5_000),
            Decision::rejected(RejectReason::Closed)
        );
        let no_waitlist = Rules {
            waitlist_enabled: false,
            ..r
        };
        assert_eq!(
            decide(&no_waitlist, &ALL, pool(1, 1, 0), 500),
            Decision::rejected(RejectReason::Full)
        );
    }

    #[test]
    fn a_mixers_pool_is_the_persons_gender_and_screens_read_the_same_decision() {
        use crate::programme::{Programme, mixer::Gender};
        let now = datetime!(2026-12-01 09:00 +8);
        let mut o = offering(
            "m",
            "v",
            now + time::Duration::days(3),
            OfferingStatus::Published,
        );
        o.plan.programme = Programme::Mixer(Default::default());
        o.plan.quotas = vec![
            crate::Quota {
                pool: PoolKey::Male,
                capacity: 1,
            },
            crate::Quota {
                pool: PoolKey::Female,
                capacity: 1,
            },
        ];
        o.counts = vec![crate::PoolCount {
            pool: PoolKey::Male,
            seats_taken: 1,
            waitlist_len: 0,
        }];
        assert_eq!(pool_for(&o.plan, Some(Gender::Male)), Some(PoolKey::Male));
        assert_eq!(pool_for(&o.plan, None), None);
        let t = now.unix_timestamp();
        let asking = |gender: Option<Gender>| Applicant {
            has_live: false,
            pool: gender.map(Gender::pool),
            term_full: false,
            ineligible: None,
        };
        assert_eq!(Offer::of(&o, &asking(Some(Gender::Male)), t), Offer::Full);
        assert_eq!(
            Offer::of(&o, &asking(Some(Gender::Female)), t),
            Offer::Open(Decision::status(RegistrationStatus::Confirmed))
        );
        assert_eq!(Offer::of(&o, &asking(None), t), Offer::NotEligible);
        // The mixer's conditions (profile, declaration, age) come before the pool, on the
        // screen and at the server alike.
        for reason in [
            RejectReason::NoProfile,
            RejectReason::NotDeclared,
            RejectReason::AgeRange,
        ] {
            let kept_out = Applicant {
                ineligible: Some(reason),
                ..asking(Some(Gender::Female))
            };
            assert_eq!(Offer::of(&o, &kept_out, t), Offer::Ineligible(reason));
            assert_eq!(admission(&o.rules(), &kept_out, t), Err(reason));
        }
        o.plan.waitlist_enabled = true;
        assert_eq!(
            Offer::of(&o, &asking(Some(Gender::Male)), t),
            Offer::Open(when_full(true, 1))
        );
        let later = (now + time::Duration::days(3)).unix_timestamp();
        assert_eq!(
            Offer::of(&o, &asking(Some(Gender::Male)), later),
            Offer::Closed(Closed::Over)
        );
        o.status = OfferingStatus::Cancelled;
        assert_eq!(
            Offer::of(&o, &asking(Some(Gender::Male)), t),
            Offer::Closed(Closed::Cancelled)
        );
    }

    #[test]
    fn live_registrations_and_requests_still_on_the_device_may_be_cancelled() {
        use RegistrationStatus::*;
        for status in [
            PendingSync,
            PendingReview,
            Confirmed,
            Waitlisted,
            LotteryEntered,
            Won,
        ] {
            assert!(may_cancel(status), "{status:?}");
        }
        for status in [Cancelled, Rejected, NotDrawn] {
            assert!(!may_cancel(status), "{status:?}");
        }
    }
}
