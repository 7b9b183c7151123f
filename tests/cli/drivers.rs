//! Outcome questions and the driver analysis as a user meets them: an export
//! without the outcome questions is a note, not an error, and that year has
//! no analysis with one sentence saying why; survey.toml mistakes about them
//! are located; what is published keeps DESIGN §5; reruns give the same bytes.
//! (The numbers themselves are checked in recompute.rs.)

use serde_json::Value;

use crate::harness::Sandbox;

/// A synthetic workspace of two years (R6 as .xlsx, R7 as a UTF-8 CSV).
fn synthetic() -> Sandbox {
    let sb = Sandbox::empty();
    sb.run(&["synth", "ws", "--respondents", "600", "--departments", "25", "--years", "R6..R7", "--seed", "5"])
        .assert_success();
    sb
}

/// Drops the columns whose header is one of `headers` from a CSV without quoted fields.
fn drop_columns(sb: &Sandbox, rel: &str, headers: &[&str]) {
    sb.edit_csv(rel, |rows| {
        let keep: Vec<bool> = rows[0].iter().map(|h| !headers.contains(&h.trim_start_matches('\u{feff}'))).collect();
        for row in rows.iter_mut() {
            let mut k = keep.iter();
            row.retain(|_| *k.next().unwrap_or(&true));
        }
    });
}

fn scores_json(sb: &Sandbox, out: &str) -> Value {
    sb.run(&["scores", "ws", "--out", out]).assert_success();
    serde_json::from_str(&output(sb, out)).expect("scores JSON")
}

/// Reads a file the binary wrote beside the workspace.
fn output(sb: &Sandbox, out: &str) -> String {
    std::fs::read_to_string(sb.root().join(out)).expect("the output")
}

fn year(model: &Value, western: i64) -> &Value {
    model["years"].as_array().expect("years").iter().find(|y| y["year"] == western).expect("the year")
}

#[test]
fn an_export_without_the_outcome_questions_is_a_note_and_that_year_has_no_analysis() {
    let sb = synthetic();
    drop_columns(&sb, "responses/2025.csv", &["Q36", "Q37"]);
    let check = sb.check();
    check.assert_success();
    assert!(
        check.notes().iter().any(|n| n.starts_with("responses/2025.csv: 結果の設問 Q36・Q37 の列がありません")),
        "{check}"
    );
    let model = scores_json(&sb, "scores.json");
    let r7 = &year(&model, 2025)["drivers"];
    assert_eq!(r7["groups"].as_array().map(Vec::len), Some(0));
    assert!(r7["note"].as_str().expect("a note").contains("結果の設問（Q36・Q37）に答えた人がいないため"), "{r7}");
    let r6 = &year(&model, 2024)["drivers"];
    assert_eq!(r6["note"], Value::Null, "R6 has the outcome questions");
    assert_eq!(r6["groups"][0]["department"], "ALL");
    // R7's groups have no outcome block; R6's city has one.
    let city = |y: &Value| y["groups"].as_array().expect("groups")[0]["visibility"]["shown"].clone();
    assert_eq!(city(year(&model, 2025))["outcomes"], Value::Null);
    assert_eq!(city(year(&model, 2024))["outcomes"]["shown"][0]["item"], "Q36");
}

#[test]
fn a_survey_without_outcome_questions_says_why_there_is_no_analysis() {
    let sb = synthetic();
    let survey = sb.read("survey.toml");
    let start = survey.find("\n# 結果の設問").expect("the outcomes section");
    let end = survey.find("\n# ハラスメントに関する意識調査").expect("the harassment section");
    sb.write("survey.toml", format!("{}{}", &survey[..start], &survey[end..]));
    let check = sb.check();
    check.assert_success();
    let model = scores_json(&sb, "scores.json");
    for y in model["years"].as_array().expect("years") {
        let note = y["drivers"]["note"].as_str().expect("a note");
        assert!(note.contains("総合点をそれを作っているカテゴリから予測すると循環になる"), "{note}");
    }
}

#[test]
fn survey_toml_mistakes_about_outcome_questions_are_located() {
    let sb = Sandbox::valid();
    let survey = sb.read("survey.toml");
    // An outcome question put in a category, and an outcome id that an item already has.
    let with_outcomes = format!(
        "{survey}\n[[outcomes]]\nid = \"Q36\"\ntext = \"満足している\"\n\n[[outcomes]]\nid = \"Q01\"\ntext = \"二度目\"\n"
    );
    let first_items = with_outcomes.find("items = [\"").expect("a category's items");
    let broken = format!("{}items = [\"Q36\", {}", &with_outcomes[..first_items], &with_outcomes[first_items + 9..]);
    sb.write("survey.toml", &broken);
    let run = sb.check();
    assert_eq!(run.code, 1, "{run}");
    let errors = run.errors();
    assert!(
        errors
            .iter()
            .any(|e| e.contains("設問「Q36」は結果の設問（[[outcomes]]）なので、カテゴリ")
                && e.starts_with("survey.toml:")),
        "{run}"
    );
    assert!(errors.iter().any(|e| e.contains("設問ID「Q01」が二度定義されています")), "{run}");
}

#[test]
fn published_drivers_keep_the_confidentiality_rules_and_reruns_are_identical() {
    let sb = synthetic();
    let model = scores_json(&sb, "a.json");
    sb.run(&["scores", "ws", "--out", "b.json"]).assert_success();
    assert_eq!(output(&sb, "a.json"), output(&sb, "b.json"), "the bootstrap is seeded: same bytes");
    let k = model["min_group_size"].as_u64().expect("k");
    let (mut published, mut cuts) = (0, 0);
    for y in model["years"].as_array().expect("years") {
        for d in y["drivers"]["groups"].as_array().expect("driver groups") {
            published += 1;
            cuts += usize::from(!d["cut"].is_null());
            assert!(d["n"].as_u64().expect("n") >= 30, "{d}");
            let group = y["groups"]
                .as_array()
                .expect("groups")
                .iter()
                .find(|g| {
                    g["department"] == d["department"] && g["cut"] == d["cut"] && g["cut_value"] == d["cut_value"]
                })
                .expect("the group");
            let figures = &group["visibility"]["shown"];
            assert!(figures.is_object(), "a published analysis belongs to a shown group: {group}");
            for s in figures["scores"].as_array().expect("scores") {
                assert!(s["visibility"]["shown"].is_object(), "every value shown: {s}");
            }
            assert!(figures["outcomes"]["shown"].is_array(), "the outcome block shown");
            assert!(figures["respondents"].as_u64().expect("respondents") >= k);
        }
    }
    assert!(published >= 4, "too few analyses to test ({published})");
    assert!(cuts >= 1, "no demographic group was analysed");
}

#[test]
fn init_from_an_export_with_the_outcome_questions_drafts_them() {
    let sb = synthetic();
    // R6 is an .xlsx whose headers are the question texts.
    let export = sb.path("responses/令和6年度_職員意識調査.xlsx");
    let run = sb.run(&["init", "drafted", "--from", export.to_str().expect("utf-8")]);
    run.assert_success();
    assert!(run.stdout.contains("結果の設問（重要度の分析に使います）: 総合的に見て、"), "{run}");
    let text = std::fs::read_to_string(sb.root().join("drafted/survey.toml")).expect("drafted survey.toml");
    let survey = ishiki::config::survey::Survey::from_toml("survey.toml", &text).expect("the draft parses");
    let ids: Vec<&str> = survey.outcomes.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids, ["Q36", "Q37"]);
    assert_eq!(survey.outcomes[1].header.as_deref(), Some("今の職場で今後も働き続けたい"));
}
