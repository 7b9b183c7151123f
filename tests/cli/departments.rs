//! Exports as form tools write them (issue 9). Departments by name, by
//! code and name together, by name with its 部, in any width and spacing —
//! each gives the scores CSV of the plain export byte for byte, and `check`
//! says once per file which form it read. An ambiguous or unknown name is a
//! located error naming the candidates or the closest names. Also 部 and 課
//! in two columns, lists of accepted headers (each file may use another), and
//! demographic values by alias.

use crate::harness::Sandbox;

/// The valid fixture's departments, 令和5年度 and 令和6年度: code → (name, 部).
const DEPARTMENTS: [(&str, &str, &str); 6] = [
    ("0110", "総務課", "総務部"),
    ("0120", "人事課", "総務部"),
    ("0115", "総務人事課", "総務部"),
    ("0210", "市民課", "市民部"),
    ("0100", "総務部", ""),
    ("0200", "市民部", ""),
];

/// Writes a department cell from its code, name and 部.
type Writer = Box<dyn Fn(&str, &str, &str) -> String>;

/// Rewrites the department column of both response files with `write(code, name, 部)`.
fn rewritten(write: impl Fn(&str, &str, &str) -> String) -> Sandbox {
    let sb = Sandbox::valid();
    for (file, col) in [("responses/2023.csv", 0), ("responses/2024.csv", 1)] {
        sb.edit_csv(file, |rows| {
            for row in rows.iter_mut().skip(1) {
                if let Some((code, name, parent)) = DEPARTMENTS.iter().find(|d| d.0 == row[col]) {
                    row[col] = write(code, name, parent);
                }
            }
        });
    }
    sb
}

fn scores_csv(sb: &Sandbox) -> (Vec<u8>, Vec<String>) {
    let run = sb.run(&["scores", "ws", "--out", "s.csv"]);
    run.assert_success();
    let notes = run.notes().iter().map(|n| n.to_string()).collect();
    (std::fs::read(sb.root().join("s.csv")).expect("s.csv"), notes)
}

#[test]
fn every_way_of_writing_a_department_gives_the_same_scores() {
    let (plain, notes) = scores_csv(&Sandbox::valid());
    assert!(!notes.iter().any(|n| n.contains("所属を")), "codes need no note: {notes:?}");
    let forms: [(&str, Writer); 6] = [
        ("所属を所属名として", Box::new(|_, name, _| name.to_string())),
        ("所属コードと所属名", Box::new(|code, name, _| format!("{code} {name}"))),
        ("所属コードと所属名", Box::new(|code, name, _| format!("{code}：{name}"))),
        ("部の名前と所属名", Box::new(|_, name, parent| format!("{parent}／{name}"))),
        ("部の名前と所属名", Box::new(|_, name, parent| format!("{parent}　{name}"))),
        // Full-width digits and a name with its spaces as people type them.
        ("所属コードと所属名", Box::new(|code, name, _| format!("{}　{name} ", code.replace('0', "０")))),
    ];
    for (label, write) in forms {
        let sb = rewritten(write);
        let (csv, notes) = scores_csv(&sb);
        assert!(csv == plain, "{label}: the scores differ from the plain export");
        assert!(notes.iter().any(|n| n.contains(label)), "{label}: {notes:?}");
    }
}

#[test]
fn an_ambiguous_name_names_both_departments_and_an_unknown_one_the_closest() {
    let sb = Sandbox::valid();
    // Two 地域振興課 in 令和6年度, under different 部.
    sb.edit_csv("org.csv", |rows| {
        rows.push(["2024", "0300", "支所", "", "1", ""].map(String::from).to_vec());
        rows.push(["2024", "0310", "市民課", "0300", "3", ""].map(String::from).to_vec());
    });
    sb.edit_csv("responses/2024.csv", |rows| {
        rows[2][1] = "市民課".into();
        rows[3][1] = "総務人事か".into();
    });
    sb.check_fails_with(&[
        "responses/2024.csv:3 列「所属コード」: 所属「市民課」は令和6年度に2つあります（市民部 市民課［0210］、支所 市民課［0310］）。部の名前を付けて書くか（例: 市民部 市民課）、所属コードで書いてください",
        "responses/2024.csv:4 列「所属コード」: 所属「総務人事か」は令和6年度の org.csv にありません（近い名前: 総務部 総務人事課［0115］）",
    ]);
}

