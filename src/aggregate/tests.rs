//! Known answers: a small workspace (tests/fixtures/known_answer) whose results
//! were worked out by hand — a merger through previous_codes, a reverse item,
//! respondents who drop out of a category, a 未回答 cut, a department exactly
//! at k and one at k − 1, and a group hidden by the differencing rule.
//! p-values and α were checked with scipy / pandas.

use std::path::PathBuf;

use crate::aggregate::model::{Group, HiddenReason, ScoreFigures, ScoresModel, Status, YearResult};
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

fn score<'a>(g: &'a Group, category: &str) -> &'a ScoreFigures {
    let f = g.shown().unwrap_or_else(|| panic!("{} {:?} is hidden", g.department, g.cut_value));
    let s = f.scores.iter().find(|s| s.category == category).expect("category");
    s.visibility.shown().unwrap_or_else(|| panic!("{category} of {} {:?} is withheld", g.department, g.cut_value))
}

fn close(a: Option<f64>, b: f64) {
    let a = a.expect("a value");
    assert!((a - b).abs() < 1e-9, "{a} != {b}");
}

fn hidden(g: &Group) -> Option<HiddenReason> {
    g.visibility.reason()
}

#[test]
fn category_scores_follow_the_half_answered_rule_and_reverse_items() {
    let m = model();
    let y = year(&m, 2025);
    let g = group(y, "115", None);
    // Respondent 3 answered one of three A items: no A score, yet a B score and an overall.
    let a = score(g, "a");
    assert_eq!(a.n, 3);
    close(Some(a.score), 575.0 / 9.0);
    // A3 is reversed: answers 2, 3, 4 count as 4, 3, 2. Favorable: 5 of 10 answered A items.
    close(a.favorable, 50.0);
    let b = score(g, "b");
    assert_eq!(b.n, 4);
    close(Some(b.score), 62.5);
    close(b.favorable, 400.0 / 7.0);
    let overall = score(g, "overall");
    assert_eq!(overall.n, 4);
    close(Some(overall.score), 1625.0 / 24.0);
    close(g.shown().and_then(|f| f.response_rate), 80.0);
}

#[test]
fn a_department_holds_its_subtree_and_all_holds_everyone() {
    let m = model();
    let y = year(&m, 2025);
    close(Some(score(group(y, "100", None), "a").score), 1250.0 / 18.0);
    close(group(y, "100", None).shown().and_then(|f| f.response_rate), 700.0 / 9.0);
    close(Some(score(group(y, "ALL", None), "a").score), 2150.0 / 36.0);
    close(Some(score(group(y, "ALL", None), "overall").score), 783.333_333_333_333_4 / 13.0);
    assert_eq!(group(y, "ALL", None).shown().map(|f| f.respondents), Some(13));
}

#[test]
fn k_hides_small_groups_and_differencing_hides_the_next_smallest() {
    let m = model();
    let y = year(&m, 2025);
    // Exactly k respondents: shown. k − 1 and fewer: hidden.
    assert_eq!(hidden(group(y, "200", None)), None);
    close(Some(score(group(y, "200", None), "a").score), 200.0 / 3.0);
    assert_eq!(hidden(group(y, "300", None)), Some(HiddenReason::TooFew));
    assert_eq!(hidden(group(y, "400", None)), Some(HiddenReason::TooFew));
    // 300 and 400 hide 3 together (= k): no more hiding at the top.
    assert_eq!(hidden(group(y, "100", None)), None);
    // ALL by 年代: 未回答 (1) is hidden. Of the unsafe splits' offers — ALL 若手 (6)
    // and 100 若手 (3; 100 by 年代 hides its 未回答 too) — the smallest goes
    // first, then ALL's; equal parts go in the scores CSV's row order (若手 is
    // listed before ベテラン in survey.toml).
    assert_eq!(hidden(group(y, "ALL", Some(("年代", "未回答")))), Some(HiddenReason::TooFew));
    assert_eq!(hidden(group(y, "ALL", Some(("年代", "若手")))), Some(HiddenReason::Differencing));
    assert_eq!(hidden(group(y, "ALL", Some(("年代", "ベテラン")))), None);
    assert_eq!(hidden(group(y, "100", Some(("年代", "若手")))), Some(HiddenReason::Differencing));
    assert_eq!(hidden(group(y, "100", Some(("年代", "ベテラン")))), None);
    // 100 ベテラン is shown, but only 2 of its 3 have an a score: a is withheld there.
    let g = group(y, "100", Some(("年代", "ベテラン")));
    assert_eq!(g.shown().map(|f| f.scores[0].visibility.reason()), Some(Some(HiddenReason::TooFew)));
    assert_eq!(score(g, "b").n, 3);
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
    close(a.change.map(|c| c.delta), 25.0 / 18.0);
    close(a.change.and_then(|c| c.p_value), 0.927_586_686_018_771_1);
    assert!(!a.change.is_some_and(|c| c.significant));
    let a200 = score(group(y, "200", None), "a");
    close(a200.change.map(|c| c.delta), 25.0 / 3.0);
    close(a200.change.and_then(|c| c.p_value), 0.741_801_110_252_838_8);
    // The first year has nothing to compare with.
    let first = score(group(year(&m, 2024), "ALL", None), "a");
    assert_eq!(first.change, None);
}

