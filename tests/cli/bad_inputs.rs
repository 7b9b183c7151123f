//! The bad-input corpus (`tests/fixtures/bad_inputs/`): real-world mistakes
//! made with the 80 respondents of 令和7年度 of `tests/fixtures/form_exports/`,
//! each described in `cases.toml` and made by `make_bad_inputs.py`.
//!
//! Every case gets a workspace of its own: the form_exports survey.toml,
//! plan.toml and org.csv, and in `responses/` only the case's files. A case
//! whose intent is clear (`expect = "same-scores"`) must give the plain
//! export's scores CSV byte for byte; any other must be refused by `check`
//! with exactly its located Japanese problems (exit code 1, nothing on
//! stdout), and `scores` on it must write nothing. No run may change an
//! input. The one test runs every case and lists every case that failed.

use std::collections::BTreeSet;
use std::path::Path;

use serde::Deserialize;

use crate::harness::{self, Run, Sandbox, fixture, summary_line};

/// The corpus needs at least this many cases.
const AT_LEAST: usize = 45;

/// The scores file the cases write, in the sandbox (outside the workspace).
const OUT: &str = "scores.csv";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Corpus {
    case: Vec<Case>,
}

/// One `[[case]]` of cases.toml.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// The folder under bad_inputs/.
    name: String,
    /// What the user did wrong (one Japanese sentence).
    mistake: String,
    /// `"same-scores"`: the scores CSV of the plain export.
    expect: Option<String>,
    /// The problems `check` must print, without `エラー: `.
    errors: Option<Vec<String>>,
    /// Texts that must each appear in a `注意: ` line.
    #[serde(default)]
    notes: Vec<String>,
}

/// What a case must give.
enum Expected<'a> {
    SameScores,
    Errors(&'a [String]),
}

impl Case {
    fn expected(&self) -> Result<Expected<'_>, String> {
        match (self.expect.as_deref(), &self.errors) {
            (Some("same-scores"), None) => Ok(Expected::SameScores),
            (None, Some(errors)) if !errors.is_empty() => Ok(Expected::Errors(errors)),
            _ => Err("needs either expect = \"same-scores\" or a non-empty errors list".into()),
        }
    }
}

/// A workspace of tests/fixtures/form_exports with `responses/` holding `files` (a folder).
fn workspace(files: &Path) -> Sandbox {
    let sb = Sandbox::empty();
    for f in ["survey.toml", "plan.toml", "org.csv"] {
        sb.copy_fixture(&format!("form_exports/{f}"), f);
    }
    harness::copy_dir(files, &sb.path("responses")).expect("copy the case's files");
    sb
}

/// The first lines of a run, to show in a failure.
fn shown(run: &Run) -> String {
    let text = run.to_string();
    let lines: Vec<&str> = text.lines().collect();
    let mut out = lines.iter().take(12).map(|l| format!("      {l}\n")).collect::<String>();
    if lines.len() > 12 {
        out += &format!("      …（ほか{}行）\n", lines.len() - 12);
    }
    out
}

