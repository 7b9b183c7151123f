//! Free-text questions (DESIGN §8, issue 22 point 1): `[[comments]]` and
//! `[comment_settings]` in survey.toml with their located errors, the old
//! `columns.free_text` read as before with `check`'s note on upgrading,
//! answers that say nothing, `init` and `init --from`, the comments `synth`
//! writes, and the comment column of every file kind.

use ishiki::ingest::Workspace;

use crate::harness::{Sandbox, WS, fixture};

/// The valid fixture's free-text question, at the end of its survey.toml.
const C01: &str =
    "\n[[comments]]\nid = \"C01\"\ntext = \"ご意見・ご要望があれば自由にお書きください\"\nheader = [\"自由記述\"]\n";

/// The line of the valid fixture's survey.toml where an old one has `columns.free_text`.
const FREE_TEXT_PLACE: &str = "# 自由記述の列は設問 C01（このファイルの末尾の [[comments]]）です。\n";

/// Appends `text` to a workspace file; returns the number of the first line appended.
pub fn append(sb: &Sandbox, rel: &str, text: &str) -> usize {
    let before = sb.read(rel);
    let first = before.lines().count() + 1;
    sb.write(rel, format!("{before}{text}"));
    first
}

/// Removes the valid fixture's free-text question.
fn without_comment_question(sb: &Sandbox) {
    sb.edit("survey.toml", C01, "");
}

/// Writes the valid fixture's survey.toml as before `[[comments]]`: its
/// 自由記述 column in `columns.free_text`.
fn as_before_comments(sb: &Sandbox) {
    without_comment_question(sb);
    sb.edit("survey.toml", FREE_TEXT_PLACE, "free_text = [\"自由記述\"]\n");
}

/// Loads a sandbox's workspace, comments included, through the library.
pub fn load(sb: &Sandbox) -> Workspace {
    let (ws, problems) = ishiki::ingest::load(&sb.ws());
    let errors: Vec<String> = problems.errors.iter().map(ToString::to_string).collect();
    ws.unwrap_or_else(|| panic!("the workspace loads: {errors:?}"))
}

#[test]
fn mistakes_in_comment_questions_and_settings_are_located() {
    let sb = Sandbox::valid();
    without_comment_question(&sb);
    let l = append(
        &sb,
        "survey.toml",
        "[[comments]]\nid = \"Q01\"\ntext = \"ご意見\"\nheader = [\"自由記述\", \"所属コード\"]\ncategory = \"nope\"\n\n\
         [[comments]]\nid = \"C02\"\ntext = \" \"\nheader = \"自由記述\"\n\n\
         [comment_settings]\nmin_group_size = 3\nharassment_words = [\"パワハラ\", \"\"]\n\n\
         [comment_settings.themes]\nhealth = [\"睡眠\"]\nunknown = [\"x\"]\n",
    );
    let at = |offset: usize| format!("survey.toml:{}", l + offset);
    sb.check_fails_with(&[
        &format!("{}: 設問ID「Q01」が二度定義されています", at(1)),
        &format!("{}: [[comments]] の設問「Q01」の見出し「所属コード」は所属の列の見出しにもあります。別の見出しにしてください", at(3)),
        &format!("{}: [[comments]] の設問「Q01」のカテゴリ「nope」は [[categories]] にありません（カテゴリID: growth、health）", at(4)),
        &format!("{}: [[comments]] の設問「C02」の text（設問文）が空です", at(7)),
        &format!("{}: [[comments]] の設問「C02」の見出し「自由記述」は自由記述の設問「Q01」の列の見出しにもあります。別の見出しにしてください", at(9)),
        &format!("{}: comment_settings.min_group_size は5以上にしてください（少人数の部では、書いた人が推測されやすいため）", at(12)),
        &format!("{}: comment_settings.harassment_words に空の語があります（空の語はすべての記述に当てはまるため書けません）", at(13)),
        &format!("{}: comment_settings.themes のカテゴリ「unknown」は [[categories]] にありません（カテゴリID: growth、health）", at(17)),
    ]);
    // A misspelt key is an error with its line, as everywhere in survey.toml.
    let sb = Sandbox::valid();
    let l = append(&sb, "survey.toml", "[comment_settings]\nmin_groupsize = 10\n");
    let run = sb.check();
    assert_eq!(run.code, 1, "{run}");
    assert!(run.errors()[0].starts_with(&format!("survey.toml:{}: 不明な項目名「min_groupsize」です", l + 1)), "{run}");
}