#[test]
fn no_delta_where_last_years_group_was_hidden_or_absent() {
    let m = model();
    let y = year(&m, 2025);
    // 100 by 年代 ベテラン: b was shown in both years, so a delta exists.
    assert!(score(group(y, "100", Some(("年代", "ベテラン"))), "b").change.is_some());
    // 115 exists for the first time but continues 110 and 120, both shown in 2024.
    assert!(score(group(y, "115", None), "overall").change.is_some());
}

#[test]
fn reliability_and_progress() {
    let m = model();
    let y = year(&m, 2025);
    let a = y.reliability.iter().find(|r| r.category == "a").expect("α of a");
    let a = a.visibility.shown().expect("α shown: 12 answered every item of a");
    assert_eq!(a.n, 12);
    close(a.alpha, 0.967_444_717_444_717_5);
    let p = y.progress.iter().find(|p| p.id == "a").expect("target a");
    close(p.trajectory, 60.0);
    close(p.value, 2150.0 / 36.0);
    assert_eq!(p.status, Status::Behind);
    close(p.achievement, (2150.0 / 36.0 - 50.0) / 20.0);
    assert_eq!(p.margin, None);
    // Overall is a floor of 65 every year: below it is 未達 by its margin, with no trajectory or 進捗率.
    let o = y.progress.iter().find(|p| p.id == "overall").expect("overall target");
    assert_eq!(o.status, Status::Missed);
    close(o.margin, o.value.expect("overall shown") - 65.0);
    assert_eq!((o.trajectory, o.achievement), (None, None));
}

#[test]
fn checks_organisation_scores_are_the_models_all_group() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/known_answer");
    let ws = crate::ingest::load(&root).0.expect("the fixture loads");
    let m = aggregate(&ws, Detail::FULL).expect("aggregation runs");
    for y in [2024, 2025] {
        let computed = crate::aggregate::counts::organisation_scores(&ws, FiscalYear(y)).expect("scores");
        let all = group(year(&m, y), "ALL", None).shown().expect("ALL shown");
        assert_eq!(computed.len(), all.scores.len());
        for (c, s) in computed.iter().zip(&all.scores) {
            match (c, s.visibility.shown()) {
                (Some(c), Some(s)) => close(Some(*c), s.score),
                (None, None) => {}
                (c, s) => panic!("{y}: computed {c:?}, the model's {s:?}"),
            }
        }
    }
    assert!(crate::aggregate::counts::organisation_scores(&ws, FiscalYear(2020)).expect("no rows").is_empty());
}

#[test]
fn free_text_never_reaches_the_model() {
    let m = model();
    let json = serde_json::to_string(&m).expect("serialises");
    assert!(!json.contains("職場の雰囲気が良い"));
}

/// tests/fixtures/dropouts: k = 3, categories a (A1, A2) and b (B1, B2), no
/// demographics; 総務部 (100) holds 総務課 (110) and 人事課 (120).
fn dropouts() -> ScoresModel {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dropouts");
    let (ws, problems) = crate::ingest::load(&root);
    assert!(problems.errors.is_empty(), "{:?}", problems.errors);
    aggregate(&ws.expect("the fixture loads"), Detail::FULL).expect("aggregation runs")
}

fn value_reason(g: &Group, category: &str) -> Option<HiddenReason> {
    let f = g.shown().expect("group shown");
    f.scores.iter().find(|s| s.category == category).expect("category").visibility.reason()
}

fn block_reason(g: &Group, category: &str) -> Option<HiddenReason> {
    let f = g.shown().expect("group shown");
    f.items.iter().find(|b| b.category == category).expect("block").visibility.reason()
}

