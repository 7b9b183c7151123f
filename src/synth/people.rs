//! Synthetic respondents: demographics, answers with department differences,
//! drift between years, reverse items and missing answers.
//!
//! Scores are drawn around each category's baseline in the plan, moving a
//! little each year, with a department effect, a department × category
//! effect, a person effect and item noise, then rounded onto the 1–5 scale.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

use crate::config::survey::Survey;

/// Starting mean score per category (the plan's R4 baselines) and drift per year.
/// The drifts give a plausible mix against the plan's targets by the last year:
/// some categories reach them, some lag, 健康 falls below its baseline.
const CATEGORY_MEANS: [(&str, f64, f64); 8] = [
    ("self_growth", 59.0, 2.0),
    ("job", 62.0, 1.3),
    ("relationships", 69.0, 0.7),
    ("support", 68.0, 1.2),
    ("recognition", 63.0, 0.6),
    ("health", 54.0, -0.5),
    ("environment", 56.0, 1.5),
    ("culture", 63.0, 0.9),
];

/// How much each category's view moves the outcome questions (職場への満足,
/// 働き続けたい): relationships and the work itself most, health least, so
/// that the driver analysis has something to find. Categories not listed weigh 0.1.
const OUTCOME_WEIGHTS: [(&str, f64); 8] = [
    ("relationships", 0.22),
    ("job", 0.18),
    ("recognition", 0.16),
    ("culture", 0.12),
    ("self_growth", 0.10),
    ("support", 0.09),
    ("environment", 0.07),
    ("health", 0.06),
];

/// Mixed into a department's seed for the outcome questions' own stream ("outcomes").
const OUTCOME_STREAM: u64 = 0x6F75_7463_6F6D_6573;

/// 年代 shares (20代以下, 30代, 40代, 50代, 60代以上).
const AGE_SHARES: [f64; 5] = [0.17, 0.12, 0.25, 0.31, 0.15];

/// How many fixed free texts respondents once chose among; the draw is kept
/// (its outcome unused) so that the stream, and every answer after it, stays
/// as it was. Comments now come from their own stream (`synth::comments`).
const RETIRED_FREE_TEXTS: usize = 8;

/// One synthetic respondent.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    /// Index of the department in the year's list.
    pub dept: u32,
    /// Seconds after the survey opened (orders the rows like a form export).
    pub seconds: u32,
    /// 年代 value index, or `None` for blank.
    pub age: Option<u8>,
    /// 職級 value index, or `None`.
    pub grade: Option<u8>,
    /// 任用形態 value index, or `None`.
    pub employment: Option<u8>,
    /// Raw answers as written in the file (reverse items already reversed); 0 is blank.
    pub answers: Vec<u8>,
    /// Answers to the outcome questions; 0 is blank.
    pub outcomes: Vec<u8>,
    /// The answer to the first free-text question, as written (`None`: blank).
    pub comment: Option<String>,
}

/// Department-level parameters that stay with a department across years.
#[derive(Debug, Clone)]
pub struct DeptEffect {
    /// Effect on every category, in points.
    pub overall: f64,
    /// Extra effect per category, in points.
    pub by_category: Vec<f64>,
}

impl DeptEffect {
    /// Draws a department's effects.
    pub fn draw(rng: &mut ChaCha8Rng, categories: usize) -> DeptEffect {
        let overall = normal(rng) * 5.0;
        let by_category = (0..categories).map(|_| normal(rng) * 3.5).collect();
        DeptEffect { overall, by_category }
    }
}

fn normal(rng: &mut ChaCha8Rng) -> f64 {
    StandardNormal.sample(rng)
}

fn pick(rng: &mut ChaCha8Rng, shares: &[f64]) -> usize {
    let total: f64 = shares.iter().sum();
    let mut x = rng.random::<f64>() * total;
    for (i, s) in shares.iter().enumerate() {
        if x < *s {
            return i;
        }
        x -= s;
    }
    shares.len() - 1
}

