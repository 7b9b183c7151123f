//! `ishiki check`: a clean workspace gets its summary; each bad input of
//! issue 2 point 4 is reported with its exact place and message, exit 1, and
//! nothing written. Each bad workspace is the valid fixture with one change.
//!
//! Row numbers are as Excel shows them (header row = 1). The valid fixture's
//! `responses/2024.csv` has its header in row 1 and eight respondents in rows
//! 2–9; `responses/2023.csv` has seven in rows 2–8; `org.csv` has 令和5年度 in
//! rows 2–6 and 令和6年度 in rows 7–10.

use crate::harness::Sandbox;

/// The note printed when survey.toml or org.csv keeps the answers from being read.
const NOT_YET_CHECKED: &str = "responses/: survey.toml か org.csv に問題があるため、回答ファイルはまだ確かめていません";

#[test]
fn clean_workspace_prints_a_japanese_summary() {
    let sb = Sandbox::valid();
    let before = sb.snapshot();
    let run = sb.check();
    run.assert_success();
    assert_eq!(
        run.stdout,
        "問題は見つかりませんでした。

読み込んだファイル:
  responses/2023.csv（CSV UTF-8）: 7人
  responses/2024.csv（CSV UTF-8）: 8人

年度ごとの回答状況:
  令和5年度（2023年度）: 回答者 7人 / 職員 21人（回答率 33.3%）、所属 5（回答あり 4）
  令和6年度（2024年度）: 回答者 8人 / 職員 20人（回答率 40.0%）、所属 4（回答あり 4）

自由記述（「特になし」などを除いた記述の数）:
  C01: 令和5年度 1件
"
    );
    assert_eq!(run.stderr, "", "a clean workspace has no errors and no notes");
    assert_eq!(sb.snapshot(), before, "check must not write anything");
}

// ── responses/: departments ─────────────────────────────────────────────────

#[test]
fn department_code_unknown_in_that_year() {
    let sb = Sandbox::valid();
    // 0110 is a department of 令和5年度 only: it merged into 0115 in 令和6年度.
    sb.edit("responses/2024.csv", "R6,0100,40代", "R6,0110,40代");
    sb.check_fails_with(&[
        "responses/2024.csv:8 列「所属コード」: 所属コード「0110」は令和6年度の org.csv にありません。0110 は令和6年度に 0115（総務人事課）に統合されました。令和6年度の所属コードか所属名に直してください",
    ]);
}

#[test]
fn department_code_unknown_in_an_xls_sheet() {
    let sb = Sandbox::valid();
    sb.remove("responses/2024.csv");
    sb.copy_fixture("bad/R6_unknown_code.xls", "responses/R6_unknown_code.xls");
    sb.check_fails_with(&[
        "responses/R6_unknown_code.xls シート「Sheet1」セルA4 列「所属コード」: 所属コード「0110」は令和6年度の org.csv にありません。0110 は令和6年度に 0115（総務人事課）に統合されました。令和6年度の所属コードか所属名に直してください",
    ]);
}

#[test]
fn responses_of_a_year_that_org_csv_does_not_have() {
    let sb = Sandbox::valid();
    sb.rename("responses/2024.csv", "responses/R7.csv");
    sb.edit_csv("responses/R7.csv", |rows| {
        for row in rows.iter_mut().skip(1) {
            row[0] = "令和7年度".into();
        }
    });
    sb.check_fails_with(&["responses/R7.csv: 令和7年度の回答がありますが、org.csv に令和7年度の所属がありません"]);
}

#[test]
fn some_rows_of_a_year_that_org_csv_does_not_have_point_to_the_first() {
    let sb = Sandbox::valid();
    sb.edit_csv("responses/2024.csv", |rows| {
        rows[3][0] = "R9".into();
        rows[5][0] = "令和9年度".into();
    });
    sb.check_fails_with(&[
        "responses/2024.csv:4 列「年度」: 令和9年度の回答が2行ありますが、org.csv に令和9年度の所属がありません（この行が最初です）",
    ]);
}

#[test]
fn problems_of_a_file_are_listed_row_by_row() {
    let sb = Sandbox::valid();
    // Found in three passes (department codes, then answers column by
    // column), listed in the order a user goes through the file.
    sb.edit_csv("responses/2024.csv", |rows| {
        rows[1][5] = "8".into();
        rows[2][1] = "9999".into();
        rows[3][4] = "たぶん".into();
        rows[4][4] = "0".into();
        rows[4][1] = "8888".into();
    });
    sb.check_fails_with(&[
        "responses/2024.csv:2 列「Q02」: 値「8」は1～5の範囲外です",
        "responses/2024.csv:3 列「所属コード」: 所属コード「9999」は令和6年度の org.csv にありません",
        "responses/2024.csv:4 列「Q01」: 値「たぶん」は回答として読めません（1～5の数字か「そう思う」～「そう思わない」の文言にしてください）",
        "responses/2024.csv:5 列「所属コード」: 所属コード「8888」は令和6年度の org.csv にありません",
        "responses/2024.csv:5 列「Q01」: 値「0」は1～5の範囲外です",
    ]);
}

// ── responses/: answers ─────────────────────────────────────────────────────

