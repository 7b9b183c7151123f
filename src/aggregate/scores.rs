//! Scores (DESIGN §4): respondents' category and overall scores in one pass
//! over their answers, summed with polars per department × demographic combination, then
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
    /// Σ item score².
    pub sum_sq: f64,
}

impl ItemSums {
    /// The item scores' moments, for tests between groups or years.
    pub fn moments(&self) -> Moments {
        Moments { n: self.n as u64, sum: self.sum, sum_sq: self.sum_sq }
    }
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
    /// Per outcome question in survey order.
    pub outcomes: Vec<ItemSums>,
    /// Respondents in the driver analysis: every category score and every
    /// outcome question answered ([`COMPLETE`]).
    pub complete: u64,
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

/// Returns an item's answers after reversing, minus the scale minimum (0..=max−min).
fn points(scored: &DataFrame, survey: &Survey, i: usize) -> PolarsResult<Int64Chunked> {
    let (min, max) = (survey.scale.min, survey.scale.max);
    let v = scored.column(survey.items[i].id.as_str())?.cast(&DataType::Int64)?;
    let v = v.i64()?;
    Ok(if survey.items[i].reverse { v.apply_values(|x| max - x) } else { v - min })
}

/// Whether each answer in `v` is favorable and whether it is unfavorable
/// (after reversing when `reverse`); null where unanswered.
fn favorable_pair(survey: &Survey, v: &Int8Chunked, reverse: bool) -> (BooleanChunked, BooleanChunked) {
    let scale = &survey.scale;
    let high = scale.favorable as i8;
    let low = (scale.min + scale.max - scale.favorable) as i8;
    if reverse { (v.lt_eq(low), v.gt_eq(high)) } else { (v.gt_eq(high), v.lt_eq(low)) }
}

/// The questions summed one by one: the items, then the outcome questions
/// (id and whether reverse-worded).
fn questions(survey: &Survey) -> impl Iterator<Item = (&str, bool)> {
    let items = survey.items.iter().map(|i| (i.id.as_str(), i.reverse));
    items.chain(survey.outcomes.iter().map(|o| (o.id.as_str(), o.reverse)))
}

/// Calls `f(row, answer)` for every answered row of one item's column.
fn each_answer(ca: &Int8Chunked, mut f: impl FnMut(usize, i8)) {
    let mut offset = 0;
    for arr in ca.downcast_iter() {
        let values = arr.values().as_slice();
        match arr.validity() {
            None => values.iter().enumerate().for_each(|(r, &v)| f(offset + r, v)),
            Some(bits) => {
                for (r, (&v, ok)) in values.iter().zip(bits.iter()).enumerate() {
                    if ok {
                        f(offset + r, v);
                    }
                }
            }
        }
        offset += values.len();
    }
}

/// One category's columns for every respondent (see [`respondent_scores`]).
struct CategoryColumns {
    answered: Vec<i32>,
    /// Only when asked for (Cronbach's α needs them, the sums do not).
    points: Option<Vec<i32>>,
    favorable: Vec<i32>,
    unfavorable: Vec<i32>,
    /// The score, where enough items are answered (0.0 elsewhere).
    score: Vec<f64>,
    scored: Vec<bool>,
}

/// Computes one category's columns from its items' Int8 answers.
fn category_columns(answers: &[&Int8Chunked], survey: &Survey, c: usize, points: bool) -> CategoryColumns {
    let height = answers.first().map_or(0, |a| a.len());
    let span = (survey.scale.max - survey.scale.min) as f64;
    let (min, max) = (survey.scale.min as i32, survey.scale.max as i32);
    let high = survey.scale.favorable as i8;
    let low = (survey.scale.min + survey.scale.max - survey.scale.favorable) as i8;
    let cat = &survey.categories[c];
    let (mut answered, mut sum) = (vec![0i32; height], vec![0i32; height]);
    let (mut favorable, mut unfavorable) = (vec![0i32; height], vec![0i32; height]);
    for &i in &cat.items {
        let reverse = survey.items[i].reverse;
        each_answer(answers[i], |r, v| {
            answered[r] += 1;
            sum[r] += if reverse { max - v as i32 } else { v as i32 - min };
            // Reversed, a favorable answer is a low one.
            let (fav, unf) = if reverse { (v <= low, v >= high) } else { (v >= high, v <= low) };
            favorable[r] += fav as i32;
            unfavorable[r] += unf as i32;
        });
    }
    let least = cat.min_answered() as i32;
    let scored: Vec<bool> = answered.iter().map(|&a| a >= least).collect();
    let score: Vec<f64> = sum
        .iter()
        .zip(&answered)
        .zip(&scored)
        .map(|((&p, &a), &ok)| if ok { p as f64 * 100.0 / (span * a as f64) } else { 0.0 })
        .collect();
    CategoryColumns { answered, points: points.then_some(sum), favorable, unfavorable, score, scored }
}

/// Adds each respondent's category and overall scores to the responses:
/// `a{c}` answered items, `fc{c}`/`uc{c}` favorable and unfavorable answers,
/// `score{c}` the score (overall is the last category index), and, when
/// `points`, `r{c}` the answered items' points (for Cronbach's α).
///
/// Category score: mean of answered item scores, (v' − min) / (max − min) × 100,
/// when at least half the items (rounded up) are answered — computed as
/// points × 100 / ((max − min) × answered), exactly the mean. Overall: mean of
/// category scores when at least half the categories (rounded up) have one,
/// added up in category order.
///
/// One pass over each item's Int8 answers, the categories side by side on
/// the cores: written as polars expressions, the 35 casts and their sums
/// allocate several hundred temporary columns and took about half a second
/// for a million respondents.
pub fn respondent_scores(df: &DataFrame, survey: &Survey, points: bool) -> PolarsResult<DataFrame> {
    use rayon::prelude::*;
    let height = df.height();
    let answers: Vec<&Int8Chunked> =
        survey.items.iter().map(|item| df.column(item.id.as_str())?.i8()).collect::<PolarsResult<_>>()?;
    let n = survey.categories.len();
    let categories: Vec<CategoryColumns> =
        (0..n).into_par_iter().map(|c| category_columns(&answers, survey, c, points)).collect();
    // Overall: Σ of the category scores each respondent has, over how many.
    let least = n.div_ceil(2);
    let mut overall = vec![0.0f64; height];
    let mut has_overall = vec![false; height];
    for (r, (value, has)) in overall.iter_mut().zip(has_overall.iter_mut()).enumerate() {
        let (mut total, mut scored) = (0.0, 0);
        for cat in &categories {
            if cat.scored[r] {
                total += cat.score[r];
                scored += 1;
            }
        }
        if scored >= least {
            (*value, *has) = (total / scored as f64, true);
        }
    }
    let score_column = |c: usize, values: Vec<f64>, has: Vec<bool>| {
        Float64Chunked::from_vec_validity(format!("score{c}").into(), values, Some(has.into())).into_column()
    };
    let mut out = df.clone();
    for (c, cat) in categories.into_iter().enumerate() {
        out.with_column(Column::new(format!("a{c}").into(), cat.answered))?;
        if let Some(points) = cat.points {
            out.with_column(Column::new(format!("r{c}").into(), points))?;
        }
        out.with_column(Column::new(format!("fc{c}").into(), cat.favorable))?;
        out.with_column(Column::new(format!("uc{c}").into(), cat.unfavorable))?;
        out.with_column(score_column(c, cat.score, cat.scored))?;
    }
    out.with_column(score_column(n, overall, has_overall))?;
    Ok(out)
}

/// The column, added to the scored responses when item sums are asked for,
/// that is 1 for a respondent in the driver analysis and 0 otherwise.
pub const COMPLETE: &str = "complete";

/// Each respondent's outcome score: the mean of their outcome answers on the
/// 0–100 scale (reversed where reverse-worded), only when every outcome
/// question is answered; null otherwise and when the survey has none.
pub fn outcome_scores(df: &DataFrame, survey: &Survey) -> PolarsResult<Float64Chunked> {
    let height = df.height();
    let span = (survey.scale.max - survey.scale.min) as f64;
    let (min, max) = (survey.scale.min as i32, survey.scale.max as i32);
    let (mut answered, mut points) = (vec![0usize; height], vec![0i32; height]);
    for outcome in &survey.outcomes {
        each_answer(df.column(outcome.id.as_str())?.i8()?, |r, v| {
            answered[r] += 1;
            points[r] += if outcome.reverse { max - v as i32 } else { v as i32 - min };
        });
    }
    let all = survey.outcomes.len();
    Ok((0..height)
        .map(|r| (all > 0 && answered[r] == all).then(|| points[r] as f64 * 100.0 / (span * all as f64)))
        .collect())
}

/// Adds [`COMPLETE`] to the scored responses: 1 where the respondent has an
/// outcome score (`outcome`) and every category score.
pub fn with_complete(scored: DataFrame, survey: &Survey, outcome: &Float64Chunked) -> PolarsResult<DataFrame> {
    let scores: Vec<Float64Chunked> = (0..survey.categories.len())
        .map(|c| Ok(scored.column(&format!("score{c}"))?.f64()?.clone()))
        .collect::<PolarsResult<_>>()?;
    let complete: Vec<i32> = (0..scored.height())
        .map(|r| (outcome.get(r).is_some() && scores.iter().all(|s| s.get(r).is_some())) as i32)
        .collect();
    let mut scored = scored;
    scored.with_column(Column::new(COMPLETE.into(), complete))?;
    Ok(scored)
}

/// One category's (or overall's) sums for each group of respondents: n,
/// Σ score, Σ score² and, for a category, answered, favorable and
/// unfavorable answers.
fn category_sums(scored: &DataFrame, survey: &Survey, c: usize, groups: &Groups) -> PolarsResult<Vec<Column>> {
    let score = scored.column(&format!("score{c}"))?.f64()?;
    let mut sums = vec![
        groups.sum(&format!("n{c}"), score.is_not_null())?,
        groups.sum(&format!("sum{c}"), score.clone())?,
        groups.sum(&format!("sq{c}"), score * score)?,
    ];
    if c < survey.categories.len() {
        for p in ["a", "fc", "uc"] {
            let name = format!("{p}{c}");
            sums.push(groups.sum(&name, scored.column(&name)?.clone())?);
        }
    }
    Ok(sums)
}

/// One question's sums for each group of respondents: n, Σ answer, favorable
/// and unfavorable answers, Σ answer².
fn question_sums(
    scored: &DataFrame,
    survey: &Survey,
    (i, (id, reverse)): (usize, (&str, bool)),
    groups: &Groups,
) -> PolarsResult<Vec<Column>> {
    let v = scored.column(id)?.i8()?;
    let (fav, unf) = favorable_pair(survey, v, reverse);
    let v64 = v.cast(&DataType::Int64)?;
    let v64 = v64.i64()?;
    Ok(vec![
        groups.sum(&format!("in{i}"), v.is_not_null())?,
        groups.sum(&format!("is{i}"), v64.clone())?,
        groups.sum(&format!("if{i}"), fav)?,
        groups.sum(&format!("iu{i}"), unf)?,
        groups.sum(&format!("iq{i}"), v64 * v64)?,
    ])
}

/// The sums each group of respondents keeps, in [`sum_names`] order:
/// respondents; per category n, Σ score, Σ score², answered, favorable and
/// unfavorable answers; and, when `items`, per item n, Σ answer, favorable
/// and unfavorable answers, Σ answer², and those in the driver analysis.
/// Overall's answer counts are the categories' added up.
///
/// The categories and questions are summed side by side on the cores, each
/// one's squares made and dropped there (not a million-row column per sum at
/// once).
fn respondent_sums(scored: &DataFrame, survey: &Survey, items: bool, groups: &Groups) -> PolarsResult<Vec<Column>> {
    use rayon::prelude::*;
    let categories: Vec<Vec<Column>> = (0..=survey.categories.len())
        .into_par_iter()
        .map(|c| category_sums(scored, survey, c, groups))
        .collect::<PolarsResult<_>>()?;
    let mut sums = vec![groups.rows("rows")];
    sums.extend(categories.into_iter().flatten());
    if items {
        let questions: Vec<(usize, (&str, bool))> = questions(survey).enumerate().collect();
        let questions: Vec<Vec<Column>> = questions
            .into_par_iter()
            .map(|question| question_sums(scored, survey, question, groups))
            .collect::<PolarsResult<_>>()?;
        sums.extend(questions.into_iter().flatten());
        sums.push(groups.sum(COMPLETE, scored.column(COMPLETE)?.clone())?);
    }
    Ok(sums)
}

/// The names of the summed columns, in [`respondent_sums`] order.
fn sum_names(survey: &Survey, items: bool) -> Vec<String> {
    let mut names = vec!["rows".to_string()];
    for c in 0..=survey.categories.len() {
        names.extend(["n", "sum", "sq"].map(|p| format!("{p}{c}")));
        if c < survey.categories.len() {
            names.extend(["a", "fc", "uc"].map(|p| format!("{p}{c}")));
        }
    }
    if items {
        for i in 0..questions(survey).count() {
            names.extend(["in", "is", "if", "iu", "iq"].map(|p| format!("{p}{i}")));
        }
        names.push(COMPLETE.to_string());
    }
    names
}

/// Turns a frame of key columns and summed columns into stats per key.
#[allow(clippy::too_many_arguments)]
fn collect_stats(
    df: &DataFrame,
    survey: &Survey,
    items: bool,
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
    let names = sum_names(survey, items);
    let mut cols: Vec<Vec<f64>> = Vec::with_capacity(names.len());
    for n in &names {
        let s = df.column(n)?.cast(&DataType::Float64)?;
        cols.push(s.f64()?.iter().map(|v| v.unwrap_or(0.0)).collect());
    }
    let n_cat = survey.categories.len();
    let (min, max) = (survey.scale.min as f64, survey.scale.max as f64);
    let span = max - min;
    // `r` indexes every summed column of the row at once.
    #[allow(clippy::needless_range_loop)]
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
        let mut categories: Vec<CategorySums> = Vec::with_capacity(n_cat + 1);
        for c in 0..=n_cat {
            let (n, sum, sum_sq) = (next(), next(), next());
            let mut sums = CategorySums { moments: Moments { n: n as u64, sum, sum_sq }, ..Default::default() };
            if c < n_cat {
                (sums.answered, sums.favorable, sums.unfavorable) = (next(), next(), next());
            } else {
                // Overall counts every item of every category.
                for other in &categories {
                    sums.answered += other.answered;
                    sums.favorable += other.favorable;
                    sums.unfavorable += other.unfavorable;
                }
            }
            categories.push(sums);
        }
        let mut questions: Vec<ItemSums> = if items {
            questions(survey)
                .map(|(_, reverse)| {
                    let (n, raw_sum, favorable, _unfavorable, raw_sq) = (next(), next(), next(), next(), next());
                    // Σ v' and Σ v'² from Σ v and Σ v²: reversing maps v to min + max − v.
                    let both = min + max;
                    let (sum, sq) = if reverse {
                        (n * both - raw_sum, n * both * both - 2.0 * both * raw_sum + raw_sq)
                    } else {
                        (raw_sum, raw_sq)
                    };
                    // Item scores (v' − min) · 100 / (max − min): their sum and sum of squares.
                    let points = sum - n * min;
                    let points_sq = sq - 2.0 * min * sum + n * min * min;
                    let unit = 100.0 / span;
                    ItemSums { n, sum: points * unit, favorable, sum_sq: points_sq * unit * unit }
                })
                .collect()
        } else {
            Vec::new()
        };
        let complete = if items { next() as u64 } else { 0 };
        let outcomes = questions.split_off(questions.len().min(survey.items.len()));
        out.insert(key, GroupStats { rows, categories, items: questions, outcomes, complete });
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

/// Rows grouped by key columns, to add up other columns of the same rows
/// group by group.
///
/// The groups come in the order of their first rows, and each group's rows
/// are added in row order (floating-point sums compensated), the way polars'
/// in-memory engine adds them: the same inputs give the same bytes. ishiki
/// is built without polars' lazy engine (see Cargo.toml), so the sums are
/// polars' eager per-group sums.
pub struct Groups {
    /// The key columns, one row per group.
    keys: Vec<Column>,
    positions: GroupPositions,
    /// Rows of the frame grouped.
    height: usize,
}

impl Groups {
    /// Groups the rows of `df` by the columns `keys`.
    pub fn new(df: &DataFrame, keys: &[&str]) -> PolarsResult<Groups> {
        let by = df.group_by_stable(keys)?;
        Ok(Groups { keys: by.keys(), positions: by.into_groups(), height: df.height() })
    }

    /// Returns each group's number of rows, as column `name`.
    pub fn rows(&self, name: &str) -> Column {
        self.positions.group_count().with_name(name.into()).into_column()
    }

    /// Returns each group's sum of `values` (one per row of the grouped
    /// frame; nulls left out), as column `name`.
    pub fn sum(&self, name: &str, values: impl IntoColumn) -> PolarsResult<Column> {
        let values = values.into_column().with_name(name.into());
        let frame = DataFrame::new(self.height, vec![values])?;
        // polars marks its eager aggregations deprecated in favour of its lazy
        // engine, which ishiki is built without. This one runs the per-group
        // sum that engine runs (`Column::agg_sum`, an unsafe fn, which ishiki
        // may not call itself).
        #[allow(deprecated)]
        let summed = GroupBy::new(&frame, Vec::new(), self.positions.clone(), None).sum()?;
        let sum = summed.into_columns().into_iter().next();
        sum.map(|s| s.with_name(name.into())).ok_or_else(|| polars_err!(NoData: "no sum of {name}"))
    }

    /// Returns a frame of the keys and each group's sum of `df`'s columns
    /// `names` (`df` is the frame grouped).
    pub fn sum_columns(&self, df: &DataFrame, names: &[String]) -> PolarsResult<DataFrame> {
        use rayon::prelude::*;
        let sums = names.par_iter().map(|n| self.sum(n, df.column(n)?.clone())).collect::<PolarsResult<Vec<_>>>()?;
        self.frame(sums)
    }

    /// Returns a frame of the keys followed by `columns` (one row per group).
    pub fn frame(&self, columns: Vec<Column>) -> PolarsResult<DataFrame> {
        DataFrame::new(self.positions.len(), self.keys.iter().cloned().chain(columns).collect())
    }
}

/// An inner join whose rows come out in a fixed order (left, then right).
///
/// The sums after a join add floating-point numbers in row order; a join in
/// whatever order its threads finish would change their last bits from run
/// to run, and the scores CSV must be the same bytes every time.
pub fn ordered_join() -> JoinArgs {
    let mut args = JoinArgs::new(JoinType::Inner);
    args.maintain_order = MaintainOrderJoin::LeftRight;
    args
}

/// Sums every group of every year from the responses.
/// `scored` is the responses with [`respondent_scores`] added.
/// `items` asks for item-level sums too.
pub fn sum_groups(scored: &DataFrame, survey: &Survey, org: &Org, items: bool) -> PolarsResult<Summed> {
    let demo_names: Vec<&str> = survey.demographics.iter().map(|d| d.name.as_str()).collect();
    let mut leaf_keys: Vec<&str> = vec!["year", "department"];
    leaf_keys.extend(&demo_names);
    // One row per year × department × demographic combination: small, whatever the respondents.
    // Grouping on enum codes is cheaper than hashing the strings of a million
    // rows. Enums, unlike polars' global categoricals, number their values in
    // the order given (the departments' and the demographic values' order), so
    // the groups and their sums come out the same in every process.
    let mut codes: Vec<&str> = org.years.values().flat_map(|o| o.departments.iter().map(|d| d.code.as_str())).collect();
    codes.sort_unstable();
    codes.dedup();
    let mut enum_keys = vec![
        scored.column("year")?.clone(),
        scored.column("department")?.cast(&DataType::from_frozen_categories(FrozenCategories::new(codes)?))?,
    ];
    for d in &survey.demographics {
        let values = d.values_with_unanswered();
        let dtype = DataType::from_frozen_categories(FrozenCategories::new(values.iter().map(String::as_str))?);
        enum_keys.push(scored.column(d.name.as_str())?.cast(&dtype)?);
    }
    let groups = Groups::new(&DataFrame::new(scored.height(), enum_keys)?, &leaf_keys)?;
    let mut leaves = groups.frame(respondent_sums(scored, survey, items, &groups)?)?;
    for key in leaf_keys.iter().skip(1) {
        let as_string = leaves.column(key)?.cast(&DataType::String)?;
        leaves.with_column(as_string)?;
    }
    let names = sum_names(survey, items);
    let members = membership(org)?;
    let predecessors = predecessor_membership(org)?;
    let join_on =
        |map: &DataFrame| leaves.join(map, ["year", "department"], ["year", "department"], ordered_join(), None);
    let rolled = join_on(&members)?;
    let previous = join_on(&predecessors)?;

    let mut out = Summed { groups: HashMap::new(), own: HashMap::new(), previous: HashMap::new() };
    for cut in std::iter::once(None).chain((0..demo_names.len()).map(Some)) {
        let mut keys = vec!["year", "group"];
        let mut own_keys = vec!["year", "department"];
        let mut prev_keys = vec!["next_year", "group"];
        if let Some(c) = cut {
            keys.push(demo_names[c]);
            own_keys.push(demo_names[c]);
            prev_keys.push(demo_names[c]);
        }
        let g = Groups::new(&rolled, &keys)?.sum_columns(&rolled, &names)?;
        collect_stats(&g, survey, items, "group", "year", cut, &mut out.groups)?;
        let o = Groups::new(&leaves, &own_keys)?.sum_columns(&leaves, &names)?;
        collect_stats(&o, survey, items, "department", "year", cut, &mut out.own)?;
        let p = Groups::new(&previous, &prev_keys)?.sum_columns(&previous, &names)?;
        collect_stats(&p, survey, items, "group", "next_year", cut, &mut out.previous)?;
    }
    Ok(out)
}

/// What Cronbach's α of one category in one year is computed from.
#[derive(Debug, Clone, PartialEq)]
pub struct AlphaInput {
    /// Sample variance of each item.
    pub item_variances: Vec<f64>,
    /// Sample variance of the items' sum.
    pub total_variance: f64,
    /// Respondents who answered every item.
    pub n: u64,
}

/// Cronbach's α inputs per year and category: item variances, the variance of
/// the item sum, and n, over respondents who answered every item of it.
///
/// Reversed answers are used, so reverse items count in their own direction.
/// The variances come from exact integer sums (Σx, Σx²) of each year's
/// complete respondents, the categories side by side on the cores.
pub fn alpha_inputs(scored: &DataFrame, survey: &Survey) -> PolarsResult<HashMap<(i32, usize), AlphaInput>> {
    use rayon::prelude::*;
    let years = years_present(scored)?;
    let year_of = scored.column("year")?.i32()?;
    let in_year: Vec<BooleanChunked> = years.iter().map(|y| year_of.equal(y.0)).collect();
    let variance = |s: f64, q: f64, n: f64| if n >= 2.0 { (q - s * s / n) / (n - 1.0) } else { f64::NAN };
    let per_category = (0..survey.categories.len()).into_par_iter().map(|c| {
        let cat = &survey.categories[c];
        let answered_all = scored.column(&format!("a{c}"))?.i32()?.equal(cat.items.len() as i32);
        let points: Vec<Int64Chunked> =
            cat.items.iter().map(|&i| points(scored, survey, i)).collect::<PolarsResult<_>>()?;
        let total = scored.column(&format!("r{c}"))?.cast(&DataType::Int64)?;
        let total = total.i64()?;
        let mut out = Vec::with_capacity(years.len());
        for (year, in_year) in years.iter().zip(&in_year) {
            let complete = in_year & &answered_all;
            let n = complete.num_trues() as f64;
            // Σx and Σx² of the complete respondents.
            let sums = |x: &Int64Chunked| -> PolarsResult<(f64, f64)> {
                let x = x.filter(&complete)?;
                Ok((x.sum().unwrap_or(0) as f64, (&x * &x).sum().unwrap_or(0) as f64))
            };
            let mut item_variances = Vec::with_capacity(points.len());
            for x in &points {
                let (s, q) = sums(x)?;
                item_variances.push(variance(s, q, n));
            }
            let (s, q) = sums(total)?;
            let input = AlphaInput { item_variances, total_variance: variance(s, q, n), n: n as u64 };
            out.push(((year.0, c), input));
        }
        Ok(out)
    });
    let per_category: Vec<Vec<((i32, usize), AlphaInput)>> = per_category.collect::<PolarsResult<_>>()?;
    Ok(per_category.into_iter().flatten().collect())
}

/// Returns the years present in the responses, oldest first.
pub fn years_present(df: &DataFrame) -> PolarsResult<Vec<FiscalYear>> {
    let years = df.column("year")?.i32()?.unique()?.sort(false);
    Ok(years.iter().flatten().map(FiscalYear).collect())
}
