//! The scores CSV against an independent implementation: tools/recompute_scores.py,
//! written from DESIGN.md alone (Python, numpy, scipy), recomputes every row —
//! scores, rates, deltas, p-values and which rows are suppressed under §5 —
//! and tools/compare_scores.py must find no difference. Workspaces are made by
//! `ishiki synth` with respondents who stop part-way, so values are withheld
//! by their own counts and by differencing inside shown groups.
//!
//! The driver analysis is checked the same way by tools/recompute_drivers.py,
//! the comparisons with the rest of the city and the changes from last year
//! with their Benjamini–Hochberg families by tools/recompute_comparisons.py, and
//! the harassment survey's withholding by tools/recompute_harassment.py.
//!
//! Needs python3 with numpy, scipy, openpyxl and xlrd (`.ci/run` installs them).

use std::path::Path;
use std::process::Command;

fn tools() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tools")
}

fn run(cmd: &mut Command) -> String {
    let output = cmd.output().expect("the command starts");
    assert!(
        output.status.success(),
        "{cmd:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).to_string()
}

fn agrees(synth: &[&str]) {
    let dir = tempfile::tempdir().expect("temp dir");
    let ws = dir.path().join("ws");
    let ours = dir.path().join("ishiki.csv");
    let theirs = dir.path().join("python.csv");
    run(Command::new(env!("CARGO_BIN_EXE_ishiki")).arg("synth").arg(&ws).args(synth));
    run(Command::new(env!("CARGO_BIN_EXE_ishiki")).arg("scores").arg(&ws).arg("--out").arg(&ours));
    run(Command::new("python3")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .arg(tools().join("recompute_scores.py"))
        .arg(&ws)
        .arg(&theirs));
    let summary = run(Command::new("python3")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .arg(tools().join("compare_scores.py"))
        .arg(&ours)
        .arg(&theirs));
    assert!(summary.contains(" 0 differ"), "{summary}");
    // The workspace must exercise the rule: rows withheld inside shown groups.
    let csv = std::fs::read_to_string(&ours).expect("csv");
    assert!(csv.lines().filter(|l| l.ends_with(",true")).count() > 100, "too little is suppressed to test");
}

#[test]
fn the_independent_recomputation_agrees_on_drop_outs() {
    agrees(&["--respondents", "900", "--departments", "60", "--years", "R4..R7", "--seed", "7", "--dropouts", "15"]);
}

#[test]
fn the_independent_recomputation_agrees_on_many_small_departments() {
    agrees(&["--respondents", "500", "--departments", "80", "--years", "R6..R7", "--seed", "3", "--dropouts", "30"]);
}

/// Synthesises a workspace (`synth` arguments), writes its scores JSON and
/// returns what `tools/<script> WORKSPACE JSON` prints.
fn json_checked_by(script: &str, synth: &[&str]) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let ws = dir.path().join("ws");
    let json = dir.path().join("scores.json");
    run(Command::new(env!("CARGO_BIN_EXE_ishiki")).arg("synth").arg(&ws).args(synth));
    run(Command::new(env!("CARGO_BIN_EXE_ishiki")).arg("scores").arg(&ws).arg("--out").arg(&json));
    run(Command::new("python3").env("PYTHONDONTWRITEBYTECODE", "1").arg(tools().join(script)).arg(&ws).arg(&json))
}

/// The driver analysis in the JSON against tools/recompute_drivers.py:
/// complete respondents, correlations, Johnson's relative weights, R² and
/// adjusted R², each group's own resample count, the bootstrap intervals
/// (numpy redraws the same resamples), the differences of neighbouring
/// shares, and the portfolio by DESIGN §10 (importance by the interval —
/// the organisation's for a group under 100 — and below the 目安 or
/// significantly below the rest of the city).
#[test]
fn the_independent_recomputation_agrees_on_the_drivers() {
    let summary = json_checked_by(
        "recompute_drivers.py",
        &["--respondents", "700", "--departments", "30", "--years", "R6..R7", "--seed", "11"],
    );
    assert!(summary.contains(" 0 differ"), "{summary}");
    let checked: usize = summary.split_whitespace().next().and_then(|n| n.parse().ok()).unwrap_or(0);
    // The organisation and several departments in each of the two years.
    assert!(checked >= 8 * 2 * 4, "too few groups analysed to test: {summary}");
    // Neighbouring shares compared, and groups small enough to borrow the organisation's importance.
    assert!(count_before(&summary, " rank differences") >= 7 * 2 * 4, "{summary}");
    assert!(count_before(&summary, " reference groups") > 0, "{summary}");
}

/// The number written just before `phrase` in a checker's summary (an
/// opening parenthesis before it ignored), or 0 when the phrase is absent.
fn count_before(summary: &str, phrase: &str) -> usize {
    summary
        .find(phrase)
        .and_then(|at| summary[..at].split_whitespace().last())
        .and_then(|n| n.trim_start_matches('(').parse().ok())
        .unwrap_or(0)
}

/// Each department against the rest of the organisation in the JSON against
/// tools/recompute_comparisons.py (scipy's Welch test and Benjamini–Hochberg):
/// differences from the rest of the city, p-values, adjusted p-values and
/// which are marked, for values and for items; and every change from last
/// year (through previous_codes) with its adjustment within its family.
#[test]
fn the_independent_recomputation_agrees_on_the_comparisons_with_the_city() {
    let summary = json_checked_by(
        "recompute_comparisons.py",
        &["--respondents", "800", "--departments", "40", "--years", "R6..R7", "--seed", "13", "--dropouts", "20"],
    );
    assert!(summary.contains(" 0 differ"), "{summary}");
    // Enough tests, and both decisions among them.
    let numbers: Vec<usize> = summary.split(|c: char| !c.is_ascii_digit()).filter_map(|n| n.parse().ok()).collect();
    let (checked, marked) = (numbers.first().copied().unwrap_or(0), numbers.get(1).copied().unwrap_or(0));
    assert!(checked > 200 && marked > 0 && marked < checked, "{summary}");
    // Items against the rest of the city, and changes in every kind of family.
    assert!(count_before(&summary, " item comparisons checked") > 200, "{summary}");
    assert!(count_before(&summary, " changes checked") > 1000, "{summary}");
    assert!(count_before(&summary, " with p)") > 1000, "{summary}");
    for family in ["city values", "city items", "department values", "cut values", "group items"] {
        assert!(count_after(&summary, &format!("{family}: ")) > 0, "no family of {family} checked: {summary}");
    }
}

/// The number written just after `prefix` in a checker's summary, or 0.
fn count_after(summary: &str, prefix: &str) -> usize {
    summary
        .find(prefix)
        .and_then(|at| summary[at + prefix.len()..].split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// The harassment survey in the JSON against tools/recompute_harassment.py:
/// groups and questions under the survey's own k, and every department's
/// share under DESIGN §5's rule for harassment answers (5 who chose it and 5
/// who did not, both counts under the differencing rule). Many small
/// departments, so that the rule withholds shares both ways.
#[test]
fn the_independent_recomputation_agrees_on_the_harassment_survey() {
    let summary = json_checked_by(
        "recompute_harassment.py",
        &["--respondents", "600", "--departments", "30", "--years", "R6..R7", "--seed", "5"],
    );
    assert!(summary.contains(" 0 differ"), "{summary}");
    let numbers: Vec<usize> = summary.split(|c: char| !c.is_ascii_digit()).filter_map(|n| n.parse().ok()).collect();
    let (shares, few, differenced) = (numbers[0], numbers[1], numbers[2]);
    assert!(few >= 20 && differenced >= 4 && shares > 2 * (few + differenced), "{summary}");
}