#[test]
fn value_outside_the_scale() {
    let sb = Sandbox::valid();
    sb.edit("responses/2024.csv", "R6,0115,40代,正規,5,3,", "R6,0115,40代,正規,5,6,");
    sb.edit("responses/2024.csv", "R6,0210,50代以上,正規,2,2,3,5,2,", "R6,0210,50代以上,正規,2,2,3,5,0,");
    sb.check_fails_with(&[
        "responses/2024.csv:3 列「Q02」: 値「6」は1～5の範囲外です",
        "responses/2024.csv:7 列「Q05」: 値「0」は1～5の範囲外です",
    ]);
}

#[test]
fn value_outside_the_scale_in_every_written_form() {
    let sb = Sandbox::valid();
    // Not whole, too large for a small integer, full-width: each read as written.
    sb.edit("responses/2023.csv", "0110,30代以下,正規,4,", "0110,30代以下,正規,2.5,");
    sb.edit("responses/2023.csv", "0120,50代以上,会計年度任用,3,", "0120,50代以上,会計年度任用,200,");
    sb.edit("responses/2023.csv", "0200,50代以上,正規,5,", "0200,50代以上,正規,６,");
    sb.check_fails_with(&[
        "responses/2023.csv:2 列「Q01」: 値「2.5」は整数ではありません（回答は1～5の整数です）",
        "responses/2023.csv:4 列「Q01」: 値「200」は1～5の範囲外です",
        "responses/2023.csv:8 列「Q01」: 値「６」は1～5の範囲外です",
    ]);
}

#[test]
fn row_numbers_are_the_rows_excel_shows() {
    let sb = Sandbox::valid();
    // A blank line is an empty row in Excel; a free text with a line break is
    // one row in Excel though two lines in a text editor. The bad 9 is on the
    // 7th record, in Excel row 9, and line 10 of the file.
    sb.edit(
        "responses/2024.csv",
        "R6,0115,40代,正規,5,3,4,3,4,\n",
        "R6,0115,40代,正規,5,3,4,3,4,\"一行目\n二行目\"\n\n",
    );
    sb.edit("responses/2024.csv", "R6,0100,40代,正規,5,", "R6,0100,40代,正規,9,");
    assert_eq!(sb.read("responses/2024.csv").lines().nth(9), Some("R6,0100,40代,正規,9,4,5,1,4,"));
    sb.check_fails_with(&["responses/2024.csv:9 列「Q01」: 値「9」は1～5の範囲外です"]);
}

#[test]
fn unknown_label() {
    let sb = Sandbox::valid();
    sb.edit("responses/2024.csv", "R6,0210,30代以下,正規,3,3,2,", "R6,0210,30代以下,正規,3,3,とても思う,");
    sb.check_fails_with(&[
        "responses/2024.csv:5 列「Q03」: 値「とても思う」は回答として読めません（1～5の数字か「そう思う」～「そう思わない」の文言にしてください）。書き出しの選択肢の文言が違うときは、survey.toml の [scale.labels] をその文言にしてください（年度によって違うときは [[scale.year_labels]]）",
    ]);
}

#[test]
fn unknown_demographic_value() {
    let sb = Sandbox::valid();
    sb.edit("responses/2024.csv", "R6,0115,50代以上,", "R6,0115,60代,");
    sb.check_fails_with(&[
        "responses/2024.csv:4 列「年代」: 値「60代」は年代の選択肢（30代以下・40代・50代以上）にありません",
    ]);
}

#[test]
fn bad_cells_of_a_sheet_are_named_as_excel_names_them() {
    // The sheet has a title row: the header is row 3, so respondent 5 is row 8.
    let sb = Sandbox::valid();
    sb.remove("responses/2024.csv");
    sb.copy_fixture("bad/R6_bad_cells.xlsx", "responses/R6_bad_cells.xlsx");
    sb.check_fails_with(&[
        "responses/R6_bad_cells.xlsx シート「回答」セルG8 列「Q02. 業務に必要な知識やスキルが身についてきている」: 値「6」は1～5の範囲外です",
        "responses/R6_bad_cells.xlsx シート「回答」セルJ11 列「Q05. 心身ともに健康に働けている」: 値「とても思う」は回答として読めません（1～5の数字か「そう思う」～「そう思わない」の文言にしてください）。書き出しの選択肢の文言が違うときは、survey.toml の [scale.labels] をその文言にしてください（年度によって違うときは [[scale.year_labels]]）",
    ]);
}

#[test]
fn each_bad_value_is_said_once_with_its_count() {
    let sb = Sandbox::valid();
    let mut text = sb.read("responses/2024.csv");
    for _ in 0..25 {
        text.push_str("R6,0115,40代,正規,9,4,4,2,4,\n");
    }
    // A third column holds the same value, and another value once.
    text.push_str("R6,0115,40代,正規,4,4,9,2,4,\n");
    text.push_str("R6,0115,40代,正規,8,4,4,2,4,\n");
    sb.write("responses/2024.csv", text);
    // Each distinct value once, with its count and its first cell: not one line per cell.
    sb.check_fails_with(&[
        "responses/2024.csv:10 列「Q01」: 値「9」は1～5の範囲外です。同じ値がこのファイルに26か所あります（ここが最初です）",
        "responses/2024.csv:36 列「Q01」: 値「8」は1～5の範囲外です",
    ]);
}

// ── responses/: columns ─────────────────────────────────────────────────────

