//! The harassment survey per group: for each question, the share of each
//! choice (or the scale score) among those who answered it, for the whole
//! organisation and every department subtree, under the harassment survey's
//! own k and the same differencing rule along the department tree.

use std::collections::HashMap;

use polars::prelude::*;
use serde::Serialize;

use crate::aggregate::model::ALL;
use crate::aggregate::scores::{fixed_order_group_by, ordered_join};
use crate::aggregate::suppression::{HiddenReason, Part, Split, suppress};
use crate::config::org::{Org, OrgYear};
use crate::config::survey::{HarassmentSurvey, QuestionKind, Scale};
use crate::config::year::FiscalYear;
use crate::ingest::harassment::choice_column;

/// Choices meaning "does not apply": left out of the base of a question's shares.
pub const NOT_APPLICABLE: [&str; 3] = ["該当なし", "非該当", "該当しない"];

/// The harassment survey's results in one year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HarassmentYear {
    /// k of the harassment survey.
    pub min_group_size: usize,
    /// Every group with respondents: ALL, then departments in org.csv order.
    pub groups: Vec<HarassmentGroup>,
}

/// One group of the harassment survey.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HarassmentGroup {
    /// Department code or `ALL`.
    pub department: String,
    /// Department name.
    pub department_name: String,
    /// Depth in the tree (0 for ALL).
    pub depth: usize,
    /// Figures, or why they are withheld.
    pub visibility: HarassmentVisibility,
}

/// Figures or the reason they are withheld.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HarassmentVisibility {
    /// Shown.
    Shown(HarassmentFigures),
    /// Withheld.
    Hidden {
        /// Why.
        reason: HiddenReason,
        /// The sentence reports print.
        message: String,
    },
}

/// A shown group's answers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HarassmentFigures {
    /// Respondents.
    pub respondents: u64,
    /// Per question in survey order.
    pub questions: Vec<QuestionResult>,
}

/// One question's answers in a group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionResult {
    /// Question id.
    pub id: String,
    /// Question text.
    pub text: String,
    /// Respondents who answered it (not given when the shares are withheld).
    pub answered: Option<u64>,
    /// Share of each choice among those who answered, in % (single and multiple);
    /// 「該当なし」 is neither a choice here nor in the base.
    pub choices: Vec<(String, Option<f64>)>,
    /// Mean score 0–100 (scale questions).
    pub score: Option<f64>,
    /// Share favorable, in % (scale questions).
    pub favorable: Option<f64>,
    /// Why the shares are withheld: a question answered by fewer than k people
    /// (such as 「受けた際に相談した」, asked only of those harassed) would tell
    /// what those few answered.
    pub withheld: Option<String>,
}