/// survey.toml lists the headers a column may have; each file may use another.
#[test]
fn each_file_may_name_its_columns_differently() {
    let (plain, _) = scores_csv(&Sandbox::valid());
    let sb = rewritten(|_, name, _| name.to_string());
    sb.edit(
        "survey.toml",
        "department = \"所属コード\"\nyear = \"年度\"",
        "department = [\"所属コード\", \"所属\", \"所属名\"]\nyear = [\"年度\", \"調査年度\"]",
    );
    sb.edit("survey.toml", "name = \"年代\"\n", "name = \"年代\"\ncolumn = [\"年代\", \"年齢\"]\n");
    // 令和5年度's file says 所属 and 年齢, 令和6年度's 所属名 and 調査年度.
    sb.edit_csv("responses/2023.csv", |rows| {
        rows[0][0] = "所属".into();
        rows[0][1] = "年齢".into();
    });
    sb.edit_csv("responses/2024.csv", |rows| {
        rows[0][0] = "調査年度".into();
        rows[0][1] = "所属名".into();
    });
    let (csv, _) = scores_csv(&sb);
    assert!(csv == plain, "the scores differ from the plain export");

    // A file with none of them names the first and the others.
    sb.edit_csv("responses/2023.csv", |rows| rows[0][0] = "部署コード".into());
    let run = sb.check();
    assert!(
        run.errors()
            .contains(&"responses/2023.csv:1: 必須の列「所属コード」（または「所属」・「所属名」）がありません"),
        "{run}"
    );
}

#[test]
fn a_column_name_that_is_neither_text_nor_a_list_is_named() {
    let sb = Sandbox::valid();
    sb.edit("survey.toml", "department = \"所属コード\"", "department = 5");
    let run = sb.check();
    assert_eq!(
        run.errors().first().copied(),
        Some(
            "survey.toml:18: 列名は文字列（\"所属コード\"）か文字列の配列（[\"所属コード\", \"所属\"]）で書いてください"
        ),
        "{run}"
    );
}

/// The valid workspace with survey.toml's department headers `columns` and the
/// department column of both response files replaced by the columns `header`,
/// each row's cells written by `cells(name, 部)` from its department.
fn department_split(columns: &str, header: &[&str], cells: impl Fn(&str, &str) -> Vec<String>) -> Sandbox {
    let sb = Sandbox::valid();
    sb.edit("survey.toml", "department = \"所属コード\"", columns);
    for (file, col) in [("responses/2023.csv", 0), ("responses/2024.csv", 1)] {
        sb.edit_csv(file, |rows| {
            for (k, row) in rows.iter_mut().enumerate() {
                let written = if k == 0 {
                    header.iter().map(|h| h.to_string()).collect()
                } else {
                    let (_, name, parent) = DEPARTMENTS.iter().find(|d| d.0 == row[col]).expect("known code");
                    cells(name, parent)
                };
                row.splice(col..=col, written);
            }
        });
    }
    sb
}

/// 部 and 課 in two columns, the 課 blank for someone directly in a 部.
#[test]
fn a_department_split_into_bu_and_ka_columns_reads_as_one() {
    let (plain, _) = scores_csv(&Sandbox::valid());
    let sb = department_split(
        "department = [\"所属コード\", \"課\"]\nparent_department = \"部\"",
        &["部", "課"],
        |name, parent| match parent {
            "" => vec![name.to_string(), String::new()],
            _ => vec![parent.to_string(), name.to_string()],
        },
    );
    let (csv, notes) = scores_csv(&sb);
    assert!(csv == plain, "the scores differ from the plain export");
    assert!(notes.iter().any(|n| n.contains("部の名前と所属名")), "{notes:?}");
}