#[test]
fn required_column_missing() {
    let sb = Sandbox::valid();
    // 2023.csv loses 所属コード (column A) and 任用形態 (C); 2024.csv loses Q03 (G).
    sb.edit_csv("responses/2023.csv", |rows| {
        for row in rows.iter_mut() {
            row.remove(2);
            row.remove(0);
        }
    });
    sb.edit_csv("responses/2024.csv", |rows| {
        for row in rows.iter_mut() {
            row.remove(6);
        }
    });
    sb.check_fails_with(&[
        "responses/2023.csv:1: 必須の列「所属コード」がありません",
        "responses/2023.csv:1: 必須の列「任用形態」がありません",
        "responses/2024.csv:1: 必須の列「Q03」（設問IDか設問文を含む見出し）がありません",
    ]);
}

#[test]
fn header_that_appears_twice() {
    let sb = Sandbox::valid();
    // A second Q02 column (K) after 自由記述.
    sb.edit_csv("responses/2024.csv", |rows| {
        for row in rows.iter_mut() {
            let q02 = row[5].clone();
            row.push(q02);
        }
    });
    sb.check_fails_with(&["responses/2024.csv:1 列「Q02」: 見出し「Q02」が二度あります（F列「Q02」と同じ見出しです）"]);
}

#[test]
fn two_headers_that_both_match_one_item() {
    let sb = Sandbox::valid();
    // The item's id and its question text, each heading a column.
    sb.edit_csv("responses/2024.csv", |rows| {
        for (i, row) in rows.iter_mut().enumerate() {
            let cell = if i == 0 {
                "業務に必要な知識やスキルが身についてきている".to_string()
            } else {
                row[5].clone()
            };
            row.push(cell);
        }
    });
    sb.check_fails_with(&[
        "responses/2024.csv:1 列「業務に必要な知識やスキルが身についてきている」: 設問「Q02」の列に当たる列が二つあります（F列「Q02」と、この列「業務に必要な知識やスキルが身についてきている」）",
    ]);
}

#[test]
fn org_csv_header_that_appears_twice() {
    let sb = Sandbox::valid();
    sb.edit("org.csv", "headcount,previous_codes\n", "headcount,previous_codes,name\n");
    let run = sb.check_fails_with(&["org.csv:1 列「name」: 見出し「name」が二度あります"]);
    assert_eq!(run.notes(), [NOT_YET_CHECKED]);
}

// ── responses/: years and files ─────────────────────────────────────────────

#[test]
fn year_that_cannot_be_told() {
    let sb = Sandbox::valid();
    // 2023.csv has no year column; without a year in its name nothing tells its year.
    sb.rename("responses/2023.csv", "responses/回答データ.csv");
    sb.check_fails_with(&[
        "responses/回答データ.csv: 年度がわかりません（年度の列がなく、ファイル名にも 2024・R6・令和6年度 のような年度がありません）",
    ]);
}

#[test]
fn unreadable_year_in_the_year_column() {
    let sb = Sandbox::valid();
    sb.edit("responses/2024.csv", "R6,0115,50代以上", "令和,0115,50代以上");
    sb.check_fails_with(&[
        "responses/2024.csv:4 列「年度」: 年度「令和」が読めません（2024、R6、令和6年度 のように書いてください）",
    ]);
}

#[test]
fn blank_year_is_taken_from_the_file_name_only_when_it_has_one() {
    let sb = Sandbox::valid();
    sb.edit("responses/2024.csv", "R6,0115,50代以上", ",0115,50代以上");
    sb.check().assert_success();

    sb.rename("responses/2024.csv", "responses/回答.csv");
    sb.check_fails_with(&["responses/回答.csv:4 列「年度」: 年度が空欄で、ファイル名にも年度がありません"]);

    // A name with two years has years: the message names both instead.
    sb.rename("responses/回答.csv", "responses/R5_R6_回答.csv");
    sb.check_fails_with(&[
        "responses/R5_R6_回答.csv:4 列「年度」: 年度が空欄で、ファイル名からも年度がわかりません（ファイル名に年度が2つあります: 「R5」（令和5年度）と「R6」（令和6年度）。ファイル名に年度を一つだけ書いてください）",
    ]);
}

#[test]
fn a_year_column_that_contradicts_the_file_name_is_noted() {
    let sb = Sandbox::valid();
    sb.rename("responses/2024.csv", "responses/R7_職員意識調査.csv");
    let run = sb.check();
    run.assert_success();
    assert!(
        run.notes().contains(
            &"responses/R7_職員意識調査.csv:1 列「年度」: 年度の列は令和6年度ですが、ファイル名の年度は令和7年度です。年度の列のとおりに読みました"
        ),
        "{run}"
    );
}

#[test]
fn invisible_characters_in_a_cell_are_named() {
    let sb = Sandbox::valid();
    // A BOM before a code (two exports pasted together) and a NUL in another.
    let text = sb.read("responses/2024.csv");
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines[1] = lines[1].replacen("R6,0115,", "R6,\u{FEFF}0115,", 1);
    lines[2] = lines[2].replacen("R6,0115,", "R6,01\u{0}15,", 1);
    sb.write("responses/2024.csv", lines.join("\n") + "\n");
    let run = sb.check();
    assert_eq!(run.code, 1, "{run}");
    assert!(run.stderr.contains("「<BOM>0115」"), "{run}");
    assert!(run.stderr.contains("「01<NUL>15」"), "{run}");
    assert!(!run.stderr.contains('\u{FEFF}') && !run.stderr.contains('\0'), "{run}");
}

