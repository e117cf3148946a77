//! What is coming up for the person: confirmed registrations in the next seven days (the home
//! screen's reminder card), and their calendar files.

use crate::ics::{CalendarEvent, calendar};
use domain::{Offering, Venue, registration::RegistrationStatus};
use engine::view::RegistrationView;
use time::{Duration, OffsetDateTime};

/// How far ahead the reminder card looks.
pub const AHEAD: Duration = Duration::days(7);

/// Whether the registration holds a place (a ticket).
pub fn has_place(status: RegistrationStatus) -> bool {
    matches!(
        status,
        RegistrationStatus::Confirmed | RegistrationStatus::Won
    )
}

/// Confirmed registrations for offerings that have not ended and start within [`AHEAD`],
/// soonest first (one under way now comes first).
pub fn upcoming<'a>(
    regs: &'a [RegistrationView],
    offerings: &'a [Offering],
    now: OffsetDateTime,
) -> Vec<(&'a RegistrationView, &'a Offering)> {
    let mut items: Vec<_> = regs
        .iter()
        .filter(|r| has_place(r.status))
        .filter_map(|r| {
            let o = offerings.iter().find(|o| o.id == r.offering_id)?;
            let soon = o.ends_at() > now
                && o.starts_at() <= now + AHEAD
                && o.status != domain::OfferingStatus::Cancelled;
            soon.then_some((r, o))
        })
        .collect();
    domain::sort::sort_by(&mut items, |a, b| {
        a.1.starts_at()
            .cmp(&b.1.starts_at())
            .then_with(|| a.0.id.cmp(&b.0.id))
    });
    items
}

/// The place as a calendar writes it: `name, address`.
pub fn place(venue: Option<&Venue>) -> String {
    match venue {
        Some(v) if !v.address.is_empty() => format!("{}, {}", v.name, v.address),
        Some(v) => v.name.clone(),
        None => String::new(),
    }
}

/// The `.ics` text for a registration.
pub fn calendar_file(
    registration_id: &str,
    offering: &Offering,
    venue: Option<&Venue>,
    now: OffsetDateTime,
) -> String {
    let location = place(venue);
    calendar(
        &CalendarEvent {
            uid: registration_id,
            summary: &offering.plan.title,
            location: &location,
            description: &offering.plan.summary,
            starts_at: offering.starts_at(),
            ends_at: offering.ends_at(),
        },
        now,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn offering(id: &str, start: OffsetDateTime, status: &str) -> Offering {
        let mut o: Offering = crate::test_offering::from_flat(serde_json::json!({
            "id": id, "kind": "activity", "title": format!("活动{id}"), "summary": "说明",
            "category": "河小青", "venue_id": "v1",
            "starts_at": "2026-12-01T09:00:00+08:00", "ends_at": "2026-12-01T11:00:00+08:00",
            "sessions": 1, "capacity": 10, "seats_taken": 0,
            "signup_closes_at": "2026-11-30T20:00:00+08:00", "volunteer_hours": 2,
            "status": status
        }));
        o.plan.starts_at = start;
        o.plan.ends_at = start + Duration::hours(2);
        o
    }

    fn reg(id: &str, offering: &str, status: RegistrationStatus) -> RegistrationView {
        RegistrationView {
            id: id.into(),
            offering_id: offering.into(),
            status,
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
        }
    }

    #[test]
    fn only_places_held_in_the_next_seven_days_show_soonest_first() {
        let now = datetime!(2026-12-01 10:00 +8);
        let offerings = [
            offering("later", now + Duration::days(3), "published"),
            offering("now", now - Duration::hours(1), "published"),
            offering("ended", now - Duration::hours(3), "published"),
            offering("far", now + Duration::days(8), "published"),
            offering("waiting", now + Duration::days(1), "published"),
            offering("called-off", now + Duration::days(1), "cancelled"),
        ];
        let regs = [
            reg("r1", "later", RegistrationStatus::Confirmed),
            reg("r2", "now", RegistrationStatus::Confirmed),
            reg("r3", "ended", RegistrationStatus::Confirmed),
            reg("r4", "far", RegistrationStatus::Confirmed),
            reg("r5", "waiting", RegistrationStatus::Waitlisted),
            reg("r6", "called-off", RegistrationStatus::Confirmed),
            reg("r7", "unknown", RegistrationStatus::Confirmed),
        ];
        let ids: Vec<_> = upcoming(&regs, &offerings, now)
            .iter()
            .map(|(r, _)| r.id.as_str())
            .collect();
        assert_eq!(ids, ["r2", "r1"]);
    }

    #[test]
    fn the_calendar_file_names_the_place_with_its_address() {
        let venue = Venue {
            id: "v1".into(),
            name: "青年之家".into(),
            address: "滨江路88号".into(),
        };
        let o = offering("a", datetime!(2026-12-05 09:00 +8), "published");
        let ics = calendar_file("reg-1", &o, Some(&venue), datetime!(2026-12-01 00:00 UTC));
        assert!(ics.contains("LOCATION:青年之家\\, 滨江路88号\r\n"));
        assert!(ics.contains("DTSTART:20261205T010000Z\r\n"));
        assert!(ics.contains("UID:reg-1@qingtuan\r\n"));
        assert_eq!(place(None), "");
    }
}
