//! Aggregation (DESIGN §4–§6): from the validated responses to the scores
//! model — every group's scores, favorable rates, year-over-year deltas with
//! Welch tests, response rates, Cronbach's α and plan progress — with
//! confidentiality applied, so hidden groups leave this stage without numbers.

pub mod comparison;
pub mod counts;
pub mod drivers;
pub mod harassment;
pub mod importance;
pub mod model;
pub mod progress;
pub mod scores;
pub mod stats;
pub mod suppression;
pub mod withholding;

#[cfg(test)]
mod props;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use anyhow::{Context, Result};

use crate::aggregate::model::{
    ALL, Alpha, CategoryInfo, Change, DemographicInfo, Figures, FocusGroup, Group, HarassmentYear, HiddenReason,
    ItemBlock, ItemInfo, ItemScore, OutcomeInfo, Progress, Published, Reliability, ScaleInfo, Score, ScoreFigures,
    ScoresModel, WithheldCounts, YearResult,
};
use crate::aggregate::progress::progress;
use crate::aggregate::scores::{
    GroupStats, Key, Summed, alpha_inputs, outcome_scores, respondent_scores, sum_groups, with_complete, years_present,
};
use crate::aggregate::stats::{ALPHA_LEVEL, cronbach_alpha, welch_p};
use crate::aggregate::withholding::{Withholding, withhold, year_layout};
use crate::config::org::OrgYear;
use crate::config::plan::{Direction, OVERALL};
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
    /// Which years get the driver analysis (its bootstrap is the costly part).
    pub drivers: DriverYears,
}

/// The years whose driver analysis is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DriverYears {
    /// None (the scores CSV has no driver analysis).
    None,
    /// Every year.
    All,
    /// One year, when only that year is written.
    Only(FiscalYear),
}

impl Detail {
    /// Everything.
    pub const FULL: Detail = Detail { items: true, reliability: true, drivers: DriverYears::All };
    /// What the scores CSV needs.
    pub const CSV: Detail = Detail { items: false, reliability: false, drivers: DriverYears::None };

    /// Everything, with the driver analysis of `year` only.
    pub fn full_for(year: FiscalYear) -> Detail {
        Detail { drivers: DriverYears::Only(year), ..Detail::FULL }
    }

    fn drivers_of(&self, year: FiscalYear) -> bool {
        self.items
            && match self.drivers {
                DriverYears::None => false,
                DriverYears::All => true,
                DriverYears::Only(only) => only == year,
            }
    }
}