#[test]
fn two_files_for_one_year() {
    let sb = Sandbox::valid();
    let text = sb.read("responses/2024.csv");
    sb.write("responses/R6_追加.csv", text);
    sb.check_fails_with(&[
        "responses/R6_追加.csv:2 列「年度」: 令和6年度の回答が responses/2024.csv:2 にもあります（一つの年度は一つのファイルにしてください）",
    ]);
}

#[test]
fn rows_of_one_year_inside_another_years_file_are_located() {
    let sb = Sandbox::valid();
    // An R5 row pasted at the end of the R6 export (line 10).
    let mut r6 = sb.read("responses/2024.csv");
    let pasted = r6.lines().nth(1).expect("a row").replacen("R6,0115,", "R5,0110,", 1);
    r6.push_str(&pasted);
    r6.push('\n');
    sb.write("responses/2024.csv", r6);
    sb.check_fails_with(&[
        "responses/2024.csv:10 列「年度」: 令和5年度の回答が responses/2023.csv にもあります（一つの年度は一つのファイルにしてください）",
    ]);
}

#[test]
fn no_responses_folder() {
    let sb = Sandbox::valid();
    std::fs::remove_dir_all(sb.path("responses")).expect("remove responses/");
    sb.check_fails_with(&[
        "responses/: フォルダがありません（職員意識調査の回答ファイルを置く responses フォルダを作ってください）",
    ]);
}

// ── org.csv ─────────────────────────────────────────────────────────────────

#[test]
fn org_unknown_parent() {
    let sb = Sandbox::valid();
    sb.edit("org.csv", "2024,0210,市民課,0200,", "2024,0210,市民課,0300,");
    let run = sb.check_fails_with(&["org.csv:10 列「parent」: 親の所属コード「0300」は令和6年度の所属にありません"]);
    assert_eq!(run.notes(), [NOT_YET_CHECKED]);
}

#[test]
fn org_cycle() {
    let sb = Sandbox::valid();
    // 総務部 0100 under its own 総務課 0110.
    sb.edit("org.csv", "2023,0100,総務部,,", "2023,0100,総務部,0110,");
    let run = sb.check_fails_with(&[
        "org.csv:2 列「parent」: 所属「0100」の親をたどると自分に戻ります（親子関係が循環しています）",
        "org.csv:3 列「parent」: 所属「0110」の親をたどると自分に戻ります（親子関係が循環しています）",
    ]);
    assert_eq!(run.notes(), [NOT_YET_CHECKED]);
}

#[test]
fn org_code_twice_in_one_year() {
    let sb = Sandbox::valid();
    let text = sb.read("org.csv") + "2024,0210,市民課分室,0200,2,\n";
    sb.write("org.csv", text);
    let run = sb.check_fails_with(&[
        "org.csv:11 列「code」: 所属コード「0210」が令和6年度に二度あります（10行目にもあります）",
    ]);
    assert_eq!(run.notes(), [NOT_YET_CHECKED]);
}

#[test]
fn org_previous_codes_naming_no_department_of_the_year_before() {
    let sb = Sandbox::valid();
    sb.edit("org.csv", "0110;0120", "0110;0130");
    let run = sb.check_fails_with(&[
        "org.csv:8 列「previous_codes」: previous_codes の「0130」は前年度（令和5年度）の所属にありません",
    ]);
    assert_eq!(run.notes(), [NOT_YET_CHECKED]);
}

// ── empty and unreadable files ──────────────────────────────────────────────

#[test]
fn empty_response_files() {
    let sb = Sandbox::valid();
    sb.write("responses/2024.csv", "");
    let header = sb.read("responses/2023.csv").lines().next().expect("header").to_string() + "\n";
    sb.write("responses/2023.csv", header);
    sb.check_fails_with(&[
        "responses/2023.csv: 回答の行が一行もありません（見出し行だけです）",
        "responses/2024.csv: ファイルが空です",
    ]);
}

#[test]
fn empty_excel_file() {
    let sb = Sandbox::valid();
    sb.remove("responses/2024.csv");
    sb.write("responses/R6.xlsx", "");
    sb.check_fails_with(&["responses/R6.xlsx: ファイルが空です"]);
}

#[test]
fn empty_org_csv() {
    let sb = Sandbox::valid();
    sb.write("org.csv", "");
    let run = sb.check_fails_with(&[
        "org.csv: ファイルが空です（見出し行 year,code,name,parent,headcount,previous_codes が必要です）",
    ]);
    assert_eq!(run.notes(), [NOT_YET_CHECKED]);
}

#[test]
fn empty_survey_and_plan_toml() {
    let sb = Sandbox::valid();
    sb.write("survey.toml", "");
    sb.write("plan.toml", "\n");
    sb.check_fails_with(&[
        "survey.toml: ファイルが空です（ishiki init で既定の内容の雛形を作れます）",
        "plan.toml: ファイルが空です（ishiki init で既定の内容の雛形を作れます）",
    ]);
}

#[test]
fn corrupt_excel_file() {
    let sb = Sandbox::valid();
    sb.remove("responses/2024.csv");
    sb.copy_fixture("bad/R6_corrupt.xlsx", "responses/R6_corrupt.xlsx");
    sb.check_fails_with(&[
        "responses/R6_corrupt.xlsx: Excelファイルとして読めません。ファイルが壊れている可能性があります。Excelで開けるか確かめ、保存し直してください（詳細: Zip error: invalid Zip archive: Could not find EOCD）",
    ]);
}