#[test]
fn an_old_free_text_column_reads_as_before_with_a_note_on_upgrading() {
    let sb = Sandbox::valid();
    as_before_comments(&sb);
    let run = sb.check();
    run.assert_success();
    let line = sb.read("survey.toml").lines().position(|l| l.starts_with("free_text")).expect("free_text") + 1;
    assert!(
        run.notes().contains(&format!(
            "survey.toml:{line}: columns.free_text は古い書き方です。この列は今までどおり読み飛ばしています。自由記述を人事担当課の確認用の一覧（ishiki comments）で読むには、free_text の行を消して、[[comments]] に id = \"C01\"、text = \"（設問文）\"、header = [\"自由記述\"] のように書いてください"
        ).as_str()),
        "{run}"
    );
    // Read and passed over: no comment, no note of an unused column.
    assert!(load(&sb).comments.staff.is_empty());
    assert!(!run.stderr.contains("使われていない列"), "{run}");
    assert!(!run.stdout.contains("自由記述（"), "{run}");
    // The comments workbook needs a question of [[comments]].
    let out = sb.run(&["comments", WS, "--year", "R6", "--out", "c.xlsx"]);
    assert_eq!(out.code, 1, "{out}");
    assert!(out.stderr.contains("survey.toml に自由記述の設問（[[comments]]）がありません"), "{out}");
    assert!(!sb.root().join("c.xlsx").exists());

    // Both written: the old line is said to be needless.
    append(&sb, "survey.toml", C01);
    let run = sb.check();
    run.assert_success();
    assert!(
        run.notes().contains(&format!(
            "survey.toml:{line}: columns.free_text は古い書き方です。自由記述の設問は [[comments]] にあるので、free_text の行は消してください"
        ).as_str()),
        "{run}"
    );
    assert_eq!(load(&sb).comments.staff.len(), 1);
}

#[test]
fn blank_and_nothing_to_say_are_no_comments() {
    let sb = Sandbox::valid();
    sb.write(
        "responses/2024.csv",
        "年度,所属コード,年代,任用形態,Q01,Q02,Q03,Q04,Q05,自由記述\n\
         R6,0115,30代以下,正規,4,4,4,2,4,特になし\n\
         R6,0115,40代,正規,5,3,4,3,4,\"会議が多い、資料も多い\"\n\
         R6,0115,50代以上,会計年度任用,3,4,3,4,3,なし。\n\
         R6,0210,30代以下,正規,3,3,2,4,3,－\n\
         R6,0210,40代,会計年度任用,4,5,4,2,5,ﾄｸﾆﾅｼ\n\
         R6,0210,50代以上,正規,2,2,3,5,2,\"  \"\n\
         R6,0100,40代,正規,5,4,5,1,4,\"特にありません。\n\"\n\
         R6,0200,,正規,4,,4,3,4,\"１行目\r\n２行目\"\n",
    );
    let ws = load(&sb);
    let texts: Vec<(i32, &str, &str)> =
        ws.comments.staff.iter().map(|c| (c.year.0, c.department.as_str(), c.text.as_str())).collect();
    assert_eq!(
        texts,
        [
            (2023, "0110", "研修を増やしてほしい"),
            (2024, "0115", "会議が多い、資料も多い"),
            (2024, "0200", "１行目\n２行目")
        ]
    );
    // A list in settings takes the defaults' place: 「会議が多い、資料も多い」
    // says nothing now, and 「ﾄｸﾆﾅｼ」 (no longer listed) is a comment.
    let listed = "\n[comment_settings]\nsays_nothing = [\"特になし\", \"なし\", \"特にありません\", \"会議が多い、資料も多い\"]\n";
    append(&sb, "survey.toml", listed);
    let ws = load(&sb);
    let texts: Vec<&str> = ws.comments.staff.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(texts, ["研修を増やしてほしい", "ﾄｸﾆﾅｼ", "１行目\n２行目"]);
    // check counts the comments per year, never quoting them.
    let run = sb.check();
    run.assert_success();
    assert!(
        run.stdout.ends_with("自由記述（「特になし」などを除いた記述の数）:\n  C01: 令和5年度 1件、令和6年度 2件\n"),
        "{run}"
    );
    assert!(!run.stdout.contains("研修を増やしてほしい") && !run.stderr.contains("研修を増やしてほしい"), "{run}");
}

