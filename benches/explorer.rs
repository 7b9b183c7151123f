//! The explorer's benchmark (issue 23, point 5).
//!
//! Run with `cargo bench --bench explorer`. On a synthetic workspace of 200
//! departments × 4 years (20,000 respondents a year; synthesised once and
//! cached under the target folder) it runs `report --only explorer` with the
//! real binary and reports, as the median of five runs, the time the
//! explorer takes to build and stage (its `ISHIKI_TRACE` line; budget 1 s)
//! beside the whole command (reading and aggregating included), and the
//! file's size (budget 3 MB).

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

// Only the cached workspace's folder is used here, not the memory probe.
#[allow(dead_code)]
mod common;

const RUNS: usize = 5;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let bin = env!("CARGO_BIN_EXE_ishiki");
    let ws = common::cached_workspace("bench-explorer-200");
    if !ws.join("responses").is_dir() {
        let _ = std::fs::remove_dir_all(&ws);
        let status = Command::new(bin)
            .args(["synth", &ws.to_string_lossy(), "--respondents", "20000", "--departments", "200"])
            .args(["--years", "2022..2025", "--seed", "5"])
            .status()
            .expect("synth");
        assert!(status.success());
    }
    let out: PathBuf = std::env::temp_dir().join("ishiki-bench-explorer");
    let mut explorer = Vec::new();
    let mut whole = Vec::new();
    for _ in 0..RUNS {
        let _ = std::fs::remove_dir_all(&out);
        let started = Instant::now();
        let output = Command::new(bin)
            .args(["report", &ws.to_string_lossy(), "--year", "2025", "--out", &out.to_string_lossy()])
            .args(["--only", "explorer"])
            .env("ISHIKI_TRACE", "1")
            .output()
            .expect("run ishiki");
        whole.push(started.elapsed().as_secs_f64());
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let seconds = String::from_utf8_lossy(&output.stderr)
            .lines()
            .find_map(|l| l.strip_prefix("[trace] explorer: ").and_then(|v| v.trim_end_matches('s').parse().ok()))
            .expect("the explorer's trace line");
        explorer.push(seconds);
    }
    let size = std::fs::metadata(out.join("explorer_2025.html")).expect("written").len();
    println!(
        "explorer of 200 departments × 4 years: built and staged in a median {:.3} s (budget 1 s); whole command {:.2} s; {size} bytes (budget {})",
        median(explorer),
        median(whole),
        3 * 1024 * 1024
    );
}
