//! The driver analysis of each year, from the scored responses to the
//! model's [`DriverYear`]: which respondents enter it, which groups (whole or
//! cut by a demographic) may publish it (decided by [`crate::aggregate::withholding`]), the weights of
//! [`crate::aggregate::drivers`], and each category's place in the portfolio.

use std::collections::{BTreeMap, HashMap};

use polars::prelude::*;
use rayon::prelude::*;

use crate::aggregate::drivers::{self, MIN_RESPONDENTS, Sample};
use crate::aggregate::model::{ALL, CategoryDriver, DriverYear, Group, GroupDrivers, Quadrant, RankDifference};
use crate::aggregate::scores::{COMPLETE, Key};
use crate::config::org::OrgYear;
use crate::config::survey::Survey;
use crate::config::year::FiscalYear;

/// Complete respondents a group needs for its own importance to be more than
/// a reference (参考); below this its portfolio uses the organisation's.
pub const OWN_IMPORTANCE: u64 = 100;

/// The sentence for a survey without outcome questions.
pub const NO_OUTCOMES: &str = "survey.toml に結果の設問（職場への満足など、どのカテゴリにも入らない設問）がないため、重要度の分析は行っていません（総合点をそれを作っているカテゴリから予測すると循環になるためです）。";

/// One year's complete respondents: their category scores and outcome score
/// (row-major), which rows each department code holds, and each row's value
/// of each demographic (its index among the values, 未回答 last).
pub struct YearSample {
    data: Vec<f64>,
    dim: usize,
    by_department: HashMap<String, Vec<usize>>,
    values: Vec<Vec<u16>>,
}

/// Collects each year's complete respondents from the scored responses (with
/// [`COMPLETE`]) and their outcome scores.
pub fn samples(
    scored: &DataFrame,
    outcome: &Float64Chunked,
    survey: &Survey,
) -> PolarsResult<BTreeMap<i32, YearSample>> {
    let p = survey.categories.len();
    let years = scored.column("year")?.i32()?;
    let departments = scored.column("department")?.str()?;
    let complete = scored.column(COMPLETE)?.i32()?;
    let demographics: Vec<&StringChunked> =
        survey.demographics.iter().map(|d| scored.column(d.name.as_str())?.str()).collect::<PolarsResult<_>>()?;
    let index: Vec<HashMap<String, u16>> = survey
        .demographics
        .iter()
        .map(|d| d.values_with_unanswered().into_iter().enumerate().map(|(i, v)| (v, i as u16)).collect())
        .collect();
    let scores: Vec<&Float64Chunked> =
        (0..p).map(|c| scored.column(&format!("score{c}"))?.f64()).collect::<PolarsResult<_>>()?;
    let mut out: BTreeMap<i32, YearSample> = BTreeMap::new();
    for r in 0..scored.height() {
        if complete.get(r) != Some(1) {
            continue;
        }
        let (Some(year), Some(department), Some(y)) = (years.get(r), departments.get(r), outcome.get(r)) else {
            continue;
        };
        let sample = out.entry(year).or_insert_with(|| YearSample {
            data: Vec::new(),
            dim: p + 1,
            by_department: HashMap::new(),
            values: vec![Vec::new(); demographics.len()],
        });
        let row = sample.data.len() / sample.dim;
        sample.data.extend(scores.iter().map(|s| s.get(r).unwrap_or(f64::NAN)));
        sample.data.push(y);
        sample.by_department.entry(department.to_string()).or_default().push(row);
        for (c, column) in demographics.iter().enumerate() {
            let value = column.get(r).and_then(|v| index[c].get(v)).copied().unwrap_or(u16::MAX);
            sample.values[c].push(value);
        }
    }
    Ok(out)
}

