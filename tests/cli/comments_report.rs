//! `report --comments` and the committee report's section 「職員の声（自由記述）」
//! (DESIGN §8, issue 22 points 5–7): a comments workbook that HR reviewed
//! (○ and its look-alikes typed in 掲載, 伏せ字案 edited) read back; the
//! approved 伏せ字案 printed exactly — no more, no fewer, at most ten, in the
//! workbook's order, without 部; keywords and themes printed only from five
//! commenters and a question under ten commenters with its count only;
//! another year's or other inputs' workbook, a missing sheet or an unreadable
//! file refused with its place and nothing written; reruns byte-identical.

use std::path::Path;

use crate::comments_workbook::{comments, sheet_names, sheet_rows, synth_city};
use crate::harness::{Sandbox, WS};
use crate::report::pdftotext;

/// Columns of a question's sheet (see comments_workbook.rs).
const DRAFT: usize = 2;
const APPROVAL: usize = 5;
const BU: usize = 6;

/// Writes a reviewed copy of a comments workbook: every sheet's cells as
/// they were, except that `change` may edit each row of each question's
/// sheet (sheet name, row number from 1 as Excel shows it, cells) or drop a
/// sheet (returning false for its header row); the year and fingerprint
/// names kept, as Excel keeps them when HR saves.
pub(crate) fn review(from: &Path, to: &Path, mut change: impl FnMut(&str, usize, &mut Vec<String>) -> bool) {
    use calamine::Reader;
    let wb: calamine::Xlsx<_> = calamine::open_workbook(from).expect("xlsx");
    let names: Vec<(String, String)> = wb.defined_names().to_vec();
    let mut out = rust_xlsxwriter::Workbook::new();
    for sheet in sheet_names(from) {
        let mut rows = sheet_rows(from, &sheet);
        if sheet != "説明" {
            let mut keep = true;
            for (r, row) in rows.iter_mut().enumerate() {
                while row.len() <= BU {
                    row.push(String::new());
                }
                keep &= change(&sheet, r + 1, row);
            }
            if !keep {
                continue;
            }
        }
        let ws = out.add_worksheet();
        ws.set_name(&sheet).expect("sheet name");
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                if !cell.is_empty() {
                    ws.write_string(r as u32, c as u16, cell).expect("cell");
                }
            }
        }
    }
    // Excel's own names (the filters') come back with the sheets' set-up, not by hand.
    for (name, value) in names.into_iter().filter(|(n, _)| !n.starts_with("_xlnm")) {
        out.define_name(&name, &format!("={value}")).expect("name");
    }
    out.save(to).expect("save the reviewed workbook");
}

/// The text of the committee report's comments section (from its heading
/// to the methods' heading), without the spaces pdftotext adds.
fn comments_section(pdf: &Path) -> String {
    let text: String = pdftotext(pdf).chars().filter(|c| !c.is_whitespace()).collect();
    let start = text.rfind("職員の声（自由記述）").expect("the comments section");
    let end = text.rfind("調査と集計の方法").expect("the methods");
    assert!(start < end, "the comments section comes before the methods");
    text[start..end].to_string()
}

/// 第一号 … 第十二号: markers that no other marker contains.
const KANJI: [&str; 12] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"];

fn marker(k: usize) -> String {
    format!("掲載候補第{}号", KANJI[k])
}

