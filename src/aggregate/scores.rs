//! Scores with polars (DESIGN §4): respondents' category and overall scores
//! as lazy expressions, summed per department × demographic combination, then
//! rolled up the department tree by joining each department to its ancestors.
//!
//! What it hands on is [`GroupStats`] per group key: respondents and, per
//! category and item, the sums from which means, standard deviations,
//! favorable rates and t-tests follow. Sums add up, so a 部 is the sum of its
//! 課 and a merged department compares with the sum of its predecessors.

use std::collections::HashMap;

use polars::prelude::*;

use crate::aggregate::model::ALL;
use crate::aggregate::stats::Moments;
use crate::config::org::Org;
use crate::config::survey::Survey;
use crate::config::year::FiscalYear;

/// A group's key: year, department code (or `ALL`), and cut (demographic index and value).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    /// Fiscal year (western).
    pub year: i32,
    /// Department code or `ALL`.
    pub group: String,
    /// Demographic index and value, or `None` for the whole group.
    pub cut: Option<(usize, String)>,
}

/// Sums of one category (or overall) in a group.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CategorySums {
    /// Respondents with a score, Σ score, Σ score².
    pub moments: Moments,
    /// Answered item responses.
    pub answered: f64,
    /// Favorable item responses.
    pub favorable: f64,
    /// Unfavorable item responses.
    pub unfavorable: f64,
}

/// Sums of one item in a group.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ItemSums {
    /// Respondents who answered.
    pub n: f64,
    /// Σ item score.
    pub sum: f64,
    /// Favorable answers.
    pub favorable: f64,
}

/// Everything summed for one group.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GroupStats {
    /// Respondents (rows).
    pub rows: u64,
    /// Per category in survey order, then overall.
    pub categories: Vec<CategorySums>,
    /// Per item in survey order.
    pub items: Vec<ItemSums>,
}

/// Group statistics of every year, for whole groups, own parts and last year's unions.
pub struct Summed {
    /// Each department's subtree, and ALL, whole or cut.
    pub groups: HashMap<Key, GroupStats>,
    /// Respondents coded directly to a department (not below it), whole or cut.
    pub own: HashMap<Key, GroupStats>,
    /// Keyed by this year's group: last year's respondents of its predecessors.
    pub previous: HashMap<Key, GroupStats>,
}

fn item_score_col(i: usize) -> String {
    format!("s{i}")
}

