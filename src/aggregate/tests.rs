//! Known answers: a small workspace (tests/fixtures/known_answer) whose results
//! were worked out by hand — a merger through previous_codes, a reverse item,
//! respondents who drop out of a category, a 未回答 cut, a department exactly
//! at k and one at k − 1, and a group hidden by the differencing rule.
//! p-values and α were checked with scipy / pandas.

use std::path::PathBuf;

use crate::aggregate::model::{Group, Score, ScoresModel, YearResult};
use crate::aggregate::progress::Status;
use crate::aggregate::suppression::HiddenReason;
use crate::aggregate::{Detail, aggregate};
use crate::config::year::FiscalYear;

fn model() -> ScoresModel {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/known_answer");
    let (ws, problems) = crate::ingest::load(&root);
    assert!(problems.errors.is_empty(), "{:?}", problems.errors);
    aggregate(&ws.expect("the fixture loads"), Detail::FULL).expect("aggregation runs")
}

fn year(m: &ScoresModel, y: i32) -> &YearResult {
    m.year(FiscalYear(y)).expect("year present")
}

fn group<'a>(y: &'a YearResult, dept: &str, cut: Option<(&str, &str)>) -> &'a Group {
    y.group(dept, cut).unwrap_or_else(|| panic!("group {dept} {cut:?}"))
}

fn score<'a>(g: &'a Group, category: &str) -> &'a Score {
    let f = g.shown().unwrap_or_else(|| panic!("{} {:?} is hidden", g.department, g.cut_value));
    f.scores.iter().find(|s| s.category == category).expect("category")
}

fn close(a: Option<f64>, b: f64) {
    let a = a.expect("a value");
    assert!((a - b).abs() < 1e-9, "{a} != {b}");
}

fn hidden(g: &Group) -> Option<HiddenReason> {
    match &g.visibility {
        crate::aggregate::model::Visibility::Hidden { reason, .. } => Some(*reason),
        crate::aggregate::model::Visibility::Shown(_) => None,
    }
}

#[test]
fn category_scores_follow_the_half_answered_rule_and_reverse_items() {
    let m = model();
    let y = year(&m, 2025);
    let g = group(y, "115", None);
    // Respondent 3 answered one of three A items: no A score, yet a B score and an overall.
    let a = score(g, "a");
    assert_eq!(a.n, 3);
    close(a.score, 575.0 / 9.0);
    // A3 is reversed: answers 2, 3, 4 count as 4, 3, 2. Favorable: 5 of 10 answered A items.
    close(a.favorable, 50.0);
    let b = score(g, "b");
    assert_eq!(b.n, 4);
    close(b.score, 62.5);
    close(b.favorable, 400.0 / 7.0);
    let overall = score(g, "overall");
    assert_eq!(overall.n, 4);
    close(overall.score, 1625.0 / 24.0);
    close(g.shown().and_then(|f| f.response_rate), 80.0);
}

#[test]
fn a_department_holds_its_subtree_and_all_holds_everyone() {
    let m = model();
    let y = year(&m, 2025);
    close(score(group(y, "100", None), "a").score, 1250.0 / 18.0);
    close(group(y, "100", None).shown().and_then(|f| f.response_rate), 700.0 / 9.0);
    close(score(group(y, "ALL", None), "a").score, 2150.0 / 36.0);
    close(score(group(y, "ALL", None), "overall").score, 783.333_333_333_333_4 / 13.0);
    assert_eq!(group(y, "ALL", None).shown().map(|f| f.respondents), Some(13));
}

#[test]
fn k_hides_small_groups_and_differencing_hides_the_next_smallest() {
    let m = model();
    let y = year(&m, 2025);
    // Exactly k respondents: shown. k − 1 and fewer: hidden.
    assert_eq!(hidden(group(y, "200", None)), None);
    close(score(group(y, "200", None), "a").score, 200.0 / 3.0);
    assert_eq!(hidden(group(y, "300", None)), Some(HiddenReason::TooFew));
    assert_eq!(hidden(group(y, "400", None)), Some(HiddenReason::TooFew));
    // 300 and 400 hide 3 together (= k): no more hiding at the top.
    assert_eq!(hidden(group(y, "100", None)), None);
    // ALL by 年代: 未回答 (1) is hidden, so the smaller of two equal parts goes too
    // (ties: the smaller value, ベテラン < 若手).
    assert_eq!(hidden(group(y, "ALL", Some(("年代", "未回答")))), Some(HiddenReason::TooFew));
    assert_eq!(hidden(group(y, "ALL", Some(("年代", "ベテラン")))), Some(HiddenReason::Differencing));
    assert_eq!(hidden(group(y, "ALL", Some(("年代", "若手")))), None);
    assert_eq!(hidden(group(y, "100", Some(("年代", "ベテラン")))), Some(HiddenReason::Differencing));
    assert_eq!(hidden(group(y, "100", Some(("年代", "若手")))), None);
    // A hidden group carries no number at all.
    let g = group(y, "300", None);
    assert!(g.shown().is_none());
    let json = serde_json::to_string(g).expect("serialises");
    assert!(!json.contains("score") && !json.contains("respondents"), "{json}");
}

#[test]
fn a_merger_compares_with_the_union_of_its_predecessors() {
    let m = model();
    let y = year(&m, 2025);
    let a = score(group(y, "115", None), "a");
    close(a.delta, 25.0 / 18.0);
    close(a.p_value, 0.927_586_686_018_771_1);
    assert!(!a.significant);
    let a200 = score(group(y, "200", None), "a");
    close(a200.delta, 25.0 / 3.0);
    close(a200.p_value, 0.741_801_110_252_838_8);
    // The first year has nothing to compare with.
    let first = score(group(year(&m, 2024), "ALL", None), "a");
    assert_eq!((first.delta, first.p_value, first.significant), (None, None, false));
}

#[test]
fn no_delta_where_last_years_group_was_hidden_or_absent() {
    let m = model();
    let y = year(&m, 2025);
    // 100 by 年代 若手 was shown in both years: a delta exists.
    assert!(score(group(y, "100", Some(("年代", "若手"))), "a").delta.is_some());
    // 115 exists for the first time but continues 110 and 120, both shown in 2024.
    assert!(score(group(y, "115", None), "overall").delta.is_some());
}

#[test]
fn reliability_and_progress() {
    let m = model();
    let y = year(&m, 2025);
    let a = y.reliability.iter().find(|r| r.category == "a").expect("α of a");
    assert_eq!(a.n, 12);
    close(a.alpha, 0.967_444_717_444_717_5);
    let p = y.progress.iter().find(|p| p.id == "a").expect("target a");
    close(p.trajectory, 60.0);
    close(p.value, 2150.0 / 36.0);
    assert_eq!(p.status, Status::Behind);
    close(p.achievement, (2150.0 / 36.0 - 50.0) / 20.0);
    let o = y.progress.iter().find(|p| p.id == "overall").expect("overall target");
    assert_eq!(o.status, Status::Behind);
}

#[test]
fn free_text_never_reaches_the_model() {
    let m = model();
    let json = serde_json::to_string(&m).expect("serialises");
    assert!(!json.contains("職場の雰囲気が良い"));
}
