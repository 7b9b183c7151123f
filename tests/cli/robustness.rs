//! No input crashes a reader: arbitrary bytes, and fixtures with random bytes
//! changed, inserted, removed or cut off, fed to every reader of user input
//! (the fuzz targets' entry points, [`super::feed`]). A short run of what
//! `cargo fuzz` does for hours (README「入力の堅牢性」).

use proptest::prelude::*;

use super::feed::{self, Export};

/// One change to a file's bytes.
#[derive(Debug, Clone)]
enum Edit {
    Set(usize, u8),
    Insert(usize, Vec<u8>),
    Remove(usize, usize),
    Truncate(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Edit::Set(at, b)),
        (any::<usize>(), prop::collection::vec(any::<u8>(), 1..8)).prop_map(|(at, b)| Edit::Insert(at, b)),
        (any::<usize>(), 1..64usize).prop_map(|(at, n)| Edit::Remove(at, n)),
        any::<usize>().prop_map(Edit::Truncate),
    ]
}

fn apply(mut bytes: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for e in edits {
        let len = bytes.len().max(1);
        match e {
            Edit::Set(at, b) if !bytes.is_empty() => bytes[at % len] = *b,
            Edit::Insert(at, b) => {
                let at = at % (bytes.len() + 1);
                bytes.splice(at..at, b.iter().copied());
            }
            Edit::Remove(at, n) if !bytes.is_empty() => {
                let at = at % len;
                let end = (at + n).min(bytes.len());
                bytes.drain(at..end);
            }
            Edit::Truncate(at) => bytes.truncate(at % (bytes.len() + 1)),
            _ => {}
        }
    }
    bytes
}

/// Arbitrary bytes, or `seed` with a few random edits (most cases: a file
/// close to a real one reaches the deeper checks).
fn near(seed: &'static [u8]) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        1 => prop::collection::vec(any::<u8>(), 0..512),
        4 => prop::collection::vec(edit(), 1..6).prop_map(move |edits| apply(seed.to_vec(), &edits)),
    ]
}

const CSV: &[u8] = include_bytes!("../fixtures/valid/responses/2024.csv");
const CSV_CP932: &[u8] = include_bytes!("../fixtures/formats/R6_labels_cp932.csv");
const XLSX: &[u8] = include_bytes!("../fixtures/formats/R6.xlsx");
const XLS: &[u8] = include_bytes!("../fixtures/formats/R6.xls");
const SURVEY: &[u8] = include_bytes!("../fixtures/valid/survey.toml");
const PLAN: &[u8] = include_bytes!("../../src/config/default_plan.toml");
const ORG: &[u8] = include_bytes!("../fixtures/valid/org.csv");
const INDICATORS: &[u8] = include_bytes!("../fixtures/valid/indicators.csv");

/// Runs `read` on 48 inputs drawn from `inputs`; a panic fails with the smallest input found.
fn never_panics(inputs: impl Strategy<Value = Vec<u8>>, read: impl Fn(&[u8])) {
    let config = ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() };
    let mut runner = proptest::test_runner::TestRunner::new(config);
    let result = runner.run(&inputs, |bytes| {
        read(&bytes);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

fn export_never_panics(kind: Export, inputs: impl Strategy<Value = Vec<u8>>) {
    never_panics(inputs, |bytes| feed::export(kind, bytes));
    feed::clean_up(kind);
}

#[test]
fn any_csv_export_reads_or_is_refused() {
    export_never_panics(Export::Csv, prop_oneof![near(CSV), near(CSV_CP932)]);
}

#[test]
fn any_xlsx_export_reads_or_is_refused() {
    export_never_panics(Export::Xlsx, near(XLSX));
}

#[test]
fn any_xls_export_reads_or_is_refused() {
    export_never_panics(Export::Xls, near(XLS));
}

#[test]
fn any_survey_toml_reads_or_is_refused() {
    never_panics(near(SURVEY), feed::survey_toml);
}

#[test]
fn any_plan_toml_reads_or_is_refused() {
    never_panics(near(PLAN), feed::plan_toml);
}

#[test]
fn any_org_csv_reads_or_is_refused() {
    never_panics(near(ORG), feed::org_csv);
}

#[test]
fn any_indicators_csv_reads_or_is_refused() {
    never_panics(near(INDICATORS), feed::indicators_csv);
}
