//! DESIGN §10's promise, simulated: in a city where no department differs
//! from another and nothing changed from last year, groups drawn at random
//! from it get a 重点改善, an improved or declined category or any ＊ in at
//! most about 5 % of draws.
//!
//! The workspace is written here: the default survey.toml and plan.toml
//! (`ishiki init`), 44 flat departments (40 of about 45 respondents, 4 of
//! about 120, so both the city's importance and a group's own are used), and
//! two years whose respondents are all drawn from one model (answers spread
//! over the scale, about 60 points) — a general
//! factor, a factor per category, and outcome questions tied to two of the
//! categories (so the city has truly important categories), with the plan's
//! targets lowered so the city is well above every 目安 (so the city itself
//! has no 重点改善). Each
//! department of each year is one draw.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};
use serde_json::Value;

use crate::harness::Sandbox;

const DEPARTMENTS: usize = 44;

/// Respondents of a department: four large ones, the rest about 45.
fn size(d: usize, rng: &mut ChaCha8Rng) -> usize {
    if d < 4 { 115 + rng.random_range(0..15) } else { 38 + rng.random_range(0..15) }
}

fn answer(mean: f64, x: f64) -> u8 {
    (mean + x).round().clamp(1.0, 5.0) as u8
}

/// One year's responses: every respondent from the same model.
fn responses(rng: &mut ChaCha8Rng) -> String {
    let mut out = String::from("所属コード,年代,職級,任用形態");
    for q in 1..=37 {
        out.push_str(&format!(",Q{q:02}"));
    }
    out.push('\n');
    // Items per category, as the default questionnaire has them.
    let categories: [&[u32]; 8] = [
        &[1, 2, 3, 4, 5],
        &[6, 7, 8, 9],
        &[10, 11, 12, 13],
        &[14, 15, 16, 17],
        &[18, 19, 20, 21],
        &[22, 23, 24, 25],
        &[26, 27, 28, 29, 30],
        &[31, 32, 33, 34, 35],
    ];
    let ages = ["20代以下", "30代", "40代", "50代", "60代以上"];
    let grades = ["1～2級", "3～5級", "6～8級"];
    let n = |rng: &mut ChaCha8Rng| -> f64 { StandardNormal.sample(rng) };
    for d in 0..DEPARTMENTS {
        for _ in 0..size(d, rng) {
            let general = n(rng);
            let factors: Vec<f64> = (0..8).map(|_| n(rng)).collect();
            let mut answers = [0u8; 38];
            for (c, items) in categories.iter().enumerate() {
                for &q in *items {
                    let v = answer(3.4, 0.45 * general + 0.45 * factors[c] + 0.55 * n(rng));
                    // Q22 and Q23 are reverse-worded: a good state is a low answer.
                    answers[q as usize] = if q == 22 || q == 23 { 6 - v } else { v };
                }
            }
            for q in [36, 37] {
                let x = 0.4 * general + 0.5 * factors[7] + 0.35 * factors[5] + 0.5 * n(rng);
                answers[q] = answer(3.4, x);
            }
            out.push_str(&format!(
                "{:04},{},{},正規",
                100 + d,
                ages[rng.random_range(0..ages.len())],
                grades[rng.random_range(0..grades.len())]
            ));
            for a in &answers[1..] {
                out.push_str(&format!(",{a}"));
            }
            out.push('\n');
        }
    }
    out
}

fn shown(v: &Value) -> Option<&Value> {
    v.get("visibility")?.get("shown")
}