#[test]
fn password_protected_excel_file() {
    let sb = Sandbox::valid();
    sb.remove("responses/2024.csv");
    sb.copy_fixture("bad/R6_password.xlsx", "responses/R6_password.xlsx");
    sb.check_fails_with(&[
        "responses/R6_password.xlsx: パスワードで保護されているため読めません。保護を解除して保存し直してください",
    ]);
}

#[test]
fn excel_file_that_is_not_excel() {
    let sb = Sandbox::valid();
    sb.remove("responses/2024.csv");
    // Neither a workbook, nor text, nor a web page (HTML and TSV: `html_and_tsv_saved_as_xls`).
    sb.write("responses/R6.xls", [0u8, 159, 146, 150, 7, 255, 1, 2, 3]);
    sb.check_fails_with(&[
        "responses/R6.xls: Excelファイルとして読めません（ファイルが壊れているか、Excel形式ではありません）",
    ]);
}

#[test]
fn bytes_that_are_neither_utf8_nor_cp932() {
    let sb = Sandbox::valid();
    // A UTF-8 file with a stray 0xFF in row 5.
    let mut bytes = sb.read("responses/2024.csv").into_bytes();
    let at = nth_line_start(&bytes, 5) + "R6,0210,".len();
    bytes[at] = 0xFF;
    sb.write("responses/2024.csv", &bytes);
    sb.check_fails_with(&[&format!(
        "responses/2024.csv: 5行目（先頭から{}バイト目）に UTF-8 としても Shift_JIS（CP932）としても読めない文字があります。UTF-8 か Shift_JIS で保存し直してください",
        at + 1
    )]);
}

#[test]
fn bytes_that_are_neither_in_a_cp932_file() {
    let sb = Sandbox::valid();
    sb.remove("responses/2024.csv");
    // A CP932 file with a stray 0xFF in row 6: the place is where CP932 reading stops.
    let mut bytes = std::fs::read(crate::harness::fixture("formats/R6_labels_cp932.csv")).expect("fixture");
    let at = nth_line_start(&bytes, 6) + 2;
    bytes[at] = 0xFF;
    sb.write("responses/R6.csv", &bytes);
    sb.check_fails_with(&[&format!(
        "responses/R6.csv: 6行目（先頭から{}バイト目）に UTF-8 としても Shift_JIS（CP932）としても読めない文字があります。UTF-8 か Shift_JIS で保存し直してください",
        at + 1
    )]);
}

/// Returns the byte offset where 1-based line `n` starts.
fn nth_line_start(bytes: &[u8], n: usize) -> usize {
    if n == 1 {
        return 0;
    }
    bytes.iter().enumerate().filter(|(_, b)| **b == b'\n').nth(n - 2).map(|(i, _)| i + 1).expect("line exists")
}

// ── survey.toml and plan.toml ───────────────────────────────────────────────

#[test]
fn survey_toml_that_does_not_parse() {
    let sb = Sandbox::valid();
    sb.edit("survey.toml", "min_group_size = 2", "min_group_size = 二");
    let run = sb.check_fails_with(&["survey.toml:3: 文字列は \"…\" で囲んでください"]);
    assert_eq!(run.notes(), [NOT_YET_CHECKED]);
}

#[test]
fn survey_toml_with_a_misspelt_key() {
    let sb = Sandbox::valid();
    sb.edit("survey.toml", "reverse = true", "revers = true");
    sb.check_fails_with(&[
        "survey.toml:55: 不明な項目名「revers」です（使える項目名: id、text、reverse、label、header）",
    ]);
}

#[test]
fn survey_toml_with_a_value_of_the_wrong_kind() {
    let sb = Sandbox::valid();
    sb.edit("survey.toml", "min_group_size = 2", "min_group_size = \"5\"");
    sb.check_fails_with(&["survey.toml:3: 値の種類が違います（整数を書くところに文字列「5」があります）"]);
}

#[test]
fn survey_toml_item_in_two_categories() {
    let sb = Sandbox::valid();
    sb.edit("survey.toml", "items = [\"Q04\", \"Q05\"]", "items = [\"Q03\", \"Q04\", \"Q05\"]");
    let run = sb.check_fails_with(&["survey.toml:38: 設問「Q03」がカテゴリ「growth」と「health」の両方に入っています"]);
    assert_eq!(run.notes(), [NOT_YET_CHECKED]);
}

#[test]
fn survey_toml_category_without_items() {
    let sb = Sandbox::valid();
    sb.edit("survey.toml", "items = [\"Q04\", \"Q05\"]", "items = []");
    sb.check_fails_with(&[
        "survey.toml:36: カテゴリ「health」に設問がありません",
        "survey.toml:53: 設問「Q04」はどのカテゴリにも入っていません",
        "survey.toml:59: 設問「Q05」はどのカテゴリにも入っていません",
    ]);
}

#[test]
fn plan_toml_that_does_not_parse() {
    let sb = Sandbox::valid();
    sb.edit("plan.toml", "target = 57", "target = \"57点\"");
    sb.check_fails_with(&["plan.toml:26: 値の種類が違います（数値を書くところに文字列「57点」があります）"]);
}