#[test]
fn approved_quotes_are_exactly_the_approved_rows_in_order_up_to_ten_without_bu() {
    let sb = Sandbox::empty();
    synth_city(&sb);
    comments(&sb, "R7", "c.xlsx").assert_success();
    let c01 = sheet_names(&sb.root().join("c.xlsx")).into_iter().find(|s| s.starts_with("C01")).expect("C01's sheet");
    let original = sheet_rows(&sb.root().join("c.xlsx"), &c01);
    // Twelve rows approved, with every accepted form of the mark; one row
    // marked ×, one approved text with a title and a department left in.
    let approved_rows = [3usize, 4, 7, 11, 12, 20, 26, 27, 35, 41, 44, 50];
    let marks = ["○", "〇", "ｏ", " O ", "◯", "o", "Ｏ", "○", "○", "〇", "○", "○"];
    let crossed = 5usize;
    let unmasked = approved_rows[2];
    review(&sb.root().join("c.xlsx"), &sb.root().join("reviewed.xlsx"), |sheet, r, row| {
        if sheet != c01 {
            return true;
        }
        if let Some(k) = approved_rows.iter().position(|&a| a == r) {
            row[APPROVAL] = marks[k].to_string();
            row[DRAFT] = if r == unmasked {
                format!("{}です。総務課の課長に相談しました。", marker(k))
            } else {
                format!("{}です。研修の機会がもっとほしいと感じています。", marker(k))
            };
        }
        if r == crossed {
            row[APPROVAL] = "×".into();
        }
        true
    });
    let before = std::fs::read(sb.root().join("reviewed.xlsx")).expect("reviewed");
    let run =
        sb.run(&["report", WS, "--year", "R7", "--out", "out", "--only", "committee", "--comments", "reviewed.xlsx"]);
    run.assert_success();
    assert_eq!(
        std::fs::read(sb.root().join("reviewed.xlsx")).expect("reviewed"),
        before,
        "the workbook is not modified"
    );
    // Located warnings: the text still holding what the masking hides, the mark that is no approval.
    let notes = run.notes().join("\n");
    assert!(
        notes.contains(&format!(
            "reviewed.xlsx シート「{c01}」セルC{unmasked}: 掲載する伏せ字案に、伏せ字にするはずの語"
        )),
        "{run}"
    );
    assert!(
        notes.contains(&format!("reviewed.xlsx シート「{c01}」セルF{crossed}: 掲載の「×」は掲載の印として読めない")),
        "{run}"
    );
    assert_eq!(notes.matches("伏せ字にするはずの語").count(), 1, "only the unmasked row is warned of\n{run}");

    let pdf = sb.root().join("out/committee_2025.pdf");
    let section = comments_section(&pdf);
    // The first ten approved rows, in the workbook's order; the last two not.
    let mut at = 0;
    for k in 0..10 {
        let found = section[at..].find(&marker(k)).map(|p| p + at);
        assert!(found.is_some(), "{} is printed after the one before it:\n{section}", marker(k));
        at = found.unwrap_or(at);
    }
    for k in 10..12 {
        assert!(!section.contains(&marker(k)), "{} is the 11th or 12th approved row:\n{section}", marker(k));
    }
    assert!(section.contains("掲載を認めた12件のうち、一覧の順に最初の10件を載せています"), "{section}");
    // No other row's 伏せ字案, and no 部, even of the approved rows.
    for (r, row) in original.iter().enumerate().skip(1) {
        let draft: String = row[DRAFT].chars().filter(|c| !c.is_whitespace()).collect();
        if !approved_rows.contains(&(r + 1)) && draft.chars().count() >= 12 {
            assert!(!section.contains(&draft), "row {} was not approved: {draft}", r + 1);
        }
    }
    let bu: std::collections::BTreeSet<&str> =
        original.iter().skip(1).filter_map(|row| row.get(BU)).map(String::as_str).filter(|b| !b.is_empty()).collect();
    assert!(!bu.is_empty(), "the workbook shows some 部");
    for name in bu {
        assert!(!section.contains(name), "部「{name}」 in the comments section:\n{section}");
    }
    assert!(
        section.contains("人事担当課が読んで確かめ、掲載を認めたものだけを、部などの所属を付けずに載せています"),
        "{section}"
    );

    // The same inputs give the same bytes.
    let again =
        sb.run(&["report", WS, "--year", "R7", "--out", "again", "--only", "committee", "--comments", "reviewed.xlsx"]);
    again.assert_success();
    assert_eq!(
        std::fs::read(&pdf).expect("pdf"),
        std::fs::read(sb.root().join("again/committee_2025.pdf")).expect("pdf")
    );
}

/// Rewrites one survey's free-text column of a CSV export: `text(k)` for
/// the k-th respondent (from 0), empty where it returns `None`.
pub(crate) fn set_comments(sb: &Sandbox, file: &str, column: &str, mut text: impl FnMut(usize) -> Option<String>) {
    let bytes = std::fs::read(sb.path(file)).expect("export");
    let mut reader = csv::ReaderBuilder::new().from_reader(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes));
    let headers = reader.headers().expect("headers").clone();
    let at = headers.iter().position(|h| h == column).unwrap_or_else(|| panic!("{file}: no {column}"));
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&headers).expect("header");
    for (k, record) in reader.records().enumerate() {
        let mut record: Vec<String> = record.expect("record").iter().map(str::to_string).collect();
        record[at] = text(k).unwrap_or_default();
        writer.write_record(&record).expect("record");
    }
    sb.write(file, writer.into_inner().expect("csv"));
}

/// A one-year synthetic city whose 2025 attitude-survey export is CSV.
fn small_city() -> Sandbox {
    let sb = Sandbox::empty();
    let args = ["synth", WS, "--respondents", "160", "--departments", "8", "--years", "2025..2025", "--seed", "3"];
    sb.run(&args).assert_success();
    sb
}

/// The C01 part of the comments section (up to the harassment survey's question).
fn c01_part(sb: &Sandbox, out: &str) -> String {
    let run = sb.run(&["report", WS, "--year", "R7", "--out", out, "--only", "committee"]);
    run.assert_success();
    let section = comments_section(&sb.root().join(format!("{out}/committee_2025.pdf")));
    // From C01's count, after the question as asked (its words are not the comments').
    let start = section
        .find("C01職員意識調査設問：")
        .and_then(|c| section[c..].find("この設問には").map(|s| c + s))
        .expect("C01's count");
    let end = section.find("HC01").unwrap_or(section.len());
    section[start..end].to_string()
}