#[test]
fn init_writes_the_comment_question_and_init_from_turns_free_text_into_one() {
    let sb = Sandbox::empty();
    sb.run(&["init", WS]).assert_success();
    let survey = ishiki::config::survey::Survey::from_toml("survey.toml", &sb.read("survey.toml")).expect("valid");
    let c01 = &survey.comments[0];
    assert_eq!(
        (c01.id.as_str(), c01.text.as_str()),
        ("C01", "職場環境や人財育成について、ご意見・ご要望があれば自由にお書きください")
    );
    assert!(survey.free_text.is_empty() && survey.free_text_place.is_none());
    let harassment = survey.harassment.as_ref().expect("harassment");
    assert_eq!(harassment.comments.iter().map(|q| q.id.as_str()).collect::<Vec<_>>(), ["HC01"]);
    assert_eq!(survey.comment_settings.min_group_size, 10);

    // An export with a free-text column: a question of [[comments]] in the
    // draft, which reads the column's comments once org.csv is completed.
    let sb = Sandbox::empty();
    let export = fixture("form_exports/google/2025.csv");
    let run = sb.run(&["init", WS, "--from", export.to_str().expect("utf-8")]);
    run.assert_success();
    assert!(
        run.stdout.contains("  自由記述の設問（[[comments]]。ishiki comments で人事担当課の確認用の一覧を作れます。ほかの出力には載りません）: 自由記述\n"),
        "{run}"
    );
    let text = sb.read("survey.toml");
    assert!(!text.contains("free_text"), "{text}");
    assert!(text.contains("[[comments]]\nid = \"C01\"\ntext = \"自由記述\"\nheader = [\"自由記述\"]\n"), "{text}");
    sb.copy_fixture("form_exports/org.csv", "org.csv");
    sb.copy_fixture("form_exports/google/2025.csv", "responses/2025.csv");
    let ws = load(&sb);
    assert_eq!(ws.survey.comments[0].header, ["自由記述"]);
    let raw = sb.read("responses/2025.csv");
    assert_eq!(ws.comments.staff.len(), 3);
    assert!(ws.comments.staff.iter().all(|c| raw.contains(c.text.as_str())));
}

/// The four file kinds synth writes, a year each: plain .xlsx (R4), CP932 CSV (R5), .xlsx of labels (R6), UTF-8 CSV (R7).
const SYNTH: [&str; 8] = ["--respondents", "300", "--departments", "12", "--years", "2022..2025", "--seed", "4"];

#[test]
fn synth_writes_comments_for_about_a_third_with_every_planted_kind_in_every_file_kind() {
    let sb = Sandbox::empty();
    let mut args = vec!["synth", WS];
    args.extend(SYNTH);
    sb.run(&args).assert_success();
    let ws = load(&sb);
    let texts: Vec<&str> = ws.comments.staff.iter().map(|c| c.text.as_str()).collect();
    for f in &ws.responses.files {
        for (year, respondents) in &f.rows {
            let comments = ws.comments.staff.iter().filter(|c| c.year == *year).count();
            let share = comments as f64 / *respondents as f64;
            assert!((0.24..=0.36).contains(&share), "{} ({}): {comments} of {respondents}", f.file, f.format);
        }
    }
    let names: Vec<String> = ws.org.years.values().flat_map(|o| o.departments.iter().map(|d| d.name.clone())).collect();
    let planted = |what: &str, found: &dyn Fn(&str) -> bool| {
        assert!(texts.iter().any(|t| found(t)), "no comment with {what}");
    };
    planted("さん", &|t| t.contains("さん"));
    planted("a surname and title", &|t| {
        ["佐藤", "鈴木", "田中", "高橋"]
            .iter()
            .any(|s| t.contains(&format!("{s}課長")) || t.contains(&format!("{s}係長")))
    });
    planted("a department with 課", &|t| names.iter().any(|n| n.ends_with('課') && t.contains(n.as_str())));
    planted("a department without 課", &|t| {
        names
            .iter()
            .filter_map(|n| n.strip_suffix('課'))
            .any(|stem| t.contains(stem) && !t.contains(&format!("{stem}課")))
    });
    planted("a phone", &|t| t.contains("0229-") || t.contains("内線"));
    planted("a mail", &|t| t.contains("@city.example.lg.jp"));
    planted("harassment", &|t| t.contains("パワハラ") || t.contains("怒鳴"));
    planted("leaving", &|t| t.contains("辞めたい") || t.contains("転職") || t.contains("退職"));
    // 「特になし」 was written (in the files) and is no comment.
    assert!(
        String::from_utf8_lossy(&std::fs::read(sb.path("responses/2025.csv")).expect("2025.csv")).contains("特になし")
    );
    assert!(texts.iter().all(|t| !["特になし", "なし", "-"].contains(t)));
    // The harassment survey's respondents comment too.
    assert!(ws.comments.harassment.len() > 20, "{}", ws.comments.harassment.len());
}

/// The same eight respondents' 自由記述 as CP932 CSV, UTF-8 CSV, .xlsx and .xls
/// (tests/fixtures/formats): the same comments from each.
#[test]
fn every_file_kind_gives_the_same_comments() {
    let mut seen: Vec<Vec<(String, String)>> = Vec::new();
    for file in ["R6_labels_cp932.csv", "R6_numbers_utf8.csv", "R6.xlsx", "R6.xls"] {
        let sb = Sandbox::valid();
        sb.remove("responses/2023.csv");
        sb.remove("responses/2024.csv");
        sb.copy_fixture(&format!("formats/{file}"), &format!("responses/{file}"));
        let ws = load(&sb);
        seen.push(ws.comments.staff.iter().map(|c| (c.department.clone(), c.text.clone())).collect());
    }
    assert!(!seen[0].is_empty());
    assert!(seen.iter().all(|s| *s == seen[0]), "{seen:?}");
}