/// Computes the scores model of every year in the workspace.
pub fn aggregate(ws: &Workspace, detail: Detail) -> Result<ScoresModel> {
    let survey = &ws.survey;
    let df = &ws.responses.df;
    let t = std::time::Instant::now();
    let scored = respondent_scores(df, survey, detail.reliability).context("点数の計算に失敗しました")?;
    // Who enters the driver analysis (with item results only: the CSV has none).
    let (scored, samples) = if detail.items {
        let outcome = outcome_scores(df, survey).context("点数の計算に失敗しました")?;
        let scored = with_complete(scored, survey, &outcome).context("点数の計算に失敗しました")?;
        let samples = importance::samples(&scored, &outcome, survey).context("点数の計算に失敗しました")?;
        (scored, samples)
    } else {
        (scored, Default::default())
    };
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
    // Per year: which values each group showed (index: category, then overall), for deltas.
    let mut shown_by_year: HashMap<i32, HashMap<Key, Vec<bool>>> = HashMap::new();
    let mut results: Vec<YearResult> = Vec::new();
    for &year in &years {
        let Some(org) = ws.org.year(year) else { continue };
        let keys = group_keys(year, org, survey, &summed);
        let t = std::time::Instant::now();
        let layout = year_layout(year, org, survey, &summed, &keys);
        let withheld = withhold(survey, &summed, &keys, &layout, detail.items);
        crate::output::trace("withholding", t);
        let shown_last_year = shown_by_year.get(&(year.0 - 1));
        let mut groups: Vec<Group> = keys
            .iter()
            .enumerate()
            .map(|(g, key)| build_group(ws, year, org, key, g, &withheld, &summed, shown_last_year, detail))
            .collect();
        comparison::compare_with_city(&mut groups, &keys, &summed, survey);
        comparison::adjust_changes(&mut groups);
        // α describes those who answered every item of a category: withheld under k,
        // and with the whole organisation when it is hidden.
        let all_shown = groups.iter().any(|g| g.department == ALL && g.cut.is_none() && g.shown().is_some());
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
                    let visibility = if !all_shown || n < survey.min_group_size as u64 {
                        Published::withheld(HiddenReason::TooFew, survey.min_group_size)
                    } else {
                        Published::Shown(Alpha { alpha, n })
                    };
                    Reliability { category: cat.id.clone(), visibility }
                })
                .collect()
        };
        let all_score = |groups: &[Group], id: &str| -> Option<f64> {
            let g = groups.iter().find(|g| g.department == ALL && g.cut.is_none())?;
            g.shown()?.scores.iter().find(|s| s.category == id)?.visibility.shown().map(|s| s.score)
        };
        let previous_groups: Option<&[Group]> =
            results.iter().find(|r| r.year == year.previous()).map(|r| r.groups.as_slice());
        let progress_rows: Vec<Progress> = ws
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
        let respondents = all_shown
            .then(|| summed.groups.get(&Key { year: year.0, group: ALL.into(), cut: None }).map(|s| s.rows as usize))
            .flatten();
        let n_values = survey.categories.len() + 1;
        // Per group: each value shown, then each category's item block shown.
        let w = &withheld;
        let blocks_shown = |g: usize| (0..survey.categories.len()).map(move |c| w.block_shown(c, g));
        shown_by_year.insert(
            year.0,
            keys.iter()
                .enumerate()
                .map(|(g, key)| {
                    (key.clone(), (0..n_values).map(|v| withheld.score_shown(v, g)).chain(blocks_shown(g)).collect())
                })
                .collect(),
        );
        let counts = withheld_counts(survey, &groups, harassment.get(&year.0));
        let t = std::time::Instant::now();
        let drivers = detail.drivers_of(year).then(|| {
            // Each category's 目安 this year: where its goal's trajectory stands.
            let targets: Vec<Option<f64>> =
                survey.categories.iter().map(|c| progress_rows.iter().find(|p| p.id == c.id)?.yardstick()).collect();
            importance::year_drivers(
                survey,
                year,
                org,
                &keys,
                &withheld.drivers,
                &groups,
                &targets,
                samples.get(&year.0),
            )
        });
        crate::output::trace("drivers", t);
        results.push(YearResult {
            year,
            label: year.to_string(),
            has_previous: years.contains(&year.previous()),
            respondents,
            headcount: org.total_headcount(),
            groups,
            withheld: counts,
            reliability,
            progress: progress_rows,
            indicators,
            harassment: harassment.get(&year.0).cloned(),
            drivers,
            predecessors: org
                .departments
                .iter()
                .map(|d| (d.code.clone(), ws.org.predecessors(year, &d.code)))
                .collect(),
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
                label: i.label.clone(),
            })
            .collect(),
        outcomes: survey
            .outcomes
            .iter()
            .map(|o| OutcomeInfo { id: o.id.clone(), text: o.text.clone(), reverse: o.reverse })
            .collect(),
        demographics: survey
            .demographics
            .iter()
            .map(|d| DemographicInfo { name: d.name.clone(), values: d.values_with_unanswered() })
            .collect(),
        years: results,
        focus: ws.plan.focus().map(|(goal, f)| FocusGroup {
            demographic: f.demographic.clone(),
            value: f.value.clone(),
            goal: goal.name.clone(),
            higher: goal.direction == Direction::Higher,
        }),
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

/// A change with its raw test (p < 0.05 is the scores CSV's `significant`);
/// its family's adjustment comes later ([`comparison::adjust_changes`]).
fn tested(delta: f64, p_value: Option<f64>) -> Change {
    let significant = p_value.is_some_and(|p| p < ALPHA_LEVEL);
    Change { delta, p_value, significant, q_value: None, fdr_significant: false }
}

fn share(x: f64, of: f64) -> Option<f64> {
    (of > 0.0).then(|| x / of * 100.0)
}

/// Counts what the year withholds, by reason: whole groups, and the values and
/// item blocks of shown groups.
fn withheld_counts(survey: &Survey, groups: &[Group], harassment: Option<&HarassmentYear>) -> WithheldCounts {
    let mut counts = WithheldCounts::default();
    for g in groups {
        let Some(f) = g.shown() else {
            if let Some(reason) = g.visibility.reason() {
                counts.groups.add(reason);
            }
            continue;
        };
        for s in &f.scores {
            if let Some(reason) = s.visibility.reason() {
                counts.scores.add(reason);
            }
        }
        for (b, cat) in f.items.iter().zip(&survey.categories) {
            if let Some(reason) = b.visibility.reason() {
                counts.item_blocks.add(reason);
                for _ in &cat.items {
                    counts.items.add(reason);
                }
            }
        }
    }
    for g in harassment.map(|h| h.groups.as_slice()).unwrap_or_default() {
        match &g.visibility {
            Published::Withheld { reason, .. } => counts.harassment_groups.add(*reason),
            Published::Shown(f) => {
                for q in &f.questions {
                    match &q.visibility {
                        Published::Withheld { reason, .. } => counts.harassment_questions.add(*reason),
                        Published::Shown(qf) => {
                            for reason in qf.shares.iter().filter_map(Published::reason) {
                                counts.harassment_shares.add(reason);
                            }
                        }
                    }
                }
            }
        }
    }
    counts
}

