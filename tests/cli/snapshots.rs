//! Snapshots of what users read, on sample-data (令和7年度): the scores CSV,
//! the data handed to the Typst templates for the committee report and two
//! packets, and what `check` prints for a few bad workspaces. A change in a
//! number or a word shows in review as a diff of `tests/cli/snapshots/`.
//!
//! After an intended change: `INSTA_UPDATE=always cargo test --release --test
//! cli snapshots`, then read the diff before committing it.

use std::path::Path;

use ishiki::aggregate::{self, Detail};
use ishiki::clock::Date;
use ishiki::config::year::FiscalYear;
use ishiki::report::{committee, department};

use crate::harness::{Sandbox, fixture};

const YEAR: FiscalYear = FiscalYear(2025);
const DATE: Date = Date { year: 2025, month: 11, day: 25 };

fn sample() -> ishiki::ingest::Workspace {
    let (ws, problems) = ishiki::ingest::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data"));
    ws.unwrap_or_else(|| panic!("sample-data loads: {:?}", problems.errors))
}

fn json(value: &impl serde::Serialize) -> String {
    serde_json::to_string_pretty(value).expect("serialisable")
}

#[test]
fn scores_csv_of_sample_data() {
    let model = aggregate::aggregate(&sample(), Detail::CSV).expect("aggregate");
    let model = ishiki::cmd::scores::select_year(model, Some(YEAR)).expect("令和7年度");
    let csv = String::from_utf8(ishiki::export::csv::render(&model)).expect("UTF-8");
    insta::assert_snapshot!("scores_csv", csv);
}

#[test]
fn what_the_templates_are_given() {
    let ws = sample();
    let model = aggregate::aggregate(&ws, Detail::FULL).expect("aggregate");
    let doc = committee::build(&model, YEAR, DATE, None).expect("committee");
    insta::assert_snapshot!("committee_R7", json(&doc));

    let ctx = department::PacketContext { survey: &ws.survey, plan: &ws.plan, date: DATE };
    let departments = department::departments_with_respondents(&model, YEAR);
    // The first department, and the last (a small one, with values withheld).
    for (code, _) in [departments.first(), departments.last()].into_iter().flatten() {
        let (packet, _) = department::build(&model, &ctx, YEAR, code).expect("a packet");
        insta::assert_snapshot!(format!("packet_R7_{code}"), json(&packet));
    }
}

#[test]
fn what_check_prints_for_bad_workspaces() {
    let mut shown = String::new();
    for case in ["value_out_of_scale", "two_files_for_one_year", "unknown_department_code", "header_pasted_twice"] {
        // The corpus's workspace: form_exports/'s settings, only the case's exports.
        let sb = Sandbox::empty();
        std::fs::create_dir_all(sb.ws()).expect("workspace folder");
        for file in ["survey.toml", "plan.toml", "org.csv"] {
            std::fs::copy(fixture("form_exports").join(file), sb.ws().join(file)).expect("copy a setting");
        }
        crate::harness::copy_dir(&fixture("bad_inputs").join(case).join("responses"), &sb.ws().join("responses"))
            .expect("copy the case");
        let run = sb.check();
        shown.push_str(&format!("== {case} (exit {})\n{}{}\n", run.code, run.stdout, run.stderr));
    }
    insta::assert_snapshot!("check_bad_workspaces", shown);
}