/// Runs one case; returns what went wrong (empty when it passed).
fn run_case(case: &Case, plain: &[u8]) -> Vec<String> {
    let mut wrong = Vec::new();
    let expected = match case.expected() {
        Ok(e) => e,
        Err(e) => return vec![e],
    };
    let files = fixture(&format!("bad_inputs/{}/responses", case.name));
    if !files.is_dir() {
        return vec![format!("no folder {}", files.display())];
    }
    let sb = workspace(&files);
    let inputs = sb.snapshot();
    let notes_of = |run: &Run, wrong: &mut Vec<String>| {
        for note in &case.notes {
            if !run.notes().iter().any(|n| n.contains(note.as_str())) {
                wrong.push(format!("no note contains {note:?}; notes: {:?}", run.notes()));
            }
        }
    };
    match expected {
        Expected::SameScores => {
            let run = sb.run(&["scores", harness::WS, "--out", OUT]);
            if run.code != 0 || !run.errors().is_empty() {
                wrong.push(format!("scores should succeed and give the plain export's scores\n{}", shown(&run)));
            } else {
                match std::fs::read(sb.root().join(OUT)) {
                    Ok(csv) if csv == plain => {}
                    Ok(csv) => {
                        let csv = String::from_utf8_lossy(&csv);
                        let plain = String::from_utf8_lossy(plain);
                        let (k, (got, want)) = csv
                            .lines()
                            .zip(plain.lines())
                            .enumerate()
                            .find(|(_, (a, b))| a != b)
                            .map(|(k, pair)| (k + 1, pair))
                            .unwrap_or((csv.lines().count().min(plain.lines().count()) + 1, ("(end)", "(end)")));
                        wrong.push(format!(
                            "the scores differ from the plain export's ({} lines, plain {}); first at line {k}:\n      got  {got}\n      want {want}",
                            csv.lines().count(),
                            plain.lines().count()
                        ));
                    }
                    Err(e) => wrong.push(format!("scores wrote no {OUT}: {e}")),
                }
            }
            notes_of(&run, &mut wrong);
            let mut after = sb.snapshot();
            after.remove(OUT);
            if after != inputs {
                wrong.push("an input was changed or a file added beside the inputs".into());
            }
        }
        Expected::Errors(errors) => {
            let run = sb.check();
            let got: Vec<&str> = run.errors();
            let want: Vec<&str> = errors.iter().map(String::as_str).collect();
            if run.code != 1 || got != want {
                let mut s = format!("check should exit 1 with exactly these problems (exit {}):\n", run.code);
                for (label, lines) in [("want", &want), ("got ", &got)] {
                    for line in lines.iter() {
                        s += &format!("      {label} {line}\n");
                    }
                    if lines.is_empty() {
                        s += &format!("      {label} (none)\n");
                    }
                }
                wrong.push(s.trim_end().to_string());
            } else if run.stderr.lines().last() != Some(summary_line(want.len()).as_str()) {
                wrong.push(format!("check should end with 「{}」\n{}", summary_line(want.len()), shown(&run)));
            }
            if !run.stdout.is_empty() {
                wrong.push(format!("check printed on stdout although the inputs have problems:\n{}", shown(&run)));
            }
            notes_of(&run, &mut wrong);
            if sb.snapshot() != inputs {
                wrong.push("check changed or wrote a file".into());
            }
            // The same inputs refused by `scores`, which writes nothing.
            let scores = sb.run(&["scores", harness::WS, "--out", OUT]);
            if scores.code != 1 {
                wrong.push(format!("scores should exit 1 on these inputs\n{}", shown(&scores)));
            }
            if sb.snapshot() != inputs {
                wrong.push(format!(
                    "scores wrote or changed a file although the inputs have problems (exit {})",
                    scores.code
                ));
            }
        }
    }
    wrong
}

#[test]
fn every_bad_input_gives_the_plain_scores_or_located_errors() {
    let text = std::fs::read_to_string(fixture("bad_inputs/cases.toml")).expect("read cases.toml");
    let corpus: Corpus = toml::from_str(&text).expect("cases.toml parses");
    let mut failures: Vec<String> = Vec::new();

    // The corpus itself: enough distinct cases, each with its folder and its mistake.
    let names: BTreeSet<&str> = corpus.case.iter().map(|c| c.name.as_str()).collect();
    assert!(names.len() >= AT_LEAST, "cases.toml should hold at least {AT_LEAST} cases, holds {}", names.len());
    assert_eq!(names.len(), corpus.case.len(), "a case name appears twice in cases.toml");
    let folders: BTreeSet<String> = std::fs::read_dir(fixture("bad_inputs"))
        .expect("read bad_inputs/")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.is_dir())
        .map(|p| p.file_name().expect("name").to_string_lossy().into_owned())
        .collect();
    for folder in &folders {
        if !names.contains(folder.as_str()) {
            failures.push(format!("bad_inputs/{folder}/ has no [[case]] in cases.toml"));
        }
    }
    for case in &corpus.case {
        if case.mistake.trim().is_empty() {
            failures.push(format!("{}: mistake is empty", case.name));
        }
    }

    // The plain export's scores, which every case of clear intent must give.
    let plain_ws = Sandbox::empty();
    for f in ["survey.toml", "plan.toml", "org.csv"] {
        plain_ws.copy_fixture(&format!("form_exports/{f}"), f);
    }
    plain_ws.copy_fixture("form_exports/plain/2025.csv", "responses/2025.csv");
    let run = plain_ws.run(&["scores", harness::WS, "--out", OUT]);
    run.assert_success();
    let plain = std::fs::read(plain_ws.root().join(OUT)).expect("the plain export's scores");

    for case in &corpus.case {
        let wrong = run_case(case, &plain);
        if !wrong.is_empty() {
            let kind = if case.expect.is_some() { "same-scores" } else { "errors" };
            failures.push(format!(
                "{} [{kind}] — {}\n{}",
                case.name,
                case.mistake,
                wrong.iter().map(|w| format!("    {w}")).collect::<Vec<_>>().join("\n")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} bad-input cases failed:\n\n{}",
        failures.len(),
        corpus.case.len(),
        failures.join("\n\n")
    );
}
