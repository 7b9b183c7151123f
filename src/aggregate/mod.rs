//! Aggregation (DESIGN §4–§6): from the validated responses to the scores
//! model — every group's scores, favorable rates, year-over-year deltas with
//! Welch tests, response rates, Cronbach's α and plan progress — with
//! confidentiality applied, so hidden groups leave this stage without numbers.

pub mod harassment;
pub mod model;
pub mod progress;
pub mod scores;
pub mod stats;
pub mod suppression;

#[cfg(test)]
mod props;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use anyhow::{Context, Result};

use crate::aggregate::model::{
    ALL, CategoryInfo, DemographicInfo, Figures, Group, ItemInfo, ItemScore, Reliability, ScaleInfo, Score,
    ScoresModel, Visibility, YearResult,
};
use crate::aggregate::progress::progress;
use crate::aggregate::scores::{GroupStats, Key, Summed, alpha_inputs, respondent_scores, sum_groups, years_present};
use crate::aggregate::stats::{ALPHA_LEVEL, cronbach_alpha, welch_p};
use crate::aggregate::suppression::{HiddenReason, Part, Split, suppress};
use crate::config::org::OrgYear;
use crate::config::plan::OVERALL;
use crate::config::survey::Survey;
use crate::config::year::FiscalYear;
use crate::ingest::Workspace;

/// How much detail the model carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detail {
    /// Item-level results per group (for JSON, Excel and reports; the scores CSV has none).
    pub items: bool,
    /// Cronbach's α (the scores CSV has none).
    pub reliability: bool,
}

impl Detail {
    /// Everything.
    pub const FULL: Detail = Detail { items: true, reliability: true };
    /// What the scores CSV needs.
    pub const CSV: Detail = Detail { items: false, reliability: false };
}

/// Computes the scores model of every year in the workspace.
pub fn aggregate(ws: &Workspace, detail: Detail) -> Result<ScoresModel> {
    let survey = &ws.survey;
    let df = &ws.responses.df;
    let t = std::time::Instant::now();
    let scored = respondent_scores(df, survey).collect().context("点数の計算に失敗しました")?;
    crate::output::trace("respondent scores", t);
    let t = std::time::Instant::now();
    let summed = sum_groups(&scored, survey, &ws.org, detail.items).context("集計に失敗しました")?;
    crate::output::trace("sum_groups", t);
    let t = std::time::Instant::now();
    let alphas = if detail.reliability {
        alpha_inputs(&scored, survey).context("信頼性係数の計算に失敗しました")?
    } else {
        HashMap::new()
    };
    drop(scored);
    crate::output::trace("alpha", t);
    let harassment = match (&ws.harassment, &survey.harassment) {
        (Some(h), Some(hs)) => harassment::aggregate_harassment(&h.df, hs, &survey.scale, &ws.org)
            .context("ハラスメント調査の集計に失敗しました")?,
        _ => HashMap::new(),
    };
    let years = years_present(df)?;
    let mut hidden_by_year: HashMap<i32, HashMap<Key, Option<HiddenReason>>> = HashMap::new();
    let mut results: Vec<YearResult> = Vec::new();
    for &year in &years {
        let Some(org) = ws.org.year(year) else { continue };
        let keys = group_keys(year, org, survey, &summed);
        let hidden = hide(year, org, survey, &summed, &keys);
        let previous_hidden = hidden_by_year.get(&(year.0 - 1));
        let groups: Vec<Group> = keys
            .iter()
            .zip(&hidden)
            .map(|(key, reason)| build_group(ws, year, org, key, *reason, &summed, previous_hidden))
            .collect();
        let reliability = if !detail.reliability {
            Vec::new()
        } else {
            survey
                .categories
                .iter()
                .enumerate()
                .map(|(c, cat)| {
                    let (alpha, n) = match alphas.get(&(year.0, c)) {
                        Some(a) => (cronbach_alpha(&a.item_variances, a.total_variance), a.n),
                        None => (None, 0),
                    };
                    Reliability { category: cat.id.clone(), alpha, n }
                })
                .collect()
        };
        let all_score = |groups: &[Group], id: &str| -> Option<f64> {
            let g = groups.iter().find(|g| g.department == ALL && g.cut.is_none())?;
            g.shown()?.scores.iter().find(|s| s.category == id)?.score
        };
        let previous_groups: Option<&[Group]> =
            results.iter().find(|r| r.year == year.previous()).map(|r| r.groups.as_slice());
        let progress_rows = ws
            .plan
            .survey_targets
            .iter()
            .map(|goal| {
                let value = all_score(&groups, &goal.id);
                let prev = previous_groups.and_then(|g| all_score(g, &goal.id));
                progress(goal, year, value, prev)
            })
            .collect();
        let indicators = ws
            .plan
            .indicators
            .iter()
            .map(|goal| {
                let values = ws.indicators.get(&goal.id);
                let value = values.and_then(|v| v.get(&year)).copied();
                let prev = values.and_then(|v| v.get(&year.previous())).copied();
                progress(goal, year, value, prev)
            })
            .collect();
        let respondents =
            summed.groups.get(&Key { year: year.0, group: ALL.into(), cut: None }).map(|s| s.rows).unwrap_or(0);
        hidden_by_year.insert(year.0, keys.iter().cloned().zip(hidden.iter().copied()).collect());
        results.push(YearResult {
            year,
            label: year.to_string(),
            has_previous: years.contains(&year.previous()),
            respondents: respondents as usize,
            headcount: org.total_headcount(),
            groups,
            reliability,
            progress: progress_rows,
            indicators,
            harassment: harassment.get(&year.0).cloned(),
        });
    }
    Ok(ScoresModel {
        survey_title: survey.title.clone(),
        organization: ws.plan.organization.clone(),
        plan_name: ws.plan.name.clone(),
        min_group_size: survey.min_group_size,
        scale: ScaleInfo {
            min: survey.scale.min,
            max: survey.scale.max,
            favorable_threshold: survey.scale.favorable,
            unfavorable_threshold: survey.scale.min + survey.scale.max - survey.scale.favorable,
            labels: survey.scale.labels.clone(),
        },
        categories: survey
            .categories
            .iter()
            .map(|c| CategoryInfo {
                id: c.id.clone(),
                name: c.name.clone(),
                items: c.items.iter().map(|&i| survey.items[i].id.clone()).collect(),
            })
            .collect(),
        items: survey
            .items
            .iter()
            .map(|i| ItemInfo {
                id: i.id.clone(),
                text: i.text.clone(),
                category: survey.categories[i.category].id.clone(),
                reverse: i.reverse,
            })
            .collect(),
        demographics: survey
            .demographics
            .iter()
            .map(|d| DemographicInfo { name: d.name.clone(), values: d.values_with_unanswered() })
            .collect(),
        years: results,
    })
}

