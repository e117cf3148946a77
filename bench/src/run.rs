//! The command line and the order of the benchmarks.

use crate::{
    browser, busy_year,
    cpu::Cpu,
    draw_bench, lighthouse, limit, pg,
    report::Report,
    rush::{self, Allocation, RushResult},
    seed::{self, APPLY_OFFERING, PUSH_OFFERING, Plan, RUSH_OFFERING},
    server::{ServerProcess, ServerSpec},
    size,
    stats::{median, median_index, round},
    sync_paths,
};
use anyhow::{Context, ensure};
use clap::Parser;
use serde_json::{Map, Value, json};
use std::{
    path::{Path, PathBuf},
    time::Instant,
};

/// A part of the benchmark that `--skip` can leave out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Section {
    /// The enrollment rush over HTTP.
    Rush,
    /// The night school's application window over HTTP (the rush's shape, a lottery course).
    Apply,
    /// The same writes directly on SQLite.
    Limit,
    /// Push of queued mutations and the organizer's roster pull.
    Sync,
    /// IndexedDB against Dexie, and the offline reload, in Chromium.
    Browser,
    /// The built client's size.
    Size,
    /// The night school's draws natively (650,000 applications over 400 courses).
    Draw,
    /// A published draw recomputed in Chromium (wasm32).
    Verify,
    /// A district's busy year: the year's dashboard, the year-end workbook and the hours
    /// workbook from the release server.
    Year,
    /// Lighthouse (mobile, simulated throttling, cold cache) on the home page, a course's
    /// page, its draw results and 我的 signed in; `--quick`: the home page only.
    Lighthouse,
    /// PostgreSQL (the cluster `QT_PG_URL` names): the rush against one and two servers, the
    /// same writes directly on PostgreSQL, the organizer's roster pull.
    Pg,
}

/// Benchmarks of the release build: the enrollment rush against the release server, the same
/// writes on SQLite directly, the sync paths, IndexedDB, the offline reload and Lighthouse in
/// headless Chromium, and the client's size. Prints a table and writes `target/bench/results.json`.
#[derive(Debug, Clone, Parser)]
#[command(name = "bench")]
pub struct Args {
    /// Small sizes, under a minute once everything is built: checks that every benchmark still
    /// works (wrong results fail the run, missed targets do not). Writes results-quick.json.
    #[arg(long)]
    pub quick: bool,
    /// Rush clients, one mutation each [default: 5000; quick: 300].
    #[arg(long)]
    pub users: Option<usize>,
    /// Seats of the rush offering [default: 100; quick: 30].
    #[arg(long)]
    pub seats: Option<usize>,
    /// Keep-alive connections the rush clients share [default: 512: a rush is thousands of
    /// phones at once; with enough pushes in flight the server's group commits fill up (its
    /// commit delay gathers them), while 64 left batches of a dozen and the CPU idle].
    #[arg(long)]
    pub connections: Option<usize>,
    /// Queued mutations one device pushes [default: 1000; quick: 200].
    #[arg(long)]
    pub push_mutations: Option<usize>,
    /// People on the organizer's roster [default: 10000; quick: 1000].
    #[arg(long)]
    pub roster: Option<usize>,
    /// Rounds of the rush and of the limit, taken in turn, each on a fresh copy of the database
    /// [default: 5; quick: 3]. One burst of a few thousand requests lasts a tenth of a second:
    /// the reported rush is the median round and the limit the median of its rounds.
    #[arg(long)]
    pub rounds: Option<usize>,
    /// Offline reloads measured [default: 10; quick: 2].
    #[arg(long)]
    pub reloads: Option<usize>,
    /// Night-school applications drawn [default: 650000; quick: 65000] …
    #[arg(long)]
    pub draw_applications: Option<usize>,
    /// … over this many courses [default: 400; quick: 40].
    #[arg(long)]
    pub draw_courses: Option<usize>,
    /// Runtime threads of this (client) process; the server has its own.
    #[arg(long, default_value_t = 2)]
    pub client_threads: usize,
    /// The built client (Trunk's output) [default: dist/ in the repository].
    #[arg(long, env = "BENCH_DIST")]
    pub dist: Option<PathBuf>,
    /// The release server [default: `server` beside this binary].
    #[arg(long)]
    pub server_bin: Option<PathBuf>,
    /// Leave sections out (comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub skip: Vec<Section>,
    /// Where to write the JSON [default: target/bench/results.json in the repository].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Keep the temporary folder (databases, server logs) for a look afterwards.
    #[arg(long)]
    pub keep: bool,
}

/// The arguments with every default filled in.
#[derive(Debug, Clone)]
pub struct Config {
    /// `--quick`.
    pub quick: bool,
    /// Rush clients.
    pub users: usize,
    /// Rush seats.
    pub seats: usize,
    /// Rush connections.
    pub connections: usize,
    /// Rounds of the rush and the limit.
    pub rounds: usize,
    /// Queued mutations pushed.
    pub push_mutations: usize,
    /// Roster size.
    pub roster: usize,
    /// Offline reloads.
    pub reloads: usize,
    /// Night-school applications drawn.
    pub draw_applications: usize,
    /// Courses they are over.
    pub draw_courses: usize,
    /// Client runtime threads.
    pub client_threads: usize,
    /// The built client.
    pub dist: PathBuf,
    /// The release server.
    pub server_bin: PathBuf,
    /// Sections left out.
    pub skip: Vec<Section>,
    /// The JSON file.
    pub out: PathBuf,
    /// Keep the temporary folder.
    pub keep: bool,
}

