//! Offerings: the activities, night-school courses and mixers people sign up for.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// The three programme kinds. All share one registration core.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OfferingKind {
    /// 活动: volunteer service, talks, competitions, internships.
    Activity,
    /// 青年夜校: a series of lessons, usually allocated by lottery.
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

    /// Parses the stable string.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A place where offerings happen (青年之家, 雷锋号 care home, volunteer station …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Venue {
    /// Stable id.
    pub id: String,
    /// Display name, e.g. 滨江街道青年之家.
    pub name: String,
    /// Street address.
    pub address: String,
}

/// What the public catalogue shows of one offering.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferingSummary {
    /// Stable id.
    pub id: String,
    /// Activity, course or mixer.
    pub kind: OfferingKind,
    /// Title, e.g. 河小青·滨江护河行动.
    pub title: String,
    /// A short description.
    pub summary: String,
    /// Category within the kind, e.g. 河小青, 书法, 望青团缘.
    pub category: String,
    /// Where it happens.
    pub venue_id: String,
    /// When it starts (first lesson for a course).
    #[serde(with = "crate::moment::rfc3339")]
    pub starts_at: OffsetDateTime,
    /// When it ends (first lesson's end for a course).
    #[serde(with = "crate::moment::rfc3339")]
    pub ends_at: OffsetDateTime,
    /// Number of lessons for a course; 1 otherwise.
    pub sessions: u32,
    /// Seats available in total.
    pub capacity: u32,
    /// Seats taken by confirmed registrations.
    pub seats_taken: u32,
    /// Sign-up closes at this time.
    #[serde(with = "crate::moment::rfc3339")]
    pub signup_closes_at: OffsetDateTime,
    /// Volunteer hours granted for full attendance (activities only).
    pub volunteer_hours: Option<u32>,
    /// `published` or `cancelled`.
    #[serde(default = "published")]
    pub status: String,
    /// Sign-up opens at this time; `None`: open now.
    #[serde(default, with = "crate::moment::rfc3339::option")]
    pub signup_opens_at: Option<OffsetDateTime>,
    /// An admin approves each registration.
    #[serde(default)]
    pub requires_approval: bool,
    /// A waitlist takes people when full.
    #[serde(default)]
    pub waitlist_enabled: bool,
    /// First come, or a lottery after the window.
    #[serde(default)]
    pub allocation: crate::registration::Allocation,
    /// People on the waitlist.
    #[serde(default)]
    pub waitlist_len: u32,
    /// Questions asked at sign-up.
    #[serde(default)]
    pub questions: Vec<crate::activity::Question>,
    /// Why it was cancelled, when `status` is `cancelled`.
    #[serde(default)]
    pub cancel_reason: Option<String>,
}

fn published() -> String {
    "published".into()
}

impl OfferingSummary {
    /// Seats still free; never negative.
    pub fn seats_left(&self) -> u32 {
        self.capacity.saturating_sub(self.seats_taken)
    }

    /// The registration rules, for predicting a decision on the device.
    pub fn rules(&self) -> crate::registration::Rules {
        crate::registration::Rules {
            open_for_signup: self.status == "published",
            capacity: self.capacity,
            waitlist_enabled: self.waitlist_enabled,
            requires_approval: self.requires_approval,
            allocation: self.allocation,
            signup_opens_at: self.signup_opens_at.map(OffsetDateTime::unix_timestamp),
            signup_closes_at: self.signup_closes_at.unix_timestamp(),
        }
    }
}

/// The public catalogue: what anyone may browse, signed in or not.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalogue {
    /// All venues referenced by the offerings.
    pub venues: Vec<Venue>,
    /// Published offerings, soonest first.
    pub offerings: Vec<OfferingSummary>,
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
            .retain(|o| o.status == "published" && o.ends_at > now);
        crate::sort::sort_by(&mut self.offerings, |a, b| {
            a.starts_at.cmp(&b.starts_at).then_with(|| a.id.cmp(&b.id))
        });
        let offerings = &self.offerings;
        self.venues
            .retain(|v| offerings.iter().any(|o| o.venue_id == v.id));
        crate::sort::sort_by(&mut self.venues, |a, b| a.id.cmp(&b.id));
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn offering(id: &str, venue: &str, starts_at: OffsetDateTime, status: &str) -> OfferingSummary {
        OfferingSummary {
            id: id.into(),
            kind: OfferingKind::Activity,
            title: format!("活动 {id}"),
            summary: String::new(),
            category: "河小青".into(),
            venue_id: venue.into(),
            starts_at,
            ends_at: starts_at + time::Duration::hours(2),
            sessions: 1,
            capacity: 20,
            seats_taken: 0,
            signup_closes_at: starts_at - time::Duration::days(1),
            volunteer_hours: None,
            status: status.into(),
            signup_opens_at: None,
            requires_approval: false,
            waitlist_enabled: false,
            allocation: Default::default(),
            waitlist_len: 0,
            questions: Vec::new(),
            cancel_reason: None,
        }
    }

    fn venue(id: &str, name: &str) -> Venue {
        Venue {
            id: id.into(),
            name: name.into(),
            address: String::new(),
        }
    }

    #[test]
    fn the_upcoming_catalogue_is_the_same_whichever_way_it_arrived() {
        let now = datetime!(2026-11-22 12:00 +8);
        let day = time::Duration::days(1);
        // As the public list sends it: venues by name, only those in use.
        let public = Catalogue {
            venues: vec![venue("v-b", "阿"), venue("v-a", "婆")],
            offerings: vec![
                offering("o1", "v-a", now + day, "published"),
                offering("o2", "v-b", now + day * 2, "published"),
            ],
        };
        // As a sync leaves it on the device: every venue and offering it was told of, by key.
        let synced = Catalogue {
            venues: vec![venue("v-a", "婆"), venue("v-b", "阿"), venue("v-c", "空")],
            offerings: vec![
                offering("o0", "v-c", now - day, "published"),
                offering("o2", "v-b", now + day * 2, "published"),
                offering("o3", "v-c", now + day, "cancelled"),
                offering("o1", "v-a", now + day, "published"),
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
        let running = offering("r", "v", now - time::Duration::hours(1), "published");
        let ended = offering("e", "v", now - time::Duration::hours(2), "published");
        let shown = Catalogue {
            venues: vec![venue("v", "青年之家")],
            offerings: vec![
                offering("b", "v", soon, "published"),
                ended,
                offering("a", "v", soon, "published"),
                running,
            ],
        }
        .upcoming(now);
        let ids: Vec<_> = shown.offerings.iter().map(|o| o.id.as_str()).collect();
        assert_eq!(ids, ["r", "a", "b"]);
        assert_eq!(shown.venues.len(), 1);
    }

    #[test]
    fn kinds_round_trip_through_their_strings() {
        for kind in OfferingKind::ALL {
            assert_eq!(OfferingKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(OfferingKind::parse("party"), None);
    }

    #[test]
    fn seats_left_never_underflows() {
        let json = r#"{"id":"a","kind":"activity","title":"t","summary":"s","category":"c",
            "venue_id":"v","starts_at":"2026-12-01T09:00:00+08:00","ends_at":"2026-12-01T11:00:00+08:00",
            "sessions":1,"capacity":10,"seats_taken":12,"signup_closes_at":"2026-11-30T18:00:00+08:00",
            "volunteer_hours":2}"#;
        let o: OfferingSummary = serde_json::from_str(json).unwrap();
        assert_eq!(o.seats_left(), 0);
        assert_eq!(o.starts_at.offset().whole_hours(), 8);
    }
}
