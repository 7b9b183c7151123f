//! `init` writes a workspace and never overwrites one; `synth` writes a
//! workspace that `check` finds clean, byte for byte the same for one seed.

use crate::harness::{Sandbox, WS, snapshot};

/// What a second `init` prints when the whole workspace exists.
const REFUSAL: &str = "エラー: すでにあるファイルは上書きしません: ws/survey.toml、ws/plan.toml、ws/org.csv、ws/responses、ws/harassment\n";

#[test]
fn init_writes_the_default_workspace() {
    let sb = Sandbox::empty();
    let run = sb.run(&["init", WS]);
    run.assert_success();
    assert!(run.stdout.starts_with("ワークスペースを作りました: ws\n"), "{run}");
    assert!(run.stdout.ends_with("次に org.csv と回答ファイルを置き、ishiki check ws で確かめてください。\n"), "{run}");
    let files = sb.snapshot();
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        ["ws/", "ws/harassment/", "ws/org.csv", "ws/plan.toml", "ws/responses/", "ws/survey.toml"],
        "init writes these and nothing else"
    );
    assert_eq!(files["ws/survey.toml"], ishiki::config::defaults::SURVEY_TOML.as_bytes());
    assert_eq!(files["ws/plan.toml"], ishiki::config::defaults::PLAN_TOML.as_bytes());
    assert_eq!(files["ws/org.csv"], b"year,code,name,parent,headcount,previous_codes\n");
}

#[test]
fn second_init_refuses_and_changes_nothing() {
    let sb = Sandbox::empty();
    sb.run(&["init", WS]).assert_success();
    // The user has started editing.
    let edited = sb.read("survey.toml").replace("title = \"職員意識調査\"", "title = \"令和7年度 職員意識調査\"");
    sb.write("survey.toml", &edited);
    sb.write("org.csv", "year,code,name,parent,headcount,previous_codes\n2025,0100,総務部,,12,\n");
    let before = sb.snapshot();

    let run = sb.run(&["init", WS]);
    assert_eq!(run.code, 1, "{run}");
    assert_eq!(run.stderr, REFUSAL);
    assert_eq!(run.stdout, "");
    assert_eq!(sb.snapshot(), before, "a refused init changes nothing");
    assert_eq!(sb.read("survey.toml"), edited);
}

#[test]
fn init_refuses_when_any_one_file_exists() {
    let sb = Sandbox::empty();
    sb.write("org.csv", "year,code,name,parent,headcount,previous_codes\n");
    let before = sb.snapshot();
    let run = sb.run(&["init", WS]);
    assert_eq!(run.code, 1, "{run}");
    assert_eq!(run.stderr, "エラー: すでにあるファイルは上書きしません: ws/org.csv\n");
    assert_eq!(sb.snapshot(), before, "nothing is created next to the existing file");
}

#[test]
fn init_into_an_existing_empty_folder() {
    let sb = Sandbox::empty();
    std::fs::create_dir(sb.ws()).expect("create ws");
    sb.run(&["init", WS]).assert_success();
    assert!(sb.path("survey.toml").is_file() && sb.path("responses").is_dir());
}

#[test]
fn check_of_a_fresh_init_says_what_is_missing() {
    let sb = Sandbox::empty();
    sb.run(&["init", WS]).assert_success();
    sb.check_fails_with(&[
        "org.csv: 所属が一行もありません",
        "responses/: 回答ファイル（.csv .tsv .txt .xlsx .xlsm .xls）がありません",
    ]);

    // With org.csv filled in, only the answers are missing.
    sb.write("org.csv", "year,code,name,parent,headcount,previous_codes\n2025,0100,総務部,,12,\n");
    sb.check_fails_with(&["responses/: 回答ファイル（.csv .tsv .txt .xlsx .xlsm .xls）がありません"]);
}

/// Small synthetic workspace options: four years, so every file kind (plain .xlsx, CP932 CSV, .xlsx, UTF-8 CSV) is written.
const SYNTH: [&str; 6] = ["--respondents", "40", "--departments", "8", "--years", "2022..2025"];

fn synth(sb: &Sandbox, dir: &str, seed: &str) -> crate::harness::Run {
    let mut args = vec!["synth", dir];
    args.extend(SYNTH);
    args.extend(["--seed", seed]);
    let run = sb.run(&args);
    run.assert_success();
    run
}

