//! A `report` killed at any moment leaves every output either as it was or
//! as the new run writes it, never half a file (README「途中で止まったとき」).
//!
//! The old outputs are one run's (report date 2025-11-25), the new another's
//! (2025-11-26, so that every file differs). `report` is started over the old
//! ones and killed: some runs after a delay spread over the whole run, most
//! within the last milliseconds, when finished files are moved into place (the
//! run says when it starts moving them on its trace output). Afterwards each
//! file must be byte-identical to its old or its new version, and the next
//! run must write the new outputs and leave no temporary or lock file.
//!
//! Stopped by Ctrl+C (SIGINT) or SIGTERM instead, while it writes, a run
//! removes everything it made and exits 130 or 143 with one Japanese line
//! (README「途中で止まったとき」). What a killed run leaves, the next run
//! removes at once; a run into a folder another live run is writing to stops
//! without touching it. These runs report sample-data, whose packets take
//! seconds to render: a run that has said it staged the committee report is
//! still writing.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStderr, Command, Stdio};
use std::time::{Duration, Instant};

use ishiki::export::LOCK_FILE;

use crate::harness::{copy_dir, fixture, snapshot};

/// Fractions of a whole run's time after which `report` is killed.
const KILL_DURING_RUN: [f64; 6] = [0.1, 0.3, 0.5, 0.7, 0.9, 1.0];
/// Microseconds after the run says it starts moving its files (each with jitter).
const KILL_DURING_MOVES: [u64; 16] = [0, 0, 20, 50, 100, 150, 200, 300, 400, 500, 700, 1000, 1500, 2000, 3000, 5000];

