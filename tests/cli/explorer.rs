//! The explorer (DESIGN §9, issue 23) from the command line: `--only
//! explorer` writes it alone, and 200 departments × 4 years stay within the
//! 3 MB budget. What the file holds is checked without a browser in
//! `src/export/explorer/tests.rs` and against the scores CSV in `report.rs`.

use crate::harness::Sandbox;

/// The budget of DESIGN §9.
const BUDGET: u64 = 3 * 1024 * 1024;

#[test]
fn only_explorer_writes_the_explorer_alone() {
    let sb = Sandbox::valid();
    sb.run(&["report", "ws", "--year", "R6", "--out", "out", "--only", "explorer"]).assert_success();
    let names: Vec<String> = std::fs::read_dir(sb.root().join("out"))
        .expect("out")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    assert_eq!(names, vec!["explorer_2024.html".to_string()]);
}

#[test]
fn two_hundred_departments_over_four_years_stay_within_three_megabytes() {
    let sb = Sandbox::empty();
    sb.run(&["synth", "big", "--respondents", "20000", "--departments", "200", "--years", "2022..2025", "--seed", "5"])
        .assert_success();
    sb.run(&["report", "big", "--year", "2025", "--out", "out", "--only", "explorer"]).assert_success();
    let size = std::fs::metadata(sb.root().join("out/explorer_2025.html")).expect("written").len();
    assert!(size <= BUDGET, "explorer_2025.html has {size} bytes, over {BUDGET}");
    // The file is not small by accident: all four years and 200 departments are in it.
    let html = std::fs::read_to_string(sb.root().join("out/explorer_2025.html")).expect("utf-8");
    for year in ["\"year\":2022", "\"year\":2023", "\"year\":2024", "\"year\":2025"] {
        assert!(html.contains(year), "{year} missing");
    }
    eprintln!("explorer of 200 departments × 4 years: {size} bytes");
}