/// A branching form (issue 20): the 部 under 「部局」, then one 課 question per
/// 部, each respondent filling one. Every 課 column is read; 部局, though also a
/// department header, is their 部.
#[test]
fn a_branching_form_with_one_ka_column_per_bu_reads_every_column() {
    let (plain, _) = scores_csv(&Sandbox::valid());
    let headers = [["所属課", "所属課2"], ["総務部の所属課を選択してください", "市民部の所属課を選択してください"]];
    for [soumu, shimin] in headers {
        let sb = department_split(
            "department = [\"所属コード\", \"所属課\", \"部局\"]\nparent_department = [\"部局\"]",
            &["部局", soumu, shimin],
            |name, parent| match parent {
                "" => vec![name.to_string(), String::new(), String::new()],
                "総務部" => vec![parent.to_string(), name.to_string(), String::new()],
                _ => vec![parent.to_string(), String::new(), name.to_string()],
            },
        );
        let (csv, notes) = scores_csv(&sb);
        assert!(csv == plain, "{soumu}: the scores differ from the plain export");
        assert!(notes.iter().any(|n| n.contains("所属を2つの列")), "{soumu}: {notes:?}");

        // Someone who went back and chose another 部: both 課 filled is located.
        sb.edit_csv("responses/2024.csv", |rows| rows[3][3] = "市民課".into());
        let run = sb.check();
        assert_eq!(
            run.errors(),
            [format!(
                "responses/2024.csv:4 列「{shimin}」: 所属の列が2つ記入されています（C列「{soumu}」に「総務人事課」、D列「{shimin}」に「市民課」）。一人の所属はどれか一つの列にだけ書いてください"
            )
            .as_str()],
            "{run}"
        );
    }
}

/// Two sheets that both look like answers are refused (issue 20); survey.toml's
/// `sheet` chooses one, and the full sheet gives the plain export's scores.
#[test]
fn the_sheet_setting_chooses_between_two_answer_sheets() {
    let (plain, _) = scores_csv(&form_export("plain/2025.csv", "2025.csv"));
    let sb =
        form_export("../bad_inputs/working_copy_sheet_beside_the_answers/responses/R7_職員意識調査.xlsx", "R7.xlsx");
    sb.edit("survey.toml", "free_text = [\"自由記述\"]\n", "free_text = [\"自由記述\"]\nsheet = \"回答\"\n");
    let (csv, _) = scores_csv(&sb);
    assert!(csv == plain, "the scores differ from the plain export");
    sb.edit("survey.toml", "\nsheet = \"回答\"", "\nsheet = \"作業用\"");
    let (csv, _) = scores_csv(&sb);
    assert!(csv != plain, "the working copy holds 50 of the 80 respondents");
}

/// Demographic values as exports write them: survey.toml's aliases, and any width or spacing.
#[test]
fn demographic_values_by_alias_read_as_their_value() {
    let (plain, _) = scores_csv(&Sandbox::valid());
    let sb = Sandbox::valid();
    sb.edit(
        "survey.toml",
        "values = [\"30代以下\", \"40代\", \"50代以上\"]",
        "values = [\"30代以下\", \"40代\", \"50代以上\"]\naliases = { \"30歳代以下\" = \"30代以下\", \"40歳代\" = \"40代\" }",
    );
    sb.edit_csv("responses/2024.csv", |rows| {
        for row in rows.iter_mut().skip(1) {
            row[2] = match row[2].as_str() {
                "30代以下" => "30歳代以下".into(),
                "40代" => "４０歳代".into(),
                "50代以上" => " 50代以上".into(),
                other => other.into(),
            };
        }
    });
    let (csv, _) = scores_csv(&sb);
    assert!(csv == plain, "the scores differ from the plain export");
    // An alias must lead to one of the values.
    sb.edit("survey.toml", "\"40歳代\" = \"40代\"", "\"40歳代\" = \"40代前半\"");
    let run = sb.check();
    // Located at the alias's own line (the inline table of 年代's aliases).
    let line =
        sb.read("survey.toml").lines().position(|l| l.contains("\"40歳代\" = \"40代前半\"")).expect("alias line") + 1;
    assert_eq!(
        run.errors(),
        [format!(
            "survey.toml:{line}: 属性「年代」の別名「40歳代」の行き先「40代前半」が選択肢（values）にありません。行き先は 「30代以下」「40代」「50代以上」 のどれかにしてください"
        )
        .as_str()],
        "{run}"
    );
}