/// The repository (this crate's parent folder), wherever the target folder is.
pub fn repo_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

impl Args {
    /// Fills in the defaults (the quick ones with `--quick`).
    pub fn resolved(self) -> Config {
        let q = self.quick;
        let root = repo_root();
        let server_bin = self.server_bin.unwrap_or_else(|| {
            std::env::current_exe()
                .ok()
                .and_then(|exe| Some(exe.parent()?.join("server")))
                .unwrap_or_else(|| root.join("target/release/server"))
        });
        let out_name = if q {
            "results-quick.json"
        } else {
            "results.json"
        };
        Config {
            quick: q,
            users: self.users.unwrap_or(if q { 300 } else { 5_000 }),
            seats: self.seats.unwrap_or(if q { 30 } else { 100 }),
            connections: self.connections.unwrap_or(512).max(1),
            rounds: self.rounds.unwrap_or(if q { 3 } else { 5 }).max(1),
            push_mutations: self.push_mutations.unwrap_or(if q { 200 } else { 1_000 }),
            roster: self.roster.unwrap_or(if q { 1_000 } else { 10_000 }),
            reloads: self.reloads.unwrap_or(if q { 2 } else { 10 }).max(1),
            draw_applications: self
                .draw_applications
                .unwrap_or(if q { 65_000 } else { 650_000 }),
            draw_courses: self.draw_courses.unwrap_or(if q { 40 } else { 400 }).max(1),
            client_threads: self.client_threads.max(1),
            dist: self.dist.unwrap_or_else(|| root.join("dist")),
            server_bin,
            skip: self.skip,
            out: self
                .out
                .unwrap_or_else(|| root.join("target/bench").join(out_name)),
            keep: self.keep,
        }
    }
}

impl Config {
    fn runs(&self, s: Section) -> bool {
        !self.skip.contains(&s)
    }

    /// The pages Lighthouse measures: all of them, or the home page alone with `--quick`.
    fn lighthouse_pages(&self) -> &'static [&'static str] {
        if self.quick {
            &lighthouse::PAGES[..1]
        } else {
            &lighthouse::PAGES
        }
    }

    fn params(&self) -> Value {
        json!({
            "users": self.users,
            "seats": self.seats,
            "waitlist": true,
            "allocation": "first_come",
            "connections": self.connections,
            "rounds": self.rounds,
            "client_threads": self.client_threads,
            "limit_batch": limit::BATCH,
            "push_mutations": self.push_mutations,
            "roster": self.roster,
            "idb_rows": if self.quick { 1_000 } else { 10_000 },
            "reloads": self.reloads,
            "apply_allocation": "lottery",
            "draw_applications": self.draw_applications,
            "draw_courses": self.draw_courses,
            "draw_runs": DRAW_RUNS,
            "verify_applications": if self.quick { 1_000 } else { 10_000 },
            "lighthouse_pages": self.lighthouse_pages(),
            "dist": self.dist,
            "server_bin": self.server_bin,
            "skipped": self.skip.iter().map(|s| format!("{s:?}").to_lowercase()).collect::<Vec<_>>(),
        })
    }
}

