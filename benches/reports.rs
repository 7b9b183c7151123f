//! The report benchmarks of issues 4 and 5.
//!
//! Run with `cargo bench --bench reports`. It times, with the real `ishiki`
//! binary in a release build:
//! - the committee report of sample-data (`--only committee`; budget 1 s), and
//! - the packets of 200 departments (`--only departments`; budget 4 s, at least
//!   50 packets per second) on a synthetic workspace of 200 departments and two
//!   years (for trends), synthesised once and cached under the target folder.
//!
//! It also checks the layout of those 200 packets as the tests check
//! sample-data's (at most four pages, none less than a third full; needs
//! pdftotext from poppler-utils).

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

#[path = "../tests/cli/packet_pages.rs"]
mod packet_pages;

const RUNS: usize = 3;

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("target"))
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Runs ishiki; returns the wall time of the whole command and that of the
/// packet rendering alone (from its `ISHIKI_TRACE` line, when there is one).
fn run(bin: &str, args: &[&str]) -> (f64, Option<f64>) {
    let started = Instant::now();
    let output = Command::new(bin)
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1764000000")
        .env("ISHIKI_TRACE", "1")
        .output()
        .expect("run ishiki");
    let wall = started.elapsed().as_secs_f64();
    assert!(output.status.success(), "ishiki {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    let packets = String::from_utf8_lossy(&output.stderr)
        .lines()
        .find_map(|l| l.strip_prefix("[trace] packets: ").and_then(|v| v.trim_end_matches('s').parse().ok()));
    (wall, packets)
}

fn main() {
    let bin = env!("CARGO_BIN_EXE_ishiki");
    let sample = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    let out = std::env::temp_dir().join("ishiki-bench-reports");

    let committee: Vec<f64> = (0..RUNS)
        .map(|_| {
            let _ = std::fs::remove_dir_all(&out);
            run(
                bin,
                &[
                    "report",
                    &sample.to_string_lossy(),
                    "--year",
                    "R7",
                    "--out",
                    &out.to_string_lossy(),
                    "--only",
                    "committee",
                ],
            )
            .0
        })
        .collect();
    println!("committee report of sample-data (whole command): median {:.3} s (budget 1 s)", median(committee));

    let ws = target_dir().join("bench-reports-200");
    if !ws.join("responses").is_dir() {
        let _ = std::fs::remove_dir_all(&ws);
        let status = Command::new(bin)
            .args(["synth", &ws.to_string_lossy(), "--respondents", "20000", "--departments", "200"])
            .args(["--years", "2024..2025", "--seed", "5"])
            .status()
            .expect("synth");
        assert!(status.success());
    }
    let runs: Vec<(f64, Option<f64>)> = (0..RUNS)
        .map(|_| {
            let _ = std::fs::remove_dir_all(&out);
            run(
                bin,
                &[
                    "report",
                    &ws.to_string_lossy(),
                    "--year",
                    "2025",
                    "--out",
                    &out.to_string_lossy(),
                    "--only",
                    "departments",
                ],
            )
        })
        .collect();
    let written = std::fs::read_dir(out.join("departments")).map(|d| d.count()).unwrap_or(0);
    let wall = median(runs.iter().map(|r| r.0).collect());
    let traced: Vec<f64> = runs.iter().filter_map(|r| r.1).collect();
    let rendering = if traced.is_empty() { f64::NAN } else { median(traced) };
    println!(
        "packets: {written} departments, whole command {wall:.3} s (reading and aggregating included) = {:.0} packets/s",
        written as f64 / wall
    );
    println!(
        "packets: rendering alone {rendering:.3} s = {:.0} packets/s (budget 4 s, 50/s), median of {RUNS}",
        written as f64 / rendering
    );
    let packets = packet_pages::packet_fills(&out.join("departments"));
    let problems = packet_pages::layout_problems(&packets);
    let (most, least) = packet_pages::summary(&packets);
    println!(
        "packets: at most {most} pages, the least-filled page {:.0}% full (rule: ≤ {} pages, ≥ {:.0}%)",
        least * 100.0,
        packet_pages::MAX_PAGES,
        packet_pages::MIN_FILL * 100.0
    );
    assert!(problems.is_empty(), "packets breaking the layout rule: {problems:#?}");
}