#[test]
fn a_value_under_k_is_withheld_inside_a_shown_group() {
    let m = dropouts();
    let y = year(&m, 2025);
    // 総務課: 4 respondents, two stopped after A1: a has 4 scores, b only 2.
    let g = group(y, "110", None);
    assert_eq!(g.shown().map(|f| f.respondents), Some(4));
    close(Some(score(g, "a").score), 75.0);
    assert_eq!(score(g, "a").n, 4);
    assert_eq!(value_reason(g, "b"), Some(HiddenReason::TooFew));
    // The withheld value keeps no number anywhere.
    let json = serde_json::to_string(&g.shown().expect("shown").scores[1]).expect("serialises");
    assert!(!json.contains("\"n\"") && !json.contains("score\":"), "{json}");
    // Overall counts everyone with a category score.
    assert_eq!(score(g, "overall").n, 4);
}

#[test]
fn a_value_is_withheld_so_that_a_withheld_one_cannot_be_subtracted() {
    let m = dropouts();
    let y = year(&m, 2025);
    // 総務部's b (5 scores) minus 人事課's b (3) would reveal 総務課's 2: 人事課's b goes too.
    assert_eq!(value_reason(group(y, "120", None), "b"), Some(HiddenReason::Differencing));
    assert_eq!(value_reason(group(y, "120", None), "a"), None);
    close(Some(score(group(y, "100", None), "b").score), 80.0);
    assert_eq!(score(group(y, "100", None), "b").n, 5);
    close(Some(score(group(y, "ALL", None), "b").score), 800.0 / 11.0);
    assert_eq!(y.withheld.scores.too_few, 1);
    assert_eq!(y.withheld.scores.differencing, 1);
    // In 2024 市民課's b had 2 scores; of its siblings the smaller, 監査委員事務局 (3), goes.
    let last = year(&m, 2024);
    assert_eq!(value_reason(group(last, "200", None), "b"), Some(HiddenReason::TooFew));
    assert_eq!(value_reason(group(last, "300", None), "b"), Some(HiddenReason::Differencing));
    assert_eq!(value_reason(group(last, "100", None), "b"), None);
}

#[test]
fn item_results_are_withheld_as_whole_blocks() {
    let m = dropouts();
    let y = year(&m, 2025);
    // 総務課: A2 was answered by 2, so A1 (4 answers) goes with it; b's block goes with b.
    let g110 = group(y, "110", None);
    assert_eq!(block_reason(g110, "a"), Some(HiddenReason::TooFew));
    assert_eq!(block_reason(g110, "b"), Some(HiddenReason::TooFew));
    // 人事課: its A2 would reveal 総務課's by subtraction from 総務部, so its whole a block goes.
    let g120 = group(y, "120", None);
    assert_eq!(block_reason(g120, "a"), Some(HiddenReason::Differencing));
    assert_eq!(block_reason(g120, "b"), Some(HiddenReason::Differencing));
    // 総務部 shows both blocks: A2 has 5 answers, every item at least k.
    let f100 = group(y, "100", None).shown().expect("shown");
    assert_eq!(f100.item("A2").map(|i| i.n), Some(5));
    close(f100.item("A1").map(|i| i.score), (100.0 + 75.0 + 50.0 + 75.0 + 75.0 + 50.0 + 100.0) / 7.0);
    assert!(g110.shown().expect("shown").item("A1").is_none());
    assert_eq!(y.withheld.item_blocks.too_few, 2);
    assert_eq!(y.withheld.item_blocks.differencing, 2);
    assert_eq!(y.withheld.items.total(), 8);
}

#[test]
fn alpha_counts_those_who_answered_every_item() {
    let m = dropouts();
    // 2025: A2 was answered by 11 of 13 (all but 総務課's two who stopped): α of a has n = 11.
    let y = year(&m, 2025);
    let a = y.reliability.iter().find(|r| r.category == "a").expect("α of a");
    assert_eq!(a.visibility.shown().map(|a| a.n), Some(11));
    assert_eq!(y.respondents, Some(13));
}

#[test]
fn no_delta_where_last_years_value_was_withheld() {
    let m = dropouts();
    let y = year(&m, 2025);
    // 監査委員事務局: b was withheld in 2024 (differencing), a was shown.
    let g = group(y, "300", None);
    assert_eq!(score(g, "b").change, None);
    let a = score(g, "a").change.expect("a change");
    close(Some(a.delta), 25.0);
    close(a.p_value, 0.287_864_134_726_690_53);
    // 市民課: b withheld in 2024 by count, shown now: no delta either.
    assert_eq!(score(group(y, "200", None), "b").change, None);
    // 総務課: a shown both years.
    let c = score(group(y, "110", None), "a").change.expect("a change");
    close(Some(c.delta), 0.0);
    close(c.p_value, 1.0);
}