/// Builds one group's entry: figures when shown (each value shown or withheld), the reason when hidden.
#[allow(clippy::too_many_arguments)]
fn build_group(
    ws: &Workspace,
    year: FiscalYear,
    org: &OrgYear,
    key: &Key,
    g: usize,
    withheld: &Withholding,
    summed: &Summed,
    shown_last_year: Option<&HashMap<Key, Vec<bool>>>,
    detail: Detail,
) -> Group {
    let survey = &ws.survey;
    let k = survey.min_group_size;
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
    let visibility = match withheld.groups[g] {
        Some(reason) => Published::withheld(reason, k),
        None => {
            let stats = summed.groups.get(key).cloned().unwrap_or_default();
            // The groups this one is compared with last year: the same code, or its predecessors.
            let compared: Vec<Key> = if shown_last_year.is_none() {
                Vec::new()
            } else {
                let codes =
                    if key.group == ALL { vec![ALL.to_string()] } else { ws.org.predecessors(year, &key.group) };
                codes.into_iter().map(|c| Key { year: year.0 - 1, group: c, cut: key.cut.clone() }).collect()
            };
            // A delta only where the value was shown in every group compared with.
            let comparable = |v: usize| {
                shown_last_year.is_some_and(|prev| {
                    !compared.is_empty() && compared.iter().all(|c| prev.get(c).is_some_and(|shown| shown[v]))
                })
            };
            let previous = summed.previous.get(key);
            Published::Shown(figures(survey, org, dept, key, g, &stats, previous, &comparable, withheld, detail))
        }
    };
    let path_name = dept.map(|i| org.path_name(i)).unwrap_or_else(|| department_name.clone());
    Group { department: key.group.clone(), department_name, parent, depth, cut, cut_value, visibility, path_name }
}

#[allow(clippy::too_many_arguments)]
fn figures(
    survey: &Survey,
    org: &OrgYear,
    dept: Option<usize>,
    key: &Key,
    g: usize,
    stats: &GroupStats,
    previous: Option<&GroupStats>,
    comparable: &dyn Fn(usize) -> bool,
    withheld: &Withholding,
    detail: Detail,
) -> Figures {
    let k = survey.min_group_size;
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
            let visibility = match (withheld.scores[c][g], s.moments.mean()) {
                (Some(reason), _) => Published::withheld(reason, k),
                // Shown values have at least k (≥ 1) scores, so a mean.
                (None, None) => Published::withheld(HiddenReason::TooFew, k),
                (None, Some(score)) => {
                    let change = previous.filter(|_| comparable(c)).and_then(|p| {
                        let p = p.categories[c];
                        let delta = score - p.moments.mean()?;
                        Some(tested(delta, welch_p(&s.moments, &p.moments)))
                    });
                    Published::Shown(ScoreFigures {
                        n: s.moments.n,
                        score,
                        sd: s.moments.sd(),
                        favorable: share(s.favorable, s.answered),
                        neutral: share(s.answered - s.favorable - s.unfavorable, s.answered),
                        unfavorable: share(s.unfavorable, s.answered),
                        change,
                        versus_city: None,
                    })
                }
            };
            Score { category: id.clone(), visibility }
        })
        .collect();
    let items = if !detail.items {
        Vec::new()
    } else {
        survey
            .categories
            .iter()
            .enumerate()
            .map(|(c, cat)| {
                let visibility = match withheld.blocks[c][g] {
                    Some(reason) => Published::withheld(reason, k),
                    None => Published::Shown(
                        cat.items
                            .iter()
                            .map(|&i| {
                                let s = &stats.items[i];
                                // A change where the block was shown last year in every group compared with.
                                let n_values = survey.categories.len() + 1;
                                let change = previous.filter(|_| comparable(n_values + c)).and_then(|p| {
                                    let (now, before) = (s.moments(), p.items.get(i)?.moments());
                                    let delta = now.mean()? - before.mean()?;
                                    Some(tested(delta, welch_p(&now, &before)))
                                });
                                ItemScore {
                                    item: survey.items[i].id.clone(),
                                    n: s.n as u64,
                                    score: s.sum / s.n,
                                    favorable: s.favorable / s.n * 100.0,
                                    change,
                                    versus_city: None,
                                }
                            })
                            .collect(),
                    ),
                };
                ItemBlock { category: cat.id.clone(), visibility }
            })
            .collect()
    };
    // The outcome block, in a year where someone answered the outcome questions.
    let outcomes = withheld.outcomes.get(g).filter(|_| detail.items).map(|reason| match reason {
        Some(reason) => Published::withheld(*reason, k),
        None => Published::Shown(
            survey
                .outcomes
                .iter()
                .zip(&stats.outcomes)
                .map(|(o, s)| ItemScore {
                    item: o.id.clone(),
                    n: s.n as u64,
                    score: s.sum / s.n,
                    favorable: s.favorable / s.n * 100.0,
                    change: None,
                    versus_city: None,
                })
                .collect(),
        ),
    });
    Figures { respondents: stats.rows as usize, response_rate, headcount, scores, items, outcomes }
}
