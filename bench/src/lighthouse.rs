//! Lighthouse on the release build (npm's `lighthouse` in `web/`, driven by `web/lighthouse.js`
//! through Puppeteer in Debian's Chromium): a new visitor on a phone, with Lighthouse's default
//! mobile profile and simulated throttling, a cold HTTP cache, on the home page, a course's
//! page, that course's draw results and 我的 signed in. Each page's full report is kept beside
//! `results.json` (`lighthouse/NAME.json`); this module reads the scores, three metrics and the
//! failing audits out of it.

use crate::server::{ServerProcess, ServerSpec};
use anyhow::{Context, bail, ensure};
use serde_json::{Value, json};
use std::{path::Path, process::Stdio};
use tokio::process::Command;

/// The demo youth measured signed in on 我的 (`server/src/demo.rs`, `DEMO_ACCOUNTS`).
const DEMO_YOUTH: &str = "13900000003";
/// The demo accounts' password (`server/src/demo.rs`, `DEMO_PASSWORD`).
const DEMO_PASSWORD: &str = "qingtuan-demo";

/// The pages measured, by the name their metrics carry (`lh_NAME_…`). `--quick` measures only
/// the first.
pub const PAGES: [&str; 4] = ["home", "course", "results", "me"];

/// The categories, as Lighthouse names them and as the metrics do.
const CATEGORIES: [(&str, &str); 4] = [
    ("performance", "performance"),
    ("accessibility", "accessibility"),
    ("best-practices", "best_practices"),
    ("seo", "seo"),
];

/// Lighthouse's own threshold: an audit scoring below it is shown as failed.
const PASS: f64 = 0.9;

/// One audit that did not pass.
#[derive(Debug, Clone, PartialEq)]
pub struct Failing {
    /// The audit's id (`heading-order`, `total-blocking-time`, …).
    pub id: String,
    /// The category it counts in (Lighthouse's name).
    pub category: String,
    /// Its weight in that category's score (0 for the diagnostics and opportunities).
    pub weight: f64,
    /// Its score, 0–1.
    pub score: f64,
    /// What Lighthouse shows beside it ("4.3 s", "Est savings of 150 ms"), if anything.
    pub display: Option<String>,
}

/// What one page's report says.
#[derive(Debug, Clone, PartialEq)]
pub struct PageResult {
    /// Category scores, 0–100, in the order of [`CATEGORIES`].
    pub scores: [f64; 4],
    /// Largest contentful paint, ms (simulated).
    pub lcp_ms: f64,
    /// Total blocking time, ms (simulated).
    pub tbt_ms: f64,
    /// First contentful paint, ms (simulated; for the record).
    pub fcp_ms: f64,
    /// Everything the page downloaded, bytes as transferred.
    pub bytes: f64,
    /// The audits that did not pass: by category, the heaviest first.
    pub failing: Vec<Failing>,
    /// The page Lighthouse ended on.
    pub final_url: String,
    /// Lighthouse's version.
    pub version: String,
    /// Lighthouse's measure of this machine's speed (its simulation scales CPU work by it).
    pub benchmark_index: Option<f64>,
    /// Runs it took (`web/lighthouse.js` runs a page again when Lighthouse could not record
    /// it), and the errors of those it could not.
    pub attempts: Value,
}

impl PageResult {
    /// The metrics this page sets, named `lh_{page}_…` (all declared in `report::METRICS`).
    pub fn metrics(&self, page: &str) -> Vec<(String, f64)> {
        let mut out: Vec<(String, f64)> = CATEGORIES
            .iter()
            .zip(self.scores)
            .map(|((_, name), score)| (format!("lh_{page}_{name}"), score))
            .collect();
        out.push((format!("lh_{page}_lcp_ms"), self.lcp_ms.round()));
        out.push((format!("lh_{page}_tbt_ms"), self.tbt_ms.round()));
        out.push((format!("lh_{page}_bytes"), self.bytes.round()));
        out
    }

    /// The detail kept in `extra.lighthouse`: what to fix next.
    pub fn extra(&self, path: &str) -> Value {
        json!({
            "path": path,
            "final_url": self.final_url,
            "fcp_ms": self.fcp_ms.round(),
            "lighthouse": self.version,
            "benchmark_index": self.benchmark_index,
            "attempts": self.attempts,
            "failing_ids": self.failing.iter().map(|f| f.id.as_str()).collect::<Vec<_>>(),
            "failing": self.failing.iter().map(|f| json!({
                "id": f.id,
                "category": f.category,
                "weight": f.weight,
                "score": f.score,
                "display": f.display,
            })).collect::<Vec<_>>(),
        })
    }
}

