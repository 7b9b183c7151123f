//! A `report` killed at any moment leaves every output either as it was or
//! as the new run writes it, never half a file (README「途中で止まったとき」).
//!
//! The old outputs are one run's (report date 2025-11-25), the new another's
//! (2025-11-26, so that every file differs). `report` is started over the old
//! ones and killed: some runs after a delay spread over the whole run, most
//! within the last milliseconds, when finished files are moved into place (the
//! run says when it starts moving them on its trace output). Afterwards each
//! file must be byte-identical to its old or its new version, and the next
//! run must write the new outputs.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

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

fn outputs(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    // Files only (the snapshot names folders too, with a trailing `/`).
    snapshot(dir).into_iter().filter(|(name, _)| !name.ends_with('/') && !is_temporary(name)).collect()
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

        // The next run writes everything anew (a killed run's temporaries aside).
        assert!(report(&out, "2025-11-26").status().expect("run").success(), "{context}");
        assert!(outputs(&out) == new, "a run after the killed one writes the new outputs: {context}");
    }
    eprintln!("killed runs: {tally:?} (a whole run takes {whole_run:?}; seed {first_seed})");
    assert!(
        tally.get("all old").is_some_and(|&n| n > 0) && tally.len() > 1,
        "the kills reached both before and into the moves: {tally:?}"
    );
}