/// Draws `count` respondents of one department in year number `t` (0 = first year);
/// a share `dropouts` of them stop part-way through the questionnaire.
#[allow(clippy::too_many_arguments)]
pub fn draw_people(
    survey: &Survey,
    dept: u32,
    count: usize,
    effect: &DeptEffect,
    t: usize,
    seed: u64,
    window_seconds: u32,
    dropouts: f64,
) -> Vec<Person> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    // The outcome questions draw from their own stream, so adding them to a
    // questionnaire leaves every other answer as it was.
    let mut outcome_rng = ChaCha8Rng::seed_from_u64(seed ^ OUTCOME_STREAM);
    let weights: Vec<f64> = survey
        .categories
        .iter()
        .map(|c| OUTCOME_WEIGHTS.iter().find(|(id, _)| *id == c.id).map_or(0.1, |(_, w)| *w))
        .collect();
    let means: Vec<(f64, f64)> = survey
        .categories
        .iter()
        .map(|c| {
            CATEGORY_MEANS
                .iter()
                .find(|(id, ..)| *id == c.id)
                .map(|(_, base, drift)| (*base, *drift))
                .unwrap_or((60.0, 0.5))
        })
        .collect();
    let scale = &survey.scale;
    let span = (scale.max - scale.min) as f64;
    let mut people = Vec::with_capacity(count);
    for _ in 0..count {
        let age = pick(&mut rng, &AGE_SHARES) as u8;
        let employment = match age {
            4 => pick(&mut rng, &[0.30, 0.40, 0.30]),
            0 => pick(&mut rng, &[0.80, 0.0, 0.20]),
            _ => pick(&mut rng, &[0.78, 0.0, 0.22]),
        } as u8;
        let grade = match (employment, age) {
            (2, _) => 0,
            (_, 0) => 0,
            (_, 1) => pick(&mut rng, &[0.4, 0.6, 0.0]),
            (_, 2) => pick(&mut rng, &[0.05, 0.65, 0.30]),
            (_, 3) => pick(&mut rng, &[0.05, 0.40, 0.55]),
            _ => pick(&mut rng, &[0.1, 0.55, 0.35]),
        } as u8;
        // The plan watches the 30代; they score lower here, 会計年度任用 a little higher.
        let group_effect = match age {
            1 => -3.5,
            4 => 2.0,
            _ => 0.0,
        } + if employment == 2 { 3.0 } else { 0.0 }
            + if grade == 2 { 1.5 } else { 0.0 };
        // A person's general outlook, their view of each category, then item noise:
        // items of one category correlate as real survey items do (α around 0.7–0.8).
        let person = normal(&mut rng) * 10.0;
        let mut answers = vec![0u8; survey.items.len()];
        // The outcome follows each category's mean, and more strongly each
        // person's own view of it, by the category's weight.
        let (mut outcome_mean, mut outcome_views) = (0.0, 0.0);
        for (ci, cat) in survey.categories.iter().enumerate() {
            let (base, drift) = means[ci];
            let view = normal(&mut rng) * 7.0;
            let mean = base + drift * t as f64 + effect.overall + effect.by_category[ci] + group_effect + person + view;
            outcome_mean += weights[ci] * mean;
            outcome_views += weights[ci] * view;
            for &ii in &cat.items {
                let score = mean + normal(&mut rng) * 16.0;
                let v =
                    (scale.min as f64 + score / 100.0 * span).round().clamp(scale.min as f64, scale.max as f64) as i64;
                let raw = if survey.items[ii].reverse { scale.min + scale.max - v } else { v };
                answers[ii] = raw as u8;
            }
        }
        // Missing answers: scattered blanks, a skipped category, a respondent who stopped early.
        for a in answers.iter_mut() {
            if rng.random::<f64>() < 0.015 {
                *a = 0;
            }
        }
        if rng.random::<f64>() < 0.01 {
            let cat = &survey.categories[rng.random_range(0..survey.categories.len())];
            for &ii in &cat.items {
                answers[ii] = 0;
            }
        }
        // Respondents who stop part-way (closing the form, a phone call, a
        // session timeout): everything after the item where they stopped is blank.
        let mut stopped = false;
        if survey.items.len() > 1 && rng.random::<f64>() < dropouts {
            let keep = rng.random_range(1..survey.items.len());
            for a in answers.iter_mut().skip(keep) {
                *a = 0;
            }
            stopped = true;
        }
        // The outcome questions come last: one who stopped never reached them.
        let total_weight = weights.iter().sum::<f64>().max(f64::EPSILON);
        let outcome_mean = (outcome_mean + 3.0 * outcome_views) / total_weight - 3.0 + normal(&mut outcome_rng) * 6.0;
        let outcomes: Vec<u8> = (0..survey.outcomes.len())
            .map(|j| {
                let score = outcome_mean + 4.0 * j as f64 + normal(&mut outcome_rng) * 15.0;
                let v =
                    (scale.min as f64 + score / 100.0 * span).round().clamp(scale.min as f64, scale.max as f64) as i64;
                let raw = if survey.outcomes[j].reverse { scale.min + scale.max - v } else { v };
                let blank = stopped || outcome_rng.random::<f64>() < 0.015;
                if blank { 0 } else { raw as u8 }
            })
            .collect();
        let blank = |rng: &mut ChaCha8Rng, p: f64, v: u8| if rng.random::<f64>() < p { None } else { Some(v) };
        let age = blank(&mut rng, 0.02, age);
        let grade = blank(&mut rng, 0.025, grade);
        let employment = blank(&mut rng, 0.01, employment);
        if rng.random::<f64>() < 0.08 {
            let _retired: usize = rng.random_range(1..=RETIRED_FREE_TEXTS);
        }
        people.push(Person {
            dept,
            seconds: rng.random_range(0..window_seconds.max(1)),
            age,
            grade,
            employment,
            answers,
            outcomes,
            comment: None,
        });
    }
    people
}