/// Adds respondents' item scores, category scores and counts to the responses.
///
/// Category score: mean of answered item scores when at least half the items
/// (rounded up) are answered. Overall: mean of category scores when at least
/// half the categories (rounded up) have one.
pub fn respondent_scores(df: &DataFrame, survey: &Survey) -> LazyFrame {
    let scale = &survey.scale;
    let (min, max) = (scale.min, scale.max);
    let span = (max - min) as f64;
    let unfavorable = min + max - scale.favorable;
    let reversed = |i: usize| -> Expr {
        let item = &survey.items[i];
        let v = col(item.id.as_str()).cast(DataType::Int32);
        if item.reverse { lit((min + max) as i32) - v } else { v }
    };
    let mut exprs: Vec<Expr> = Vec::new();
    for i in 0..survey.items.len() {
        let v = reversed(i);
        exprs.push(
            ((v.clone() - lit(min as i32)).cast(DataType::Float64) * lit(100.0) / lit(span)).alias(item_score_col(i)),
        );
        exprs.push(v.clone().gt_eq(lit(scale.favorable as i32)).cast(DataType::UInt32).alias(format!("f{i}")));
        exprs.push(v.lt_eq(lit(unfavorable as i32)).cast(DataType::UInt32).alias(format!("u{i}")));
    }
    let lf = df.clone().lazy().with_columns(exprs);
    let mut cat_exprs: Vec<Expr> = Vec::new();
    for (c, cat) in survey.categories.iter().enumerate() {
        let answered = cat
            .items
            .iter()
            .map(|&i| col(survey.items[i].id.as_str()).is_not_null().cast(DataType::UInt32))
            .reduce(|a, b| a + b)
            .unwrap_or_else(|| lit(0u32));
        let sum = cat
            .items
            .iter()
            .map(|&i| col(item_score_col(i)).fill_null(lit(0.0)))
            .reduce(|a, b| a + b)
            .unwrap_or_else(|| lit(0.0));
        let fav = cat
            .items
            .iter()
            .map(|&i| col(format!("f{i}")).fill_null(lit(0u32)))
            .reduce(|a, b| a + b)
            .unwrap_or_else(|| lit(0u32));
        let unf = cat
            .items
            .iter()
            .map(|&i| col(format!("u{i}")).fill_null(lit(0u32)))
            .reduce(|a, b| a + b)
            .unwrap_or_else(|| lit(0u32));
        cat_exprs.push(answered.alias(format!("a{c}")));
        cat_exprs.push(sum.alias(format!("t{c}")));
        cat_exprs.push(fav.alias(format!("fc{c}")));
        cat_exprs.push(unf.alias(format!("uc{c}")));
    }
    let lf = lf.with_columns(cat_exprs);
    let mut score_exprs: Vec<Expr> = Vec::new();
    for (c, cat) in survey.categories.iter().enumerate() {
        let need = cat.min_answered() as u32;
        score_exprs.push(
            when(col(format!("a{c}")).gt_eq(lit(need)))
                .then(col(format!("t{c}")) / col(format!("a{c}")).cast(DataType::Float64))
                .otherwise(lit(NULL).cast(DataType::Float64))
                .alias(format!("score{c}")),
        );
    }
    let lf = lf.with_columns(score_exprs);
    let n = survey.categories.len();
    let overall = n;
    let need = n.div_ceil(2) as u32;
    let scored = (0..n)
        .map(|c| col(format!("score{c}")).is_not_null().cast(DataType::UInt32))
        .reduce(|a, b| a + b)
        .unwrap_or_else(|| lit(0u32));
    let total =
        (0..n).map(|c| col(format!("score{c}")).fill_null(lit(0.0))).reduce(|a, b| a + b).unwrap_or_else(|| lit(0.0));
    let sum_of =
        |prefix: &str| (0..n).map(|c| col(format!("{prefix}{c}"))).reduce(|a, b| a + b).unwrap_or_else(|| lit(0u32));
    lf.with_columns([
        scored.alias("scored"),
        total.alias("total"),
        sum_of("a").alias(format!("a{overall}")),
        sum_of("fc").alias(format!("fc{overall}")),
        sum_of("uc").alias(format!("uc{overall}")),
    ])
    .with_column(
        when(col("scored").gt_eq(lit(need)))
            .then(col("total") / col("scored").cast(DataType::Float64))
            .otherwise(lit(NULL).cast(DataType::Float64))
            .alias(format!("score{overall}")),
    )
}

/// The sums each group keeps, as aggregation expressions.
fn sum_exprs(survey: &Survey) -> Vec<Expr> {
    let mut aggs = vec![len().cast(DataType::Float64).alias("rows")];
    for c in 0..=survey.categories.len() {
        let score = col(format!("score{c}"));
        aggs.push(score.clone().count().cast(DataType::Float64).alias(format!("n{c}")));
        aggs.push(score.clone().sum().alias(format!("sum{c}")));
        aggs.push((score.clone() * score).sum().alias(format!("sq{c}")));
        aggs.push(col(format!("a{c}")).sum().cast(DataType::Float64).alias(format!("ans{c}")));
        aggs.push(col(format!("fc{c}")).sum().cast(DataType::Float64).alias(format!("fav{c}")));
        aggs.push(col(format!("uc{c}")).sum().cast(DataType::Float64).alias(format!("unf{c}")));
    }
    for (i, item) in survey.items.iter().enumerate() {
        aggs.push(col(item.id.as_str()).count().cast(DataType::Float64).alias(format!("in{i}")));
        aggs.push(col(item_score_col(i)).sum().alias(format!("is{i}")));
        aggs.push(col(format!("f{i}")).sum().cast(DataType::Float64).alias(format!("if{i}")));
    }
    aggs
}

/// The names of the summed columns, in [`sum_exprs`] order.
fn sum_names(survey: &Survey) -> Vec<String> {
    let mut names = vec!["rows".to_string()];
    for c in 0..=survey.categories.len() {
        for p in ["n", "sum", "sq", "ans", "fav", "unf"] {
            names.push(format!("{p}{c}"));
        }
    }
    for i in 0..survey.items.len() {
        for p in ["in", "is", "if"] {
            names.push(format!("{p}{i}"));
        }
    }
    names
}

/// Adding up summed columns again (for rolling up).
fn resum_exprs(names: &[String]) -> Vec<Expr> {
    names.iter().map(|n| col(n.as_str()).sum().alias(n.as_str())).collect()
}

