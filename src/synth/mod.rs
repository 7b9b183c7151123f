//! `synth`: a realistic synthetic workspace, deterministic for a seed.
//!
//! A 部/課 tree with some very small offices, one merger and one code change
//! across the years, headcounts a little above respondents, answers with
//! department differences, drift between years, reverse items, missing
//! answers and comments, written in the four file kinds a city really has.
//! Respondents are drawn per department in parallel, so a million of them
//! take seconds.

pub mod comments;
pub mod files;
pub mod org;
pub mod people;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use crate::config::defaults::{PLAN_TOML, SURVEY_TOML};
use crate::config::plan::{Direction, GoalKind, Plan};
use crate::config::survey::Survey;
use crate::config::year::FiscalYear;
use crate::synth::files::{FileKind, fit_kind, write_harassment, write_responses};
use crate::synth::org::{SynthDept, base_org, org_years};
use crate::synth::people::{DeptEffect, HarassmentPerson, Person, draw_harassment, draw_people};

/// What to synthesise.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Folder to create.
    pub dir: PathBuf,
    /// Respondents per year (about).
    pub respondents: usize,
    /// Departments (部 and 課).
    pub departments: usize,
    /// First and last fiscal year.
    pub years: (FiscalYear, FiscalYear),
    /// Random seed.
    pub seed: u64,
    /// Share of respondents who stop part-way (0–1).
    pub dropouts: f64,
}

/// What was written, for the summary.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    /// Per year: file name and respondents.
    pub years: Vec<(FiscalYear, String, usize)>,
    /// Departments in the last year.
    pub departments: usize,
}

/// Returns the file kind of year number `i` of `n`: the latest year is UTF-8
/// CSV, the one before .xlsx, then CP932 CSV, then a plain .xlsx, repeating.
pub fn kind_for(i: usize, n: usize) -> FileKind {
    match (n - 1 - i) % 4 {
        0 => FileKind::Utf8BomCsv,
        1 => FileKind::Xlsx,
        2 => FileKind::Cp932Csv,
        _ => FileKind::PlainXlsx,
    }
}

fn mix(seed: u64, year: FiscalYear, lineage: usize, salt: u64) -> u64 {
    let mut x = seed ^ 0x9E37_79B9_7F4A_7C15;
    for v in [year.0 as u64, lineage as u64, salt] {
        x = (x ^ v).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        x ^= x >> 31;
    }
    x
}

/// Spreads `total` over weights, every department at least zero, keeping the sum.
fn allocate(total: usize, weights: &[f64]) -> Vec<usize> {
    let sum: f64 = weights.iter().sum();
    let mut out: Vec<usize> = weights.iter().map(|w| (total as f64 * w / sum).floor() as usize).collect();
    let mut rest = total.saturating_sub(out.iter().sum());
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| {
        let fa = total as f64 * weights[a] / sum - out[a] as f64;
        let fb = total as f64 * weights[b] / sum - out[b] as f64;
        fb.total_cmp(&fa).then(a.cmp(&b))
    });
    for &i in order.iter().cycle().take(weights.len() * 2) {
        if rest == 0 {
            break;
        }
        out[i] += 1;
        rest -= 1;
    }
    out
}