/// A workspace of tests/fixtures/form_exports (default survey.toml) with one
/// export of its 80 respondents in responses/.
fn form_export(file: &str, as_name: &str) -> Sandbox {
    let sb = Sandbox::empty();
    for f in ["survey.toml", "plan.toml", "org.csv"] {
        sb.copy_fixture(&format!("form_exports/{f}"), f);
    }
    sb.copy_fixture(&format!("form_exports/{file}"), &format!("responses/{as_name}"));
    sb
}

/// Real exports with the default survey.toml (tests/fixtures/make_form_exports.py):
/// Microsoft Forms, Google Forms and 部/課 in two columns give the plain export's scores.
#[test]
fn form_tool_exports_load_with_the_default_survey_and_give_the_same_scores() {
    let (plain, _) = scores_csv(&form_export("plain/2025.csv", "2025.csv"));
    for (file, as_name, form) in [
        ("msforms/R7_職員意識調査.xlsx", "R7_職員意識調査.xlsx", "所属を所属名として"),
        ("google/2025.csv", "2025.csv", "所属コードと所属名"),
        ("bu_ka/2025.csv", "2025.csv", "部の名前と所属名"),
    ] {
        let sb = form_export(file, as_name);
        let (csv, notes) = scores_csv(&sb);
        assert!(csv == plain, "{file}: the scores differ from the plain export");
        assert!(notes.iter().any(|n| n.contains(form)), "{file}: {notes:?}");
    }
}

/// `init --from`: a workspace drafted from the Microsoft Forms export, once
/// org.csv is completed, gives the same scores as the default questionnaire.
#[test]
fn init_from_an_export_drafts_a_workspace_that_reads_it() {
    let sb = Sandbox::empty();
    let export = crate::harness::fixture("form_exports/msforms/R7_職員意識調査.xlsx");
    let run = sb.run(&["init", "ws", "--from", export.to_str().expect("utf-8")]);
    run.assert_success();
    for said in [
        "所属: 列「所属」（8種類）",
        "設問: 既定の設問と一致 35、一致しない設問 0",
        "読み飛ばす列: ID、開始時刻、完了時刻、メール、名前",
        "結果の設問（職場への満足・働き続けたい気持ち）: 見つかりません",
    ] {
        assert!(run.stdout.contains(said), "{said}\n{run}");
    }
    let org = sb.read("org.csv");
    assert_eq!(org.lines().count(), 9, "one row per department name found:\n{org}");
    assert!(org.contains("2025,,総務課,,,"), "{org}");
    // The user completes org.csv and puts the export in responses/.
    sb.copy_fixture("form_exports/org.csv", "org.csv");
    sb.copy_fixture("form_exports/msforms/R7_職員意識調査.xlsx", "responses/R7_職員意識調査.xlsx");
    let (drafted, _) = scores_csv(&sb);
    let (plain, _) = scores_csv(&form_export("plain/2025.csv", "2025.csv"));
    assert!(drafted == plain, "the drafted survey.toml gives other scores");
    // It never overwrites.
    let again = sb.run(&["init", "ws", "--from", export.to_str().expect("utf-8")]);
    assert_eq!(again.code, 1, "{again}");
    assert!(again.stderr.contains("すでにあるファイルは上書きしません"), "{again}");
}

