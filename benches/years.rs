//! The four-year scale benchmark of issue 10: 1,000,000 synthetic respondents
//! in each of four fiscal years (R4–R7) and 200 departments, end to end:
//! `scores` to the scores CSV and to the workbook, and `report` (the committee
//! report and one packet per department), each within 4 GB of memory.
//!
//! Run with `cargo bench --bench years`. It synthesises the workspace once
//! (cached under the target directory; about 470 MB of CSV), then runs each
//! command in a child process of its own, which reports its wall time and
//! its peak resident memory (`VmHWM`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

mod common;

const RESPONDENTS: usize = 1_000_000;
const DEPARTMENTS: usize = 200;
const YEARS: &str = "2022..2025";
/// The memory budget of issue 10.
const BUDGET_MB: f64 = 4096.0;

fn workspace_dir() -> PathBuf {
    common::cached_workspace(&format!("bench-years-{RESPONDENTS}-{DEPARTMENTS}"))
}

/// In the child: run one command in-process, then print its wall time and peak RSS.
fn child(which: &str, ws: &Path, out: &Path) {
    let date = ishiki::clock::Date { year: 2026, month: 1, day: 1 };
    let started = Instant::now();
    let result = match which {
        "scores-csv" | "scores-xlsx" => ishiki::cmd::scores::execute(ishiki::cmd::scores::Options {
            workspace: ws.to_path_buf(),
            year: None,
            out: out.join(if which == "scores-csv" { "scores.csv" } else { "scores.xlsx" }),
            format: if which == "scores-csv" { ishiki::export::Format::Csv } else { ishiki::export::Format::Xlsx },
            date,
        }),
        _ => ishiki::cmd::report::execute(ishiki::cmd::report::Options {
            workspace: ws.to_path_buf(),
            year: ishiki::config::year::FiscalYear(2025),
            out: out.join("report"),
            only: None,
            department: None,
            templates: None,
            date,
            comments: None,
        }),
    };
    if let Err(e) = result {
        eprintln!("{which} failed: {e:#}");
        std::process::exit(1);
    }
    println!("wall_s {:.3}", started.elapsed().as_secs_f64());
    println!("peak_rss_kb {}", common::peak_rss_kb().unwrap_or(0));
}

fn field(stdout: &str, name: &str) -> f64 {
    stdout.lines().find_map(|l| l.strip_prefix(name).and_then(|v| v.trim().parse().ok())).unwrap_or(f64::NAN)
}

fn main() {
    let ws = workspace_dir();
    let out = std::env::temp_dir().join("ishiki-bench-years");
    if let Some(which) = std::env::var_os("ISHIKI_BENCH_CHILD") {
        child(&which.to_string_lossy(), &ws, &out);
        return;
    }
    let bin = env!("CARGO_BIN_EXE_ishiki");
    if !ws.join("responses").is_dir() {
        let _ = std::fs::remove_dir_all(&ws);
        let started = Instant::now();
        let status = Command::new(bin)
            .args(["synth", &ws.to_string_lossy()])
            .args(["--respondents", &RESPONDENTS.to_string(), "--departments", &DEPARTMENTS.to_string()])
            .args(["--years", YEARS, "--seed", "1"])
            .status()
            .expect("run ishiki synth");
        assert!(status.success(), "synth failed");
        println!("synth: {RESPONDENTS} respondents × 4 years in {:.1} s", started.elapsed().as_secs_f64());
    }
    let csv_mb: f64 = std::fs::read_dir(ws.join("responses"))
        .map(|d| d.flatten().filter_map(|e| e.metadata().ok()).map(|m| m.len() as f64 / 1e6).sum())
        .unwrap_or(0.0);
    println!("input: {} ({csv_mb:.0} MB of responses)", ws.display());
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).expect("output folder");
    let me = std::env::current_exe().expect("own path");
    let mut over = Vec::new();
    for which in ["scores-csv", "scores-xlsx", "report"] {
        let run = Command::new(&me).env("ISHIKI_BENCH_CHILD", which).output().expect("run the child");
        assert!(run.status.success(), "{which} failed: {}", String::from_utf8_lossy(&run.stderr));
        let stdout = String::from_utf8_lossy(&run.stdout);
        let peak_mb = field(&stdout, "peak_rss_kb ") / 1024.0;
        println!("{which:12} wall {:7.2} s   peak RSS {peak_mb:6.0} MB", field(&stdout, "wall_s "));
        if peak_mb.is_nan() || peak_mb > BUDGET_MB {
            over.push(which);
        }
    }
    let packets = std::fs::read_dir(out.join("report/departments")).map(|d| d.count()).unwrap_or(0);
    println!("report: {packets} department packets");
    println!(
        "memory budget {BUDGET_MB:.0} MB: {}",
        if over.is_empty() { "met".to_string() } else { format!("exceeded by {over:?}") }
    );
}