/// Whether a department's figures carry any conclusion §10 allows only
/// where the data supports it.
fn concludes(group: &Value, drivers: Option<&Value>) -> Vec<String> {
    let mut found = Vec::new();
    let Some(f) = shown(group) else { return found };
    let is = |v: Option<&Value>, key: &str| v.and_then(|v| v.get(key)).and_then(Value::as_bool) == Some(true);
    for s in f["scores"].as_array().into_iter().flatten() {
        let Some(v) = shown(s) else { continue };
        if is(v.get("versus_city"), "significant") {
            found.push(format!("{} ＊ against the city", s["category"]));
        }
        if is(v.get("change"), "fdr_significant") {
            found.push(format!("{} changed ＊", s["category"]));
        }
    }
    for b in f["items"].as_array().into_iter().flatten() {
        for it in shown(b).and_then(Value::as_array).into_iter().flatten() {
            if is(it.get("versus_city"), "significant") || is(it.get("change"), "fdr_significant") {
                found.push(format!("{} ＊", it["item"]));
            }
        }
    }
    for c in drivers.and_then(|d| d["categories"].as_array()).into_iter().flatten() {
        if c["quadrant"] == "improve" {
            found.push(format!("{} 重点改善", c["category"]));
        }
    }
    found
}

#[test]
fn groups_drawn_from_one_city_rarely_get_a_conclusion() {
    let sb = Sandbox::empty();
    sb.run(&["init", "ws"]).assert_success();
    // The plan's survey targets lowered to 50 (baselines 40), so the city, at about 60, is
    // well above every 目安 and has no 重点改善 of its own.
    let plan = sb.read("plan.toml");
    let split = plan.find("\n[[indicators]]").expect("the plan has indicators");
    let lowered: Vec<String> = plan[..split]
        .lines()
        .map(|l| match l {
            _ if l.starts_with("baseline = ") => "baseline = 40".to_string(),
            _ if l.starts_with("target = ") => "target = 50".to_string(),
            _ => l.to_string(),
        })
        .collect();
    sb.write("plan.toml", format!("{}\n{}", lowered.join("\n"), &plan[split..]));
    let mut rng = ChaCha8Rng::seed_from_u64(20251);
    let mut org = String::from("year,code,name,parent,headcount,previous_codes\n");
    for year in [2024, 2025] {
        for d in 0..DEPARTMENTS {
            org.push_str(&format!("{year},{:04},第{}課,,140,\n", 100 + d, d + 1));
        }
    }
    sb.write("org.csv", org);
    sb.write("responses/2024.csv", responses(&mut rng));
    sb.write("responses/2025.csv", responses(&mut rng));
    sb.run(&["scores", "ws", "--out", "scores.json"]).assert_success();
    let json = std::fs::read_to_string(sb.root().join("scores.json")).expect("the JSON is written");
    let model: Value = serde_json::from_str(&json).expect("JSON");

    let mut draws = 0;
    let mut with_conclusion = Vec::new();
    for year in model["years"].as_array().expect("years") {
        // The city itself has no 重点改善 (it is above every 目安).
        let drivers = year["drivers"]["groups"].as_array().expect("driver groups");
        let of = |code: &str| drivers.iter().find(|d| d["department"] == code && d["cut"].is_null());
        let city = of("ALL").expect("the city is analysed");
        assert!(city["categories"].as_array().expect("categories").iter().all(|c| c["quadrant"] != "improve"));
        for g in year["groups"].as_array().expect("groups") {
            if g["department"] == "ALL" || !g["cut"].is_null() {
                continue;
            }
            let code = g["department"].as_str().unwrap_or_default();
            draws += 1;
            let found = concludes(g, of(code));
            if !found.is_empty() {
                with_conclusion.push(format!("{} {code}: {}", year["year"], found.join(", ")));
            }
        }
        // Both kinds of importance are exercised.
        assert!(
            drivers.iter().any(|d| d["reference"] == true)
                && drivers.iter().any(|d| d["department"] != "ALL" && d["reference"] == false)
        );
    }
    assert_eq!(draws, 2 * DEPARTMENTS, "every department is shown in both years");
    let share = with_conclusion.len() as f64 / draws as f64;
    eprintln!("{} of {draws} draws conclude something: {with_conclusion:?}", with_conclusion.len());
    assert!(share <= 0.075, "{} of {draws} draws conclude something: {with_conclusion:#?}", with_conclusion.len());
}
