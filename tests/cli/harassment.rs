//! The harassment survey's exports: a multiple-choice question written in one
//! cell and as one 0/1 column per choice load to the same frame, holding the
//! known answers; each bad cell is named with its place.

use polars::prelude::*;

use crate::harness::Sandbox;

/// The harassment questions added to the valid fixture's survey.toml.
const HARASSMENT_TOML: &str = r#"
[harassment]
title = "ハラスメントに関する意識調査"
min_group_size = 2

[[harassment.questions]]
id = "H01"
text = "過去1年間に職場でハラスメントを受けたと感じた"
kind = "single"
choices = ["はい", "いいえ"]

[[harassment.questions]]
id = "H02"
text = "その種類"
kind = "multiple"
choices = ["パワハラ", "セクハラ", "カスハラ"]

[[harassment.questions]]
id = "H06"
text = "職場はハラスメント防止に取り組んでいる"
kind = "scale"
"#;

/// Five respondents of 令和6年度 with the types in one cell, separated as
/// people write them (、 , ／ and full-width spaces around).
const ONE_CELL: &str = r#"所属コード,H01,H02,H06
0115,はい,パワハラ、カスハラ,4
0115,いいえ,,5
0210,はい,セクハラ,2
0210,はい,"パワハラ, セクハラ／カスハラ",
0100,,,３
"#;

/// The same respondents with one 0/1 (or ○) column per type.
const COLUMN_PER_CHOICE: &str = "所属コード,H01,H02_パワハラ,H02_セクハラ,H02_カスハラ,H06
0115,はい,1,0,1,4
0115,いいえ,,,,5
0210,はい,0,1,0,2
0210,はい,○,○,○,
0100,,,,,３
";

fn workspace_with(file: &str, contents: &str) -> Sandbox {
    let sb = Sandbox::valid();
    let mut survey = sb.read("survey.toml");
    survey.push_str(HARASSMENT_TOML);
    sb.write("survey.toml", survey);
    sb.write(file, contents);
    sb
}

fn harassment_frame(sb: &Sandbox) -> DataFrame {
    let (workspace, problems) = ishiki::ingest::load(&sb.ws());
    let errors: Vec<String> = problems.errors.iter().map(ToString::to_string).collect();
    assert!(errors.is_empty(), "{errors:?}");
    workspace.expect("workspace").harassment.expect("harassment responses").df
}

#[test]
fn both_forms_of_a_multiple_choice_question_load_to_the_known_frame() {
    let one_cell = harassment_frame(&workspace_with("harassment/R6.csv", ONE_CELL));
    let per_choice = harassment_frame(&workspace_with("harassment/R6.csv", COLUMN_PER_CHOICE));
    assert!(one_cell.equals_missing(&per_choice), "one cell:\n{one_cell}\ncolumn per choice:\n{per_choice}");

    let text = |name: &str| -> Vec<Option<String>> {
        one_cell.column(name).unwrap().str().unwrap().iter().map(|v| v.map(str::to_string)).collect()
    };
    let flags = |name: &str| -> Vec<Option<bool>> { one_cell.column(name).unwrap().bool().unwrap().iter().collect() };
    let some = |s: &str| Some(s.to_string());
    assert_eq!(text("department"), [some("0115"), some("0115"), some("0210"), some("0210"), some("0100")]);
    assert_eq!(text("H01"), [some("はい"), some("いいえ"), some("はい"), some("はい"), None]);
    // A respondent who marked nothing did not answer the question (null), not "none of them".
    assert_eq!(flags("H02:パワハラ"), [Some(true), None, Some(false), Some(true), None]);
    assert_eq!(flags("H02:セクハラ"), [Some(false), None, Some(true), Some(true), None]);
    assert_eq!(flags("H02:カスハラ"), [Some(true), None, Some(false), Some(true), None]);
    let scale: Vec<Option<i8>> = one_cell.column("H06").unwrap().i8().unwrap().iter().collect();
    assert_eq!(scale, [Some(4), Some(5), Some(2), None, Some(3)]);
    let years: Vec<Option<i32>> = one_cell.column("year").unwrap().i32().unwrap().iter().collect();
    assert_eq!(years, [Some(2024); 5]);
}

