//! The scale benchmark of issue 3: one year of 1,000,000 synthetic respondents
//! in 200 departments, timed from the CSV to the scores CSV.
//!
//! Run with `cargo bench --bench scale`. It synthesises the workspace once
//! (cached under the target directory), then runs the real `ishiki scores`
//! binary several times and reports the wall time of each run, and the peak
//! memory of one more run measured inside a child process (`VmHWM`).
//! Budget (issue 3): at most 1 s wall and 1.5 GB peak RSS on two cores.
//! Target (issue 10): at least eight times faster than the same computation in
//! pandas (`tools/pandas_scores.py`); when pandas is installed the two run in
//! turn and the ratio is printed run by run.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

mod common;

const RESPONDENTS: usize = 1_000_000;
const DEPARTMENTS: usize = 200;
const RUNS: usize = 5;

fn workspace_dir() -> PathBuf {
    common::cached_workspace(&format!("bench-scale-{RESPONDENTS}-{DEPARTMENTS}"))
}

fn machine() -> String {
    let cpus = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| m.lines().next().map(|l| l.split_whitespace().nth(1).unwrap_or("0").parse::<u64>().unwrap_or(0)))
        .unwrap_or(0);
    format!("{cpus} cores, {model}, {:.0} GiB RAM", mem as f64 / 1024.0 / 1024.0)
}

/// In the child: run `scores` in-process and print the peak RSS.
fn child(ws: &Path, out: &Path) {
    let date = ishiki::clock::Date { year: 2026, month: 1, day: 1 };
    let opts = ishiki::cmd::scores::Options {
        workspace: ws.to_path_buf(),
        year: None,
        out: out.to_path_buf(),
        format: ishiki::export::Format::Csv,
        date,
    };
    if let Err(e) = ishiki::cmd::scores::execute(opts) {
        eprintln!("scores failed: {e:#}");
        std::process::exit(1);
    }
    println!("peak_rss_kb {}", common::peak_rss_kb().unwrap_or(0));
}

fn main() {
    let ws = workspace_dir();
    let out = std::env::temp_dir().join("ishiki-bench-scores.csv");
    if std::env::var_os("ISHIKI_BENCH_CHILD").is_some() {
        child(&ws, &out);
        return;
    }
    let bin = env!("CARGO_BIN_EXE_ishiki");
    println!("machine: {}", machine());
    if !ws.join("responses").is_dir() {
        let _ = std::fs::remove_dir_all(&ws);
        let started = Instant::now();
        let status = Command::new(bin)
            .args(["synth", &ws.to_string_lossy()])
            .args(["--respondents", &RESPONDENTS.to_string(), "--departments", &DEPARTMENTS.to_string()])
            .args(["--years", "2025..2025", "--seed", "1"])
            .status()
            .expect("run ishiki synth");
        assert!(status.success(), "synth failed");
        println!(
            "synth: {RESPONDENTS} respondents, {DEPARTMENTS} departments in {:.2} s",
            started.elapsed().as_secs_f64()
        );
    }
    let csv_bytes = std::fs::metadata(ws.join("responses/2025.csv")).map(|m| m.len()).unwrap_or(0);
    println!("input: {} ({:.0} MB)", ws.join("responses/2025.csv").display(), csv_bytes as f64 / 1e6);
    // The yardstick of issue 10: the same computation in pandas, run in turn
    // with ishiki (A B A B ...) so the ratio holds when the machine drifts.
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tools/pandas_scores.py");
    let has_pandas =
        Command::new("python3").args(["-c", "import pandas"]).output().map(|o| o.status.success()).unwrap_or(false);
    if !has_pandas {
        println!("pandas is not installed: the ratio to tools/pandas_scores.py is skipped (pip install pandas==2.3.3)");
    }
    let pandas_out = std::env::temp_dir().join("ishiki-bench-pandas.csv");
    let mut walls = Vec::new();
    let mut ratios = Vec::new();
    for run in 1..=RUNS {
        let started = Instant::now();
        let output = Command::new(bin)
            .args(["scores", &ws.to_string_lossy(), "--out", &out.to_string_lossy()])
            .output()
            .expect("run ishiki scores");
        let wall = started.elapsed().as_secs_f64();
        assert!(output.status.success(), "scores failed: {}", String::from_utf8_lossy(&output.stderr));
        walls.push(wall);
        if !has_pandas {
            println!("run {run}: {wall:.3} s");
            continue;
        }
        let started = Instant::now();
        let output =
            Command::new("python3").arg(&script).args([&ws, &pandas_out]).output().expect("run tools/pandas_scores.py");
        let pandas = started.elapsed().as_secs_f64();
        assert!(output.status.success(), "pandas script failed: {}", String::from_utf8_lossy(&output.stderr));
        println!("run {run}: ishiki {wall:.3} s, pandas {pandas:.3} s, ratio {:.2}", pandas / wall);
        ratios.push(pandas / wall);
    }
    ratios.sort_by(f64::total_cmp);
    walls.sort_by(f64::total_cmp);
    let rows = std::fs::read_to_string(&out).map(|s| s.lines().count().saturating_sub(1)).unwrap_or(0);
    let me = std::env::current_exe().expect("own path");
    let child = Command::new(me).env("ISHIKI_BENCH_CHILD", "1").output().expect("run the memory child");
    let rss_kb: u64 = String::from_utf8_lossy(&child.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("peak_rss_kb ").and_then(|v| v.trim().parse().ok()))
        .unwrap_or(0);
    println!();
    println!("scores CSV: {rows} rows");
    println!(
        "wall time (ishiki scores, CSV in → scores CSV out): median {:.3} s, min {:.3} s, max {:.3} s (budget 1 s)",
        walls[RUNS / 2],
        walls[0],
        walls[RUNS - 1]
    );
    println!("peak RSS: {:.0} MB (budget 1,500 MB)", rss_kb as f64 / 1024.0);
    if let (Some(low), Some(high)) = (ratios.first(), ratios.last()) {
        println!(
            "pandas script ÷ ishiki, run by run: median {:.2}, min {low:.2}, max {high:.2} (target at least 8)",
            ratios[ratios.len() / 2]
        );
    }
}