#[test]
fn plan_toml_targets_that_are_not_numbers_or_not_scores() {
    // TOML reads nan and inf as numbers; they once gave 「遅れ」 against no target.
    let sb = Sandbox::valid();
    sb.edit("plan.toml", "target = 57", "target = nan");
    sb.edit("plan.toml", "baseline = 11.1", "baseline = inf");
    sb.edit(
        "plan.toml",
        "target = 65\n\n[[survey_targets]]\nid = \"health\"",
        "target = 150\n\n[[survey_targets]]\nid = \"health\"",
    );
    sb.check_fails_with(&[
        "plan.toml:7: 「growth」の target（150）は点数（0〜100）の範囲にありません",
        "plan.toml:18: 「health」の target（NaN）は数値として使えません。数字で書いてください",
        "plan.toml:37: 「annual_leave_days」の baseline（inf）は数値として使えません。数字で書いてください",
    ]);
}

#[test]
fn plan_toml_inconsistent_with_the_survey() {
    let sb = Sandbox::valid();
    sb.edit("plan.toml", "id = \"health\"", "id = \"helth\"");
    sb.edit("plan.toml", "categories = [\"health\"]", "categories = [\"helth\"]");
    sb.check_fails_with(&[
        "plan.toml:18: survey_targets の「helth」は survey.toml のカテゴリIDでも overall でもありません",
        "plan.toml:59: 施策「Ⅲ-3 (1)」のカテゴリ「helth」は survey.toml にありません",
    ]);
}

#[test]
fn indicators_csv_with_an_unknown_indicator() {
    let sb = Sandbox::valid();
    sb.edit("indicators.csv", "R6,annual_leave_days", "R6,leave_days");
    sb.check_fails_with(&[
        "indicators.csv:3 列「indicator」: 指標「leave_days」は plan.toml の indicators にありません（あるID: annual_leave_days）",
    ]);
}

#[test]
fn plan_toml_baselines_far_from_the_data_are_noted() {
    // 令和5年度 (the valid fixture's responses/2023.csv), worked out by hand from
    // DESIGN §4: 自己成長 1450/21 = 69.05, 健康 62.50, 総合 65.77.
    let sb = Sandbox::valid();
    // 総合 with a baseline 0.6 below its 令和5年度 score: noted.
    sb.edit(
        "plan.toml",
        "unit = \"点\"\ntarget = 65",
        "unit = \"点\"\nbaseline_year = \"R5\"\nbaseline = 65.17\ntarget = 65",
    );
    // 健康 with a baseline 0.4 above: within half a point, not noted.
    sb.edit("plan.toml", "baseline_year = \"R4\"\nbaseline = 54", "baseline_year = \"R5\"\nbaseline = 62.9");
    sb.edit("plan.toml", "target_year = \"R7\"\ntarget = 57", "target_year = \"R7\"\ntarget = 70");
    // 自己成長 keeps its baseline of 59 in 令和4年度, which has no responses here: not compared.
    let run = sb.check();
    run.assert_success();
    assert_eq!(
        run.notes(),
        [
            "plan.toml: 職員意識調査の総合点（overall）の基準値 65.17（令和5年度）が、その年度の回答から計算した全体の点数 65.77 と0.5点を超えて違います（計画と回答データが食い違っていると、目標値に近い判定は当てになりません。基準値か回答ファイルを確かめてください）"
        ],
        "{run}"
    );
    assert!(run.stdout.starts_with("問題は見つかりませんでした。"), "{run}");
    // 65.28 is 0.49 below 65.77: within half a point, not noted.
    sb.edit("plan.toml", "baseline = 65.17", "baseline = 65.28");
    let run = sb.check();
    run.assert_success();
    assert_eq!(run.notes(), Vec::<&str>::new(), "{run}");
}

// ── everything at once ──────────────────────────────────────────────────────

#[test]
fn every_problem_of_every_file_in_one_run() {
    let sb = Sandbox::valid();
    sb.edit("plan.toml", "categories = [\"growth\"]", "categories = [\"grow\"]");
    sb.edit("indicators.csv", "R6,annual_leave_days,12.8", "R6,annual_leave_days,不明");
    sb.edit("responses/2023.csv", "0120,40代,正規,4,5,", "0120,40代,正規,4,7,");
    sb.edit("responses/2024.csv", "R6,0100,40代", "R6,0999,40代");
    sb.edit("responses/2024.csv", "R6,0210,40代,会計年度任用,4,5,4,2,5,", "R6,0210,40代,会計年度任用,4,5,4,2,すごく,");
    sb.copy_fixture("bad/R6_password.xlsx", "responses/R6_password.xlsx");
    sb.write("responses/メモ.docx", "集計は6月");
    let run = sb.check_fails_with(&[
        "plan.toml:52: 施策「Ⅱ-1 (1)」のカテゴリ「grow」は survey.toml にありません",
        "indicators.csv:3 列「value」: 値「不明」は数値として読めません",
        "responses/2023.csv:5 列「Q02」: 値「7」は1～5の範囲外です",
        "responses/2024.csv:6 列「Q05」: 値「すごく」は回答として読めません（1～5の数字か「そう思う」～「そう思わない」の文言にしてください）",
        "responses/2024.csv:8 列「所属コード」: 所属コード「0999」は令和6年度の org.csv にありません",
        "responses/R6_password.xlsx: パスワードで保護されているため読めません。保護を解除して保存し直してください",
    ]);
    assert_eq!(
        run.notes(),
        [
            "indicators.csv: plan.toml に問題があるため、指標IDが plan.toml にあるかはまだ確かめていません",
            "responses/メモ.docx: 回答ファイルの形式（.csv .tsv .txt .xlsx .xlsm .xls）ではないため読み飛ばしました",
        ]
    );
}