/// Writes the synthetic workspace; refuses an existing non-empty folder.
pub fn generate(opts: &Options) -> Result<Written> {
    if opts.dir.exists() {
        let empty = std::fs::read_dir(&opts.dir).map(|mut d| d.next().is_none()).unwrap_or(false);
        if !empty {
            bail!("{} はすでにあり、空ではありません（上書きしません）", opts.dir.display());
        }
    }
    if opts.respondents == 0 || opts.departments == 0 {
        bail!("回答者数と所属数は1以上にしてください");
    }
    let survey = Survey::from_toml("survey.toml", SURVEY_TOML)
        .map_err(|_| anyhow::anyhow!("既定の survey.toml を読めません"))?;
    let plan = Plan::from_toml("plan.toml", PLAN_TOML, Some(&survey))
        .map_err(|_| anyhow::anyhow!("既定の plan.toml を読めません"))?;
    let years: Vec<FiscalYear> = (opts.years.0.0..=opts.years.1.0).map(FiscalYear).collect();
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
    let base = base_org(opts.departments, &mut rng);
    let effects: Vec<DeptEffect> =
        (0..base.len()).map(|_| DeptEffect::draw(&mut rng, survey.categories.len())).collect();
    let mut orgs = org_years(base, &years);

    // Build in a temporary sibling folder, then rename: a failure leaves nothing behind.
    let parent = opts.dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).with_context(|| format!("{} を作れません", parent.display()))?;
    let staging = tempfile::Builder::new().prefix(".ishiki-synth-").tempdir_in(parent)?;
    let root = staging.path();
    std::fs::create_dir(root.join("responses"))?;
    std::fs::create_dir(root.join("harassment"))?;
    std::fs::write(root.join("survey.toml"), SURVEY_TOML)?;
    std::fs::write(root.join("plan.toml"), PLAN_TOML)?;

    let mut written = Vec::new();
    for (t, (&year, depts)) in years.iter().zip(orgs.iter_mut()).enumerate() {
        let weights: Vec<f64> = depts.iter().map(|d| d.weight * (1.0 + 0.1 * rng.random::<f64>())).collect();
        // Respondents vary a little from year to year, as staff numbers and response rates do.
        let total = if years.len() > 1 {
            ((opts.respondents as f64) * rng.random_range(0.96..1.03)).round().max(1.0) as usize
        } else {
            opts.respondents
        };
        let counts = allocate(total, &weights);
        for (d, &n) in depts.iter_mut().zip(&counts) {
            // Headcount a little above respondents: most staff answer.
            let rate: f64 = rng.random_range(0.78..0.97);
            let extra = ((n as f64 / rate) - n as f64).round() as u32 + u32::from(rng.random::<f64>() < 0.3);
            d.headcount = n as u32 + extra.max(u32::from(n == 0));
        }
        let mut people: Vec<Person> = depts
            .par_iter()
            .enumerate()
            .flat_map_iter(|(i, d)| {
                draw_people(
                    &survey,
                    i as u32,
                    counts[i],
                    &effects[d.lineage],
                    t,
                    mix(opts.seed, year, d.lineage, 1),
                    20 * 86_400,
                    opts.dropouts,
                )
            })
            .collect();
        people.par_sort_by_key(|p| (p.seconds, p.dept));
        comments::draw_staff_comments(&mut people, depts, opts.seed, year);
        let kind = fit_kind(kind_for(t, years.len()), people.len());
        let name = kind.file_name(year, "職員意識調査");
        write_responses(&root.join("responses").join(&name), kind, &survey, depts, year, &people)?;
        written.push((year, format!("responses/{name}"), people.len()));

        if let Some(h) = &survey.harassment {
            let mut hpeople: Vec<HarassmentPerson> = depts
                .par_iter()
                .enumerate()
                .flat_map_iter(|(i, d)| {
                    let n = (f64::from(d.headcount) * 0.85).round() as usize;
                    draw_harassment(
                        h,
                        survey.scale.max,
                        i as u32,
                        n,
                        &effects[d.lineage],
                        t,
                        mix(opts.seed, year, d.lineage, 2),
                    )
                })
                .collect();
            hpeople.par_sort_by_key(|p| (p.seconds, p.dept));
            comments::draw_harassment_comments(&mut hpeople, depts, opts.seed, year);
            let one_cell = t % 2 == 0 || hpeople.len() > 200_000;
            let ext = if one_cell { "csv" } else { "xlsx" };
            let hname = format!("R{}_ハラスメント調査.{ext}", year.0 - 2018);
            write_harassment(&root.join("harassment").join(&hname), one_cell, &survey, depts, &hpeople)?;
        }
    }
    write_org(&root.join("org.csv"), &years, &orgs)?;
    write_indicators(&root.join("indicators.csv"), &plan, &years, &orgs, opts.seed)?;
    write_plan_baselines(root)?;

    let staged = staging.keep();
    if opts.dir.exists() {
        std::fs::remove_dir(&opts.dir).with_context(|| format!("{} を置き換えられません", opts.dir.display()))?;
    }
    std::fs::rename(&staged, &opts.dir).with_context(|| format!("{} を作れません", opts.dir.display()))?;
    Ok(Written { years: written, departments: orgs.last().map(Vec::len).unwrap_or(0) })
}