#[test]
fn bad_cells_of_the_harassment_survey_are_named() {
    let sb = workspace_with(
        "harassment/R6.csv",
        "所属コード,H01,H02,H06
0115,たぶん,パワハラ,4
0115,いいえ,パワハラ、モラハラ,5
0999,はい,,2
0210,はい,セクハラ,7
",
    );
    sb.check_fails_with(&[
        "harassment/R6.csv:2 列「H01」: 設問「H01」の選択肢（はい・いいえ）にない回答です（書き込まれた内容は表示しません）。このセルを選択肢の文言に直すか、自由に書き込める選択肢があれば survey.toml の choices に「その他」を加えてください",
        "harassment/R6.csv:3 列「H02」: 設問「H02」の選択肢（パワハラ・セクハラ・カスハラ）にない回答です（書き込まれた内容は表示しません）。このセルを選択肢の文言に直すか、自由に書き込める選択肢があれば survey.toml の choices に「その他」を加えてください",
        "harassment/R6.csv:4 列「所属コード」: 所属コード「0999」は令和6年度の org.csv にありません",
        "harassment/R6.csv:5 列「H06」: 値「7」は1～5の範囲外です",
    ]);
}

#[test]
fn a_choice_column_that_is_missing_or_not_a_flag_is_named() {
    let sb = workspace_with(
        "harassment/R6.csv",
        "所属コード,H01,H02_パワハラ,H02_セクハラ,H06
0115,はい,1,たくさん,4
0115,いいえ,0,0,5
",
    );
    sb.check_fails_with(&[
        "harassment/R6.csv:1: 設問「H02」の選択肢「カスハラ」の列がありません（例: 「H02_カスハラ」）",
        "harassment/R6.csv:2 列「H02_セクハラ」: 値「たくさん」は選んだ（1）か選ばない（0）かとして読めません",
    ]);
}

/// Eight respondents of 令和6年度 (k of the harassment survey = 2): 総務部 (0100)
/// holds 総務人事課 (0115, 3) and two of its own; 市民部 (0200) holds 市民課
/// (0210, 3), where only one answered H01.
const PER_QUESTION: &str = "所属コード,H01,H02,H06
0115,はい,パワハラ,4
0115,いいえ,,5
0115,いいえ,,3
0100,いいえ,,2
0100,いいえ,,2
0210,はい,セクハラ,1
0210,,,2
0210,,,3
";

#[test]
fn each_harassment_question_is_withheld_by_its_own_count_and_differencing() {
    let sb = workspace_with("harassment/R6.csv", PER_QUESTION);
    let run = sb.run(&["scores", "ws", "--year", "R6", "--out", "h.json"]);
    run.assert_success();
    let text = std::fs::read_to_string(sb.root().join("h.json")).expect("h.json");
    let json: serde_json::Value = serde_json::from_str(&text).expect("json");
    let groups = json["years"][0]["harassment"]["groups"].as_array().expect("groups").clone();
    let question = |code: &str, id: &str| -> serde_json::Value {
        let g = groups.iter().find(|g| g["department"] == code).expect("group");
        let qs = g["visibility"]["shown"]["questions"].as_array().expect("a shown group");
        qs.iter().find(|q| q["id"] == id).expect("question")["visibility"].clone()
    };
    // 市民課 and 市民部: one answered H01, under k = 2.
    assert_eq!(question("0210", "H01")["withheld"]["reason"], "too_few");
    assert_eq!(question("0200", "H01")["withheld"]["reason"], "too_few");
    // The whole city minus 総務部 would tell that one answer: 総務部's H01 is withheld too.
    assert_eq!(question("0100", "H01")["withheld"]["reason"], "differencing");
    // 総務人事課's question stays (総務部's own two respondents are never
    // printed), but its shares do not: one chose はい and two いいえ, under 5.
    let h01 = &question("0115", "H01")["shown"];
    assert_eq!(h01["answered"], 3);
    for share in h01["shares"].as_array().expect("shares") {
        assert_eq!(share["withheld"]["reason"], "small_count", "{h01}");
        assert_eq!(share["withheld"]["message"], "少数のため非表示", "{h01}");
        assert!(share.get("shown").is_none(), "{h01}");
    }
    // The whole city is outside that rule: 2 of 6 is shown.
    let city = &question("ALL", "H01")["shown"];
    assert_eq!(city["answered"], 6);
    assert!((city["shares"][0]["shown"].as_f64().expect("はい") - 200.0 / 6.0).abs() < 1e-9);
    // H06 was answered by everyone: shown everywhere, on the 0–100 scale.
    let h06 = &question("ALL", "H06")["shown"];
    assert!((h06["score"].as_f64().expect("score") - 43.75).abs() < 1e-9, "{h06}");
    assert!((h06["favorable"].as_f64().expect("favorable") - 25.0).abs() < 1e-9, "{h06}");
    assert!(question("0210", "H06").get("shown").is_some());
    // H02 was answered by 2 (one in 総務人事課, one in 市民課): shown for the city only.
    assert_eq!(question("ALL", "H02")["shown"]["answered"], 2);
    let counts = &json["years"][0]["withheld"]["harassment_questions"];
    assert_eq!((counts["too_few"].as_u64(), counts["differencing"].as_u64()), (Some(6), Some(1)));
    // 総務人事課's two H01 shares are the only shares withheld in shown questions.
    let counts = &json["years"][0]["withheld"]["harassment_shares"];
    assert_eq!((counts["too_few"].as_u64(), counts["differencing"].as_u64()), (Some(2), Some(0)));
}