/// Rows pasted twice: more respondents than staff is said, not passed over.
#[test]
fn more_respondents_than_staff_is_noted() {
    let sb = Sandbox::valid();
    let text = sb.read("responses/2024.csv");
    let body: String = text.lines().skip(1).map(|l| format!("{l}\n")).collect();
    sb.write("responses/2024.csv", format!("{text}{body}{body}"));
    let run = sb.check();
    run.assert_success();
    assert!(
        run.notes().iter().any(|n| n.starts_with(
            "responses/2024.csv: 令和6年度の回答者24人が org.csv の職員数20人より多くなっています（回答率120%）"
        )),
        "{run}"
    );
}

/// A department's headcount typed wrong: its response rate would print over
/// 100 %. Named once, at the lowest department (not again at its 部).
#[test]
fn a_department_with_more_respondents_than_staff_is_noted() {
    let sb = Sandbox::valid();
    sb.edit("org.csv", "2024,0210,市民課,0200,8,", "2024,0210,市民課,0200,1,");
    let run = sb.check();
    run.assert_success();
    assert_eq!(
        run.notes(),
        [
            "org.csv: 令和6年度は、回答者が org.csv の職員数より多い所属があります（市民課（0210）回答者3人・職員1人）。回答率が100%を超えて表示されます。回答の所属コードの誤りか、org.csv の職員数を確かめてください"
        ],
        "{run}"
    );
}