/// Aggregates the harassment survey for every year it has responses.
pub fn aggregate_harassment(
    df: &DataFrame,
    survey: &HarassmentSurvey,
    scale: &Scale,
    org: &Org,
) -> PolarsResult<HashMap<i32, HarassmentYear>> {
    let span = (scale.max - scale.min) as f64;
    let mut exprs: Vec<Expr> = Vec::new();
    let mut names: Vec<String> = vec!["rows".into()];
    for (qi, q) in survey.questions.iter().enumerate() {
        match q.kind {
            QuestionKind::Single => {
                // 「該当なし」 is not an answer to count: a share of those who consulted is
                // among those it applies to.
                let mut applies = col(q.id.as_str()).is_not_null();
                for c in q.choices.iter().filter(|c| NOT_APPLICABLE.contains(&c.as_str())) {
                    applies = applies.and(col(q.id.as_str()).neq(lit(c.as_str())).fill_null(lit(false)));
                }
                exprs.push(applies.cast(DataType::Float64).alias(format!("q{qi}")));
                names.push(format!("q{qi}"));
                for (ci, c) in q.choices.iter().enumerate() {
                    exprs.push(
                        col(q.id.as_str())
                            .eq(lit(c.as_str()))
                            .fill_null(lit(false))
                            .cast(DataType::Float64)
                            .alias(format!("q{qi}c{ci}")),
                    );
                    names.push(format!("q{qi}c{ci}"));
                }
            }
            QuestionKind::Multiple => {
                let first = choice_column(&q.id, &q.choices[0]);
                exprs.push(col(first.as_str()).is_not_null().cast(DataType::Float64).alias(format!("q{qi}")));
                names.push(format!("q{qi}"));
                for (ci, c) in q.choices.iter().enumerate() {
                    let name = choice_column(&q.id, c);
                    exprs.push(
                        col(name.as_str()).fill_null(lit(false)).cast(DataType::Float64).alias(format!("q{qi}c{ci}")),
                    );
                    names.push(format!("q{qi}c{ci}"));
                }
            }
            QuestionKind::Scale => {
                let v = col(q.id.as_str()).cast(DataType::Float64);
                exprs.push(col(q.id.as_str()).is_not_null().cast(DataType::Float64).alias(format!("q{qi}")));
                exprs.push(
                    ((v.clone() - lit(scale.min as f64)) * lit(100.0) / lit(span))
                        .fill_null(lit(0.0))
                        .alias(format!("q{qi}s")),
                );
                exprs.push(
                    v.gt_eq(lit(scale.favorable as f64))
                        .fill_null(lit(false))
                        .cast(DataType::Float64)
                        .alias(format!("q{qi}f")),
                );
                names.extend([format!("q{qi}"), format!("q{qi}s"), format!("q{qi}f")]);
            }
        }
    }
    let mut aggs = vec![len().cast(DataType::Float64).alias("rows")];
    aggs.extend(names.iter().skip(1).map(|n| col(n.as_str()).sum().alias(n.as_str())));
    let leaves =
        fixed_order_group_by(df.clone().lazy().with_columns(exprs), vec![col("year"), col("department")], aggs)
            .collect()?;

    // Roll up: each department into itself, its ancestors and ALL.
    let (mut ys, mut ds, mut gs) = (Vec::new(), Vec::new(), Vec::new());
    for (year, o) in &org.years {
        for (i, d) in o.departments.iter().enumerate() {
            for a in o.ancestors(i).into_iter().map(|a| o.departments[a].code.clone()).chain([ALL.to_string()]) {
                ys.push(year.0);
                ds.push(d.code.clone());
                gs.push(a);
            }
        }
    }
    let n = ys.len();
    let members = DataFrame::new(
        n,
        vec![Column::new("year".into(), ys), Column::new("department".into(), ds), Column::new("group".into(), gs)],
    )?;
    let resum: Vec<Expr> = names.iter().map(|n| col(n.as_str()).sum().alias(n.as_str())).collect();
    let joined = leaves.clone().lazy().join(
        members.lazy(),
        [col("year"), col("department")],
        [col("year"), col("department")],
        ordered_join(),
    );
    let rolled = fixed_order_group_by(joined, vec![col("year"), col("group")], resum).collect()?;
    let table = |df: &DataFrame, key: &str| -> PolarsResult<HashMap<(i32, String), Vec<f64>>> {
        let years = df.column("year")?.i32()?.clone();
        let keys = df.column(key)?.str()?.clone();
        let cols: Vec<Vec<f64>> = names
            .iter()
            .map(|n| Ok(df.column(n)?.cast(&DataType::Float64)?.f64()?.iter().map(|v| v.unwrap_or(0.0)).collect()))
            .collect::<PolarsResult<_>>()?;
        Ok((0..df.height())
            .map(|r| {
                (
                    (years.get(r).unwrap_or(0), keys.get(r).unwrap_or("").to_string()),
                    cols.iter().map(|c| c[r]).collect(),
                )
            })
            .collect())
    };
    let groups = table(&rolled, "group")?;
    let own = table(&leaves, "department")?;

    let mut out = HashMap::new();
    let years: Vec<i32> = {
        let mut y: Vec<i32> = groups.keys().map(|k| k.0).collect();
        y.sort_unstable();
        y.dedup();
        y
    };
    for year in years {
        let Some(o) = org.year(FiscalYear(year)) else { continue };
        out.insert(year, year_result(year, o, survey, &groups, &own, &names));
    }
    Ok(out)
}