/// Reads a Lighthouse report (its JSON "LHR"). Fails when Lighthouse reported a run error, a
/// category has no score, or a field moved: the benchmark should notice, not report nothing.
pub fn parse(lhr: &Value) -> anyhow::Result<PageResult> {
    if let Some(e) = lhr.get("runtimeError") {
        bail!(
            "Lighthouse could not measure the page: {} {}",
            e["code"].as_str().unwrap_or("?"),
            e["message"].as_str().unwrap_or("")
        );
    }
    let mut scores = [0.0; 4];
    for (slot, (category, _)) in scores.iter_mut().zip(CATEGORIES) {
        let score = lhr["categories"][category]["score"]
            .as_f64()
            .with_context(|| format!("no score for the category {category}"))?;
        *slot = (score * 100.0).round();
    }
    let numeric = |audit: &str| {
        lhr["audits"][audit]["numericValue"]
            .as_f64()
            .with_context(|| format!("no numericValue for the audit {audit}"))
    };
    let mut failing = Vec::new();
    for (category, _) in CATEGORIES {
        let refs = lhr["categories"][category]["auditRefs"]
            .as_array()
            .with_context(|| format!("no auditRefs in the category {category}"))?;
        let mut in_category = Vec::new();
        for r in refs {
            let id = r["id"].as_str().context("an auditRef without an id")?;
            let audit = &lhr["audits"][id];
            ensure!(audit.is_object(), "the audit {id} is missing");
            // Only audits that pass or fail: not the informative, manual or not applicable.
            let judged = matches!(
                audit["scoreDisplayMode"].as_str(),
                Some("binary" | "numeric" | "metricSavings")
            );
            let Some(score) = audit["score"].as_f64() else {
                continue;
            };
            if judged && score < PASS && !failing.iter().any(|f: &Failing| f.id == id) {
                in_category.push(Failing {
                    id: id.to_owned(),
                    category: category.to_owned(),
                    weight: r["weight"].as_f64().unwrap_or(0.0),
                    score,
                    display: audit["displayValue"].as_str().map(str::to_owned),
                });
            }
        }
        in_category.sort_by(|a, b| b.weight.total_cmp(&a.weight));
        failing.extend(in_category);
    }
    Ok(PageResult {
        scores,
        lcp_ms: numeric("largest-contentful-paint")?,
        tbt_ms: numeric("total-blocking-time")?,
        fcp_ms: numeric("first-contentful-paint")?,
        bytes: numeric("total-byte-weight")?,
        failing,
        final_url: lhr["finalDisplayedUrl"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        version: lhr["lighthouseVersion"]
            .as_str()
            .context("no lighthouseVersion")?
            .to_owned(),
        benchmark_index: lhr["environment"]["benchmarkIndex"].as_f64(),
        attempts: Value::Null,
    })
}

/// Serves the build in `spec` from a fresh demo database in `dir` and runs Lighthouse on
/// `pages` (names from [`PAGES`]), writing each report to `reports/NAME.json`. Each page's
/// result, with the path it was measured at, and how long Lighthouse took in all.
pub async fn run(
    spec: &ServerSpec,
    dir: &Path,
    reports: &Path,
    pages: &[&str],
) -> anyhow::Result<(Vec<(String, String, PageResult)>, f64)> {
    let server = ServerProcess::start(
        spec,
        &dir.join("lighthouse.db"),
        &dir.join("lighthouse.log"),
    )
    .await?;
    let outcome = measure(&server.url, reports, pages).await;
    server.stop().await?;
    outcome
}

async fn measure(
    url: &str,
    reports: &Path,
    pages: &[&str],
) -> anyhow::Result<(Vec<(String, String, PageResult)>, f64)> {
    let course = some_course(url).await?;
    let spec_pages: Vec<Value> = pages
        .iter()
        .map(|&name| {
            Ok(match name {
                "home" => json!({"name": name, "path": "/"}),
                "course" => json!({"name": name, "path": format!("/o/{course}")}),
                "results" => json!({"name": name, "path": format!("/courses/{course}/results")}),
                "me" => json!({
                    "name": name,
                    "path": "/me",
                    "sign_in": {"phone": DEMO_YOUTH, "password": DEMO_PASSWORD},
                }),
                other => bail!("no Lighthouse page called {other}"),
            })
        })
        .collect::<anyhow::Result<_>>()?;
    // Old reports must not pass for new ones.
    for name in pages {
        let _ = std::fs::remove_file(reports.join(format!("{name}.json")));
        let _ = std::fs::remove_file(reports.join(format!("{name}.attempts.json")));
    }
    let spec = json!({"url": url, "out": reports, "pages": spec_pages});
    let web = Path::new(env!("CARGO_MANIFEST_DIR")).join("web");
    let started = std::time::Instant::now();
    let output = Command::new("node")
        .current_dir(&web)
        .arg("lighthouse.js")
        .arg(spec.to_string())
        .stdin(Stdio::null())
        .output()
        .await
        .context("running node (is Node installed?)")?;
    let seconds = started.elapsed().as_secs_f64();
    if !output.status.success() {
        bail!(
            "Lighthouse failed (npm ci in {} first?):\n{}\n{}",
            web.display(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let mut results = Vec::new();
    for (name, page) in pages.iter().zip(&spec_pages) {
        let file = reports.join(format!("{name}.json"));
        let text = std::fs::read_to_string(&file)
            .with_context(|| format!("reading Lighthouse's report {}", file.display()))?;
        let lhr: Value = serde_json::from_str(&text)
            .with_context(|| format!("reading Lighthouse's report {}", file.display()))?;
        let mut result = parse(&lhr).with_context(|| format!("the {name} page"))?;
        result.attempts = std::fs::read_to_string(reports.join(format!("{name}.attempts.json")))
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or(Value::Null);
        let path = page["path"].as_str().unwrap_or_default().to_owned();
        results.push(((*name).to_owned(), path, result));
    }
    Ok((results, seconds))
}

/// A course of the demo district, from the public catalogue.
async fn some_course(url: &str) -> anyhow::Result<String> {
    let catalogue: Value = reqwest::get(format!("{url}/api/v1/catalogue"))
        .await?
        .error_for_status()?
        .json()
        .await?;
    catalogue["offerings"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|o| o["plan"]["programme"]["kind"] == "course")
        .and_then(|o| o["id"].as_str())
        .map(str::to_owned)
        .context("the demo catalogue has no course")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A real report (Lighthouse 12.8.2, the home page), trimmed to what `parse` reads and a
    /// few audits of each kind.
    const FIXTURE: &str = include_str!("../tests/fixtures/lighthouse-home.json");

    #[test]
    fn reads_scores_metrics_and_failing_audits() {
        let lhr: Value = serde_json::from_str(FIXTURE).unwrap();
        let r = parse(&lhr).unwrap();
        assert_eq!(r.scores, [67.0, 98.0, 96.0, 100.0]);
        assert_eq!(r.lcp_ms.round(), 4299.0);
        assert_eq!(r.tbt_ms.round(), 718.0);
        assert_eq!(r.bytes, 561_464.0);
        assert_eq!(r.version, "12.8.2");
        let ids: Vec<&str> = r.failing.iter().map(|f| f.id.as_str()).collect();
        // Performance first, the heaviest first; passing, informative and not applicable
        // audits are left out.
        assert_eq!(
            ids,
            [
                "total-blocking-time",
                "largest-contentful-paint",
                "render-blocking-insight",
                "heading-order",
                "errors-in-console",
            ]
        );
        assert_eq!(
            r.failing[0].display.as_deref(),
            Some("720\u{a0}ms"),
            "a no-break space, as Lighthouse writes it"
        );
        let metrics = r.metrics("home");
        assert!(metrics.contains(&("lh_home_best_practices".into(), 96.0)));
        assert!(metrics.contains(&("lh_home_lcp_ms".into(), 4299.0)));
        assert!(metrics.contains(&("lh_home_bytes".into(), 561_464.0)));
        let extra = r.extra("/");
        assert_eq!(extra["failing_ids"][3], "heading-order");
    }

    #[test]
    fn every_metric_is_declared_with_the_issue_targets() {
        use crate::report::{METRICS, Target};
        let lhr: Value = serde_json::from_str(FIXTURE).unwrap();
        let r = parse(&lhr).unwrap();
        for page in PAGES {
            for (name, _) in r.metrics(page) {
                let declared = METRICS.iter().find(|(k, _)| *k == name);
                assert!(declared.is_some(), "{name} is not in report::METRICS");
            }
            let target = |suffix: &str| {
                let key = format!("lh_{page}_{suffix}");
                METRICS
                    .iter()
                    .find(|(k, _)| *k == key)
                    .and_then(|(_, t)| *t)
            };
            assert!(matches!(target("performance"), Some(Target::AtLeast(95.0))));
            assert!(matches!(
                target("accessibility"),
                Some(Target::AtLeast(100.0))
            ));
            assert!(matches!(
                target("best_practices"),
                Some(Target::AtLeast(100.0))
            ));
            assert!(matches!(target("seo"), Some(Target::AtLeast(95.0))));
            assert!(matches!(target("lcp_ms"), Some(Target::AtMost(2500.0))));
            assert!(matches!(target("tbt_ms"), Some(Target::AtMost(200.0))));
            assert!(target("bytes").is_none());
        }
    }

    #[test]
    fn a_changed_or_failed_report_is_an_error() {
        let lhr: Value = serde_json::from_str(FIXTURE).unwrap();
        let mut no_score = lhr.clone();
        no_score["categories"]["seo"]["score"] = Value::Null;
        assert!(parse(&no_score).is_err());
        let mut moved = lhr.clone();
        moved["audits"]
            .as_object_mut()
            .unwrap()
            .remove("total-blocking-time");
        assert!(parse(&moved).is_err());
        let mut failed = lhr;
        failed["runtimeError"] = json!({"code": "NO_FCP", "message": "The page did not paint"});
        let e = parse(&failed).unwrap_err().to_string();
        assert!(e.contains("NO_FCP"), "{e}");
    }
}