/// An output inside responses/ would be read as an export next time: refused as a usage error.
#[test]
fn out_inside_the_input_folders_is_refused() {
    let sb = Sandbox::valid();
    let before = sb.snapshot();
    let run = sb.run(&["scores", "ws", "--out", "ws/responses/集計.csv"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(run.stderr.contains("はワークスペースの responses/ の中です"), "{run}");
    let run = sb.run(&["report", "ws", "--year", "R6", "--out", "ws/responses/報告書"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(sb.snapshot() == before, "nothing written");
    sb.run(&["scores", "ws", "--out", "ws/集計.csv"]).assert_success();
}

/// Lines ended by CR alone (Excel for Mac's 「CSV（Macintosh）」) read as the same
/// file with LF, with a note; they once read as one header line and no rows.
#[test]
fn a_csv_whose_lines_end_in_cr_alone_is_read() {
    let sb = Sandbox::valid();
    let expected = sb.run(&["scores", "ws", "--out", "lf.csv"]);
    assert_eq!(expected.code, 0, "{expected}");
    let text = sb.read("responses/2024.csv");
    assert!(!text.contains('\r'));
    sb.write("responses/2024.csv", text.replace('\n', "\r"));
    let run = sb.run(&["scores", "ws", "--out", "cr.csv"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.notes().contains(
            &"responses/2024.csv: 行の区切りが CR だけの形式（Mac の「CSV（Macintosh）」など）として読みました"
        ),
        "{run}"
    );
    let read = |name: &str| std::fs::read(sb.root().join(name)).expect("scores");
    assert!(read("cr.csv") == read("lf.csv"), "the same scores whatever the line ends");
}

/// Excel's 「XML スプレッドシート 2003」 saved as .xls is named for what it is.
#[test]
fn an_xml_spreadsheet_saved_as_xls_is_named() {
    let sb = Sandbox::valid();
    sb.write(
        "responses/R6_追加.xls",
        "<?xml version=\"1.0\"?>\n<?mso-application progid=\"Excel.Sheet\"?>\n<Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\"><Worksheet ss:Name=\"回答\"></Worksheet></Workbook>\n",
    );
    sb.check_fails_with(&[
        "responses/R6_追加.xls: 中身は「XML スプレッドシート 2003」形式で、読めません。Excel で開いて「Excel ブック（.xlsx）」か CSV として保存し直してください",
    ]);
}

/// A goal to reach whose target lies behind its baseline is refused.
#[test]
fn a_goal_whose_target_lies_behind_its_baseline_is_refused() {
    let sb = Sandbox::valid();
    sb.edit("plan.toml", "target = 57", "target = 50");
    sb.check_fails_with(&[
        "plan.toml:18: 「health」は reach_at_least なのに target が baseline より低いです（target 50、baseline 54）。kind か値を確かめてください",
    ]);
}

/// A scale whose min is not below its max is said once, not again as an
/// impossible favorable_threshold range.
#[test]
fn a_scale_whose_min_is_not_below_its_max() {
    let sb = Sandbox::valid();
    sb.edit("survey.toml", "min = 1", "min = 5");
    let run = sb.check();
    assert_eq!(run.code, 1, "{run}");
    assert_eq!(run.errors().len(), 1, "{run}");
    assert!(run.errors()[0].ends_with("scale の min（5）は max（5）より小さくしてください"), "{run}");
}

/// A file given where the workspace folder goes is said to be one.
#[test]
fn a_file_given_as_the_workspace_is_said_to_be_a_file() {
    let sb = Sandbox::valid();
    let run = sb.run(&["check", "ws/org.csv"]);
    assert_eq!(run.code, 1, "{run}");
    assert!(
        run.errors().contains(&"ws/org.csv: ファイルです。ワークスペースのフォルダ（survey.toml や responses/ のあるフォルダ）を指定してください"),
        "{run}"
    );
}

/// An input that cannot be read is said in Japanese, not in the operating system's English.
#[test]
fn an_input_that_cannot_be_read_is_said_in_japanese() {
    let sb = Sandbox::valid();
    sb.remove("org.csv");
    std::fs::create_dir(sb.path("org.csv")).expect("a folder named like the file");
    let run = sb.check();
    assert_eq!(run.code, 1, "{run}");
    assert!(run.errors().contains(&"org.csv: ファイルを読めません（ファイルではなくフォルダです）"), "{run}");
    assert!(!run.stderr.contains("os error"), "{run}");
}

/// Formulas whose results were never saved read as blanks: an error at the first such cell.
#[test]
fn formulas_without_saved_results_are_an_error() {
    let sb = Sandbox::valid();
    sb.remove("responses/2024.csv");
    sb.copy_fixture("bad/R6_formulas_unsaved.xlsx", "responses/R6.xlsx");
    sb.check_fails_with(&[
        "responses/R6.xlsx シート「回答」セルF2: 数式の計算結果が保存されていません（このほか6個のセルも同じです。空欄として読むと回答が失われます）。Excel で開いて保存し直してください",
    ]);
}

/// An output path that is a folder fails in Japanese, not in the operating system's English.
#[test]
fn an_output_path_that_is_a_folder_is_said_in_japanese() {
    let sb = Sandbox::valid();
    std::fs::create_dir(sb.root().join("集計.csv")).expect("a folder named like a file");
    let run = sb.run(&["scores", "ws", "--out", "集計.csv"]);
    assert_eq!(run.code, 1, "{run}");
    assert!(
        run.stderr.contains(
            "集計.csv を保存できません: 同じ名前のフォルダがあります（別のファイル名を指定するか、そのフォルダを移してください）"
        ),
        "{run}"
    );
    assert!(!run.stderr.contains("os error"), "{run}");
}

/// A date Excel made of a department code is named as Excel shows it, not as a serial number.
#[test]
fn an_excel_date_in_the_code_column_is_shown_as_a_date() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let sb = Sandbox::valid();
    sb.remove("responses/2024.csv");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let headers = ["所属コード", "年代", "任用形態", "Q01", "Q02", "Q03", "Q04", "Q05"];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(0, c as u16, *h).expect("header");
    }
    let date = ExcelDateTime::from_ymd(2025, 4, 1).expect("date");
    ws.write_datetime_with_format(1, 0, &date, &Format::new().set_num_format("yyyy/mm/dd")).expect("date cell");
    ws.write_string(1, 1, "40代").expect("cell");
    ws.write_string(1, 2, "正規").expect("cell");
    for c in 3..8 {
        ws.write_number(1, c, 4.0).expect("answer");
    }
    wb.save(sb.path("responses/R6.xlsx")).expect("save");
    sb.check_fails_with(&[
        "responses/R6.xlsx シート「Sheet1」セルA2 列「所属コード」: 所属「2025/04/01」は令和6年度の org.csv にありません（セルの表示形式が日付のため、コードが日付として表示されています。所属コードの列の表示形式を「文字列」にして入れ直してください）",
    ]);
}

/// A web system's HTML table saved as .xls is named for what it is; a
/// tab-separated text saved as .xls is read as the table it is.
#[test]
fn html_and_tsv_saved_as_xls() {
    let sb = Sandbox::valid();
    let tsv = sb.read("responses/2024.csv").replace(',', "\t");
    sb.remove("responses/2024.csv");
    sb.write("responses/2024.xls", tsv);
    let (run, plain) = (sb.run(&["scores", "ws", "--out", "tsv.csv"]), Sandbox::valid());
    run.assert_success();
    plain.run(&["scores", "ws", "--out", "plain.csv"]).assert_success();
    let read = |sb: &Sandbox, f: &str| std::fs::read(sb.root().join(f)).expect("scores");
    assert!(read(&sb, "tsv.csv") == read(&plain, "plain.csv"), "the TSV gives other scores");

    sb.write("responses/2024.xls", "<html><body><table><tr><td>所属コード</td></tr></table></body></html>");
    sb.check_fails_with(&[
        "responses/2024.xls: 拡張子は Excel ですが、中身はウェブページ（HTML）の表です。Excel で開いて「Excel ブック（.xlsx）」か CSV として保存し直してください",
    ]);
}

/// Inputs the fuzzer found (tests/fixtures/fuzz_found/): each once took all the
/// machine's memory or panicked; each is now a located error.
#[test]
fn inputs_found_by_fuzzing_are_located_errors() {
    for (found, message) in [
        ("looping_fat_1.xls", "ファイルが壊れています"),
        ("looping_fat_2.xlsx", "ファイルが壊れています"),
        // Once a panic: the rows skipped as a repeated header and a totals row left none.
        ("only_a_totals_row.xls", "回答の行が一行もありません"),
    ] {
        let sb = Sandbox::valid();
        sb.remove("responses/2024.csv");
        let name = format!("responses/2024.{}", found.rsplit('.').next().unwrap_or("xls"));
        sb.copy_fixture(&format!("fuzz_found/{found}"), &name);
        let run = sb.check();
        assert_eq!(run.code, 1, "{found}: {run}");
        assert!(run.stderr.contains(&format!("エラー: {name}: ")) && run.stderr.contains(message), "{found}: {run}");
    }
}
