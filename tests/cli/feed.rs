//! Feeds arbitrary bytes to each reader of user input, as the fuzz targets
//! (fuzz/) and the arbitrary-bytes property tests ([`super::robustness`]) both
//! do: a file of a workspace is replaced by the bytes and the workspace is read
//! and, when it reads, scored. Problems are formatted as the user would see
//! them. Anything but a panic is a pass; what counts is that no input crashes.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use ishiki::aggregate::{self, Detail};
use ishiki::config::defaults::{PLAN_TOML, SURVEY_TOML};
use ishiki::config::plan::Plan;
use ishiki::config::survey::Survey;
use ishiki::ingest::indicators::read_indicators;
use ishiki::ingest::{self, Needs};
use ishiki::problem::Problems;

/// The workspace files the export targets keep fixed (tests/fixtures/valid,
/// whose 自由記述 column is a free-text question: comments are read too).
const SURVEY: &str = include_str!("../fixtures/valid/survey.toml");
const PLAN: &str = include_str!("../fixtures/valid/plan.toml");
const ORG: &str = include_str!("../fixtures/valid/org.csv");

/// The kinds of response export a workspace reads.
#[derive(Debug, Clone, Copy)]
pub enum Export {
    /// A delimited text file (any encoding).
    Csv,
    /// An Office Open XML workbook.
    Xlsx,
    /// A BIFF8 workbook (or what a user saved under that name).
    Xls,
}

impl Export {
    fn file_name(self) -> &'static str {
        match self {
            Export::Csv => "2024.csv",
            Export::Xlsx => "2024.xlsx",
            Export::Xls => "2024.xls",
        }
    }
}

/// One scratch workspace per process and kind, holding the fixed files.
fn workspace(kind: Export) -> &'static Path {
    static DIRS: [OnceLock<PathBuf>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    DIRS[kind as usize].get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("ishiki-feed-{}-{kind:?}", std::process::id()));
        std::fs::create_dir_all(dir.join("responses")).expect("scratch workspace");
        for (name, text) in [("survey.toml", SURVEY), ("plan.toml", PLAN), ("org.csv", ORG)] {
            std::fs::write(dir.join(name), text).expect("scratch workspace file");
        }
        dir
    })
}

/// Reads a workspace whose one response export holds `bytes`, and scores it when it reads.
pub fn export(kind: Export, bytes: &[u8]) {
    let root = workspace(kind);
    std::fs::write(root.join("responses").join(kind.file_name()), bytes).expect("write the export");
    let (ws, problems) = ingest::load_with(root, Needs { harassment: false, comments: true });
    show(&problems);
    if let Some(ws) = ws {
        // Scoring may fail with an error, never with a panic.
        let _ = aggregate::aggregate(&ws, Detail::FULL);
    }
}

/// Parses `bytes` as survey.toml.
pub fn survey_toml(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else { return };
    if let Err(problems) = Survey::from_toml("survey.toml", text) {
        show(&problems);
    }
}

/// Parses `bytes` as plan.toml, checked against the default survey.
pub fn plan_toml(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else { return };
    let survey = default_survey();
    if let Err(problems) = Plan::from_toml("plan.toml", text, Some(survey)) {
        show(&problems);
    }
}

/// Parses `bytes` as org.csv.
pub fn org_csv(bytes: &[u8]) {
    if let Err(problems) = ishiki::ingest::org::read_org("org.csv", bytes) {
        show(&problems);
    }
}

/// Parses `bytes` as indicators.csv, checked against the default plan.
pub fn indicators_csv(bytes: &[u8]) {
    static PLAN_OF_DEFAULTS: OnceLock<Plan> = OnceLock::new();
    let plan = PLAN_OF_DEFAULTS
        .get_or_init(|| Plan::from_toml("plan.toml", PLAN_TOML, Some(default_survey())).expect("default plan"));
    let mut problems = Problems::default();
    let _ = read_indicators("indicators.csv", bytes, Some(plan), &mut problems);
    show(&problems);
}

fn default_survey() -> &'static Survey {
    static SURVEY_OF_DEFAULTS: OnceLock<Survey> = OnceLock::new();
    SURVEY_OF_DEFAULTS.get_or_init(|| Survey::from_toml("survey.toml", SURVEY_TOML).expect("default survey"))
}

/// Formats every problem as the user would read it.
fn show(problems: &Problems) {
    for p in problems.errors.iter().chain(&problems.notes) {
        let _ = p.to_string();
    }
}

/// Removes this process's scratch workspace of `kind`.
pub fn clean_up(kind: Export) {
    let _ = std::fs::remove_dir_all(workspace(kind));
}