#[test]
fn synth_then_check_is_clean() {
    let sb = Sandbox::empty();
    let made = synth(&sb, WS, "11");
    let run = sb.check();
    run.assert_success();
    assert!(run.stdout.starts_with("問題は見つかりませんでした。\n"), "{run}");
    // The plan synth writes starts from its own baseline year: no goal's
    // baseline disagrees with the data.
    let baselines: Vec<&str> = run.notes().into_iter().filter(|n| n.starts_with("plan.toml")).collect();
    assert!(baselines.is_empty(), "{baselines:#?}");

    // synth says `  令和4年度（2022年度）: responses/R4_職員意識調査.xlsx（40人）` per year;
    // check must read each of those files with that many respondents, in that year.
    let years: Vec<(&str, &str, &str)> = made
        .stdout
        .lines()
        .filter_map(|l| {
            let (year, rest) = l.trim_start().split_once(": responses/")?;
            let (file, n) = rest.split_once('（')?;
            Some((year, file, n.trim_end_matches("人）")))
        })
        .collect();
    let labels: Vec<&str> = years.iter().map(|y| y.0).collect();
    assert_eq!(
        labels,
        ["令和4年度（2022年度）", "令和5年度（2023年度）", "令和6年度（2024年度）", "令和7年度（2025年度）"]
    );
    for (year, file, n) in &years {
        assert!(run.stdout.contains(&format!("  responses/{file}（")), "{file} read\n{run}");
        assert!(run.stdout.contains(&format!("）: {n}人\n")), "{file} has {n}\n{run}");
        assert!(run.stdout.contains(&format!("  {year}: 回答者 {n}人 / ")), "{year}\n{run}");
    }
    let kinds: Vec<&str> = years.iter().map(|y| y.1.rsplit('.').next().unwrap_or("")).collect();
    assert_eq!(kinds, ["xlsx", "csv", "xlsx", "csv"]);
}

#[test]
fn synth_is_byte_deterministic_for_a_seed() {
    let sb = Sandbox::empty();
    synth(&sb, "a", "5");
    synth(&sb, "b", "5");
    synth(&sb, "c", "6");
    let a = snapshot(&sb.root().join("a"));
    let b = snapshot(&sb.root().join("b"));
    let c = snapshot(&sb.root().join("c"));
    assert!(
        a.keys().any(|k| k.ends_with("R4_職員意識調査.xlsx")) && a.keys().any(|k| k.ends_with(".xlsx")),
        "{:?}",
        a.keys()
    );
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>(), "the same files");
    for (name, bytes) in &a {
        assert!(bytes == &b[name], "{name} differs between two runs with seed 5");
    }
    // The seed matters: another one gives other answers.
    let differing = a.iter().filter(|(name, bytes)| c.get(*name) != Some(*bytes)).count();
    assert!(differing > 0, "seed 6 should not reproduce seed 5");
}

/// `init --from` an export whose answers use the common 5-point wording with
/// どちらかといえば (tests/fixtures/bad_inputs/another_wording_of_the_scale):
/// the scale is recognised, no answer column becomes a demographic, and the
/// drafted workspace reads the export.
#[test]
fn init_from_recognises_the_dochiraka_to_ieba_scale() {
    let sb = Sandbox::empty();
    let export = crate::harness::fixture("bad_inputs/another_wording_of_the_scale/responses/2025.csv");
    let run = sb.run(&["init", WS, "--from", export.to_str().expect("utf-8")]);
    run.assert_success();
    assert!(
        run.stdout.contains(
            "回答の尺度: 5段階（そう思わない・どちらかといえばそう思わない・どちらともいえない・どちらかといえばそう思う・そう思う）"
        ),
        "{run}"
    );
    let demographics: Vec<&str> = run.stdout.lines().filter(|l| l.trim_start().starts_with("属性:")).collect();
    assert_eq!(demographics.len(), 3, "only 年代, 職級 and 任用形態 are demographics: {demographics:?}");
    assert!(run.stdout.contains("一致しない設問 35"), "{run}");
    let survey = sb.read("survey.toml");
    assert!(survey.contains("4 = \"どちらかといえばそう思う\""), "{survey}");
    assert!(!survey.contains("name = \"Q"), "a question became a demographic:\n{survey}");
}