fn report(out: &Path, date: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ishiki"));
    cmd.arg("report")
        .arg(fixture("valid"))
        .args(["--year", "R6", "--date", date, "--out"])
        .arg(out)
        .env_remove("ISHIKI_TRACE")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

fn is_temporary(name: &str) -> bool {
    name.rsplit('/').next().is_some_and(|f| f.starts_with(".ishiki-") && f.ends_with(".tmp"))
}

/// Whether a file is a temporary or lock file, never an output.
fn is_leftover(name: &str) -> bool {
    is_temporary(name) || name.rsplit('/').next() == Some(LOCK_FILE)
}

/// The temporary and lock files under `dir`.
fn leftovers(dir: &Path) -> Vec<String> {
    snapshot(dir).into_keys().filter(|name| is_leftover(name)).collect()
}

fn outputs(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    // Files only (the snapshot names folders too, with a trailing `/`).
    snapshot(dir).into_iter().filter(|(name, _)| !name.ends_with('/') && !is_leftover(name)).collect()
}

/// A number in [0, 1) from a clock-seeded generator (the seed is printed on failure).
fn jitter(seed: &mut u64) -> f64 {
    *seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    (*seed >> 11) as f64 / (1u64 << 53) as f64
}

/// When to kill a run.
#[derive(Debug, Clone, Copy)]
enum KillAt {
    /// This long after the start.
    After(Duration),
    /// This long after the run says it starts moving its files into place.
    IntoTheMoves(Duration),
}

fn kill_report(out: &Path, at: KillAt) {
    let mut cmd = report(out, "2025-11-26");
    match at {
        KillAt::After(delay) => {
            let mut child = cmd.spawn().expect("start report");
            std::thread::sleep(delay);
            let _ = child.kill();
            let _ = child.wait();
        }
        KillAt::IntoTheMoves(delay) => {
            let mut child = cmd.env("ISHIKI_TRACE", "1").stderr(Stdio::piped()).spawn().expect("start report");
            let stderr = child.stderr.take().expect("stderr");
            for line in std::io::BufReader::new(stderr).lines() {
                if line.is_ok_and(|l| l.starts_with("[trace] staged")) {
                    break;
                }
            }
            if !delay.is_zero() {
                std::thread::sleep(delay);
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

#[test]
fn a_report_killed_at_any_moment_leaves_each_output_old_or_new() {
    let dir = tempfile::tempdir().expect("temp dir");
    let old_dir = dir.path().join("old");
    let new_dir = dir.path().join("new");
    assert!(report(&old_dir, "2025-11-25").status().expect("run").success());
    let started = Instant::now();
    assert!(report(&new_dir, "2025-11-26").status().expect("run").success());
    let whole_run = started.elapsed();
    let old = outputs(&old_dir);
    let new = outputs(&new_dir);
    assert!(old.len() > 3, "the run writes several outputs");
    assert_eq!(old.keys().collect::<Vec<_>>(), new.keys().collect::<Vec<_>>());
    let same: Vec<&String> = old.iter().filter(|(name, bytes)| new[*name] == **bytes).map(|(name, _)| name).collect();
    assert!(same.is_empty(), "every output differs between the two runs: {same:?}");

    let mut seed =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(1);
    let first_seed = seed;
    let mut kills: Vec<KillAt> = Vec::new();
    for fraction in KILL_DURING_RUN {
        kills.push(KillAt::After(whole_run.mul_f64(fraction * (0.9 + 0.2 * jitter(&mut seed)))));
    }
    for micros in KILL_DURING_MOVES {
        kills.push(KillAt::IntoTheMoves(Duration::from_micros(micros).mul_f64(0.8 + 0.4 * jitter(&mut seed))));
    }

    let mut tally: BTreeMap<&str, usize> = BTreeMap::new();
    for (run, at) in kills.into_iter().enumerate() {
        let out = dir.path().join(format!("run{run}"));
        copy_dir(&old_dir, &out).expect("copy the old outputs");
        kill_report(&out, at);

        let after = outputs(&out);
        let context = format!("run {run}, killed {at:?} (a whole run takes {whole_run:?}; seed {first_seed})");
        assert_eq!(after.keys().collect::<Vec<_>>(), old.keys().collect::<Vec<_>>(), "{context}");
        let mut new_files = 0;
        for (name, bytes) in &after {
            if *bytes == new[name] {
                new_files += 1;
            } else {
                assert!(*bytes == old[name], "{name} is neither the old nor the new file: {context}");
            }
        }
        *tally
            .entry(match new_files {
                0 => "all old",
                n if n == after.len() => "all new",
                _ => "some moved",
            })
            .or_default() += 1;

        // The next run writes everything anew, and removes what the killed one left.
        assert!(report(&out, "2025-11-26").status().expect("run").success(), "{context}");
        assert!(outputs(&out) == new, "a run after the killed one writes the new outputs: {context}");
        assert_eq!(leftovers(&out), Vec::<String>::new(), "{context}");
    }
    eprintln!("killed runs: {tally:?} (a whole run takes {whole_run:?}; seed {first_seed})");
    assert!(
        tally.get("all old").is_some_and(|&n| n > 0) && tally.len() > 1,
        "the kills reached both before and into the moves: {tally:?}"
    );
}

/// Starts `report` of sample-data into `out` and returns it once it has staged
/// the committee report (its temporary file is in `out`; the packets, seconds
/// of work, are being rendered), with the rest of its stderr to read.
fn writing_sample_data(out: &Path) -> (Child, BufReader<ChildStderr>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ishiki"))
        .arg("report")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data"))
        .args(["--year", "R7", "--date", "2025-11-26", "--out"])
        .arg(out)
        .env("ISHIKI_TRACE", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start report");
    let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
    let mut line = String::new();
    loop {
        line.clear();
        let read = stderr.read_line(&mut line).expect("read stderr");
        assert!(read > 0, "report ended before it staged the committee report");
        if line.starts_with("[trace] committee") {
            break;
        }
    }
    let temporaries: Vec<String> = leftovers(out).into_iter().filter(|n| is_temporary(n)).collect();
    assert!(!temporaries.is_empty(), "the run is writing: {:?}", snapshot(out).keys());
    (child, stderr)
}

/// Sends `signal` (`INT`, `TERM`) to a run that is writing into `out`; returns
/// its exit code and what it printed afterwards (trace lines aside).
#[cfg(unix)]
fn stopped_by(signal: &str, out: &Path) -> (Option<i32>, Vec<String>) {
    let (mut child, mut stderr) = writing_sample_data(out);
    let sent = Command::new("kill").args(["-s", signal, &child.id().to_string()]).status().expect("run kill");
    assert!(sent.success(), "kill -s {signal}");
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).expect("read stderr");
    let code = child.wait().expect("wait").code();
    (code, rest.lines().filter(|l| !l.starts_with("[trace]")).map(String::from).collect())
}

/// The line a run stopped while writing prints.
#[cfg(unix)]
const STOPPED: &str = "中断しました。作成途中のファイルは削除し、出力先は実行前のままです。";

/// Ctrl+C while writing over an earlier run's outputs: exit 130, the line,
/// and the folder exactly as it was (no temporary, lock or half-made file,
/// no departments/ folder the run made).
#[test]
#[cfg(unix)]
fn ctrl_c_removes_what_the_run_made_and_exits_130() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("報告書");
    std::fs::create_dir(&out).expect("out");
    std::fs::write(out.join("committee_2025.pdf"), "前回の報告書").expect("an earlier output");
    let before = snapshot(&out);
    let (code, printed) = stopped_by("INT", &out);
    assert_eq!(code, Some(130), "{printed:?}");
    assert_eq!(printed, [STOPPED]);
    let after = snapshot(&out);
    assert!(after == before, "the folder is as it was: {:?}", after.keys());
}

/// SIGTERM while writing into a new folder: exit 143, the line, and no folder.
#[test]
#[cfg(unix)]
fn sigterm_removes_what_the_run_made_and_exits_143() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("new").join("報告書");
    let (code, printed) = stopped_by("TERM", &out);
    assert_eq!(code, Some(143), "{printed:?}");
    assert_eq!(printed, [STOPPED]);
    assert!(!dir.path().join("new").exists(), "the folders the run made are gone: {:?}", snapshot(dir.path()).keys());
}

/// A run killed (SIGKILL: nothing of it runs) leaves its temporary files and
/// lock file; the next run into the folder removes them at once, however new.
#[test]
fn what_a_killed_run_left_the_next_run_removes_at_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let (mut child, _stderr) = writing_sample_data(&out);
    child.kill().expect("kill");
    child.wait().expect("wait");
    let left = leftovers(&out);
    assert!(left.iter().any(|n| n == LOCK_FILE) && left.iter().any(|n| is_temporary(n)), "{left:?}");
    assert!(report(&out, "2025-11-26").status().expect("run").success());
    assert_eq!(leftovers(&out), Vec::<String>::new());
}

/// A second run into a folder a live run is writing to says so, exits 1 and
/// touches nothing there; the first run goes on to write everything.
#[test]
fn a_second_run_into_a_folder_being_written_stops_and_leaves_it_alone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let (mut first, mut first_stderr) = writing_sample_data(&out);
    let during: Vec<PathBuf> = leftovers(&out).iter().map(|n| out.join(n)).collect();
    let second = report(&out, "2025-11-26").stderr(Stdio::piped()).output().expect("run");
    assert_eq!(second.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert_eq!(
        stderr.trim_end(),
        format!(
            "エラー: 別の ishiki が {} に書き出している最中です。その実行が終わってから、もう一度実行してください（この実行は何も書き出していません）",
            out.display()
        )
    );
    let gone: Vec<&PathBuf> = during.iter().filter(|p| !p.exists()).collect();
    assert!(gone.is_empty(), "the live run's files are kept: {gone:?} are gone");
    let mut rest = String::new();
    first_stderr.read_to_string(&mut rest).expect("read stderr");
    assert!(first.wait().expect("wait").success(), "{rest}");
    assert!(out.join("committee_2025.pdf").is_file() && out.join("scores_2025.xlsx").is_file());
    assert_eq!(leftovers(&out), Vec::<String>::new());
}
