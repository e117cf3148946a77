//! The night school's draws at Shanghai's scale: every course's applications, as the server
//! reads them at the draw (`server/src/db/course.rs` `run_draw`: the stored numbers and tiers),
//! frozen into a list (`FrozenList::from_pairs`: canonical order, list hash) and drawn and
//! published (`PublishedDraw::new`: the draw seed, the shuffle, the page's JSON value), one course
//! after the other on one thread. Natively, in the release build.

use crate::{
    draw_data,
    stats::{median, round},
};
use anyhow::ensure;
use domain::draw::{self, FrozenList, PublishedDraw};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// What one run of all the draws took.
#[derive(Debug, Clone, Copy, Default)]
pub struct Run {
    /// Freezing every list from its stored pairs.
    pub freeze: Duration,
    /// Drawing and publishing every course.
    pub publish: Duration,
}

impl Run {
    fn total_ms(&self) -> f64 {
        (self.freeze + self.publish).as_secs_f64() * 1000.0
    }
}

/// The draws measured.
#[derive(Debug, Clone)]
pub struct DrawBench {
    /// Courses.
    pub courses: usize,
    /// Applications over all of them.
    pub applications: usize,
    /// The largest course's applications.
    pub largest: usize,
    /// Every run.
    pub runs: Vec<Run>,
    /// The published draws verified natively (`domain::draw::verify`), all courses, once.
    pub verify: Duration,
    /// One course of 10,000 applications verified natively (the browser's figure is
    /// `verify_10k_ms`), the median of five runs.
    pub verify_10k: f64,
}

impl DrawBench {
    /// The reported figure: the median run's freeze, draw and publication of every course, ms.
    pub fn total_ms(&self) -> f64 {
        median(&self.runs.iter().map(Run::total_ms).collect::<Vec<_>>()).unwrap_or(f64::NAN)
    }

    /// Breakdowns for the JSON's `extra`.
    pub fn json(&self) -> Value {
        let ms = |d: Duration| round(d.as_secs_f64() * 1000.0, 1);
        json!({
            "courses": self.courses,
            "applications": self.applications,
            "largest_course": self.largest,
            "runs_ms": self.runs.iter().map(|r| round(r.total_ms(), 1)).collect::<Vec<_>>(),
            "freeze_runs_ms": self.runs.iter().map(|r| ms(r.freeze)).collect::<Vec<_>>(),
            "draw_and_publish_runs_ms": self.runs.iter().map(|r| ms(r.publish)).collect::<Vec<_>>(),
            "verify_all_natively_ms": ms(self.verify),
            "verify_10k_natively_ms": round(self.verify_10k, 2),
        })
    }
}

/// Draws `applications` applications over `courses` courses, `runs` times, and checks every
/// published draw once with `verify`.
pub fn run(courses: usize, applications: usize, runs: usize) -> anyhow::Result<DrawBench> {
    let sizes = draw_data::course_sizes(courses, applications);
    ensure!(
        sizes.iter().sum::<usize>() == applications,
        "the courses' sizes do not add up"
    );
    // The stored rows, read before the clock starts (the server reads them from SQLite).
    let stored: Vec<Vec<(String, u8)>> = sizes
        .iter()
        .enumerate()
        .map(|(k, &n)| draw_data::applications(k as u64, n))
        .collect();
    let seeds: Vec<draw::Seed> = (0..courses).map(|k| draw_data::seed(k as u64)).collect();
    let value = draw_data::public_value();
    let mut measured = Vec::with_capacity(runs);
    let mut last: Vec<PublishedDraw> = Vec::new();
    for _ in 0..runs.max(1) {
        let mut run = Run::default();
        let mut published = Vec::with_capacity(courses);
        for (k, pairs) in stored.iter().enumerate() {
            let t = Instant::now();
            let list = FrozenList::from_pairs(pairs.iter().map(|(n, t)| (n.as_str(), *t)))?;
            let frozen = Instant::now();
            let page =
                PublishedDraw::new(&list, &seeds[k], &value, draw_data::capacity(pairs.len()));
            let done = Instant::now();
            run.freeze += frozen - t;
            run.publish += done - frozen;
            published.push(page);
        }
        measured.push(run);
        // Dropped outside the clock (650,000 strings freed take time too).
        last = published;
    }
    let t = Instant::now();
    for (k, page) in last.iter().enumerate() {
        draw::verify(page)
            .map_err(|e| anyhow::anyhow!("course {k}'s draw does not verify: {e}"))?;
        ensure!(
            page.order.len() == sizes[k] && page.entries.len() == sizes[k],
            "course {k}: {} drawn of {} applications",
            page.order.len(),
            sizes[k]
        );
    }
    let verify = t.elapsed();
    // The browser's course (`tests/verify_draw.rs`), natively, for comparison.
    let page = draw_data::published(7, 10_000);
    let times: Vec<f64> = (0..5)
        .map(|_| {
            let t = Instant::now();
            let verdict = draw::verify(&page);
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            verdict.map(|()| ms)
        })
        .collect::<Result<_, _>>()
        .map_err(|e| anyhow::anyhow!("the 10,000 draw does not verify: {e}"))?;
    Ok(DrawBench {
        courses,
        applications,
        largest: sizes.iter().copied().max().unwrap_or(0),
        runs: measured,
        verify,
        verify_10k: median(&times).unwrap_or(f64::NAN),
    })
}
