//! The harassment survey per group: for each question, the share of each
//! choice (or the scale score) among those who answered it, for the whole
//! organisation and every department subtree, under the harassment survey's
//! own k and the same differencing rule along the department tree.

use std::collections::HashMap;

use polars::prelude::*;

use crate::aggregate::model::{
    ALL, HarassmentFigures, HarassmentGroup, HarassmentYear, HiddenReason, Published, QuestionFigures, QuestionResult,
};
use crate::aggregate::scores::{fixed_order_group_by, ordered_join};
use crate::aggregate::suppression::Layout;
use crate::config::org::{Org, OrgYear};
use crate::config::survey::{HarassmentSurvey, QuestionKind, Scale};
use crate::config::year::FiscalYear;
use crate::ingest::harassment::choice_column;

/// Choices meaning "does not apply": left out of the base of a question's shares.
pub const NOT_APPLICABLE: [&str; 3] = ["該当なし", "非該当", "該当しない"];

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
    let index: HashMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (n.as_str(), i)).collect();
    let column = |name: &str| index.get(name).copied();
    // Parts: ALL and each department with respondents (printable, in the order
    // the tables list them), then each department's own respondents.
    let codes: Vec<String> = std::iter::once(ALL.to_string())
        .chain(o.departments.iter().map(|d| d.code.clone()))
        .filter(|c| groups.get(&(year, c.clone())).is_some_and(|v| v[0] >= 1.0))
        .collect();
    let part_of: HashMap<&str, usize> = codes.iter().enumerate().map(|(i, c)| (c.as_str(), i)).collect();
    let mut values: Vec<&Vec<f64>> = codes.iter().filter_map(|c| groups.get(&(year, c.clone()))).collect();
    let mut printable = vec![true; codes.len()];
    let mut own_part: HashMap<&str, usize> = HashMap::new();
    for d in &o.departments {
        if let Some(v) = own.get(&(year, d.code.clone())).filter(|v| v[0] >= 1.0) {
            own_part.insert(d.code.as_str(), values.len());
            values.push(v);
            printable.push(false);
        }
    }
    let mut splits: Vec<Vec<usize>> =
        vec![o.roots().into_iter().filter_map(|r| part_of.get(o.departments[r].code.as_str()).copied()).collect()];
    for (i, d) in o.departments.iter().enumerate() {
        if !part_of.contains_key(d.code.as_str()) {
            continue;
        }
        let mut split: Vec<usize> =
            o.children[i].iter().filter_map(|&c| part_of.get(o.departments[c].code.as_str()).copied()).collect();
        split.extend(own_part.get(d.code.as_str()));
        splits.push(split);
    }
    splits.retain(|s| !s.is_empty());
    let layout = Layout::new(printable, splits);
    let measure_of =
        |col: Option<usize>| -> Vec<u64> { values.iter().map(|v| col.map_or(0, |c| v[c].max(0.0) as u64)).collect() };

    // Groups by rows, then each question by the respondents it counts.
    let rows = measure_of(Some(0));
    let mut hidden = layout.below_k(k, &rows);
    layout.difference(k, &rows, &mut hidden);
    let questions_hidden: Vec<Vec<Option<HiddenReason>>> = (0..survey.questions.len())
        .map(|qi| {
            let m = measure_of(column(&format!("q{qi}")));
            let mut h = layout.below_k_within(k, &m, &hidden);
            layout.difference(k, &m, &mut h);
            h
        })
        .collect();

    let result = codes
        .iter()
        .enumerate()
        .map(|(gi, code)| {
            let (name, depth) = match o.find(code) {
                Some(i) => (o.departments[i].name.clone(), o.ancestors(i).len()),
                None => ("全体".to_string(), 0),
            };
            let v = values[gi];
            let get = |n: String| column(&n).map(|i| v[i]).unwrap_or(0.0);
            let visibility = match hidden[gi] {
                Some(reason) => Published::withheld(reason, k),
                None => {
                    let questions = survey
                        .questions
                        .iter()
                        .enumerate()
                        .map(|(qi, q)| {
                            let answered = get(format!("q{qi}"));
                            let published: Vec<(usize, &String)> = q
                                .choices
                                .iter()
                                .enumerate()
                                .filter(|(_, c)| !NOT_APPLICABLE.contains(&c.as_str()))
                                .collect();
                            let choices = match q.kind {
                                QuestionKind::Scale => Vec::new(),
                                _ => published.iter().map(|(_, c)| (*c).clone()).collect(),
                            };
                            let visibility = match questions_hidden[qi][gi] {
                                Some(reason) => Published::withheld(reason, k),
                                None => Published::Shown(match q.kind {
                                    QuestionKind::Scale => QuestionFigures {
                                        answered: answered as u64,
                                        shares: Vec::new(),
                                        // Σ (v − min) × 100 / span over those who answered.
                                        score: Some(get(format!("q{qi}s")) / answered),
                                        favorable: Some(get(format!("q{qi}f")) / answered * 100.0),
                                    },
                                    _ => QuestionFigures {
                                        answered: answered as u64,
                                        shares: published
                                            .iter()
                                            .map(|(ci, _)| get(format!("q{qi}c{ci}")) / answered * 100.0)
                                            .collect(),
                                        score: None,
                                        favorable: None,
                                    },
                                }),
                            };
                            QuestionResult { id: q.id.clone(), text: q.text.clone(), choices, visibility }
                        })
                        .collect();
                    Published::Shown(HarassmentFigures { respondents: v[0] as u64, questions })
                }
            };
            HarassmentGroup { department: code.clone(), department_name: name, depth, visibility }
        })
        .collect();
    HarassmentYear { min_group_size: k, groups: result }
}