/// Sets each survey goal's baseline in the written plan.toml to the whole
/// organisation's score of its baseline year in the data just written, in
/// whole points as a city's plan prints them: the fictitious city's plan
/// starts from its own survey, so `check` finds no disagreement. Goals whose
/// baseline year was not generated keep the default plan's value.
fn write_plan_baselines(root: &Path) -> Result<()> {
    let (ws, problems) = crate::ingest::load(root);
    let Some(ws) = ws else {
        bail!("作った調査フォルダを読めません（{}件の問題）", problems.errors.len());
    };
    let computed = crate::aggregate::counts::baseline_year_scores(&ws).context("基準年度の点数を計算できません")?;
    let mut doc: toml_edit::DocumentMut = PLAN_TOML.parse().context("既定の plan.toml を読めません")?;
    let Some(goals) = doc.get_mut("survey_targets").and_then(toml_edit::Item::as_array_of_tables_mut) else {
        bail!("既定の plan.toml に survey_targets がありません");
    };
    for (goal, score) in computed {
        let table = goals.iter_mut().find(|t| t.get("id").and_then(toml_edit::Item::as_str) == Some(goal.id.as_str()));
        if let Some(table) = table {
            let decor = table["baseline"].as_value().map(|v| v.decor().clone());
            let mut value = toml_edit::Value::from(score.round() as i64);
            if let Some(decor) = decor {
                *value.decor_mut() = decor;
            }
            table["baseline"] = toml_edit::Item::Value(value);
        }
    }
    std::fs::write(root.join("plan.toml"), doc.to_string())?;
    Ok(())
}

fn write_org(path: &Path, years: &[FiscalYear], orgs: &[Vec<SynthDept>]) -> Result<()> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(crate::config::org::ORG_COLUMNS)?;
    for (year, depts) in years.iter().zip(orgs) {
        for d in depts {
            let parent = d.parent.map(|p| depts[p].code.as_str()).unwrap_or("");
            let headcount = d.headcount.to_string();
            let previous = d.previous_codes.join(";");
            w.write_record([year.0.to_string().as_str(), &d.code, &d.name, parent, &headcount, &previous])?;
        }
    }
    std::fs::write(path, w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?)?;
    Ok(())
}

/// Writes plausible yearly KPI values moving from each baseline toward its target.
fn write_indicators(path: &Path, plan: &Plan, years: &[FiscalYear], orgs: &[Vec<SynthDept>], seed: u64) -> Result<()> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x1D1C);
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["year", "indicator", "value"])?;
    for (i, year) in years.iter().enumerate() {
        let staff: u32 = orgs[i].iter().map(|d| d.headcount).sum();
        for g in &plan.indicators {
            let noise = 1.0 + (rng.random::<f64>() - 0.5) * 0.06;
            let value = match (g.kind, g.baseline, g.target) {
                (GoalKind::ReachAtLeast | GoalKind::ReachAtMost, Some((by, b)), Some((Some(ty), t))) => {
                    let share = ((year.0 - by.0) as f64 / (ty.0 - by.0) as f64).clamp(0.0, 1.2) * 0.8;
                    b + (t - b) * share * noise
                }
                (GoalKind::EveryYearAtLeast | GoalKind::KeepAtLeast, _, Some((_, t))) => {
                    t * (1.05 + 0.3 * rng.random::<f64>())
                }
                _ => match (g.unit.as_str(), g.direction) {
                    ("%", _) => 12.0 + i as f64 * 0.4 * noise,
                    ("人", _) => {
                        (f64::from(staff) * if g.id.contains("training") { 0.9 } else { 0.012 } * noise).round()
                    }
                    (_, Direction::Lower) => 100.0 - i as f64 * noise,
                    _ => 100.0 * noise,
                },
            };
            // Counts of people are whole numbers; rates and days have one decimal.
            let value = if g.unit == "人" { value.round() } else { (value * 10.0).round() / 10.0 };
            w.write_record([year.0.to_string(), g.id.clone(), format!("{value}")])?;
        }
    }
    std::fs::write(path, w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?)?;
    Ok(())
}