#[test]
fn keywords_and_themes_need_five_commenters_and_a_question_ten() {
    let sb = small_city();
    // 研修 and 自己成長 by 5, パソコン and 環境 by 4, 睡眠 and 健康 by 3.
    set_comments(&sb, "responses/2025.csv", "C01", |k| match k {
        0..=4 => Some("研修の時間がほしい。".into()),
        5..=8 => Some("パソコンが遅い。".into()),
        9..=11 => Some("睡眠が足りない。".into()),
        _ => None,
    });
    let part = c01_part(&sb, "out");
    assert!(part.contains("この設問には12人が記述しました"), "{part}");
    for shown in ["研修", "自己成長"] {
        assert!(part.contains(shown), "{shown} (5 commenters) is shown:\n{part}");
    }
    assert!(part.contains("自己成長5人") && part.contains("研修5人"), "{part}");
    // (The axis' ticks print every count; a bar or a word prints its name before its count.)
    for hidden in ["パソコン", "睡眠", "健康", "環境"] {
        assert!(!part.contains(hidden), "{hidden} (under 5 commenters) is printed:\n{part}");
    }
    assert!(part.contains("ほかに2テーマは5人未満のため示していません"), "{part}");

    // Nine commenters: the count alone.
    set_comments(&sb, "responses/2025.csv", "C01", |k| (k < 9).then(|| "研修の時間がほしい。".into()));
    let part = c01_part(&sb, "out9");
    assert!(part.contains("この設問には9人が記述しました"), "{part}");
    assert!(part.contains("記述した人が10人未満のため、テーマと語の集計は示していません"), "{part}");
    for hidden in ["研修", "自己成長", "よく使われた語"] {
        assert!(!part.contains(hidden), "{hidden} is printed for a question of 9 commenters:\n{part}");
    }
}

#[test]
fn a_workbook_of_another_year_or_other_inputs_or_unreadable_is_refused_with_its_place() {
    let sb = Sandbox::empty();
    synth_city(&sb);
    comments(&sb, "R6", "r6.xlsx").assert_success();
    comments(&sb, "R7", "r7.xlsx").assert_success();
    let c01 = sheet_names(&sb.root().join("r7.xlsx")).into_iter().find(|s| s.starts_with("C01")).expect("C01's sheet");
    // Without C01's sheet; with two approved rows whose 伏せ字案 was emptied.
    review(&sb.root().join("r7.xlsx"), &sb.root().join("no_sheet.xlsx"), |sheet, _, _| sheet != c01);
    review(&sb.root().join("r7.xlsx"), &sb.root().join("emptied.xlsx"), |sheet, r, row| {
        if sheet == c01 && (r == 3 || r == 6) {
            row[APPROVAL] = "○".into();
            row[DRAFT] = String::new();
        }
        true
    });
    std::fs::write(sb.root().join("broken.xlsx"), "これは Excel ファイルではありません").expect("write");
    let cases: Vec<(&str, Vec<String>)> = vec![
        ("r6.xlsx", vec!["r6.xlsx: 令和6年度の自由記述の一覧です。令和7年度の報告書には".into()]),
        ("no_sheet.xlsx", vec![format!("no_sheet.xlsx: シート「{c01}」がありません")]),
        (
            "emptied.xlsx",
            vec![
                format!("emptied.xlsx シート「{c01}」セルC3: 掲載に ○ がありますが、伏せ字案が空です"),
                format!("emptied.xlsx シート「{c01}」セルC6: 掲載に ○ がありますが、伏せ字案が空です"),
            ],
        ),
        ("broken.xlsx", vec!["broken.xlsx: Excelファイル（.xlsx）として読めません".into()]),
        ("missing.xlsx", vec!["missing.xlsx: ファイルを開けません".into()]),
    ];
    let check = |file: &str, expected: &[String]| {
        let before = sb.snapshot();
        let run = sb.run(&["report", WS, "--year", "R7", "--out", "out", "--comments", file]);
        assert_eq!(run.code, 1, "{file}\n{run}");
        let errors = run.errors();
        assert_eq!(errors.len(), expected.len(), "{file}: every problem once\n{run}");
        for (error, wanted) in errors.iter().zip(expected) {
            assert!(error.starts_with(wanted.as_str()), "{file}: {error} should start with {wanted}");
        }
        assert_eq!(sb.snapshot(), before, "{file}: nothing written, no input changed");
    };
    for (file, expected) in &cases {
        check(file, expected);
    }
    // The year's workbook, then one of its comments changed: other inputs.
    set_comments(&sb, "responses/2025.csv", "C01", |k| (k < 30).then(|| format!("研修の機会がほしい。{k}")));
    let before = sb.snapshot();
    let run = sb.run(&["report", WS, "--year", "R7", "--out", "out", "--comments", "r7.xlsx"]);
    assert_eq!(run.code, 1, "{run}");
    assert_eq!(run.errors().len(), 1, "{run}");
    assert!(run.errors()[0].starts_with("r7.xlsx: 一覧を作ったときと今の自由記述が違います（入力の指紋"), "{run}");
    assert_eq!(sb.snapshot(), before, "nothing written");
    // Packets never take comments: a usage error.
    let run = sb.run(&["report", WS, "--year", "R7", "--out", "out", "--only", "departments", "--comments", "r7.xlsx"]);
    assert_eq!(run.code, 2, "{run}");
}