/// Returns the year's groups with respondents, in scores-CSV order: ALL first,
/// then departments in org.csv order; each whole, then by cut and value.
fn group_keys(year: FiscalYear, org: &OrgYear, survey: &Survey, summed: &Summed) -> Vec<Key> {
    let mut keys = Vec::new();
    let codes = std::iter::once(ALL.to_string()).chain(org.departments.iter().map(|d| d.code.clone()));
    for code in codes {
        let whole = Key { year: year.0, group: code.clone(), cut: None };
        if !exists(summed, &whole) {
            continue;
        }
        keys.push(whole);
        for (c, d) in survey.demographics.iter().enumerate() {
            for v in d.values_with_unanswered() {
                let key = Key { year: year.0, group: code.clone(), cut: Some((c, v)) };
                if exists(summed, &key) {
                    keys.push(key);
                }
            }
        }
    }
    keys
}

fn exists(summed: &Summed, key: &Key) -> bool {
    summed.groups.get(key).is_some_and(|s| s.rows > 0)
}

/// Applies DESIGN §5 to one year's groups; returns the reason per key, in `keys` order.
fn hide(year: FiscalYear, org: &OrgYear, survey: &Survey, summed: &Summed, keys: &[Key]) -> Vec<Option<HiddenReason>> {
    let mut parts: Vec<Part> = Vec::new();
    let mut index: HashMap<Key, usize> = HashMap::new();
    for key in keys {
        index.insert(key.clone(), parts.len());
        parts.push(Part { rows: summed.groups.get(key).map(|s| s.rows as usize).unwrap_or(0), printable: true });
    }
    let mut own_index: HashMap<Key, usize> = HashMap::new();
    let cuts: Vec<Option<(usize, String)>> = std::iter::once(None)
        .chain(
            survey
                .demographics
                .iter()
                .enumerate()
                .flat_map(|(c, d)| d.values_with_unanswered().into_iter().map(move |v| Some((c, v)))),
        )
        .collect();
    for d in &org.departments {
        for cut in &cuts {
            let key = Key { year: year.0, group: d.code.clone(), cut: cut.clone() };
            let rows = summed.own.get(&key).map(|s| s.rows as usize).unwrap_or(0);
            if rows > 0 {
                own_index.insert(key, parts.len());
                parts.push(Part { rows, printable: false });
            }
        }
    }
    let part_of = |code: &str, cut: &Option<(usize, String)>| -> Option<usize> {
        index.get(&Key { year: year.0, group: code.to_string(), cut: cut.clone() }).copied()
    };
    let tree_splits = |cut: &Option<(usize, String)>| -> Vec<Split> {
        let mut splits = Vec::new();
        let top: Split = org
            .roots()
            .into_iter()
            .filter_map(|r| part_of(&org.departments[r].code, cut).map(|p| (p, org.departments[r].code.clone())))
            .collect();
        splits.push(top);
        for (i, d) in org.departments.iter().enumerate() {
            if part_of(&d.code, cut).is_none() {
                continue;
            }
            let mut split: Split = org.children[i]
                .iter()
                .filter_map(|&c| part_of(&org.departments[c].code, cut).map(|p| (p, org.departments[c].code.clone())))
                .collect();
            if let Some(&own) = own_index.get(&Key { year: year.0, group: d.code.clone(), cut: cut.clone() }) {
                split.push((own, String::new()));
            }
            splits.push(split);
        }
        splits
    };
    // Order: the department tree; each group by each demographic; the tree within each value.
    let mut splits: Vec<Split> = tree_splits(&None);
    let codes: Vec<String> =
        std::iter::once(ALL.to_string()).chain(org.departments.iter().map(|d| d.code.clone())).collect();
    for code in &codes {
        if part_of(code, &None).is_none() {
            continue;
        }
        for (c, d) in survey.demographics.iter().enumerate() {
            let split: Split = d
                .values_with_unanswered()
                .into_iter()
                .filter_map(|v| part_of(code, &Some((c, v.clone()))).map(|p| (p, v)))
                .collect();
            splits.push(split);
        }
    }
    for cut in cuts.iter().skip(1) {
        splits.extend(tree_splits(cut));
    }
    let hidden = suppress(survey.min_group_size, &parts, &splits);
    keys.iter().map(|k| hidden[index[k]]).collect()
}