/// Turns a frame of key columns and summed columns into stats per key.
fn collect_stats(
    df: &DataFrame,
    survey: &Survey,
    group_col: &str,
    year_col: &str,
    cut: Option<usize>,
    out: &mut HashMap<Key, GroupStats>,
) -> PolarsResult<()> {
    let years = df.column(year_col)?.cast(&DataType::Int32)?;
    let years = years.i32()?;
    let groups = df.column(group_col)?.str()?.clone();
    let values = match cut {
        Some(c) => Some(df.column(&survey.demographics[c].name)?.str()?.clone()),
        None => None,
    };
    let names = sum_names(survey);
    let mut cols: Vec<Vec<f64>> = Vec::with_capacity(names.len());
    for n in &names {
        let s = df.column(n)?.cast(&DataType::Float64)?;
        cols.push(s.f64()?.iter().map(|v| v.unwrap_or(0.0)).collect());
    }
    let n_cat = survey.categories.len() + 1;
    for r in 0..df.height() {
        let key = Key {
            year: years.get(r).unwrap_or(0),
            group: groups.get(r).unwrap_or("").to_string(),
            cut: match (&values, cut) {
                (Some(v), Some(c)) => Some((c, v.get(r).unwrap_or("").to_string())),
                _ => None,
            },
        };
        let mut k = 0;
        let mut next = || {
            let v = cols[k][r];
            k += 1;
            v
        };
        let rows = next() as u64;
        let categories = (0..n_cat)
            .map(|_| {
                let (n, sum, sq, ans, fav, unf) = (next(), next(), next(), next(), next(), next());
                CategorySums {
                    moments: Moments { n: n as u64, sum, sum_sq: sq },
                    answered: ans,
                    favorable: fav,
                    unfavorable: unf,
                }
            })
            .collect();
        let items = (0..survey.items.len())
            .map(|_| {
                let (n, sum, favorable) = (next(), next(), next());
                ItemSums { n, sum, favorable }
            })
            .collect();
        out.insert(key, GroupStats { rows, categories, items });
    }
    Ok(())
}

/// Builds the frame mapping (year, department) to every group it belongs to:
/// itself, each ancestor, and ALL.
fn membership(org: &Org) -> PolarsResult<DataFrame> {
    let (mut years, mut departments, mut groups) = (Vec::new(), Vec::new(), Vec::new());
    for (year, o) in &org.years {
        for (i, d) in o.departments.iter().enumerate() {
            for a in o.ancestors(i) {
                years.push(year.0);
                departments.push(d.code.clone());
                groups.push(o.departments[a].code.clone());
            }
            years.push(year.0);
            departments.push(d.code.clone());
            groups.push(ALL.to_string());
        }
    }
    let height = years.len();
    DataFrame::new(
        height,
        vec![
            Column::new("year".into(), years),
            Column::new("department".into(), departments),
            Column::new("group".into(), groups),
        ],
    )
}

/// Builds the frame mapping last year's (year, department) to this year's
/// groups whose predecessors' subtrees hold it; `next_year` is this year.
fn predecessor_membership(org: &Org) -> PolarsResult<DataFrame> {
    let (mut years, mut departments, mut groups, mut next_years) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (&year, o) in &org.years {
        let Some(prev) = org.year(year.previous()) else { continue };
        for d in &o.departments {
            let mut members: Vec<usize> = Vec::new();
            for p in org.predecessors(year, &d.code) {
                if let Some(pi) = prev.find(&p) {
                    for m in prev.subtree(pi) {
                        if !members.contains(&m) {
                            members.push(m);
                        }
                    }
                }
            }
            for m in members {
                years.push(prev.year.0);
                departments.push(prev.departments[m].code.clone());
                groups.push(d.code.clone());
                next_years.push(year.0);
            }
        }
        for d in &prev.departments {
            years.push(prev.year.0);
            departments.push(d.code.clone());
            groups.push(ALL.to_string());
            next_years.push(year.0);
        }
    }
    let height = years.len();
    DataFrame::new(
        height,
        vec![
            Column::new("year".into(), years),
            Column::new("department".into(), departments),
            Column::new("group".into(), groups),
            Column::new("next_year".into(), next_years),
        ],
    )
}