/// The year's driver analysis: for the organisation and each department whose
/// analysis may be published (`publish`, per key), with its groups' scores
/// and each category's 目安 of the year (`targets`, in survey order), which
/// place it in the portfolio.
#[allow(clippy::too_many_arguments)]
pub fn year_drivers(
    survey: &Survey,
    year: FiscalYear,
    org: &OrgYear,
    keys: &[Key],
    publish: &[bool],
    groups: &[Group],
    targets: &[Option<f64>],
    sample: Option<&YearSample>,
) -> DriverYear {
    if survey.outcomes.is_empty() {
        return DriverYear { note: Some(NO_OUTCOMES.into()), groups: Vec::new() };
    }
    let ids: Vec<&str> = survey.outcomes.iter().map(|o| o.id.as_str()).collect();
    let Some(sample) = sample else {
        let note = format!(
            "{}の回答には結果の設問（{}）に答えた人がいないため、重要度の分析は行っていません。",
            year.era(),
            ids.join("・")
        );
        return DriverYear { note: Some(note), groups: Vec::new() };
    };
    // Rows of each published group: its department's subtree, or everyone;
    // for a cut, those of them with the cut's value.
    let chosen: Vec<(usize, Vec<usize>)> = keys
        .iter()
        .enumerate()
        .filter(|(g, _)| publish.get(*g) == Some(&true))
        .map(|(g, key)| {
            let rows: Vec<usize> = if key.group == ALL {
                (0..sample.data.len() / sample.dim).collect()
            } else {
                let mut rows: Vec<usize> = org
                    .find(&key.group)
                    .map(|i| org.subtree(i))
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(|d| sample.by_department.get(&org.departments[d].code))
                    .flatten()
                    .copied()
                    .collect();
                rows.sort_unstable();
                rows
            };
            let rows = match &key.cut {
                None => rows,
                Some((c, value)) => {
                    let wanted = survey.demographics[*c].values_with_unanswered().iter().position(|v| v == value);
                    let wanted = wanted.map_or(u16::MAX - 1, |i| i as u16);
                    rows.into_iter().filter(|&r| sample.values[*c][r] == wanted).collect()
                }
            };
            (g, rows)
        })
        .collect();
    let data = Sample { data: &sample.data, dim: sample.dim };
    let computed: Vec<(usize, Option<drivers::Drivers>)> = chosen
        .par_iter()
        .map(|(g, rows)| {
            let seed = drivers::seed(year.0, &seed_name(survey, &keys[*g]));
            (*g, drivers::drivers(&data, rows, drivers::replicates(rows.len()), seed))
        })
        .collect();
    // The organisation's intervals, for groups too small for their own.
    let city_intervals: Option<Vec<(f64, f64)>> = computed
        .iter()
        .find(|(g, _)| keys[*g].group == ALL && keys[*g].cut.is_none())
        .and_then(|(_, d)| d.as_ref())
        .map(|d| d.share_intervals.clone());
    let out: Vec<GroupDrivers> = computed
        .into_iter()
        .filter_map(|(g, d)| Some(group_drivers(survey, &groups[g], d?, targets, city_intervals.as_deref())))
        .collect();
    let note = match out.first().filter(|d| d.department == ALL && d.cut.is_none()) {
        Some(_) => None,
        None => Some(format!(
            "{}は、結果の設問（{}）とすべてのカテゴリに答えた人が{}人未満か、値の一部を示していないため、市全体の重要度の分析は示していません。",
            year.era(),
            ids.join("・"),
            MIN_RESPONDENTS
        )),
    };
    DriverYear { note, groups: out }
}

/// What a group's resamples are seeded with: its code (`ALL` for the
/// organisation), and for a cut `code|demographic|value`.
pub fn seed_name(survey: &Survey, key: &Key) -> String {
    match &key.cut {
        None => key.group.clone(),
        Some((c, value)) => format!("{}|{}|{}", key.group, survey.demographics[*c].name, value),
    }
}

/// A published group's drivers, with each category's score and quadrant
/// (DESIGN §10): important when the 95 % interval of its importance — its
/// own, or the organisation's (`city`) for a group with fewer than
/// [`OWN_IMPORTANCE`] complete respondents — lies wholly above the equal
/// share; below when its score is below the year's 目安 (`targets`) or, for a
/// department, significantly below the rest of the organisation.
fn group_drivers(
    survey: &Survey,
    group: &Group,
    d: drivers::Drivers,
    targets: &[Option<f64>],
    city: Option<&[(f64, f64)]>,
) -> GroupDrivers {
    let p = survey.categories.len();
    let shares = d.weights.shares();
    let scores: Vec<f64> = (0..p).map(|c| group.score(c).map_or(f64::NAN, |s| s.score)).collect();
    let equal_share = 100.0 / p as f64;
    let reference = d.n < OWN_IMPORTANCE;
    let basis: Option<&[(f64, f64)]> = if reference { city } else { Some(&d.share_intervals) };
    let important = |c: usize| basis.and_then(|b| b.get(c)).is_some_and(|iv| iv.0 > equal_share);
    let below = |c: usize| {
        let under_target = targets.get(c).copied().flatten().is_some_and(|t| scores[c] < t);
        let under_city =
            group.score(c).and_then(|s| s.versus_city).is_some_and(|v| v.significant && v.difference < 0.0);
        under_target || under_city
    };
    let name = |c: usize| survey.categories[c].id.clone();
    // Adjusted R² needs more respondents than categories + 1.
    let n = d.n as f64;
    let adjusted_r2 =
        if n > p as f64 + 1.0 { 1.0 - (1.0 - d.weights.r2) * (n - 1.0) / (n - p as f64 - 1.0) } else { f64::NAN };
    GroupDrivers {
        department: group.department.clone(),
        cut: group.cut.clone(),
        cut_value: group.cut_value.clone(),
        n: d.n,
        r2: d.weights.r2,
        adjusted_r2,
        r2_interval: d.r2_interval,
        replicates: d.replicates,
        resamples_used: d.used,
        reference,
        rank_differences: d
            .rank_differences
            .iter()
            .map(|&((a, b), interval)| RankDifference {
                higher: name(a),
                lower: name(b),
                difference: shares[a] - shares[b],
                interval,
            })
            .collect(),
        categories: survey
            .categories
            .iter()
            .enumerate()
            .map(|(c, cat)| {
                let (important, below) = (important(c), below(c));
                CategoryDriver {
                    category: cat.id.clone(),
                    correlation: d.correlations[c],
                    raw: d.weights.raw[c],
                    raw_interval: d.raw_intervals[c],
                    share: shares[c],
                    share_interval: d.share_intervals[c],
                    score: scores[c],
                    important,
                    below,
                    quadrant: Quadrant::of(important, below),
                }
            })
            .collect(),
    }
}