/// One synthetic harassment-survey respondent: answers as the file shows them.
#[derive(Debug, Clone, PartialEq)]
pub struct HarassmentPerson {
    /// Index of the department in the year's list.
    pub dept: u32,
    /// Seconds after the survey opened.
    pub seconds: u32,
    /// Answer per question: a choice index, a scale value, or `None` for blank.
    pub single: Vec<Option<u8>>,
    /// Selected choices of each multiple-choice question (`None`: not answered).
    pub multiple: Vec<Option<Vec<u8>>>,
    /// The answer to the first free-text question, as written (`None`: blank).
    pub comment: Option<String>,
}

/// Draws harassment-survey respondents of one department.
///
/// Questions are those of the default survey: H01 experienced (はい/いいえ),
/// H02 kinds, H03 witnessed, H04 consulted (はい/いいえ/該当なし), H05 knows the
/// desk, H06 prevention (scale).
pub fn draw_harassment(
    survey: &crate::config::survey::HarassmentSurvey,
    scale_max: i64,
    dept: u32,
    count: usize,
    effect: &DeptEffect,
    t: usize,
    seed: u64,
) -> Vec<HarassmentPerson> {
    use crate::config::survey::QuestionKind;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let experienced_rate = (0.11 - effect.overall / 100.0 - 0.008 * t as f64).clamp(0.02, 0.3);
    let mut out = Vec::with_capacity(count);
    for _ in 0..count {
        let experienced = rng.random::<f64>() < experienced_rate;
        let mut single = Vec::new();
        let mut multiple = Vec::new();
        for (qi, q) in survey.questions.iter().enumerate() {
            let blank = rng.random::<f64>() < 0.02;
            match q.kind {
                QuestionKind::Single => {
                    let v = match qi {
                        0 => u8::from(!experienced),
                        2 => u8::from(rng.random::<f64>() >= 0.2 + if experienced { 0.3 } else { 0.0 }),
                        3 if q.choices.len() >= 3 => {
                            if experienced {
                                u8::from(rng.random::<f64>() >= 0.45)
                            } else {
                                2
                            }
                        }
                        4 => u8::from(rng.random::<f64>() >= 0.70 + 0.04 * t as f64),
                        _ => rng.random_range(0..q.choices.len()) as u8,
                    };
                    single.push(if blank { None } else { Some(v) });
                    multiple.push(None);
                }
                QuestionKind::Scale => {
                    let v = (3.4 + effect.overall / 25.0 + normal(&mut rng) * 0.9).round().clamp(1.0, scale_max as f64);
                    single.push(if blank { None } else { Some(v as u8) });
                    multiple.push(None);
                }
                QuestionKind::Multiple => {
                    single.push(None);
                    if experienced && !blank {
                        let shares = [0.55, 0.12, 0.05, 0.04, 0.30, 0.05];
                        let mut kinds: Vec<u8> = (0..q.choices.len())
                            .filter(|&c| rng.random::<f64>() < shares.get(c).copied().unwrap_or(0.05))
                            .map(|c| c as u8)
                            .collect();
                        if kinds.is_empty() {
                            kinds.push(0);
                        }
                        multiple.push(Some(kinds));
                    } else {
                        multiple.push(None);
                    }
                }
            }
        }
        out.push(HarassmentPerson { dept, seconds: rng.random_range(0..20 * 86_400), single, multiple, comment: None });
    }
    out
}