/// Sums every group of every year from the responses.
pub fn sum_groups(df: &DataFrame, survey: &Survey, org: &Org) -> PolarsResult<Summed> {
    let demo_names: Vec<&str> = survey.demographics.iter().map(|d| d.name.as_str()).collect();
    let mut leaf_keys: Vec<Expr> = vec![col("year"), col("department")];
    leaf_keys.extend(demo_names.iter().map(|n| col(*n)));
    // One row per year × department × demographic combination: small, whatever the respondents.
    let leaves = respondent_scores(df, survey).group_by_stable(leaf_keys).agg(sum_exprs(survey)).collect()?;
    let names = sum_names(survey);
    let members = membership(org)?;
    let predecessors = predecessor_membership(org)?;
    let join_on = |lf: LazyFrame, map: &DataFrame| {
        lf.join(
            map.clone().lazy(),
            [col("year"), col("department")],
            [col("year"), col("department")],
            JoinArgs::new(JoinType::Inner),
        )
    };
    let rolled = join_on(leaves.clone().lazy(), &members).collect()?;
    let previous = join_on(leaves.clone().lazy(), &predecessors).collect()?;

    let mut out = Summed { groups: HashMap::new(), own: HashMap::new(), previous: HashMap::new() };
    for cut in std::iter::once(None).chain((0..demo_names.len()).map(Some)) {
        let mut keys = vec![col("year"), col("group")];
        let mut own_keys = vec![col("year"), col("department")];
        let mut prev_keys = vec![col("next_year"), col("group")];
        if let Some(c) = cut {
            keys.push(col(demo_names[c]));
            own_keys.push(col(demo_names[c]));
            prev_keys.push(col(demo_names[c]));
        }
        let g = rolled.clone().lazy().group_by_stable(keys).agg(resum_exprs(&names)).collect()?;
        collect_stats(&g, survey, "group", "year", cut, &mut out.groups)?;
        let o = leaves.clone().lazy().group_by_stable(own_keys).agg(resum_exprs(&names)).collect()?;
        collect_stats(&o, survey, "department", "year", cut, &mut out.own)?;
        let p = previous.clone().lazy().group_by_stable(prev_keys).agg(resum_exprs(&names)).collect()?;
        collect_stats(&p, survey, "group", "next_year", cut, &mut out.previous)?;
    }
    Ok(out)
}

/// Cronbach's α inputs per year and category: item variances, the variance of
/// the item sum, and n, over respondents who answered every item of it.
/// Item scores are used, so reverse items count in their reversed direction.
pub fn alpha_inputs(df: &DataFrame, survey: &Survey) -> PolarsResult<HashMap<(i32, usize), (Vec<f64>, f64, u64)>> {
    let scored = respondent_scores(df, survey).collect()?;
    let mut out = HashMap::new();
    for (c, cat) in survey.categories.iter().enumerate() {
        let cols: Vec<String> = cat.items.iter().map(|&i| item_score_col(i)).collect();
        let complete =
            cols.iter().map(|s| col(s.as_str()).is_not_null()).reduce(|a, b| a.and(b)).unwrap_or_else(|| lit(false));
        let sum = cols.iter().map(|s| col(s.as_str())).reduce(|a, b| a + b).unwrap_or_else(|| lit(0.0));
        let mut aggs: Vec<Expr> =
            cols.iter().enumerate().map(|(k, s)| col(s.as_str()).var(1).alias(format!("v{k}"))).collect();
        aggs.push(sum.var(1).alias("total"));
        aggs.push(len().cast(DataType::Float64).alias("n"));
        let res = scored.clone().lazy().filter(complete).group_by_stable([col("year")]).agg(aggs).collect()?;
        let years = res.column("year")?.i32()?.clone();
        let total = res.column("total")?.f64()?.clone();
        let n = res.column("n")?.f64()?.clone();
        let vars: Vec<Float64Chunked> = (0..cols.len())
            .map(|k| res.column(&format!("v{k}")).and_then(|c| Ok(c.f64()?.clone())))
            .collect::<PolarsResult<_>>()?;
        for r in 0..res.height() {
            let Some(year) = years.get(r) else { continue };
            let item_vars: Vec<f64> = vars.iter().map(|v| v.get(r).unwrap_or(f64::NAN)).collect();
            out.insert((year, c), (item_vars, total.get(r).unwrap_or(f64::NAN), n.get(r).unwrap_or(0.0) as u64));
        }
    }
    Ok(out)
}

/// Returns the years present in the responses, oldest first.
pub fn years_present(df: &DataFrame) -> PolarsResult<Vec<FiscalYear>> {
    let years = df.column("year")?.i32()?.unique()?.sort(false);
    Ok(years.iter().flatten().map(FiscalYear).collect())
}
