//! Data steps: rows a device saved in an older shape, brought to today's. Each step is a pure
//! function on a row's JSON (tested natively); the IndexedDB store runs the steps it has not
//! run yet right after opening, in one transaction with the mark that it ran
//! ([`DATA_VERSION`]), so a step interrupted by a closed tab runs again whole.
//!
//! A device holding rows in an older shape must still open and show them offline: its next
//! sync replaces them (the server resets devices after a migration), but until then it may
//! have no network.

use serde_json::{Map, Value, json};

/// The meta key holding the last data step a store ran (none: 1, the shape before steps).
pub const DATA_VERSION: &str = "store.data_version";

/// The data version this build writes.
pub const CURRENT: u32 = 2;

/// Step 1 → 2: an `offering` row in the flat shape before programme kinds (`capacity`,
/// `seats_taken`, `waitlist_len`, `sessions` and `volunteer_hours` beside everything else) in
/// today's (`status`, `plan` with its quotas and programme, pool `counts`). A row already in
/// today's shape, or one this step cannot read, is returned as it is (reading it skips it).
pub fn offering_v2(json: &str) -> String {
    let Ok(Value::Object(old)) = serde_json::from_str::<Value>(json) else {
        return json.to_owned();
    };
    if old.contains_key("plan") || !old.contains_key("capacity") {
        return json.to_owned();
    }
    let get = |k: &str| old.get(k).cloned().unwrap_or(Value::Null);
    let number = |k: &str| old.get(k).and_then(Value::as_u64).unwrap_or(0);
    let kind = old
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or("activity")
        .to_owned();
    let mut programme = Map::new();
    programme.insert("kind".into(), json!(kind));
    let mut ends_at = get("ends_at");
    match kind.as_str() {
        "activity" => {
            programme.insert("volunteer_hours".into(), get("volunteer_hours"));
        }
        "course" => {
            // Its lessons were its first lesson's times, weekly, `sessions` times.
            let lessons = weekly(
                &get("starts_at"),
                &get("ends_at"),
                number("sessions").max(1),
            );
            if let Some(last) = lessons.last() {
                ends_at = last["ends_at"].clone();
            }
            programme.insert("lessons".into(), Value::Array(lessons));
        }
        _ => {}
    }
    let plan = json!({
        "title": get("title"),
        "summary": get("summary"),
        "category": get("category"),
        "venue_id": get("venue_id"),
        "starts_at": get("starts_at"),
        "ends_at": ends_at,
        "signup_opens_at": get("signup_opens_at"),
        "signup_closes_at": get("signup_closes_at"),
        "requires_approval": old.get("requires_approval").cloned().unwrap_or(json!(false)),
        "waitlist_enabled": old.get("waitlist_enabled").cloned().unwrap_or(json!(false)),
        "allocation": old.get("allocation").cloned().unwrap_or(json!("first_come")),
        "questions": old.get("questions").cloned().unwrap_or(json!([])),
        "quotas": [{ "pool": "all", "capacity": number("capacity") }],
        "programme": Value::Object(programme),
    });
    json!({
        "id": get("id"),
        "status": old.get("status").cloned().unwrap_or(json!("published")),
        "cancel_reason": get("cancel_reason"),
        "plan": plan,
        "counts": [{
            "pool": "all",
            "seats_taken": number("seats_taken"),
            "waitlist_len": number("waitlist_len"),
        }],
    })
    .to_string()
}

/// `n` weekly lessons from a first lesson's RFC 3339 start and end (none if they do not read).
fn weekly(starts_at: &Value, ends_at: &Value, n: u64) -> Vec<Value> {
    use domain::programme::course::{Lesson, weekly};
    let first = json!({ "starts_at": starts_at, "ends_at": ends_at });
    let Ok(first) = serde_json::from_value::<Lesson>(first) else {
        return Vec::new();
    };
    let n = usize::try_from(n).unwrap_or(1);
    weekly(first.starts_at, first.ends_at - first.starts_at, n)
        .into_iter()
        .filter_map(|l| serde_json::to_value(l).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::{Offering, OfferingKind, OfferingStatus, PoolKey, Programme};

    /// An offering as a device saved it before programme kinds.
    fn flat(kind: &str) -> String {
        json!({
            "id": format!("{kind}-1"), "kind": kind, "title": "标题", "summary": "简介",
            "category": "书法", "venue_id": "venue-binjiang",
            "starts_at": "2026-12-07T19:00:00+08:00", "ends_at": "2026-12-07T20:30:00+08:00",
            "sessions": 8, "capacity": 20, "seats_taken": 5,
            "signup_closes_at": "2026-12-04T20:00:00+08:00", "volunteer_hours": 2,
            "status": "cancelled", "requires_approval": true, "waitlist_enabled": true,
            "allocation": "lottery", "waitlist_len": 3,
            "questions": [{ "id": "q", "label": "问题", "kind": "text" }],
            "cancel_reason": "天气原因",
        })
        .to_string()
    }

    #[test]
    fn a_flat_course_becomes_a_plan_with_its_weekly_lessons() {
        let o: Offering = serde_json::from_str(&offering_v2(&flat("course"))).unwrap();
        assert_eq!(o.kind(), OfferingKind::Course);
        assert_eq!(o.status, OfferingStatus::Cancelled);
        assert_eq!(o.cancel_reason.as_deref(), Some("天气原因"));
        let pool = o.pool(PoolKey::All).unwrap();
        assert_eq!(
            (pool.capacity, pool.seats_taken, pool.waitlist_len),
            (20, 5, 3)
        );
        let Programme::Course(c) = &o.plan.programme else {
            panic!("a course")
        };
        assert_eq!(c.lessons.len(), 8);
        assert_eq!(o.plan.ends_at, c.lessons[7].ends_at);
        assert_eq!(o.plan.questions.len(), 1);
        assert!(o.plan.requires_approval && o.plan.waitlist_enabled);
    }

    #[test]
    fn a_flat_activity_keeps_its_hours_and_todays_rows_are_left_alone() {
        let converted = offering_v2(&flat("activity"));
        let o: Offering = serde_json::from_str(&converted).unwrap();
        assert_eq!(
            o.plan.programme.activity().and_then(|a| a.volunteer_hours),
            Some(2)
        );
        assert_eq!(
            offering_v2(&converted),
            converted,
            "a second run changes nothing"
        );
        assert_eq!(offering_v2("not json"), "not json");
        let mixer: Offering = serde_json::from_str(&offering_v2(&flat("mixer"))).unwrap();
        assert_eq!(mixer.kind(), OfferingKind::Mixer);
    }
}