/// Another city's 4-point questionnaire with its own questions: drafted with
/// `init --from`, completed as a city would (questions into categories,
/// org.csv, its plan), then reported end to end.
#[test]
fn another_citys_questionnaire_goes_from_init_from_to_the_reports() {
    let sb = Sandbox::empty();
    let export = crate::harness::fixture("form_exports/other_city/R7_職場アンケート.csv");
    let run = sb.run(&["init", "ws", "--from", export.to_str().expect("utf-8")]);
    run.assert_success();
    for said in [
        "回答の尺度: 4段階（全くそう思わない・あまりそう思わない・ややそう思う・とてもそう思う）",
        "設問: 既定の設問と一致 0、一致しない設問 9",
        "自由記述の設問（[[comments]]。ishiki comments で人事担当課の確認用の一覧を作れます。ほかの出力には載りません）: 職場をよくするためのご意見をお書きください",
        "読み飛ばす列: タイムスタンプ",
    ] {
        assert!(run.stdout.contains(said), "{said}\n{run}");
    }
    let draft = sb.read("survey.toml");
    assert!(draft.contains("favorable_threshold = 3"), "{draft}");
    assert!(draft.contains("# header = \"問9 体調を崩さずに働けている\""), "{draft}");

    // Completing the draft: the questions uncommented and put into three categories.
    let (head, questions) =
        draft.split_once("# 既定の設問と一致しなかった設問です。").expect("the commented questions");
    let questions: String = questions
        .lines()
        .skip(1)
        .map(|l| l.strip_prefix("# ").or_else(|| l.strip_prefix('#')).unwrap_or(l).to_string() + "\n")
        .collect();
    let categories = r#"
[[categories]]
id = "goals"
name = "目標と情報"
items = ["X01", "X02", "X03"]

[[categories]]
id = "support"
name = "支え合い"
items = ["X04", "X05", "X06"]

[[categories]]
id = "balance"
name = "働き方"
items = ["X07", "X08", "X09"]
"#;
    sb.write("survey.toml", format!("{head}{categories}\n{questions}"));
    sb.copy_fixture("form_exports/other_city/org.csv", "org.csv");
    sb.copy_fixture("form_exports/other_city/plan.toml", "plan.toml");
    sb.copy_fixture("form_exports/other_city/R7_職場アンケート.csv", "responses/R7_職場アンケート.csv");
    sb.check().assert_success();
    let report = sb.run(&["report", "ws", "--year", "R7", "--out", "out", "--date", "2025-12-01"]);
    report.assert_success();
    assert!(sb.root().join("out/committee_2025.pdf").is_file(), "{report}");
    let packets = std::fs::read_dir(sb.root().join("out/departments")).expect("departments").count();
    assert_eq!(packets, 9, "six 課 and three 部 with respondents");
}

/// Department codes that are not all digits (`K0110`, as some cities' org.csv
/// write them), alone or before their names, load like numeric codes.
#[test]
fn codes_that_are_not_all_digits_load_alone_and_with_their_names() {
    let (plain, _) = scores_csv(&Sandbox::valid());
    // The plain scores with every department code written the K way.
    let plain = String::from_utf8(plain).expect("utf-8");
    let expected: String = plain
        .lines()
        .map(|line| {
            let mut fields: Vec<String> = line.split(',').map(str::to_string).collect();
            if DEPARTMENTS.iter().any(|d| d.0 == fields[1]) {
                fields[1] = format!("K{}", fields[1]);
            }
            fields.join(",") + "\n"
        })
        .collect();
    let forms: [(&str, Writer); 3] = [
        ("所属コード", Box::new(|code, _, _| format!("K{code}"))),
        ("所属コードと所属名", Box::new(|code, name, _| format!("K{code} {name}"))),
        ("所属コードと所属名", Box::new(|code, name, parent| format!("Ｋ{code}：{parent} {name}"))),
    ];
    for (label, write) in forms {
        let sb = rewritten(write);
        sb.edit_csv("org.csv", |rows| {
            for row in rows.iter_mut().skip(1) {
                for col in [1, 3] {
                    if !row[col].is_empty() {
                        row[col] = format!("K{}", row[col]);
                    }
                }
                row[5] =
                    row[5].split(';').filter(|c| !c.is_empty()).map(|c| format!("K{c}")).collect::<Vec<_>>().join(";");
            }
        });
        let (csv, notes) = scores_csv(&sb);
        assert!(String::from_utf8(csv).expect("utf-8") == expected, "{label}: the scores differ from the plain export");
        assert!(label == "所属コード" || notes.iter().any(|n| n.contains(label)), "{label}: {notes:?}");
    }
}