/// Texts respondents typed beside 「その他」 in the export below; no message may hold them.
const TYPED: [&str; 3] = ["上司から毎日のように叱責された", "同僚からの無視", "顧客から"];

/// H02 offers その他 with a text box: Microsoft Forms writes the typed text
/// among the choices (`;`), Google Forms the text alone, others 「その他（…）」.
/// Cells of 「無回答」 and 「-」 say the question was left unanswered.
const WITH_OTHER: &str = "所属コード,H01,H02,H06
0115,はい,パワハラ;上司から毎日のように叱責された,4
0115,はい,同僚からの無視,5
0210,はい,その他（顧客から）,2
0210,無回答,セクハラ,-
0100,いいえ,無回答,３
";

#[test]
fn typed_text_beside_other_reads_as_other_and_is_never_printed() {
    let sb = workspace_with("harassment/R6.csv", WITH_OTHER);
    sb.edit(
        "survey.toml",
        "choices = [\"パワハラ\", \"セクハラ\", \"カスハラ\"]",
        "choices = [\"パワハラ\", \"セクハラ\", \"カスハラ\", \"その他\"]",
    );
    let df = harassment_frame(&sb);
    let flags = |name: &str| -> Vec<Option<bool>> { df.column(name).unwrap().bool().unwrap().iter().collect() };
    assert_eq!(flags("H02:その他"), [Some(true), Some(true), Some(true), Some(false), None]);
    assert_eq!(flags("H02:パワハラ"), [Some(true), Some(false), Some(false), Some(false), None]);
    assert_eq!(flags("H02:セクハラ"), [Some(false), Some(false), Some(false), Some(true), None]);
    let h01: Vec<Option<&str>> = df.column("H01").unwrap().str().unwrap().iter().collect();
    assert_eq!(h01, [Some("はい"), Some("はい"), Some("はい"), None, Some("いいえ")]);
    let h06: Vec<Option<i8>> = df.column("H06").unwrap().i8().unwrap().iter().collect();
    assert_eq!(h06, [Some(4), Some(5), Some(2), None, Some(3)]);
    let run = sb.check();
    run.assert_success();
    assert_eq!(
        run.notes().iter().filter(|n| n.contains("回答なしとして読みました")).copied().collect::<Vec<_>>(),
        [
            "harassment/R6.csv:5 列「H01」: 「-」「無回答」と書かれたセル（このファイルに3か所、ここが最初）は、空欄と同じく回答なしとして読みました"
        ]
    );
    for typed in TYPED {
        assert!(!run.stdout.contains(typed) && !run.stderr.contains(typed), "{typed} printed:\n{run}");
    }
}

#[test]
fn typed_text_without_an_other_choice_is_named_by_its_place_only() {
    let sb = workspace_with("harassment/R6.csv", WITH_OTHER);
    let not_a_choice = "設問「H02」の選択肢（パワハラ・セクハラ・カスハラ）にない回答です（書き込まれた内容は表示しません）。このセルを選択肢の文言に直すか、自由に書き込める選択肢があれば survey.toml の choices に「その他」を加えてください";
    sb.check_fails_with(&[&format!(
        "harassment/R6.csv:2 列「H02」: {not_a_choice}。選択肢にない回答がこのファイルに3か所あります（ここが最初です）"
    )]);
    let run = sb.check();
    for typed in TYPED {
        assert!(!run.stdout.contains(typed) && !run.stderr.contains(typed), "{typed} printed:\n{run}");
    }
}
