//! Offerings: what all three programme kinds share. Everything an admin decides is the
//! [`Plan`](crate::plan::Plan) (what belongs to one kind is in its
//! [`Programme`](crate::programme::Programme)); an [`Offering`] is a plan with an id, a status
//! and how full each of its pools is.

use crate::plan::Plan;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// The three programme kinds. All share one registration core.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OfferingKind {
    /// 活动: volunteer service, talks, competitions, internships.
    Activity,
    /// 青年夜校: a series of lessons, usually given by a draw.
    Course,
    /// 交友联谊: a mixer for single young professionals.
    Mixer,
}

impl OfferingKind {
    /// All kinds, in the order of the app's tabs.
    pub const ALL: [OfferingKind; 3] = [Self::Activity, Self::Course, Self::Mixer];

    /// The stable string used in URLs and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Activity => "activity",
            Self::Course => "course",
            Self::Mixer => "mixer",
        }
    }
}

/// Where an offering stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum OfferingStatus {
    /// Being prepared: only admins see it.
    Draft,
    /// Public; open for sign-up within its window.
    #[default]
    Published,
    /// Called off, with a reason every registrant sees.
    Cancelled,
}

impl OfferingStatus {
    /// Every status.
    pub const ALL: [Self; 3] = [Self::Draft, Self::Published, Self::Cancelled];

    /// The stable string used in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Published => "published",
            Self::Cancelled => "cancelled",
        }
    }

    /// Seen by everyone (not a draft): in the catalogue, the pull, organizers' rosters.
    pub fn is_public(self) -> bool {
        self != Self::Draft
    }
}

/// A place where offerings happen (青年之家, 雷锋号 care home, volunteer station …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Venue {
    /// Stable id.
    pub id: String,
    /// Display name, e.g. 滨江街道青年之家.
    pub name: String,
    /// Street address.
    pub address: String,
}

/// Which of an offering's pools of places: activities and courses have one, mixers one per
/// gender, each with its own waitlist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PoolKey {
    /// The one pool of an activity or a course.
    All,
    /// A mixer's places for men.
    Male,
    /// A mixer's places for women.
    Female,
}

impl PoolKey {
    /// Every pool.
    pub const ALL: [Self; 3] = [Self::All, Self::Male, Self::Female];

    /// The stable string used in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Male => "male",
            Self::Female => "female",
        }
    }
}

/// How many places a pool has (part of the plan).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Quota {
    /// Which pool.
    pub pool: PoolKey,
    /// Its places.
    pub capacity: u32,
}

/// How full a pool is (kept by the server, sent with the offering).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PoolCount {
    /// Which pool.
    pub pool: PoolKey,
    /// Places taken by confirmed registrations.
    #[serde(default)]
    pub seats_taken: u32,
    /// People on this pool's waitlist.
    #[serde(default)]
    pub waitlist_len: u32,
}

/// A pool's places and how full it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PoolState {
    /// Places.
    pub capacity: u32,
    /// Taken.
    pub seats_taken: u32,
    /// Waiting.
    pub waitlist_len: u32,
}

impl PoolState {
    /// Places still free; never negative.
    pub fn seats_left(&self) -> u32 {
        self.capacity.saturating_sub(self.seats_taken)
    }
}

/// An offering as everyone sees it: the admin's plan, its status, and how full each pool is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Offering {
    /// Stable id.
    pub id: String,
    /// Draft, published or cancelled.
    #[serde(default)]
    pub status: OfferingStatus,
    /// Why it was cancelled.
    #[serde(default)]
    pub cancel_reason: Option<String>,
    /// What the admin decided.
    pub plan: Plan,
    /// How full each pool is (a pool missing here is empty).
    #[serde(default)]
    pub counts: Vec<PoolCount>,
}

impl Offering {
    /// Activity, course or mixer.
    pub fn kind(&self) -> OfferingKind {
        self.plan.programme.kind()
    }