fn year_result(
    year: i32,
    o: &OrgYear,
    survey: &HarassmentSurvey,
    groups: &HashMap<(i32, String), Vec<f64>>,
    own: &HashMap<(i32, String), Vec<f64>>,
    names: &[String],
) -> HarassmentYear {
    let k = survey.min_group_size;
    let rows = |m: &HashMap<(i32, String), Vec<f64>>, code: &str| {
        m.get(&(year, code.to_string())).map(|v| v[0] as usize).unwrap_or(0)
    };
    // Parts: ALL, each department, each department's own respondents.
    let codes: Vec<String> =
        std::iter::once(ALL.to_string()).chain(o.departments.iter().map(|d| d.code.clone())).collect();
    let mut parts: Vec<Part> = codes.iter().map(|c| Part { rows: rows(groups, c), printable: true }).collect();
    let own_base = parts.len();
    parts.extend(o.departments.iter().map(|d| Part { rows: rows(own, &d.code), printable: false }));
    let mut splits: Vec<Split> = vec![o.roots().into_iter().map(|r| (r + 1, o.departments[r].code.clone())).collect()];
    for (i, _) in o.departments.iter().enumerate() {
        let mut split: Split = o.children[i].iter().map(|&c| (c + 1, o.departments[c].code.clone())).collect();
        split.push((own_base + i, String::new()));
        splits.push(split);
    }
    let hidden = suppress(k, &parts, &splits);
    let index: HashMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (n.as_str(), i)).collect();
    let mut result = Vec::new();
    for (gi, code) in codes.iter().enumerate() {
        let Some(values) = groups.get(&(year, code.clone())) else { continue };
        if values[0] < 1.0 {
            continue;
        }
        let (name, depth) = match o.find(code) {
            Some(i) => (o.departments[i].name.clone(), o.ancestors(i).len()),
            None => ("全体".to_string(), 0),
        };
        let visibility = match hidden[gi] {
            Some(reason) => HarassmentVisibility::Hidden { reason, message: reason.message(k) },
            None => {
                let get = |n: String| index.get(n.as_str()).map(|&i| values[i]).unwrap_or(0.0);
                let share = |x: f64, of: f64| (of > 0.0).then(|| x / of * 100.0);
                let questions = survey
                    .questions
                    .iter()
                    .enumerate()
                    .map(|(qi, q)| {
                        let answered = get(format!("q{qi}"));
                        // A share among fewer than k people is withheld, even in a shown group.
                        let enough = answered >= k as f64;
                        let share = |x: f64, of: f64| if enough { share(x, of) } else { None };
                        let (choices, score, favorable) = match q.kind {
                            QuestionKind::Scale => (
                                Vec::new(),
                                share(get(format!("q{qi}s")), answered * 100.0).map(|s| s * 100.0),
                                share(get(format!("q{qi}f")), answered),
                            ),
                            _ => (
                                q.choices
                                    .iter()
                                    .enumerate()
                                    .filter(|(_, c)| !NOT_APPLICABLE.contains(&c.as_str()))
                                    .map(|(ci, c)| (c.clone(), share(get(format!("q{qi}c{ci}")), answered)))
                                    .collect(),
                                None,
                                None,
                            ),
                        };
                        QuestionResult {
                            id: q.id.clone(),
                            text: q.text.clone(),
                            answered: enough.then_some(answered as u64),
                            choices,
                            score,
                            favorable,
                            withheld: (!enough).then(|| format!("回答者が{k}人未満のため非表示")),
                        }
                    })
                    .collect();
                HarassmentVisibility::Shown(HarassmentFigures { respondents: values[0] as u64, questions })
            }
        };
        result.push(HarassmentGroup { department: code.clone(), department_name: name, depth, visibility });
    }
    HarassmentYear { min_group_size: k, groups: result }
}
