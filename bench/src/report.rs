//! The results: one flat JSON object with the keys (plus `targets`, `extra`, the
//! parameters and the machine), and the table printed at the end.

use serde_json::{Map, Value, json};

/// A target a metric should meet.
#[derive(Debug, Clone, Copy)]
pub enum Target {
    /// At least this.
    AtLeast(f64),
    /// At most this.
    AtMost(f64),
    /// Equal to another metric.
    Equals(&'static str),
}

impl Target {
    fn text(self) -> String {
        match self {
            Self::AtLeast(x) => format!("≥ {}", fmt_num(x)),
            Self::AtMost(x) => format!("≤ {}", fmt_num(x)),
            Self::Equals(k) => format!("= {k}"),
        }
    }
}

/// Every reported metric, in table order, with its target.
pub const METRICS: &[(&str, Option<Target>)] = &[
    ("rush_users", None),
    ("rush_seats", None),
    ("rush_confirmed", Some(Target::Equals("rush_seats"))),
    ("rush_mutations_per_s", Some(Target::AtLeast(10_000.0))),
    ("rush_p50_ms", None),
    ("rush_p99_ms", Some(Target::AtMost(100.0))),
    ("server_peak_rss_mb", Some(Target::AtMost(200.0))),
    ("sqlite_limit_per_s", None),
    ("rush_vs_limit_ratio", Some(Target::AtLeast(0.5))),
    // The night school's application window: lottery applications over HTTP, the rush's shape.
    ("apply_per_s", None),
    // At least the activity rush's rate (measured in the same rounds).
    ("apply_vs_rush_ratio", Some(Target::AtLeast(1.0))),
    // PostgreSQL: the rush against one server and against two on one database, the same
    // writes directly on it, the organizer's first pull of the roster.
    ("pg_rush_seats", None),
    ("pg_rush_confirmed", Some(Target::Equals("pg_rush_seats"))),
    ("pg_rush_per_s", None),
    (
        "pg_rush_2r_confirmed",
        Some(Target::Equals("pg_rush_seats")),
    ),
    ("pg_rush_2r_per_s", None),
    ("pg_limit_per_s", None),
    ("pg_rush_vs_limit_ratio", Some(Target::AtLeast(0.5))),
    ("pg_roster_pull_s", Some(Target::AtMost(2.0))),
    ("push_1000_ms", Some(Target::AtMost(1000.0))),
    ("pull_10k_ms", Some(Target::AtMost(2000.0))),
    // 650,000 applications over 400 courses frozen, drawn and published (natively).
    ("draw_650k_ms", Some(Target::AtMost(2000.0))),
    // A course of 10,000 applications recomputed in the browser (wasm32).
    ("verify_10k_ms", Some(Target::AtMost(1000.0))),
    // A district's busy year (3,000 offerings, 150,000 registrations, 400,000 scans): the
    // year's dashboard, the year-end workbook, the hours of 20,000 people.
    ("dashboard_year_ms", Some(Target::AtMost(200.0))),
    ("report_xlsx_ms", Some(Target::AtMost(2000.0))),
    ("hours_xlsx_ms", Some(Target::AtMost(2000.0))),
    ("idb_10k_ms", None),
    ("dexie_10k_ms", None),
    // Our time over Dexie's: no slower than Dexie.
    ("idb_vs_dexie_ratio", Some(Target::AtMost(1.0))),
    ("offline_reload_ms", Some(Target::AtMost(300.0))),
    ("client_bytes_raw", None),
    ("client_bytes_gzip", None),
    // 300 KB, decimal.
    ("client_bytes_brotli", Some(Target::AtMost(300_000.0))),
    // Lighthouse (mobile, simulated throttling, cold cache) on the home page, a course's page,
    // its draw results and 我的 signed in: scores 0–100, LCP and TBT in ms, bytes transferred.
    ("lh_home_performance", Some(Target::AtLeast(95.0))),
    ("lh_home_accessibility", Some(Target::AtLeast(100.0))),
    ("lh_home_best_practices", Some(Target::AtLeast(100.0))),
    ("lh_home_seo", Some(Target::AtLeast(95.0))),
    ("lh_home_lcp_ms", Some(Target::AtMost(2500.0))),
    ("lh_home_tbt_ms", Some(Target::AtMost(200.0))),
    ("lh_home_bytes", None),
    ("lh_course_performance", Some(Target::AtLeast(95.0))),
    ("lh_course_accessibility", Some(Target::AtLeast(100.0))),
    ("lh_course_best_practices", Some(Target::AtLeast(100.0))),
    ("lh_course_seo", Some(Target::AtLeast(95.0))),
    ("lh_course_lcp_ms", Some(Target::AtMost(2500.0))),
    ("lh_course_tbt_ms", Some(Target::AtMost(200.0))),
    ("lh_course_bytes", None),
    ("lh_results_performance", Some(Target::AtLeast(95.0))),
    ("lh_results_accessibility", Some(Target::AtLeast(100.0))),
    ("lh_results_best_practices", Some(Target::AtLeast(100.0))),
    ("lh_results_seo", Some(Target::AtLeast(95.0))),
    ("lh_results_lcp_ms", Some(Target::AtMost(2500.0))),
    ("lh_results_tbt_ms", Some(Target::AtMost(200.0))),
    ("lh_results_bytes", None),
    ("lh_me_performance", Some(Target::AtLeast(95.0))),
    ("lh_me_accessibility", Some(Target::AtLeast(100.0))),
    ("lh_me_best_practices", Some(Target::AtLeast(100.0))),
    ("lh_me_seo", Some(Target::AtLeast(95.0))),
    ("lh_me_lcp_ms", Some(Target::AtMost(2500.0))),
    ("lh_me_tbt_ms", Some(Target::AtMost(200.0))),
    ("lh_me_bytes", None),
];

/// What a run collected.
#[derive(Debug, Default)]
pub struct Report {
    values: Map<String, Value>,
    extra: Map<String, Value>,
    /// Sections that failed, with why.
    pub errors: Vec<String>,
}

impl Report {
    /// Sets a metric.
    pub fn set(&mut self, key: &str, value: impl Into<Value>) {
        self.values.insert(key.to_owned(), value.into());
    }