    /// The pool's places and how full it is; `None` if the offering has no such pool.
    pub fn pool(&self, key: PoolKey) -> Option<PoolState> {
        let quota = self.plan.quotas.iter().find(|q| q.pool == key)?;
        let count = self.counts.iter().find(|c| c.pool == key);
        Some(PoolState {
            capacity: quota.capacity,
            seats_taken: count.map_or(0, |c| c.seats_taken),
            waitlist_len: count.map_or(0, |c| c.waitlist_len),
        })
    }

    /// Every pool together.
    pub fn total(&self) -> PoolState {
        let mut t = PoolState::default();
        for q in &self.plan.quotas {
            let p = self.pool(q.pool).unwrap_or_default();
            t.capacity = t.capacity.saturating_add(p.capacity);
            t.seats_taken = t.seats_taken.saturating_add(p.seats_taken);
            t.waitlist_len = t.waitlist_len.saturating_add(p.waitlist_len);
        }
        t
    }

    /// When it starts (a course: its first lesson).
    pub fn starts_at(&self) -> OffsetDateTime {
        self.plan.starts_at
    }

    /// When it ends (a course: its last lesson).
    pub fn ends_at(&self) -> OffsetDateTime {
        self.plan.ends_at
    }

    /// Its title.
    pub fn title(&self) -> &str {
        &self.plan.title
    }

    /// The sign-up rules in the shape the decision reads (see [`crate::signup`]).
    pub fn rules(&self) -> crate::signup::Rules {
        crate::signup::Rules::of(&self.plan, self.status)
    }
}

/// The public catalogue: what anyone may browse, signed in or not.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Catalogue {
    /// All venues referenced by the offerings.
    pub venues: Vec<Venue>,
    /// Published offerings, soonest first.
    pub offerings: Vec<Offering>,
}

impl Catalogue {
    /// The catalogue as a list shows it, whichever way it arrived (the public list, a person's
    /// sync, the device's saved copy): only offerings that are published and have not ended at
    /// `now`, soonest first (then by id), and only the venues they use, by id. Two copies of
    /// the same data are then equal, so showing one after the other changes nothing on screen.
    /// `now` is the device's clock, as for every time rule the device shows (sign-up windows):
    /// a phone whose clock runs hours ahead hides an activity still under way, the same way
    /// whether the list came from the server or from the phone's own copy.
    pub fn upcoming(mut self, now: OffsetDateTime) -> Catalogue {
        self.offerings
            .retain(|o| o.status == OfferingStatus::Published && o.ends_at() > now);
        crate::sort::sort_by(&mut self.offerings, |a, b| {
            a.starts_at()
                .cmp(&b.starts_at())
                .then_with(|| a.id.cmp(&b.id))
        });
        let offerings = &self.offerings;
        self.venues
            .retain(|v| offerings.iter().any(|o| o.plan.venue_id == v.id));
        crate::sort::sort_by(&mut self.venues, |a, b| a.id.cmp(&b.id));
        self
    }
}

