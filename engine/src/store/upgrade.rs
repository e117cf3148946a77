//! Data steps: rows a device saved in an older shape, brought to today's. Each step is a pure
//! function on a row's JSON (tested natively); the IndexedDB store runs the steps it has not
//! run yet right after opening, in one transaction with the mark that it ran
//! ([`DATA_VERSION`]), so a step interrupted by a closed tab runs again whole.
//!
//! A device holding rows in an older shape must still open and show them offline: its next
//! sync replaces them (the server resets devices after a migration), but until then it may
//! have no network.

use domain::OfferingKind;
use serde_json::{Map, Value};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// The meta key holding the last data step a store ran (none: 1, the shape before steps).
pub const DATA_VERSION: &str = "store.data_version";

/// The data version this build writes.
pub const CURRENT: u32 = 2;

/// Step 1 → 2: an `offering` row in the flat shape before programme kinds (`capacity`,
/// `seats_taken`, `waitlist_len`, `sessions` and `volunteer_hours` beside everything else) in
/// today's (`status`, `plan` with its quotas and programme, pool `counts`). A row already in
/// today's shape, or one this step cannot read, is returned as it is (reading it skips it).
///
/// The step ships to every phone, so it reuses what the main build has anyway: the row is read
/// through [`crate::from_json`] (the reader every row goes through) into a [`Value`] and written
/// from one. Read with `serde_json::from_str` and reshaped with `json!`, `from_value` and
/// `to_value`, the first version of this step cost the main build 12 KB (brotli).
pub fn offering_v2(json: &str) -> String {
    let Ok(Value::Object(mut old)) = crate::from_json::<Value>(json) else {
        return json.to_owned();
    };
    if old.contains_key("plan") || !old.contains_key("capacity") {
        return json.to_owned();
    }
    let mut take = |k: &str| old.remove(k).unwrap_or(Value::Null);
    let number = |v: Value| Value::from(v.as_u64().unwrap_or(0));
    let kind = match take("kind") {
        Value::String(k) => k,
        _ => OfferingKind::Activity.as_str().to_owned(),
    };
    let starts_at = take("starts_at");
    let mut ends_at = take("ends_at");
    let mut programme = Map::new();
    match OfferingKind::parse(&kind) {
        Some(OfferingKind::Activity) => {
            programme.insert("volunteer_hours".into(), take("volunteer_hours"));
        }
        Some(OfferingKind::Course) => {
            // Its lessons were its first lesson's times, weekly, `sessions` times.
            let n = take("sessions").as_u64().unwrap_or(1);
            let lessons = weekly(&starts_at, &ends_at, n);
            if let Some(end) = lessons.last().and_then(|l| l.get("ends_at")) {
                ends_at = end.clone();
            }
            programme.insert("lessons".into(), Value::Array(lessons));
        }
        Some(OfferingKind::Mixer) | None => {}
    }
    programme.insert("kind".into(), Value::String(kind));
    let or = |v: Value, default: Value| if v.is_null() { default } else { v };
    let mut plan = Map::new();
    for key in [
        "title",
        "summary",
        "category",
        "venue_id",
        "signup_opens_at",
    ] {
        plan.insert(key.into(), take(key));
    }
    plan.insert("starts_at".into(), starts_at);
    plan.insert("ends_at".into(), ends_at);
    plan.insert("signup_closes_at".into(), take("signup_closes_at"));
    plan.insert(
        "requires_approval".into(),
        or(take("requires_approval"), false.into()),
    );
    plan.insert(
        "waitlist_enabled".into(),
        or(take("waitlist_enabled"), false.into()),
    );
    plan.insert(
        "allocation".into(),
        or(take("allocation"), "first_come".into()),
    );
    plan.insert(
        "questions".into(),
        or(take("questions"), Value::Array(Vec::new())),
    );
    plan.insert(
        "quotas".into(),
        pool([("capacity", number(take("capacity")))]),
    );
    plan.insert("programme".into(), Value::Object(programme));
    let counts = pool([
        ("seats_taken", number(take("seats_taken"))),
        ("waitlist_len", number(take("waitlist_len"))),
    ]);
    let mut row = Map::new();
    row.insert("id".into(), take("id"));
    row.insert("status".into(), or(take("status"), "published".into()));
    row.insert("cancel_reason".into(), take("cancel_reason"));
    row.insert("plan".into(), Value::Object(plan));
    row.insert("counts".into(), counts);
    Value::Object(row).to_string()
}

/// `[{"pool": "all", …numbers}]`: the one pool an offering had before pools.
fn pool<const N: usize>(numbers: [(&str, Value); N]) -> Value {
    let mut p = Map::new();
    p.insert("pool".into(), "all".into());
    for (k, n) in numbers {
        p.insert(k.into(), n);
    }
    Value::Array(vec![Value::Object(p)])
}

/// `n` weekly lessons from a first lesson's RFC 3339 start and end (none if they do not read).
fn weekly(starts_at: &Value, ends_at: &Value, n: u64) -> Vec<Value> {
    let parse = |v: &Value| OffsetDateTime::parse(v.as_str()?, &Rfc3339).ok();
    let (Some(start), Some(end)) = (parse(starts_at), parse(ends_at)) else {
        return Vec::new();
    };
    let text = |t: OffsetDateTime| t.format(&Rfc3339).map_or(Value::Null, Value::String);
    domain::programme::course::weekly(start, end - start, usize::try_from(n.max(1)).unwrap_or(1))
        .into_iter()
        .map(|l| {
            let mut lesson = Map::new();
            lesson.insert("starts_at".into(), text(l.starts_at));
            lesson.insert("ends_at".into(), text(l.ends_at));
            Value::Object(lesson)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::{Offering, OfferingKind, OfferingStatus, PoolKey, Programme};
    use serde_json::json;

    /// An offering as a device saved it before programme kinds.
    fn flat(kind: &str) -> String {
        json!({
            "id": format!("{kind}-1"), "kind": kind, "title": "标题", "summary": "简\"介\n第二行",
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
        assert_eq!(
            o.plan.summary, "简\"介\n第二行",
            "escapes carried over as they were"
        );
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

    #[test]
    fn a_course_whose_times_do_not_read_keeps_its_row_without_lessons() {
        let mut old: serde_json::Value = serde_json::from_str(&flat("course")).unwrap();
        old["starts_at"] = json!("next tuesday");
        let converted: serde_json::Value =
            serde_json::from_str(&offering_v2(&old.to_string())).unwrap();
        assert_eq!(converted["plan"]["programme"]["lessons"], json!([]));
        assert_eq!(converted["plan"]["starts_at"], "next tuesday");
        // Reading it as an offering then fails, so the store skips it and counts it.
        assert!(serde_json::from_value::<Offering>(converted).is_err());
    }
}