fn share(x: f64, of: f64) -> Option<f64> {
    (of > 0.0).then(|| x / of * 100.0)
}

/// Builds one group's entry: figures when shown, the reason when hidden.
fn build_group(
    ws: &Workspace,
    year: FiscalYear,
    org: &OrgYear,
    key: &Key,
    reason: Option<HiddenReason>,
    summed: &Summed,
    previous_hidden: Option<&HashMap<Key, Option<HiddenReason>>>,
) -> Group {
    let survey = &ws.survey;
    let dept = org.find(&key.group);
    let (department_name, parent, depth) = match dept {
        Some(i) => (
            org.departments[i].name.clone(),
            org.departments[i].parent.map(|p| org.departments[p].code.clone()),
            org.ancestors(i).len(),
        ),
        None => ("全体".to_string(), None, 0),
    };
    let (cut, cut_value) = match &key.cut {
        Some((c, v)) => (Some(survey.demographics[*c].name.clone()), Some(v.clone())),
        None => (None, None),
    };
    let visibility = match reason {
        Some(reason) => Visibility::Hidden { reason, message: reason.message(survey.min_group_size) },
        None => {
            let stats = summed.groups.get(key).cloned().unwrap_or_default();
            // Deltas only when every group compared with was shown last year.
            let comparable = previous_hidden.is_some_and(|prev| {
                let preds: Vec<String> =
                    if key.group == ALL { vec![ALL.to_string()] } else { ws.org.predecessors(year, &key.group) };
                !preds.is_empty()
                    && preds.iter().all(|p| {
                        let k = Key { year: year.0 - 1, group: p.clone(), cut: key.cut.clone() };
                        matches!(prev.get(&k), Some(None))
                    })
            });
            let previous = if comparable { summed.previous.get(key) } else { None };
            figures(survey, org, dept, key, &stats, previous)
        }
    };
    Group { department: key.group.clone(), department_name, parent, depth, cut, cut_value, visibility }
}

fn figures(
    survey: &Survey,
    org: &OrgYear,
    dept: Option<usize>,
    key: &Key,
    stats: &GroupStats,
    previous: Option<&GroupStats>,
) -> Visibility {
    let headcount = key.cut.is_none().then(|| match dept {
        Some(i) => org.subtree_headcount(i),
        None => org.total_headcount(),
    });
    let response_rate = headcount.and_then(|h| share(stats.rows as f64, h as f64));
    let ids: Vec<String> = survey.categories.iter().map(|c| c.id.clone()).chain([OVERALL.to_string()]).collect();
    let scores = ids
        .iter()
        .enumerate()
        .map(|(c, id)| {
            let s = stats.categories[c];
            let score = s.moments.mean();
            let (delta, p_value) = match previous.map(|p| p.categories[c]) {
                Some(p) => (score.zip(p.moments.mean()).map(|(a, b)| a - b), welch_p(&s.moments, &p.moments)),
                None => (None, None),
            };
            Score {
                category: id.clone(),
                n: s.moments.n,
                score,
                sd: s.moments.sd(),
                favorable: share(s.favorable, s.answered),
                neutral: share(s.answered - s.favorable - s.unfavorable, s.answered),
                unfavorable: share(s.unfavorable, s.answered),
                delta,
                p_value,
                significant: p_value.is_some_and(|p| p < ALPHA_LEVEL),
            }
        })
        .collect();
    let items = survey
        .items
        .iter()
        .zip(stats.items.iter())
        .map(|(item, s)| ItemScore {
            item: item.id.clone(),
            n: s.n as u64,
            score: (s.n > 0.0).then(|| s.sum / s.n),
            favorable: share(s.favorable, s.n),
        })
        .collect();
    Visibility::Shown(Figures { respondents: stats.rows as usize, response_rate, headcount, scores, items })
}