crate::serde_by_name! {
    OfferingKind => "activity, course or mixer",
    OfferingStatus => "draft, published or cancelled",
    PoolKey => "all, male or female",
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::programme::{Programme, activity::ActivityRules};
    use time::macros::datetime;

    /// A published activity for tests: two hours from `starts_at`, 20 places, sign-up closing a
    /// day before.
    pub(crate) fn offering(
        id: &str,
        venue: &str,
        starts_at: OffsetDateTime,
        status: OfferingStatus,
    ) -> Offering {
        Offering {
            id: id.into(),
            status,
            cancel_reason: None,
            plan: Plan {
                title: format!("活动 {id}"),
                summary: String::new(),
                category: "河小青".into(),
                venue_id: venue.into(),
                starts_at,
                ends_at: starts_at + time::Duration::hours(2),
                signup_opens_at: None,
                signup_closes_at: starts_at - time::Duration::days(1),
                requires_approval: false,
                waitlist_enabled: false,
                allocation: Default::default(),
                questions: Vec::new(),
                quotas: vec![Quota {
                    pool: PoolKey::All,
                    capacity: 20,
                }],
                programme: Programme::Activity(ActivityRules::default()),
            },
            counts: Vec::new(),
        }
    }

    fn venue(id: &str, name: &str) -> Venue {
        Venue {
            id: id.into(),
            name: name.into(),
            address: String::new(),
        }
    }

    use OfferingStatus::{Cancelled, Published};

    #[test]
    fn the_upcoming_catalogue_is_the_same_whichever_way_it_arrived() {
        let now = datetime!(2026-11-22 12:00 +8);
        let day = time::Duration::days(1);
        // As the public list sends it: venues by name, only those in use.
        let public = Catalogue {
            venues: vec![venue("v-b", "阿"), venue("v-a", "婆")],
            offerings: vec![
                offering("o1", "v-a", now + day, Published),
                offering("o2", "v-b", now + day * 2, Published),
            ],
        };
        // As a sync leaves it on the device: every venue and offering it was told of, by key.
        let synced = Catalogue {
            venues: vec![venue("v-a", "婆"), venue("v-b", "阿"), venue("v-c", "空")],
            offerings: vec![
                offering("o0", "v-c", now - day, Published),
                offering("o2", "v-b", now + day * 2, Published),
                offering("o3", "v-c", now + day, Cancelled),
                offering("o1", "v-a", now + day, Published),
            ],
        };
        let shown = synced.upcoming(now);
        assert_eq!(shown, public.clone().upcoming(now));
        let ids: Vec<_> = shown.offerings.iter().map(|o| o.id.as_str()).collect();
        assert_eq!(ids, ["o1", "o2"]);
        let venues: Vec<_> = shown.venues.iter().map(|v| v.id.as_str()).collect();
        assert_eq!(venues, ["v-a", "v-b"]);
    }

    #[test]
    fn offerings_at_the_same_time_are_ordered_by_id_and_ended_ones_are_left_out() {
        let now = datetime!(2026-11-22 12:00 +8);
        let soon = now + time::Duration::hours(1);
        let running = offering("r", "v", now - time::Duration::hours(1), Published);
        let ended = offering("e", "v", now - time::Duration::hours(2), Published);
        let shown = Catalogue {
            venues: vec![venue("v", "青年之家")],
            offerings: vec![
                offering("b", "v", soon, Published),
                ended,
                offering("a", "v", soon, Published),
                running,
            ],
        }
        .upcoming(now);
        let ids: Vec<_> = shown.offerings.iter().map(|o| o.id.as_str()).collect();
        assert_eq!(ids, ["r", "a", "b"]);
        assert_eq!(shown.venues.len(), 1);
    }

    #[test]
    fn kinds_statuses_and_pools_round_trip_through_their_strings() {
        for kind in OfferingKind::ALL {
            assert_eq!(OfferingKind::parse(kind.as_str()), Some(kind));
        }
        for status in OfferingStatus::ALL {
            assert_eq!(OfferingStatus::parse(status.as_str()), Some(status));
        }
        for pool in PoolKey::ALL {
            assert_eq!(PoolKey::parse(pool.as_str()), Some(pool));
        }
        assert_eq!(OfferingKind::parse("party"), None);
        assert_eq!(OfferingStatus::parse("archived"), None);
    }

    #[test]
    fn pools_are_read_from_the_plan_and_the_counts_and_never_underflow() {
        let mut o = offering("a", "v", datetime!(2026-12-01 09:00 +8), Published);
        o.plan.quotas = vec![
            Quota {
                pool: PoolKey::Male,
                capacity: 10,
            },
            Quota {
                pool: PoolKey::Female,
                capacity: 10,
            },
        ];
        o.counts = vec![PoolCount {
            pool: PoolKey::Female,
            seats_taken: 12,
            waitlist_len: 3,
        }];
        assert_eq!(o.pool(PoolKey::Male).unwrap().seats_left(), 10);
        assert_eq!(o.pool(PoolKey::Female).unwrap().seats_left(), 0);
        assert_eq!(o.pool(PoolKey::All), None);
        assert_eq!(
            o.total(),
            PoolState {
                capacity: 20,
                seats_taken: 12,
                waitlist_len: 3
            }
        );
        let back: Offering = serde_json::from_value(serde_json::to_value(&o).unwrap()).unwrap();
        assert_eq!(back, o);
    }
}
