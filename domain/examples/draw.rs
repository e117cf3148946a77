//! Night-school draws from the command line (the algorithm is specified in docs/draw.md).
//!
//! ```sh
//! # {"entries": [{"number": "K7Q2-0031", "tier": 1}, …], "seed": "<64 hex>", "public_value": "…",
//! #  "capacity": 3} in, the draw as the results page publishes it (JSON) out
//! cargo run -p domain --example draw -- publish < input.json
//! # a published draw in; "ok", or what does not match (and exit status 1)
//! cargo run -p domain --example draw -- verify < published.json
//! # `count` values of the generator's uniform(n) from the start of a draw seed's stream
//! cargo run -p domain --example draw -- uniform <draw seed hex> <n> <count>
//! # the server's side of a term's draws, timed: 650,000 applications over 400 courses
//! cargo run --release -p domain --example draw -- bench
//! ```
//!
//! `publish` is how docs/draw.md's Python reference implementation is checked against this
//! crate on random lists (domain/examples/draw_crosscheck.py).

use domain::draw::{
    ApplicationNumber, DrawResult, DrawSeed, Entry, FrozenList, Generator, PublicValue,
    PublishedDraw, PublishedEntry, Seed, draw, verify,
};
use serde::Deserialize;
use std::io::Read;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// What `publish` reads.
#[derive(Deserialize)]
struct Input {
    entries: Vec<PublishedEntry>,
    seed: String,
    public_value: String,
    capacity: u32,
}

fn main() -> ExitCode {
    let command = std::env::args().nth(1).unwrap_or_default();
    let result = match command.as_str() {
        "publish" => publish(),
        "verify" => check(),
        "uniform" => uniform(),
        "bench" => {
            bench();
            Ok(())
        }
        _ => Err("usage: draw publish|verify|bench|uniform (see the example's doc comment)".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

fn stdin() -> Result<String, String> {
    let mut s = String::new();
    std::io::stdin()
        .read_to_string(&mut s)
        .map_err(|e| e.to_string())?;
    Ok(s)
}

fn publish() -> Result<(), String> {
    let input: Input = serde_json::from_str(&stdin()?).map_err(|e| e.to_string())?;
    let list = FrozenList::from_pairs(input.entries.iter().map(|e| (e.number.as_str(), e.tier)))
        .map_err(|e| e.to_string())?;
    let seed = Seed::from_hex(&input.seed).ok_or("the seed is not 64 hex digits")?;
    let value = PublicValue::parse(&input.public_value).map_err(|e| e.to_string())?;
    let published = PublishedDraw::new(&list, &seed, &value, input.capacity);
    println!(
        "{}",
        serde_json::to_string_pretty(&published).map_err(|e| e.to_string())?
    );
    Ok(())
}

fn check() -> Result<(), String> {
    let published: PublishedDraw = serde_json::from_str(&stdin()?).map_err(|e| e.to_string())?;
    verify(&published).map_err(|e| e.to_string())?;
    println!("ok");
    Ok(())
}

fn uniform() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(2).collect();
    let [seed, n, count] = args.as_slice() else {
        return Err("uniform <draw seed hex> <n> <count>".into());
    };
    let seed = DrawSeed::from_hex(seed).ok_or("the draw seed is not 64 hex digits")?;
    let n: u64 = n.parse().map_err(|_| "n is not a number")?;
    let count: u64 = count.parse().map_err(|_| "count is not a number")?;
    if n == 0 {
        return Err("n must be at least 1".into());
    }
    let mut g = Generator::new(&seed);
    for _ in 0..count {
        println!("{}", g.uniform(n));
    }
    Ok(())
}

/// A term's draws as the server runs them: 400 courses, 650,000 applications, the popular
/// courses far more wanted than the others (course k's share proportional to 1/(k+1)). Timed:
/// freezing every list (sort, canonical text hashed), deriving every draw seed, every shuffle.
fn bench() {
    const COURSES: u32 = 400;
    const APPLICATIONS: u32 = 650_000;
    let weights: Vec<f64> = (0..COURSES).map(|k| 1.0 / f64::from(k + 1)).collect();
    let total: f64 = weights.iter().sum();
    let mut sizes: Vec<u32> = weights
        .iter()
        .map(|w| (w / total * f64::from(APPLICATIONS)) as u32)
        .collect();
    sizes[0] += APPLICATIONS - sizes.iter().sum::<u32>();
    let lists: Vec<Vec<Entry>> = sizes
        .iter()
        .enumerate()
        .map(|(course, &n)| {
            (0..n)
                .map(|i| Entry {
                    // An odd multiplier is a bijection modulo 2^20: distinct, scattered codes.
                    number: ApplicationNumber::from_codes(course as u32 * 2_654_435, i * 0x9E3B5),
                    tier: u8::from(i % 10 < 3),
                })
                .collect()
        })
        .collect();
    println!(
        "{COURSES} courses, {APPLICATIONS} applications, largest course {} applications",
        sizes[0]
    );

    let mut best = [Duration::MAX; 3];
    for round in 0..5u8 {
        let lists = lists.clone();
        let t0 = Instant::now();
        let frozen: Vec<FrozenList> = lists
            .into_iter()
            .map(|l| FrozenList::new(l).expect("distinct numbers"))
            .collect();
        let t1 = Instant::now();
        let value = PublicValue::parse("上证指数 3245.67").expect("a public value");
        let mut winners = 0;
        for (k, list) in frozen.iter().enumerate() {
            let seed = Seed::from_bytes([round ^ k as u8; 32]);
            let draw_seed = DrawSeed::derive(&seed, list.hash(), &value);
            winners += DrawResult::new(draw(list, &draw_seed), 25).winners.len();
        }
        let t2 = Instant::now();
        assert_eq!(winners, 400 * 25);
        for (slot, d) in best.iter_mut().zip([t1 - t0, t2 - t1, t2 - t0]) {
            *slot = (*slot).min(d);
        }
    }
    println!("best of 5 rounds, one core:");
    println!(
        "  freeze (sort, canonical text, list hash)  {:>8.1?}",
        best[0]
    );
    println!(
        "  draw (draw seed, generator, shuffle)      {:>8.1?}",
        best[1]
    );
    println!(
        "  all 400 draws                             {:>8.1?}",
        best[2]
    );

    // What a browser does for the largest course: verify its published draw.
    let list = FrozenList::new(lists[0].clone()).expect("distinct numbers");
    let published = PublishedDraw::new(
        &list,
        &Seed::from_bytes([9; 32]),
        &PublicValue::default(),
        25,
    );
    let t = Instant::now();
    verify(&published).expect("the server's own draw verifies");
    println!(
        "  verify the largest course ({} entries)  {:>8.1?}",
        list.len(),
        t.elapsed()
    );
}
