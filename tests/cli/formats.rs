//! The same eight respondents of 令和6年度 as a CP932 CSV of labels and
//! full-width digits, a UTF-8 CSV of numbers, an .xlsx and an .xls load to
//! identical DataFrames through `ishiki::ingest::load`, holding the known
//! answers; `check` names each format in its summary.
//!
//! The files are in tests/fixtures/formats/ (made by make_binary_fixtures.py,
//! whose `RESPONDENTS` is the `KNOWN` table below).

use polars::prelude::*;

use crate::harness::Sandbox;

/// The four files, and how `check` names each format.
const FORMATS: [(&str, &str); 4] = [
    ("R6_labels_cp932.csv", "CSV Shift_JIS（CP932）"),
    ("R6_numbers_utf8.csv", "CSV UTF-8"),
    ("R6.xlsx", "Excel シート「回答」"),
    ("R6.xls", "Excel シート「Sheet1」"),
];

/// One known respondent: department (as in org.csv), 年代, 任用形態, Q01–Q05.
type Known = (&'static str, &'static str, &'static str, [Option<i8>; 5]);

/// The respondents in file order; a blank 年代 is 未回答, a blank answer is null.
const KNOWN: [Known; 8] = [
    ("0115", "30代以下", "正規", [Some(4), Some(4), Some(4), Some(2), Some(4)]),
    ("0115", "40代", "正規", [Some(5), Some(3), Some(4), Some(3), Some(4)]),
    ("0115", "50代以上", "会計年度任用", [Some(3), Some(4), Some(3), Some(4), Some(3)]),
    ("0210", "30代以下", "正規", [Some(3), Some(3), Some(2), Some(4), Some(3)]),
    ("0210", "40代", "会計年度任用", [Some(4), Some(5), Some(4), Some(2), Some(5)]),
    ("0210", "50代以上", "正規", [Some(2), Some(2), Some(3), Some(5), Some(2)]),
    ("0100", "40代", "正規", [Some(5), Some(4), Some(5), Some(1), Some(4)]),
    ("0200", "未回答", "正規", [Some(4), None, Some(4), Some(3), Some(4)]),
];

/// Returns a sandbox whose only response file is `formats/<file>`.
fn workspace_with(file: &str) -> Sandbox {
    let sb = Sandbox::valid();
    sb.remove("responses/2023.csv");
    sb.remove("responses/2024.csv");
    sb.copy_fixture(&format!("formats/{file}"), &format!("responses/{file}"));
    sb
}

/// Loads the respondents' frame of a sandbox through the library.
fn load(sb: &Sandbox, file: &str) -> DataFrame {
    let (workspace, problems) = ishiki::ingest::load(&sb.ws());
    let errors: Vec<String> = problems.errors.iter().map(ToString::to_string).collect();
    assert!(errors.is_empty(), "{file}: {errors:?}");
    workspace.unwrap_or_else(|| panic!("{file}: no workspace")).responses.df
}

fn strings(df: &DataFrame, name: &str) -> Vec<Option<String>> {
    let column = df.column(name).unwrap_or_else(|e| panic!("column {name}: {e}"));
    column.str().unwrap_or_else(|e| panic!("{name} as text: {e}")).iter().map(|v| v.map(str::to_string)).collect()
}

fn answers(df: &DataFrame, name: &str) -> Vec<Option<i8>> {
    let column = df.column(name).unwrap_or_else(|e| panic!("column {name}: {e}"));
    column.i8().unwrap_or_else(|e| panic!("{name} as Int8: {e}")).iter().collect()
}

#[test]
fn the_same_answers_load_alike_from_every_format() {
    let frames: Vec<(&str, DataFrame)> = FORMATS
        .iter()
        .map(|(file, _)| {
            let sb = workspace_with(file);
            (*file, load(&sb, file))
        })
        .collect();

    // Every frame holds the known respondents, value by value.
    for (file, df) in &frames {
        let names: Vec<&str> = df.get_column_names().iter().map(|n| n.as_str()).collect();
        assert_eq!(names, ["year", "department", "年代", "任用形態", "Q01", "Q02", "Q03", "Q04", "Q05"], "{file}");
        let years: Vec<Option<i32>> = df.column("year").expect("year").i32().expect("year as Int32").iter().collect();
        assert_eq!(years, vec![Some(2024); KNOWN.len()], "{file}: year");
        let want = |f: fn(&Known) -> &str| KNOWN.iter().map(|k| Some(f(k).to_string())).collect::<Vec<_>>();
        assert_eq!(strings(df, "department"), want(|k| k.0), "{file}: department");
        assert_eq!(strings(df, "年代"), want(|k| k.1), "{file}: 年代");
        assert_eq!(strings(df, "任用形態"), want(|k| k.2), "{file}: 任用形態");
        for (i, item) in ["Q01", "Q02", "Q03", "Q04", "Q05"].iter().enumerate() {
            let known: Vec<Option<i8>> = KNOWN.iter().map(|k| k.3[i]).collect();
            assert_eq!(answers(df, item), known, "{file}: {item}");
        }
    }
    // Spot checks that do not go through the table: the full-width ５ of the
    // CP932 file, the blank answer, the Excel cell 115 that lost its zero.
    let (_, first) = &frames[0];
    assert_eq!(answers(first, "Q01")[1], Some(5));
    assert_eq!(answers(first, "Q02")[7], None);
    assert_eq!(strings(&frames[2].1, "department")[0].as_deref(), Some("0115"));

    // And the frames are identical to each other, types included.
    let (base_file, base) = &frames[0];
    for (file, df) in &frames[1..] {
        assert!(df.equals_missing(base), "{file} differs from {base_file}:\n{df}\n{base}");
        df.schema_equal(base).unwrap_or_else(|e| panic!("{file} vs {base_file}: {e}"));
    }
}

#[test]
fn check_names_each_format_in_its_summary() {
    for (file, label) in FORMATS {
        let sb = workspace_with(file);
        let run = sb.check();
        run.assert_success();
        assert!(
            run.stdout.contains(&format!("  responses/{file}（{label}）: 8人\n")),
            "{file} should be read as {label}\n{run}"
        );
        assert!(
            run.stdout.contains("  令和6年度（2024年度）: 回答者 8人 / 職員 20人（回答率 40.0%）"),
            "{file}\n{run}"
        );
    }
}