    /// Adds detail that is not one of the metrics.
    pub fn extra(&mut self, key: &str, value: impl Into<Value>) {
        self.extra.insert(key.to_owned(), value.into());
    }

    fn number(&self, key: &str) -> Option<f64> {
        self.values.get(key).and_then(Value::as_f64)
    }

    /// Whether a metric meets its target (`None`: no target, or not measured).
    pub fn met(&self, key: &str, target: Target) -> Option<bool> {
        let v = self.number(key)?;
        Some(match target {
            Target::AtLeast(t) => v >= t,
            Target::AtMost(t) => v <= t,
            Target::Equals(other) => Some(v) == self.number(other),
        })
    }

    /// The JSON written to `results.json`.
    pub fn json(&self, head: Map<String, Value>) -> Value {
        let mut out = head;
        for (key, _) in METRICS {
            out.insert(
                (*key).to_owned(),
                self.values.get(*key).cloned().unwrap_or(Value::Null),
            );
        }
        let targets: Map<String, Value> = METRICS
            .iter()
            .filter_map(|(key, target)| {
                let t = (*target)?;
                Some((
                    (*key).to_owned(),
                    json!({ "target": t.text(), "met": self.met(key, t) }),
                ))
            })
            .collect();
        out.insert("targets".into(), Value::Object(targets));
        out.insert("extra".into(), Value::Object(self.extra.clone()));
        out.insert("errors".into(), json!(self.errors));
        Value::Object(out)
    }

    /// The table: metric, value, target, met?
    pub fn table(&self) -> String {
        let rows: Vec<[String; 4]> = METRICS
            .iter()
            .map(|(key, target)| {
                let value = match self.values.get(*key) {
                    Some(Value::Number(n)) => n.as_f64().map_or_else(|| n.to_string(), fmt_num),
                    Some(v) => v.to_string(),
                    None => "—".into(),
                };
                let (text, met) = match target {
                    Some(t) => (
                        t.text(),
                        match self.met(key, *t) {
                            Some(true) => "yes",
                            Some(false) => "NO",
                            None => "n/a",
                        },
                    ),
                    None => (String::new(), ""),
                };
                [(*key).to_owned(), value, text, met.to_owned()]
            })
            .collect();
        let header = [
            "metric".to_owned(),
            "value".to_owned(),
            "target".to_owned(),
            "met?".to_owned(),
        ];
        let width = |i: usize| {
            rows.iter()
                .chain([&header])
                .map(|r| r[i].chars().count())
                .max()
                .unwrap_or(0)
        };
        let widths = [width(0), width(1), width(2), width(3)];
        let line = |r: &[String; 4]| {
            format!(
                "{:<w0$}  {:>w1$}  {:<w2$}  {}",
                r[0],
                r[1],
                r[2],
                r[3],
                w0 = widths[0],
                w1 = widths[1],
                w2 = widths[2],
            )
            .trim_end()
            .to_owned()
        };
        let mut out = vec![
            line(&header),
            "-".repeat(widths.iter().sum::<usize>() + 6 + 4),
        ];
        out.extend(rows.iter().map(line));
        out.join("\n")
    }
}

/// Integers without decimals, others with up to two.
fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        let s = format!("{x:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_judged_and_missing_values_are_not() {
        let mut r = Report::default();
        r.set("rush_seats", 100);
        r.set("rush_confirmed", 100);
        r.set("rush_p99_ms", 120.5);
        assert_eq!(
            r.met("rush_confirmed", Target::Equals("rush_seats")),
            Some(true)
        );
        assert_eq!(r.met("rush_p99_ms", Target::AtMost(100.0)), Some(false));
        assert_eq!(r.met("pull_10k_ms", Target::AtMost(2000.0)), None);
        let json = r.json(Map::new());
        assert_eq!(json["rush_confirmed"], 100);
        assert_eq!(json["pull_10k_ms"], Value::Null);
        assert_eq!(json["targets"]["rush_p99_ms"]["met"], false);
        assert_eq!(json["targets"]["pull_10k_ms"]["met"], Value::Null);
        let table = r.table();
        assert!(table.contains("rush_p99_ms"), "{table}");
        assert!(table.contains("120.5"), "{table}");
        assert!(table.contains("NO"), "{table}");
    }

    #[test]
    fn numbers_print_plainly() {
        assert_eq!(fmt_num(10_000.0), "10000");
        assert_eq!(fmt_num(0.5), "0.5");
        assert_eq!(fmt_num(1.239), "1.24");
    }
}