/// Runs the benchmarks; `Ok(false)` when one failed (its error is in the report).
pub async fn main(cfg: Config) -> anyhow::Result<bool> {
    let started = Instant::now();
    let mode = if cfg.quick { "quick" } else { "full" };
    println!(
        "bench ({mode}): {} rush clients for {} seats over {} connections ({} rounds), push {}, roster {}",
        cfg.users, cfg.seats, cfg.connections, cfg.rounds, cfg.push_mutations, cfg.roster
    );
    let tmp = tempfile::Builder::new()
        .prefix("qingtuan-bench-")
        .tempdir()
        .context("making a temporary folder")?;
    let spec = ServerSpec {
        bin: cfg.server_bin.clone(),
        static_dir: cfg.dist.clone(),
    };
    let mut report = Report::default();
    let mut machine = machine();

    let server_sections = [Section::Rush, Section::Apply, Section::Limit, Section::Sync]
        .into_iter()
        .any(|s| cfg.runs(s));
    if server_sections {
        // The client is not needed here: without it the server serves only the API.
        let result = ensure_file(
            &spec.bin,
            "the release server (cargo build --release -p server)",
        );
        let result = match result {
            Ok(()) => server_benchmarks(&cfg, &spec, tmp.path(), &mut report, &mut machine).await,
            Err(e) => Err(e),
        };
        if let Err(e) = result {
            report.errors.push(format!("server benchmarks: {e:#}"));
        }
    }
    if cfg.runs(Section::Pg) {
        let result = match ensure_file(
            &spec.bin,
            "the release server (cargo build --release -p server)",
        ) {
            Ok(()) => pg_benchmarks(&cfg, &spec, tmp.path(), &mut report, &mut machine).await,
            Err(e) => Err(e),
        };
        if let Err(e) = result {
            report.errors.push(format!("PostgreSQL benchmarks: {e:#}"));
        }
    }
    if cfg.runs(Section::Year) {
        let result = match ensure_file(
            &spec.bin,
            "the release server (cargo build --release -p server)",
        ) {
            Ok(()) => year_benchmarks(&cfg, &spec, tmp.path(), &mut report).await,
            Err(e) => Err(e),
        };
        if let Err(e) = result {
            report.errors.push(format!("a busy year's numbers: {e:#}"));
        }
    }
    if cfg.runs(Section::Draw) {
        step(&format!(
            "the night school's draws: {} applications over {} courses, frozen, drawn and published ({DRAW_RUNS} runs)",
            cfg.draw_applications, cfg.draw_courses
        ));
        let (applications, courses) = (cfg.draw_applications, cfg.draw_courses);
        match tokio::task::spawn_blocking(move || draw_bench::run(courses, applications, DRAW_RUNS))
            .await
        {
            Ok(Ok(d)) => {
                let ms = d.total_ms();
                println!("  {ms:.1} ms (the median of {DRAW_RUNS} runs)");
                report.set("draw_650k_ms", round(ms, 1));
                report.extra("draw", d.json());
            }
            Ok(Err(e)) => report.errors.push(format!("draw benchmark: {e:#}")),
            Err(e) => report.errors.push(format!("draw benchmark: {e}")),
        }
    }
    if cfg.runs(Section::Verify) {
        step("a published draw recomputed in the browser (wasm32, headless Chromium)");
        match browser::verify_draw(cfg.quick).await {
            Ok(r) => {
                println!(
                    "  {} applications: {:.1} ms (the median of {} runs after a warm-up)",
                    r.applications,
                    r.verify_ms,
                    r.runs.len()
                );
                report.set("verify_10k_ms", round(r.verify_ms, 1));
                report.extra(
                    "verify",
                    json!({
                        "applications": r.applications,
                        "runs_ms": r.runs.iter().map(|x| round(*x, 1)).collect::<Vec<_>>(),
                        "json_bytes": r.json_bytes,
                        "parse_json_ms": round(r.parse_ms, 1),
                    }),
                );
            }
            Err(e) => report
                .errors
                .push(format!("draw recompute in the browser: {e:#}")),
        }
    }
    if cfg.runs(Section::Browser) {
        step("IndexedDB: our store against Dexie (headless Chromium)");
        match browser::idb_vs_dexie(cfg.quick).await {
            Ok(r) => {
                report.set("idb_10k_ms", round(r.idb_ms, 1));
                report.set("dexie_10k_ms", round(r.dexie_ms, 1));
                report.set("idb_vs_dexie_ratio", round(r.idb_ms / r.dexie_ms, 3));
                report.extra(
                    "idb",
                    json!({
                        "rows": r.rows,
                        "idb_runs_ms": r.idb_runs,
                        "dexie_runs_ms": r.dexie_runs,
                        "raw_idb_ms": round(r.raw_ms, 1),
                        "raw_idb_runs_ms": r.raw_runs,
                        "raw_idb_text_only_ms": round(r.raw_text_ms, 1),
                        "raw_idb_text_only_runs_ms": r.raw_text_runs,
                        "raw_idb_500_rows_per_record_ms": round(r.raw_chunks_ms, 1),
                        "raw_idb_500_rows_per_record_runs_ms": r.raw_chunks_runs,
                    }),
                );
                machine.insert("browser".into(), json!(r.user_agent));
            }
            Err(e) => report.errors.push(format!("IndexedDB benchmark: {e:#}")),
        }
        step("offline reload (Playwright, headless Chromium)");
        match browser::offline_reload(&spec, tmp.path(), cfg.reloads).await {
            Ok(r) => {
                report.set(
                    "offline_reload_ms",
                    round(median(&r.reload_ms).unwrap_or(f64::NAN), 1),
                );
                let in_page: Vec<f64> = r.in_page_ms.iter().flatten().copied().collect();
                report.extra(
                    "offline_reload",
                    json!({
                        "runs_ms": r.reload_ms.iter().map(|x| round(*x, 1)).collect::<Vec<_>>(),
                        "in_page_median_ms": median(&in_page).map(|x| round(x, 1)),
                        "in_page_runs_ms": r.in_page_ms,
                        "cards": r.cards,
                    }),
                );
            }
            Err(e) => report.errors.push(format!("offline reload: {e:#}")),
        }
    }
    if cfg.runs(Section::Size) {
        step("client size");
        match size::of_client(&cfg.dist) {
            Ok(((total, kinds), staff)) => {
                // What every device downloads: the main build. The staff build is extra,
                // for organizers' and admins' devices only.
                report.set("client_bytes_raw", total.raw);
                report.set("client_bytes_gzip", total.gzip);
                report.set("client_bytes_brotli", total.brotli);
                let by_kind = |kinds: Vec<(String, size::Sizes)>| -> Value {
                    Value::Object(
                        kinds
                            .into_iter()
                            .map(|(k, s)| {
                                (k, json!({"raw": s.raw, "gzip": s.gzip, "brotli": s.brotli}))
                            })
                            .collect(),
                    )
                };
                report.extra("client_by_kind", by_kind(kinds));
                if let Some((staff, kinds)) = staff {
                    println!(
                        "  main build {} B brotli (every device); staff build {} B more (organizers' and admins' devices only)",
                        total.brotli, staff.brotli
                    );
                    report.extra(
                        "client_staff",
                        json!({
                            "raw": staff.raw, "gzip": staff.gzip, "brotli": staff.brotli,
                            "by_kind": by_kind(kinds),
                            "main_plus_staff_brotli": total.brotli + staff.brotli,
                        }),
                    );
                }
            }
            Err(e) => report.errors.push(format!("client size: {e:#}")),
        }
    }

    if cfg.runs(Section::Lighthouse) {
        let pages = cfg.lighthouse_pages();
        step(&format!(
            "Lighthouse (mobile, simulated throttling, cold cache, headless Chromium): {}",
            pages.join(", ")
        ));
        // The full reports, beside the results: what each failing audit found.
        let reports = cfg.out.with_file_name(if cfg.quick {
            "lighthouse-quick"
        } else {
            "lighthouse"
        });
        let result = match ensure_file(
            &spec.bin,
            "the release server (cargo build --release -p server)",
        ) {
            Ok(()) => lighthouse::run(&spec, tmp.path(), &reports, pages).await,
            Err(e) => Err(e),
        };
        match result {
            Ok((pages, seconds)) => {
                let mut extra = Map::new();
                for (name, path, r) in &pages {
                    println!(
                        "  {name} ({path}): performance {}, accessibility {}, best practices {}, SEO {}; LCP {:.0} ms, TBT {:.0} ms, {:.0} bytes; failing: {}",
                        r.scores[0],
                        r.scores[1],
                        r.scores[2],
                        r.scores[3],
                        r.lcp_ms,
                        r.tbt_ms,
                        r.bytes,
                        r.failing
                            .iter()
                            .map(|f| f.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    );
                    for (key, value) in r.metrics(name) {
                        report.set(&key, value);
                    }
                    extra.insert(name.clone(), r.extra(path));
                }
                println!("  {seconds:.0} s; reports in {}", reports.display());
                extra.insert("seconds".into(), json!(round(seconds, 1)));
                extra.insert("reports".into(), json!(reports));
                report.extra("lighthouse", Value::Object(extra));
            }
            Err(e) => report.errors.push(format!("Lighthouse: {e:#}")),
        }
    }

    machine.insert("loadavg_end".into(), json!(loadavg()));
    let mut head = Map::new();
    head.insert("mode".into(), json!(mode));
    head.insert("generated_at".into(), json!(seed::now_s()));
    head.insert(
        "elapsed_s".into(),
        json!(round(started.elapsed().as_secs_f64(), 1)),
    );
    head.insert("machine".into(), Value::Object(machine));
    head.insert("params".into(), cfg.params());
    let json = report.json(head);
    if let Some(dir) = cfg.out.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(&cfg.out, serde_json::to_string_pretty(&json)? + "\n")
        .with_context(|| format!("writing {}", cfg.out.display()))?;

    println!("\n{}\n", report.table());
    println!(
        "written to {} ({:.0} s)",
        cfg.out.display(),
        started.elapsed().as_secs_f64()
    );
    if cfg.keep {
        let kept = tmp.keep();
        println!("temporary files kept in {}", kept.display());
    }
    for e in &report.errors {
        eprintln!("FAILED: {e}");
    }
    Ok(report.errors.is_empty())
}

/// Timed runs of each of the year's downloads (after one unmeasured); the median is reported.
const YEAR_RUNS: usize = 7;

/// A district's busy year seeded directly, then the year's dashboard, the year-end workbook
/// and the hours workbook, each downloaded from the release server [`YEAR_RUNS`] times.
async fn year_benchmarks(
    cfg: &Config,
    spec: &ServerSpec,
    dir: &Path,
    report: &mut Report,
) -> anyhow::Result<()> {
    let size = busy_year::Size::new(cfg.quick);
    step(&format!(
        "a busy year: {} offerings, {} registrations of {} people, {} scans, seeded directly; the year's dashboard, year-end workbook and hours workbook ({YEAR_RUNS} runs each)",
        size.offerings, size.registrations, size.people, size.scans
    ));
    let db = dir.join("year.db");
    ServerProcess::start(spec, &db, &dir.join("year-prepare.log"))
        .await?
        .stop()
        .await?;
    let seeded = {
        let db = db.clone();
        tokio::task::spawn_blocking(move || busy_year::seed(&db, size)).await??
    };
    println!(
        "  seeded {} registrations and {} scans in {:.1} s",
        seeded.registrations, seeded.scans, seeded.seconds
    );
    let token = busy_year::admin_token(&db).await?;
    let server = ServerProcess::start(spec, &db, &dir.join("year.log")).await?;
    let http = reqwest::Client::new();
    let y = seeded.year;
    let urls = [
        (
            "dashboard_year_ms",
            format!(
                "{}/api/v1/admin/dashboard?from={y}-01-01&to={y}-12-31",
                server.url
            ),
        ),
        (
            "report_xlsx_ms",
            format!("{}/api/v1/admin/report.xlsx?year={y}", server.url),
        ),
        (
            "hours_xlsx_ms",
            format!("{}/api/v1/admin/hours.xlsx?year={y}", server.url),
        ),
    ];
    let mut extra = Map::new();
    for (metric, url) in &urls {
        let (_, body) = busy_year::time_get(&http, url, &token).await?;
        if *metric == "dashboard_year_ms" {
            let d: Value = serde_json::from_slice(&body)?;
            let events = d["total"]["events"].as_u64().unwrap_or(0);
            ensure!(
                events == seeded.events_held,
                "the year's dashboard counts {events} events, {} were held",
                seeded.events_held
            );
        } else {
            ensure!(body.starts_with(b"PK"), "{metric}: not an .xlsx file");
        }
        let mut runs = Vec::new();
        for _ in 0..YEAR_RUNS {
            runs.push(busy_year::time_get(&http, url, &token).await?.0);
        }
        let ms = median(&runs).unwrap_or(f64::NAN);
        println!(
            "  {metric}: {ms:.1} ms (the median of {YEAR_RUNS}), {} bytes",
            body.len()
        );
        report.set(metric, round(ms, 1));
        extra.insert(
            (*metric).to_owned(),
            json!({
                "runs_ms": runs.iter().map(|x| round(*x, 1)).collect::<Vec<_>>(),
                "bytes": body.len(),
            }),
        );
    }
    server.stop().await?;
    extra.insert(
        "seeded".into(),
        json!({
            "offerings": size.offerings,
            "registrations": seeded.registrations,
            "scans": seeded.scans,
            "people": size.people,
            "events_held": seeded.events_held,
            "seed_s": round(seeded.seconds, 1),
        }),
    );
    report.extra("year", Value::Object(extra));
    Ok(())
}

/// Runs of all the draws; the median is reported.
const DRAW_RUNS: usize = 3;

fn step(what: &str) {
    println!("==> {what}");
}

fn ensure_file(path: &Path, what: &str) -> anyhow::Result<()> {
    ensure!(path.is_file(), "{what} is missing: {}", path.display());
    Ok(())
}

/// Arranges the database, then: the limit, the rush, and the sync paths, on one server.
async fn server_benchmarks(
    cfg: &Config,
    spec: &ServerSpec,
    dir: &Path,
    report: &mut Report,
    machine: &mut Map<String, Value>,
) -> anyhow::Result<()> {
    let db = dir.join("qt.db");
    step("preparing the database (server migrations and demo data, then accounts directly)");
    ServerProcess::start(spec, &db, &dir.join("prepare.log"))
        .await?
        .stop()
        .await?;
    let t = Instant::now();
    let arranged = seed::arrange(
        &db,
        &Plan {
            rush_users: cfg.users,
            rush_seats: cfg.seats,
            roster: cfg.roster,
            push_seats: 10,
        },
    )
    .await?;
    report.extra("arrange_s", round(t.elapsed().as_secs_f64(), 2));
    {
        let mut conn = seed::open(&db).await?;
        let version: String = sqlx::query_scalar("SELECT sqlite_version()")
            .fetch_one(&mut conn)
            .await?;
        machine.insert("sqlite".into(), json!(version));
        sqlx::Connection::close(conn).await?;
    }

    // The rush and the limit, in turn, each round on a fresh copy of the arranged database: the
    // same schema, rows and indexes for every round of both. A round of the limit and a round
    // of the rush run back to back, so a slow spell of the machine touches both.
    let mut limits: Vec<f64> = Vec::new();
    let mut rushes: Vec<(RushResult, Value, f64)> = Vec::new();
    let mut applies: Vec<(RushResult, Value, f64)> = Vec::new();
    let rounds_run = [Section::Limit, Section::Rush, Section::Apply]
        .into_iter()
        .any(|s| cfg.runs(s));
    if rounds_run {
        step(&format!(
            "the limit (the same writes directly on SQLite), the rush ({} clients, {} seats) and the application window (as many applications to a lottery course), {} rounds",
            cfg.users, cfg.seats, cfg.rounds
        ));
        machine.insert("dirty_kib_before_rounds".into(), json!(dirty_kib()));
    }
    for round_no in 1..=cfg.rounds {
        // Every commit waits for the disk: writes other work left in the page cache (a build's
        // gigabytes, say) would be flushed during the measurement and slow each fsync. Measured:
        // 3 GB written just before took the rush from 44,000 to 28,000 a second, the limit
        // (fewer, larger commits) from 69,000 to 62,000.
        flush_disk();
        if cfg.runs(Section::Limit) {
            let copy = dir.join(format!("limit-{round_no}.db"));
            std::fs::copy(&db, &copy).context("copying the database for the limit")?;
            let accounts = arranged.rush.clone();
            let seats = cfg.seats;
            let at = copy.clone();
            let direct = tokio::task::spawn_blocking(move || {
                limit::direct(&at, &accounts, RUSH_OFFERING, seats)
            })
            .await??;
            remove_database(&copy);
            limits.push(direct.per_s());
        }
        if cfg.runs(Section::Rush) {
            let allocation = Allocation::FirstCome { seats: cfg.seats };
            let measured = rush_round(
                spec,
                dir,
                &db,
                &arranged,
                cfg,
                RUSH_OFFERING,
                allocation,
                "rush",
                round_no,
            )
            .await?;
            rushes.push(measured);
        }
        if cfg.runs(Section::Apply) {
            let measured = rush_round(
                spec,
                dir,
                &db,
                &arranged,
                cfg,
                APPLY_OFFERING,
                Allocation::Lottery,
                "apply",
                round_no,
            )
            .await?;
            applies.push(measured);
        }
    }
    let limit_per_s = median(&limits);
    if let Some(limit) = limit_per_s {
        // Through sqlx too, once, for the record: what the driver's own thread costs.
        let sqlx_db = dir.join("limit-sqlx.db");
        std::fs::copy(&db, &sqlx_db).context("copying the database for the limit")?;
        let via_sqlx =
            limit::through_sqlx(&sqlx_db, &arranged.rush, RUSH_OFFERING, cfg.seats).await?;
        remove_database(&sqlx_db);
        report.set("sqlite_limit_per_s", round(limit, 0));
        report.extra(
            "limit",
            json!({
                "registrations": arranged.rush.len(),
                "batch": limit::BATCH,
                "rounds_per_s": limits.iter().map(|x| round(*x, 0)).collect::<Vec<_>>(),
                "sqlx_per_s": round(via_sqlx.per_s(), 0),
                "sqlx_wall_ms": round(via_sqlx.wall.as_secs_f64() * 1000.0, 1),
            }),
        );
    }
    let per_s: Vec<f64> = rushes.iter().map(|(r, _, _)| r.per_s()).collect();
    if let Some(m) = median_index(&per_s) {
        // Every round was checked in full (seats, answers, database); the median one is reported.
        let (r, cpu, _) = &rushes[m];
        for (k, v) in r.values() {
            report.set(k, v);
        }
        let mut extra = r.extra();
        extra["cpu"] = cpu.clone();
        extra["median_round"] = json!(m + 1);
        extra["rounds"] = rushes
            .iter()
            .map(|(r, cpu, rss)| {
                let mut round_json = r.extra();
                for (k, v) in r.values() {
                    round_json[k] = v;
                }
                round_json["cpu"] = cpu.clone();
                round_json["server_peak_rss_mb"] = json!(round(*rss, 1));
                round_json
            })
            .collect();
        report.extra("rush", extra);
        let peak = rushes.iter().map(|(_, _, rss)| *rss).fold(0.0, f64::max);
        report.set("server_peak_rss_mb", round(peak, 1));
        if let Some(limit) = limit_per_s {
            report.set("rush_vs_limit_ratio", round(r.per_s() / limit, 3));
        }
    }
    let apply_per_s: Vec<f64> = applies.iter().map(|(r, _, _)| r.per_s()).collect();
    if let Some(m) = median_index(&apply_per_s) {
        // The application window, reported like the rush: the median round, every round kept.
        let (r, cpu, _) = &applies[m];
        report.set("apply_per_s", round(r.per_s(), 0));
        let mut extra = r.apply_json();
        extra["cpu"] = cpu.clone();
        extra["median_round"] = json!(m + 1);
        extra["rounds"] = applies
            .iter()
            .map(|(r, cpu, rss)| {
                let mut round_json = r.apply_json();
                round_json["cpu"] = cpu.clone();
                round_json["server_peak_rss_mb"] = json!(round(*rss, 1));
                round_json
            })
            .collect();
        report.extra("apply", extra);
        if let Some(rush) = median_index(&per_s).map(|i| rushes[i].0.per_s()) {
            report.set("apply_vs_rush_ratio", round(r.per_s() / rush, 3));
        }
    }

    if !cfg.runs(Section::Sync) {
        return Ok(());
    }
    let server = ServerProcess::start(spec, &db, &dir.join("server.log")).await?;
    let outcome = async {
        step(&format!(
            "sync: one device pushes {} queued mutations",
            cfg.push_mutations
        ));
        let push = sync_paths::push(
            &server.url,
            &db,
            &arranged.pusher,
            PUSH_OFFERING,
            cfg.push_mutations,
        )
        .await?;
        report.set("push_1000_ms", round(push.total.as_secs_f64() * 1000.0, 1));
        report.extra("push", push.json());
        step(&format!(
            "sync: the organizer pulls a {}-person roster",
            cfg.roster
        ));
        let pull = sync_paths::pull(&server.url, &arranged.organizer, cfg.roster).await?;
        report.set("pull_10k_ms", round(pull.total.as_secs_f64() * 1000.0, 1));
        report.extra("pull", pull.json());
        report.extra(
            "server_peak_rss_after_sync_mb",
            round(server.peak_rss_kib()? as f64 / 1024.0, 1),
        );
        anyhow::Ok(())
    }
    .await;
    let stopped = server.stop().await;
    outcome?;
    stopped
}

/// One round of the rush's shape on a fresh server over a fresh copy of the arranged database:
/// the rush's accounts each push one `registration.request` for `offering`; the answers and the
/// database are checked. With the server's CPU time and peak memory.
#[allow(clippy::too_many_arguments)]
async fn rush_round(
    spec: &ServerSpec,
    dir: &Path,
    db: &Path,
    arranged: &seed::Arranged,
    cfg: &Config,
    offering: &str,
    allocation: Allocation,
    name: &str,
    round_no: usize,
) -> anyhow::Result<(RushResult, Value, f64)> {
    let copy = dir.join(format!("{name}-{round_no}.db"));
    std::fs::copy(db, &copy).with_context(|| format!("copying the database for the {name}"))?;
    let log = dir.join(format!("server-{name}-{round_no}.log"));
    let server = ServerProcess::start(spec, &copy, &log).await?;
    let outcome = async {
        let before = Cpu::now(server.pid())?;
        let r = rush::run(
            &server.url,
            &copy,
            &arranged.rush,
            offering,
            allocation,
            cfg.connections,
        )
        .await?;
        let cpu = before.since(&Cpu::now(server.pid())?);
        let rss = server.peak_rss_kib()? as f64 / 1024.0;
        anyhow::Ok((r, cpu, rss))
    }
    .await;
    let stopped = server.stop().await;
    let measured = outcome.with_context(|| format!("{name} round {round_no}"))?;
    stopped?;
    remove_database(&copy);
    Ok(measured)
}

/// Writes out whatever the page cache holds for any file (`sync`), and waits for it.
fn flush_disk() {
    if let Err(e) = std::process::Command::new("sync").status() {
        eprintln!("warning: could not run sync: {e}");
    }
}

/// Data in the page cache waiting to be written (`Dirty` in /proc/meminfo), KiB.
fn dirty_kib() -> Option<u64> {
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok()?;
    meminfo
        .lines()
        .find_map(|l| l.strip_prefix("Dirty:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

/// Removes a copy of the database with its WAL and shared-memory files (best effort: the
/// temporary folder goes at the end anyway).
fn remove_database(db: &Path) {
    let _ = std::fs::remove_file(db);
    for suffix in ["-wal", "-shm"] {
        let mut side = db.as_os_str().to_owned();
        side.push(suffix);
        let _ = std::fs::remove_file(side);
    }
}

/// What the numbers were measured on.
fn machine() -> Map<String, Value> {
    let cpu = std::fs::read_to_string("/proc/cpuinfo").ok().and_then(|s| {
        s.lines()
            .find_map(|l| l.strip_prefix("model name"))
            .map(|l| l.trim_start_matches([' ', '\t', ':']).to_owned())
    });
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .ok()
        .map(|s| s.trim().to_owned());
    let mut m = Map::new();
    m.insert(
        "cores".into(),
        json!(std::thread::available_parallelism().map_or(0, usize::from)),
    );
    m.insert("cpu".into(), json!(cpu));
    m.insert("kernel".into(), json!(kernel));
    // Other work on the machine (a build, say) makes every number worse: look here first.
    m.insert("loadavg_start".into(), json!(loadavg()));
    m.insert(
        "note".into(),
        json!("client and server share the machine's cores"),
    );
    m
}

/// The 1-, 5- and 15-minute load averages.
fn loadavg() -> Option<String> {
    let s = std::fs::read_to_string("/proc/loadavg").ok()?;
    Some(s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
}

/// The PostgreSQL section, on the cluster `QT_PG_URL` names; said to be skipped (on the
/// terminal and in the JSON) when it names none.
async fn pg_benchmarks(
    cfg: &Config,
    spec: &ServerSpec,
    dir: &Path,
    report: &mut Report,
    machine: &mut Map<String, Value>,
) -> anyhow::Result<()> {
    let Ok(url) = std::env::var(pg::URL_VAR) else {
        let why = format!(
            "{} is not set (scripts/bench starts a throwaway cluster and sets it)",
            pg::URL_VAR
        );
        step(&format!("PostgreSQL: skipped, {why}"));
        report.extra("pg", json!({ "skipped": why }));
        return Ok(());
    };
    let mut cluster = pg::Cluster::connect(&url).await?;
    let outcome = pg_sections(cfg, spec, dir, report, machine, &mut cluster).await;
    cluster.close().await;
    outcome
}

/// Arranges a database on the cluster, then: the limit and the rush against one and against
/// two servers, rounds in turn, each on a fresh copy; then the roster pull.
async fn pg_sections(
    cfg: &Config,
    spec: &ServerSpec,
    dir: &Path,
    report: &mut Report,
    machine: &mut Map<String, Value>,
    cluster: &mut pg::Cluster,
) -> anyhow::Result<()> {
    machine.insert("postgres".into(), json!(cluster.version().await?));
    step(
        "PostgreSQL: arranging a database (the server's migrations, then accounts, offerings and the roster directly)",
    );
    let base = cluster.create("base", None).await?;
    let t = Instant::now();
    let plan = Plan {
        rush_users: cfg.users,
        rush_seats: cfg.seats,
        roster: cfg.roster,
        push_seats: 0,
    };
    let (accounts, organizer) = pg::arrange(&cluster.url_of(&base), &plan).await?;
    let arrange_s = round(t.elapsed().as_secs_f64(), 2);

    step(&format!(
        "PostgreSQL: the limit (the same writes directly), the rush against one server and against two ({} clients, {} seats), {} rounds",
        cfg.users, cfg.seats, cfg.rounds
    ));
    let mut limits: Vec<f64> = Vec::new();
    let mut rushes: [Vec<(RushResult, Value)>; 2] = [Vec::new(), Vec::new()];
    for round_no in 1..=cfg.rounds {
        let db = cluster
            .create(&format!("limit_{round_no}"), Some(&base))
            .await?;
        let (url, rush_accounts, seats) = (cluster.url_of(&db), accounts.clone(), cfg.seats);
        let direct = tokio::task::spawn_blocking(move || {
            pg::direct(&url, &rush_accounts, RUSH_OFFERING, seats)
        })
        .await?
        .with_context(|| format!("the PostgreSQL limit, round {round_no}"));
        cluster.drop_database(&db).await?;
        limits.push(direct?.per_s());
        for replicas in [1, 2] {
            let db = cluster
                .create(&format!("rush{replicas}_{round_no}"), Some(&base))
                .await?;
            let measured = pg_rush_round(
                spec,
                dir,
                &cluster.url_of(&db),
                &accounts,
                cfg,
                replicas,
                round_no,
            )
            .await;
            cluster.drop_database(&db).await?;
            rushes[replicas - 1].push(measured?);
        }
    }
    let limit_per_s = median(&limits);
    let mut extra = Map::new();
    extra.insert("arrange_s".into(), json!(arrange_s));
    extra.insert(
        "limit".into(),
        json!({
            "batch": limit::BATCH,
            "rounds_per_s": limits.iter().map(|x| round(*x, 0)).collect::<Vec<_>>(),
        }),
    );
    if let Some(limit) = limit_per_s {
        report.set("pg_limit_per_s", round(limit, 0));
    }
    report.set("pg_rush_seats", cfg.seats);
    for (key, rounds) in [("pg_rush", &rushes[0]), ("pg_rush_2r", &rushes[1])] {
        let per_s: Vec<f64> = rounds.iter().map(|(r, _)| r.per_s()).collect();
        let Some(m) = median_index(&per_s) else {
            continue;
        };
        // Every round was checked in full (answers and database); the median one is reported.
        let (r, _) = &rounds[m];
        report.set(&format!("{key}_per_s"), round(r.per_s(), 0));
        report.set(&format!("{key}_confirmed"), r.confirmed);
        if key == "pg_rush"
            && let Some(limit) = limit_per_s
        {
            report.set("pg_rush_vs_limit_ratio", round(r.per_s() / limit, 3));
        }
        extra.insert(
            key.into(),
            json!({
                "median_round": m + 1,
                "rounds": rounds.iter().map(|(r, cpu)| {
                    let mut round_json = r.extra();
                    for (k, v) in r.values() {
                        round_json[k] = v;
                    }
                    round_json["cpu"] = cpu.clone();
                    round_json
                }).collect::<Vec<_>>(),
            }),
        );
    }
    report.extra("pg", Value::Object(extra.clone()));

    step(&format!(
        "PostgreSQL: the organizer pulls a {}-person roster",
        cfg.roster
    ));
    let db = cluster.create("pull", Some(&base)).await?;
    let pulled = async {
        let server =
            ServerProcess::start_at(spec, &cluster.url_of(&db), false, &dir.join("pg-pull.log"))
                .await?;
        let pull = sync_paths::pull(&server.url, &organizer, cfg.roster).await;
        let stopped = server.stop().await;
        let pull = pull?;
        stopped?;
        anyhow::Ok(pull)
    }
    .await;
    cluster.drop_database(&db).await?;
    cluster.drop_database(&base).await?;
    let pull = pulled.context("the roster pull from a server on PostgreSQL")?;
    report.set("pg_roster_pull_s", round(pull.total.as_secs_f64(), 3));
    extra.insert("pull".into(), pull.json());
    report.extra("pg", Value::Object(extra));
    Ok(())
}

/// One round of the rush against `replicas` fresh servers on the PostgreSQL database `url`,
/// the clients' connections dealt out among them; the answers and the database are checked.
/// With each server's CPU time (PostgreSQL's own is in `other_cpu_s`).
async fn pg_rush_round(
    spec: &ServerSpec,
    dir: &Path,
    url: &str,
    accounts: &[seed::Account],
    cfg: &Config,
    replicas: usize,
    round_no: usize,
) -> anyhow::Result<(RushResult, Value)> {
    let mut servers = Vec::with_capacity(replicas);
    for i in 1..=replicas {
        let log = dir.join(format!("server-pg-{replicas}r-{round_no}-{i}.log"));
        match ServerProcess::start_at(spec, url, false, &log).await {
            Ok(server) => servers.push(server),
            Err(e) => {
                for server in servers {
                    let _ = server.stop().await;
                }
                return Err(e);
            }
        }
    }
    let outcome = async {
        let before = servers
            .iter()
            .map(|s| Cpu::now(s.pid()))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let urls: Vec<&str> = servers.iter().map(|s| s.url.as_str()).collect();
        let r = rush::run_on(
            &urls,
            rush::Database::Postgres(url),
            accounts,
            RUSH_OFFERING,
            Allocation::FirstCome { seats: cfg.seats },
            cfg.connections,
        )
        .await?;
        let mut cpu = Vec::new();
        for (server, before) in servers.iter().zip(before) {
            let mut c = before.since(&Cpu::now(server.pid())?);
            c["server_peak_rss_mb"] = json!(round(server.peak_rss_kib()? as f64 / 1024.0, 1));
            cpu.push(c);
        }
        anyhow::Ok((r, json!(cpu)))
    }
    .await;
    let mut stopped = Ok(());
    for server in servers {
        let s = server.stop().await;
        if stopped.is_ok() {
            stopped = s;
        }
    }
    let measured = outcome.with_context(|| {
        format!("the rush against {replicas} server(s) on PostgreSQL, round {round_no}")
    })?;
    stopped?;
    Ok(measured)
}