/// The form offered どちらかといえばそう思う / どちらかといえばそう思わない for
/// ややそう思う / あまりそう思わない (tests/fixtures/bad_inputs/another_wording_of_the_scale):
/// `[[scale.year_labels]]` for that year reads it as the plain export; for another year it does not.
#[test]
fn a_year_may_word_its_scale_in_its_own_labels() {
    let (plain, _) = scores_csv(&form_export("plain/2025.csv", "2025.csv"));
    let sb = form_export("plain/2025.csv", "2025.csv");
    sb.copy_fixture("bad_inputs/another_wording_of_the_scale/responses/2025.csv", "responses/2025.csv");
    let year_labels = |years: &str| {
        format!(
            "[[scale.year_labels]]\nyears = {years}\nlabels = {{ 4 = \"どちらかといえばそう思う\", 2 = \"どちらかといえばそう思わない\" }}\n\n[columns]\n"
        )
    };
    sb.edit("survey.toml", "\n[columns]\n", &format!("\n{}", year_labels("[\"R6\"]")));
    let other_year = sb.check();
    assert_eq!(other_year.code, 1, "{other_year}");
    assert!(
        other_year.errors().iter().any(|e| e.contains("値「どちらかといえばそう思う」は回答として読めません")),
        "{other_year}"
    );
    sb.edit("survey.toml", "years = [\"R6\"]", "years = [\"R6\", \"令和7年度\"]");
    let (csv, _) = scores_csv(&sb);
    assert!(csv == plain, "the scores differ from the plain export");
    // A year that does not read and a year given twice are located.
    sb.edit("survey.toml", "years = [\"R6\", \"令和7年度\"]", "years = [\"R6\", \"2025\", \"R7\", \"来年\"]");
    let run = sb.check();
    let line = sb.read("survey.toml").lines().position(|l| l.starts_with("years = ")).expect("years line") + 1;
    let expected = [
        format!(
            "survey.toml:{line}: scale.year_labels に令和7年度が二度あります（一つの年度の文言は一か所に書いてください）"
        ),
        format!(
            "survey.toml:{line}: scale.year_labels の years: 「来年」は年度として読めません（2024、R6、R06、令和6、令和6年度 のように書いてください）"
        ),
    ];
    assert_eq!(run.errors(), expected.iter().map(String::as_str).collect::<Vec<_>>(), "{run}");
}

/// `report --department` reads a code or a name as a response file's cell is
/// read. One the year does not have is a usage error (exit 2, as clap's own)
/// naming the year's closest departments, and so is one no one answered in;
/// nothing is written.
#[test]
fn report_department_the_year_does_not_have_is_a_usage_error_naming_the_closest() {
    let sb = Sandbox::valid();
    sb.edit_csv("org.csv", |rows| rows.push(["2024", "0220", "戸籍課", "0200", "3", ""].map(String::from).to_vec()));
    let report = |department: &str| {
        sb.run(&["report", "ws", "--year", "R6", "--out", "out", "--date", "2025-11-26", "--department", department])
    };
    for (typed, message) in [
        (
            "9999",
            "--department の所属コード「9999」は令和6年度の org.csv にありません（近い所属コード: 市民部 戸籍課［0220］、市民部 市民課［0210］、市民部［0200］）",
        ),
        (
            "0116",
            "--department の所属コード「0116」は令和6年度の org.csv にありません（近い所属コード: 総務部 総務人事課［0115］、総務部［0100］、市民部 市民課［0210］）",
        ),
        (
            "総務人時課",
            "--department の所属「総務人時課」は令和6年度の org.csv にありません（近い名前: 総務部 総務人事課［0115］）",
        ),
        (
            "0110",
            "--department の所属コード「0110」は令和6年度の org.csv にありません。0110 は令和6年度に 0115（総務人事課）に統合されました。令和6年度の所属コードか所属名に直してください",
        ),
        ("戸籍課", "--department の所属「0220 戸籍課」には令和6年度の回答がないので、フィードバックを作れません"),
    ] {
        let run = report(typed);
        assert_eq!(run.code, 2, "{typed}: a usage error\n{run}");
        assert_eq!(run.errors(), [message], "{typed}\n{run}");
        assert!(!sb.root().join("out").exists(), "{typed}: nothing is written");
    }
    // A name the year has makes its department's packet, as its code would.
    report("市民課").assert_success();
    let packets: Vec<String> = std::fs::read_dir(sb.root().join("out/departments"))
        .expect("departments")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(packets, ["0210_市民課.pdf"]);
}
