//! Times the comment analysis: loading the embedded dictionary, tokenising,
//! and masking with keywords, on 100,000 comments (the masking corpus
//! repeated), on one thread and on all cores; then the whole `ishiki comments`
//! command (issue 22's budget: 100,000 comments analysed and the workbook
//! written in 10 s on two cores) on a synthetic year of 245,000 respondents,
//! about 100,000 of whom comment on the staff or the harassment survey
//! (synthesised once and cached under the target folder):
//! `cargo bench --bench comments`.

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result};
use ishiki::comments::{Masker, tokenize};
use rayon::prelude::*;

#[derive(serde::Deserialize)]
struct Record {
    text: String,
}

fn main() -> Result<()> {
    let corpus: Vec<Record> = serde_json::from_str(include_str!("../tests/fixtures/comments/corpus.json"))?;
    let comments: Vec<&str> = corpus.iter().map(|r| r.text.as_str()).cycle().take(100_000).collect();
    let chars: usize = comments.iter().map(|c| c.chars().count()).sum();
    let mut reader = csv::Reader::from_path("sample-data/org.csv").context("sample-data/org.csv")?;
    let mut names = Vec::new();
    for row in reader.records() {
        names.push(row?.get(2).unwrap_or_default().to_string());
    }

    let started = Instant::now();
    ishiki::comments::tokenize::load()?;
    println!("dictionary loaded in {:.0} ms", started.elapsed().as_secs_f64() * 1000.0);
    let masker = Masker::new(&names)?;
    println!("{} comments, {:.0} characters on average", comments.len(), chars as f64 / comments.len() as f64);

    let started = Instant::now();
    let mut tokens = 0;
    for comment in &comments {
        tokens += tokenize(comment)?.len();
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "tokenise, 1 thread: {seconds:.2} s, {:.0} comments/s, {:.0} tokens/s",
        comments.len() as f64 / seconds,
        tokens as f64 / seconds
    );

    let started = Instant::now();
    let masked: usize = comments.iter().map(|c| masker.analyse(c).masked.spans.len()).sum();
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "mask + keywords, 1 thread: {seconds:.2} s, {:.0} comments/s ({masked} spans)",
        comments.len() as f64 / seconds
    );

    let started = Instant::now();
    let masked: usize = comments.par_iter().map(|c| masker.analyse(c).masked.spans.len()).sum();
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "mask + keywords, {} threads: {seconds:.2} s, {:.0} comments/s ({masked} spans)",
        rayon::current_num_threads(),
        comments.len() as f64 / seconds
    );
    whole_command()
}

const RUNS: usize = 3;

/// Times `ishiki comments` on the synthetic year, median of [`RUNS`] runs.
fn whole_command() -> Result<()> {
    let bin = env!("CARGO_BIN_EXE_ishiki");
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("target"));
    let ws = target.join("bench-comments-100k");
    if !ws.join("responses").is_dir() {
        let _ = std::fs::remove_dir_all(&ws);
        let status = Command::new(bin)
            .args(["synth", &ws.to_string_lossy(), "--respondents", "245000", "--departments", "200"])
            .args(["--years", "2025..2025", "--seed", "7"])
            .status()
            .context("synth")?;
        anyhow::ensure!(status.success(), "synth failed");
    }
    let out = std::env::temp_dir().join("ishiki-bench-comments.xlsx");
    let mut walls = Vec::new();
    let mut report = String::new();
    for _ in 0..RUNS {
        let started = Instant::now();
        let output = Command::new(bin)
            .args(["comments", &ws.to_string_lossy(), "--year", "2025", "--out", &out.to_string_lossy()])
            .env("SOURCE_DATE_EPOCH", "1764000000")
            .env("ISHIKI_TRACE", "1")
            .output()
            .context("ishiki comments")?;
        walls.push(started.elapsed().as_secs_f64());
        anyhow::ensure!(output.status.success(), "ishiki comments: {}", String::from_utf8_lossy(&output.stderr));
        report = String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr);
    }
    // The sheets' comment counts, from the command's own summary lines (「記述 98670件」).
    let comments: usize =
        report.lines().filter_map(|l| l.split("記述 ").nth(1)?.split('件').next()?.parse::<usize>().ok()).sum();
    for line in report.lines().filter(|l| l.starts_with("[trace] ") && !l.starts_with("[trace]   ")) {
        println!("  {line}");
    }
    walls.sort_by(f64::total_cmp);
    let median = walls[walls.len() / 2];
    println!(
        "ishiki comments, {comments} comments (whole command, reading the year included): median {median:.2} s of {RUNS} (budget 10 s for 100,000: {})",
        if median <= 10.0 * comments as f64 / 100_000.0 { "met" } else { "not met" }
    );
    Ok(())
}
