//! `ishiki comments` (DESIGN §8, issue 22 point 3): the HR division's
//! comments workbook read back with calamine and from its own XML — its
//! sheets and headers, every comment once with its 伏せ字案 masked, flagged
//! rows first, 部 only under §8's rule (a case on each side of both
//! thresholds), no other column of a respondent, the year and fingerprint
//! recorded, the print set-up, byte-identical reruns whatever the order of
//! the export's rows — and no comment text in any other output (canaries
//! planted as comments, `report` and `scores` in every format searched).

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::Path;

use calamine::{Data, Reader};

use crate::comments::{append, load};
use crate::harness::{Sandbox, WS};

/// A sheet's rows as text (numbers as written, empty cells empty).
pub(crate) fn sheet_rows(path: &Path, sheet: &str) -> Vec<Vec<String>> {
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(path).expect("xlsx");
    let range = wb.worksheet_range(sheet).unwrap_or_else(|e| panic!("{sheet}: {e}"));
    range
        .rows()
        .map(|row| {
            row.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

pub(crate) fn sheet_names(path: &Path) -> Vec<String> {
    let wb: calamine::Xlsx<_> = calamine::open_workbook(path).expect("xlsx");
    wb.sheet_names().to_vec()
}

/// A small synthetic city with both surveys' comments, 令和6・7年度.
pub(crate) fn synth_city(sb: &Sandbox) {
    let args = ["synth", WS, "--respondents", "400", "--departments", "14", "--years", "2024..2025", "--seed", "9"];
    sb.run(&args).assert_success();
}

pub(crate) fn comments(sb: &Sandbox, year: &str, out: &str) -> crate::harness::Run {
    sb.run(&["comments", WS, "--year", year, "--out", out])
}

/// The columns of a question's sheet.
const STAFF_COLUMNS: [&str; 7] = ["番号", "テーマ", "伏せ字案", "原文", "要確認", "掲載", "部"];
const HARASSMENT_COLUMNS: [&str; 5] = ["番号", "テーマ", "伏せ字案", "原文", "要確認"];

#[test]
fn the_workbook_holds_every_comment_once_masked_flagged_first_and_nothing_else_of_a_respondent() {
    let sb = Sandbox::empty();
    synth_city(&sb);
    let run = comments(&sb, "R7", "c.xlsx");
    run.assert_success();
    let path = sb.root().join("c.xlsx");
    let ws = load(&sb);
    let year = ishiki::config::year::FiscalYear(2025);
    let org = ws.org.year(year).expect("2025");

    let names = sheet_names(&path);
    assert_eq!(names.len(), 3, "{names:?}");
    assert_eq!(names[0], "説明");
    assert!(names[1].starts_with("C01 職場環境や人財育成について") && names[1].chars().count() <= 31, "{names:?}");
    assert!(names[2].starts_with("HC01 ハラスメントについて") && names[2].chars().count() <= 31, "{names:?}");
    assert!(run.stdout.contains(&format!("  シート「{}」: 記述 ", names[1])), "{run}");

    for (sheet, columns, all) in [
        (&names[1], &STAFF_COLUMNS[..], &ws.comments.staff),
        (&names[2], &HARASSMENT_COLUMNS[..], &ws.comments.harassment),
    ] {
        let rows = sheet_rows(&path, sheet);
        assert_eq!(rows[0], columns, "{sheet}: exactly these columns");
        let body = &rows[1..];
        // Every comment of the year once; 番号 1…n.
        let mut written: Vec<&str> = body.iter().map(|r| r[3].as_str()).collect();
        let mut expected: Vec<&str> = all.iter().filter(|c| c.year == year).map(|c| c.text.as_str()).collect();
        written.sort_unstable();
        expected.sort_unstable();
        assert!(expected.len() > 20, "{sheet}: {} comments", expected.len());
        assert_eq!(written, expected, "{sheet}");
        let numbers: Vec<String> = body.iter().map(|r| r[0].clone()).collect();
        assert_eq!(numbers, (1..=body.len()).map(|n| n.to_string()).collect::<Vec<_>>(), "{sheet}");
        // Flagged rows first, with their reasons.
        let first_plain = body.iter().position(|r| r[4].is_empty()).unwrap_or(body.len());
        assert!(body[first_plain..].iter().all(|r| r[4].is_empty()), "{sheet}: a flagged row after an unflagged one");
        assert!(first_plain > 0, "{sheet}: some rows are flagged");
        for r in body {
            if r[3].contains("パワハラ") || r[3].contains("怒鳴") {
                assert!(r[4].contains("ハラスメント"), "{sheet}: {r:?}");
            }
            if r[3].contains("辞めたい") {
                assert!(r[4].contains("退職の意向"), "{sheet}: {r:?}");
            }
            if r[3].contains("さん") && ["佐藤", "鈴木", "田中"].iter().any(|s| r[3].contains(&format!("{s}さん")))
            {
                assert!(r[4].contains("個人名"), "{sheet}: {r:?}");
            }
        }
        // The drafts hide the planted names, departments and contacts.
        let department_names: Vec<&str> = org.departments.iter().map(|d| d.name.as_str()).collect();
        let mut masked = 0;
        for r in body {
            let (draft, original) = (&r[2], &r[3]);
            let hidden: Vec<String> = ["佐藤さん", "田中課長", "@city.example.lg.jp", "0229-", "内線"]
                .iter()
                .map(|s| s.to_string())
                .chain(department_names.iter().map(|n| n.to_string()))
                .filter(|s| original.contains(s.as_str()))
                .collect();
            for s in &hidden {
                assert!(!draft.contains(s.as_str()), "{sheet}: 「{s}」 left in the draft 「{draft}」");
            }
            if !hidden.is_empty() {
                assert!(draft.contains('〔'), "{sheet}: {draft}");
                masked += 1;
            }
        }
        assert!(masked > 5, "{sheet}: {masked} rows with something planted");
        // Nothing of a respondent beyond the 部: no code, demographic or time in any cell.
        let demographics: Vec<&str> =
            ws.survey.demographics.iter().flat_map(|d| d.values.iter().map(String::as_str)).collect();
        for r in body {
            for cell in r {
                assert!(org.get(cell).is_none() || cell.is_empty(), "{sheet}: a department code {cell}");
                assert!(!demographics.contains(&cell.as_str()), "{sheet}: a demographic value {cell}");
                assert!(!cell.contains("2025/10/"), "{sheet}: a time {cell}");
            }
            if columns.len() == 7 {
                assert!(r[5].is_empty(), "掲載 is left to HR: {r:?}");
            }
        }
    }

    // 部 only under the rule: the 部's respondents ≥ 10 and its commenters on C01 ≥ 5.
    let bu_of = |code: &str| -> String {
        let i = org.find(code).expect("a department of 2025");
        org.departments[*org.ancestors(i).last().expect("itself at least")].name.clone()
    };
    let mut respondents: BTreeMap<String, usize> = BTreeMap::new();
    let df = &ws.responses.df;
    let years = df.column("year").expect("year").i32().expect("Int32").clone();
    let codes = df.column("department").expect("department").str().expect("String").clone();
    for (y, code) in years.iter().zip(codes.iter()) {
        if y == Some(2025) {
            *respondents.entry(bu_of(code.expect("a code"))).or_default() += 1;
        }
    }
    let mut commenters: BTreeMap<String, usize> = BTreeMap::new();
    for c in ws.comments.staff.iter().filter(|c| c.year == year) {
        *commenters.entry(bu_of(&c.department)).or_default() += 1;
    }
    let rows = sheet_rows(&path, &names[1]);
    let mut shown: BTreeMap<String, usize> = BTreeMap::new();
    for r in &rows[1..] {
        if !r[6].is_empty() {
            *shown.entry(r[6].clone()).or_default() += 1;
        }
    }
    let allowed: BTreeMap<String, usize> = commenters
        .iter()
        .filter(|(bu, n)| **n >= 5 && respondents.get(*bu).copied().unwrap_or(0) >= 10)
        .map(|(bu, n)| (bu.clone(), *n))
        .collect();
    assert!(!allowed.is_empty() && allowed.len() < commenters.len(), "{commenters:?} {respondents:?}");
    assert_eq!(shown, allowed, "each 部 under the rule on all its rows, no other");

    // The 説明 sheet, the year and the fingerprint.
    let guide: Vec<String> = sheet_rows(&path, "説明").into_iter().flatten().collect();
    assert!(guide.iter().any(|c| c.contains("確かめ方")), "{guide:?}");
    assert!(guide.iter().any(|c| c == "令和7年度（2025年度）"), "{guide:?}");
    let wb: calamine::Xlsx<_> = calamine::open_workbook(&path).expect("xlsx");
    let defined: BTreeMap<String, String> = wb.defined_names().iter().cloned().collect();
    assert_eq!(defined.get("ishiki_year").map(String::as_str), Some("2025"), "{defined:?}");
    let fingerprint = defined["ishiki_fingerprint"].trim_matches('"').to_string();
    assert_eq!(fingerprint.len(), 32, "{fingerprint}");
    assert!(fingerprint.chars().all(|c| c.is_ascii_hexdigit()), "{fingerprint}");
    assert!(guide.contains(&fingerprint), "the 説明 sheet shows {fingerprint}");

    // Rerun: the same bytes; the export's rows reversed: the same bytes (the
    // order tells nothing of the file's); another year: another fingerprint.
    let first = std::fs::read(&path).expect("c.xlsx");
    comments(&sb, "R7", "again.xlsx").assert_success();
    assert!(first == std::fs::read(sb.root().join("again.xlsx")).expect("again"), "a rerun gives other bytes");
    let export = sb.read("responses/2025.csv");
    let mut lines: Vec<&str> = export.lines().collect();
    let header = lines.remove(0);
    let mut records: Vec<String> = Vec::new();
    // Records, not lines: a comment may hold a line break inside its quotes.
    for line in lines {
        match records.last_mut() {
            Some(last) if last.matches('"').count() % 2 == 1 => {
                last.push('\n');
                last.push_str(line);
            }
            _ => records.push(line.to_string()),
        }
    }
    records.reverse();
    sb.write("responses/2025.csv", format!("{header}\n{}\n", records.join("\n")));
    comments(&sb, "R7", "reversed.xlsx").assert_success();
    assert!(first == std::fs::read(sb.root().join("reversed.xlsx")).expect("reversed"), "the rows' order shows");
    comments(&sb, "R6", "r6.xlsx").assert_success();
    let r6: calamine::Xlsx<_> = calamine::open_workbook(sb.root().join("r6.xlsx")).expect("xlsx");
    let r6_names: BTreeMap<String, String> = r6.defined_names().iter().cloned().collect();
    assert_eq!(r6_names.get("ishiki_year").map(String::as_str), Some("2024"));
    assert_ne!(r6_names["ishiki_fingerprint"], defined["ishiki_fingerprint"]);
}

#[test]
fn every_sheet_prints_a4_landscape_one_page_wide_with_its_header_row_and_wrapped_text() {
    let sb = Sandbox::empty();
    synth_city(&sb);
    comments(&sb, "R7", "c.xlsx").assert_success();
    let mut zip = zip::ZipArchive::new(std::fs::File::open(sb.root().join("c.xlsx")).expect("xlsx")).expect("a zip");
    let workbook = crate::workbook::elements(&mut zip, "xl/workbook.xml");
    let titles: BTreeSet<String> = workbook
        .iter()
        .filter(|e| e.name == "definedName" && e.attr("name") == Some("_xlnm.Print_Titles"))
        .map(|e| e.text.clone())
        .collect();
    let sheets: Vec<String> = workbook.iter().filter(|e| e.name == "sheet").map(|e| e.attrs["name"].clone()).collect();
    for (i, name) in sheets.iter().enumerate() {
        let xml = crate::workbook::elements(&mut zip, &format!("xl/worksheets/sheet{}.xml", i + 1));
        let setup = xml.iter().find(|e| e.name == "pageSetup").expect("pageSetup");
        assert_eq!(setup.attr("orientation"), Some("landscape"), "{name}");
        assert_eq!(setup.attr("paperSize"), Some("9"), "{name}");
        assert_eq!(setup.attr("fitToWidth").unwrap_or("1"), "1", "{name}");
        assert_eq!(setup.attr("fitToHeight"), Some("0"), "{name}");
        let header = &xml.iter().find(|e| e.name == "oddHeader").expect("a page header").text;
        assert!(header.contains("自由記述（人事担当課限り）") && header.ends_with("&R令和7年度"), "{name}: {header}");
        if i > 0 {
            assert!(
                titles.contains(&format!("'{name}'!$1:$1")) || titles.contains(&format!("{name}!$1:$1")),
                "{name}: {titles:?}"
            );
            // Rows of long comments are as tall as their wrapped text.
            assert!(xml.iter().any(|e| e.name == "row" && e.attr("customHeight") == Some("1")), "{name}");
            assert!(xml.iter().any(|e| e.name == "autoFilter"), "{name}");
        }
    }
    let mut styles = String::new();
    zip.by_name("xl/styles.xml").expect("styles").read_to_string(&mut styles).expect("UTF-8");
    assert!(styles.contains("wrapText=\"1\""), "wrapped text");
}

/// Appends respondents of 令和6年度 to the valid fixture: for each (code, respondents, commenters),
/// that many rows of the department, the first `commenters` of them with a comment naming it.
fn respondents(sb: &Sandbox, rows: &[(&str, usize, usize)]) {
    let mut csv = String::from("年度,所属コード,年代,任用形態,Q01,Q02,Q03,Q04,Q05,自由記述\n");
    for (code, n, commenting) in rows {
        for k in 0..*n {
            let comment = if k < *commenting {
                format!("研修の機会を増やしてほしい（{code}の{k}）")
            } else {
                String::new()
            };
            csv.push_str(&format!("R6,{code},40代,正規,4,4,3,3,4,{comment}\n"));
        }
    }
    sb.write("responses/2024.csv", csv);
}

#[test]
fn a_bu_is_shown_only_with_ten_respondents_and_five_commenters() {
    let sb = Sandbox::valid();
    sb.edit_csv("org.csv", |rows| {
        rows.retain(|r| r[0] != "2024");
        for (code, name, parent, headcount) in [
            ("1000", "A部", "", "2"),
            ("1010", "A課", "1000", "12"),
            ("2000", "B部", "", "2"),
            ("2010", "B課", "2000", "12"),
            ("3000", "C部", "", "2"),
            ("3010", "C課", "3000", "12"),
            ("4000", "D部", "", "2"),
            ("4010", "D課", "4000", "14"),
        ] {
            rows.push(vec!["2024".into(), code.into(), name.into(), parent.into(), headcount.into(), String::new()]);
        }
    });
    // A: 10 respondents, 5 commenters (both at the line). B: 10 and 4. C: 9 and 5.
    // D: 12 in its 課 and the 部's own, 6 commenters in the 課 — shown as the 部.
    respondents(&sb, &[("1010", 10, 5), ("2010", 10, 4), ("3010", 9, 5), ("4000", 2, 0), ("4010", 10, 6)]);
    let bu_cells = |sb: &Sandbox| -> BTreeMap<String, String> {
        comments(sb, "R6", "c.xlsx").assert_success();
        let path = sb.root().join("c.xlsx");
        let sheet = sheet_names(&path).into_iter().nth(1).expect("the question's sheet");
        let rows = sheet_rows(&path, &sheet);
        rows[1..].iter().map(|r| (r[3].clone(), r[6].clone())).collect()
    };
    let cells = bu_cells(&sb);
    assert_eq!(cells.len(), 5 + 4 + 5 + 6);
    for (text, bu) in &cells {
        let code = &text[text.find('（').expect("a code") + "（".len()..][..4];
        let expected = match code {
            "1010" => "A部",
            "4010" => "D部",
            _ => "",
        };
        assert_eq!(bu, expected, "{text}");
    }
    // comment_settings.min_group_size moves the respondents' line: C with 9 is shown at 9.
    append(&sb, "survey.toml", "\n[comment_settings]\nmin_group_size = 9\n");
    let cells = bu_cells(&sb);
    let shown: BTreeSet<&str> = cells.values().map(String::as_str).filter(|b| !b.is_empty()).collect();
    assert_eq!(shown, BTreeSet::from(["A部", "C部", "D部"]));
}

#[test]
fn wrong_arguments_are_usage_errors_and_bad_inputs_write_nothing() {
    let sb = Sandbox::valid();
    let before = sb.snapshot();
    let run = comments(&sb, "R6", "c.csv");
    assert_eq!(run.code, 2, "{run}");
    assert_eq!(
        run.stderr,
        "エラー: --out の「c.csv」は拡張子を .xlsx にしてください（自由記述の一覧は Excel ファイルです）\n"
    );
    let run = comments(&sb, "R6", "ws/responses/c.xlsx");
    assert_eq!(run.code, 2, "{run}");
    let run = sb.run(&["comments", WS, "--out", "c.xlsx"]);
    assert_eq!(run.code, 2, "{run}");
    let run = comments(&sb, "R9", "c.xlsx");
    assert_eq!(run.code, 1, "{run}");
    assert!(run.stderr.contains("令和9年度の回答がありません（回答がある年度: 令和5年度、令和6年度）"), "{run}");
    assert_eq!(sb.snapshot(), before, "nothing written");
    // An input with a problem: exit 1, the problem located, nothing written.
    sb.edit("responses/2024.csv", "R6,0115,30代以下,正規,4,4,4,2,4,", "R6,0115,30代以下,正規,9,4,4,2,4,");
    let before = sb.snapshot();
    let run = comments(&sb, "R6", "c.xlsx");
    assert_eq!(run.code, 1, "{run}");
    assert!(run.stderr.contains("responses/2024.csv:2 列「Q01」"), "{run}");
    assert_eq!(sb.snapshot(), before, "nothing written");
    // An earlier workbook stays as it was when a run fails.
    sb.edit("responses/2024.csv", "R6,0115,30代以下,正規,9,4,4,2,4,", "R6,0115,30代以下,正規,4,4,4,2,4,");
    comments(&sb, "R6", "c.xlsx").assert_success();
    let written = std::fs::read(sb.root().join("c.xlsx")).expect("written");
    sb.edit("responses/2024.csv", "R6,0115,30代以下,正規,4,4,4,2,4,", "R6,0115,30代以下,正規,9,4,4,2,4,");
    assert_eq!(comments(&sb, "R6", "c.xlsx").code, 1);
    assert!(std::fs::read(sb.root().join("c.xlsx")).expect("kept") == written, "the old workbook is kept");
    let temporaries = std::fs::read_dir(sb.root())
        .expect("list")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".ishiki-"))
        .count();
    assert_eq!(temporaries, 0);
}

/// Every text an output file holds: a PDF's text, every part of an .xlsx, or the file itself.
pub(crate) fn text_of(path: &Path) -> String {
    match path.extension().and_then(|e| e.to_str()) {
        Some("pdf") => crate::report::pdftotext(path),
        Some("xlsx") => {
            let mut zip = zip::ZipArchive::new(std::fs::File::open(path).expect("xlsx")).expect("a zip");
            let mut all = String::new();
            for i in 0..zip.len() {
                let mut part = zip.by_index(i).expect("part");
                let mut bytes = Vec::new();
                part.read_to_end(&mut bytes).expect("read part");
                all.push_str(&String::from_utf8_lossy(&bytes));
            }
            all
        }
        _ => String::from_utf8_lossy(&std::fs::read(path).expect("output")).into_owned(),
    }
}

pub(crate) fn files_under(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("list").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// The canary planted in the k-th comment: its number in letters
/// (ZQXCANARYBC for 12), so that it is one word used by one commenter. A
/// canary shared by every comment would be a word that many commenters
/// used, which the committee report may print as a keyword (DESIGN §8).
fn canary(k: usize) -> String {
    let letters: String = k.to_string().bytes().map(|d| char::from(b'A' + (d - b'0'))).collect();
    format!("ZQXCANARY{letters}")
}

/// Canaries planted as both surveys' comments reach the comments workbook
/// and no other output: not the reports, the packets, the analysts' workbook,
/// the scores CSV, JSON or workbook, nor anything a command prints.
#[test]
fn no_comment_text_reaches_any_other_output() {
    let sb = Sandbox::empty();
    let args = ["synth", WS, "--respondents", "160", "--departments", "8", "--years", "2025..2025", "--seed", "3"];
    sb.run(&args).assert_success();
    // Every comment cell of both exports becomes a canary (with its text kept).
    let mut planted = 0;
    for (file, column) in [("responses/2025.csv", "C01"), ("harassment/R7_ハラスメント調査.csv", "HC01")] {
        let bytes = std::fs::read(sb.path(file)).expect("export");
        let mut reader = csv::ReaderBuilder::new().from_reader(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes));
        let headers = reader.headers().expect("headers").clone();
        let at =
            headers.iter().position(|h| h == column).unwrap_or_else(|| panic!("{file}: no {column} in {headers:?}"));
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(&headers).expect("header");
        for record in reader.records() {
            let mut record: Vec<String> = record.expect("record").iter().map(str::to_string).collect();
            if !record[at].is_empty() {
                planted += 1;
                record[at] = format!("{} {}", canary(planted), record[at]);
            }
            writer.write_record(&record).expect("record");
        }
        sb.write(file, writer.into_inner().expect("csv"));
    }
    assert!(planted > 30, "{planted} canaries");
    let mut printed = String::new();
    let mut run = |args: &[&str]| {
        let r = sb.run(args);
        r.assert_success();
        printed.push_str(&r.stdout);
        printed.push_str(&r.stderr);
    };
    run(&["check", WS]);
    run(&["report", WS, "--year", "R7", "--out", "out"]);
    for out in ["scores.csv", "scores.json", "scores.xlsx"] {
        run(&["scores", WS, "--out", out]);
    }
    run(&["comments", WS, "--year", "R7", "--out", "comments.xlsx"]);
    assert!(!printed.contains("ZQXCANARY"), "a command printed a comment:\n{printed}");
    let mut outputs: Vec<std::path::PathBuf> = files_under(&sb.root().join("out"));
    outputs.extend(["scores.csv", "scores.json", "scores.xlsx"].iter().map(|f| sb.root().join(f)));
    assert!(outputs.iter().any(|p| p.ends_with("committee_2025.pdf")), "{outputs:?}");
    assert!(outputs.iter().filter(|p| p.extension().is_some_and(|e| e == "pdf")).count() > 5, "{outputs:?}");
    for path in &outputs {
        let text = text_of(path);
        assert!(!text.is_empty(), "{} has text", path.display());
        assert!(!text.contains("ZQXCANARY"), "a comment in {}", path.display());
    }
    // The one output that holds them: the comments workbook, every canary.
    let workbook = text_of(&sb.root().join("comments.xlsx"));
    for k in 1..=planted {
        let canary = format!("{} ", canary(k));
        assert!(workbook.contains(&canary), "{canary} is not in the comments workbook");
    }

    // HR approves four rows of C01, one of them with its 伏せ字案 set back to
    // the 原文: their drafts, and nothing else, reach the committee report.
    let sheet = sheet_names(&sb.root().join("comments.xlsx")).into_iter().find(|s| s.starts_with("C01")).expect("C01");
    let mut approved: Vec<String> = Vec::new();
    crate::comments_report::review(
        &sb.root().join("comments.xlsx"),
        &sb.root().join("reviewed.xlsx"),
        |name, r, row| {
            if name == sheet && (2..=5).contains(&r) {
                row[5] = "○".into();
                if r == 5 {
                    row[2] = row[3].clone();
                }
                approved.push(row[2].clone());
            }
            true
        },
    );
    let canaries = |text: &str| -> BTreeSet<String> {
        let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        squeezed
            .match_indices("ZQXCANARY")
            .map(|(at, _)| {
                let letters: String = squeezed[at + 9..].chars().take_while(char::is_ascii_uppercase).collect();
                format!("ZQXCANARY{letters}")
            })
            .collect()
    };
    let expected = canaries(&approved.join(" "));
    assert!(!expected.is_empty(), "the row set back to its original holds its canary: {approved:?}");
    let run = sb.run(&["report", WS, "--year", "R7", "--out", "reviewed", "--comments", "reviewed.xlsx"]);
    run.assert_success();
    assert!(!run.stdout.contains("ZQXCANARY") && !run.stderr.contains("ZQXCANARY"), "{run}");
    let outputs = files_under(&sb.root().join("reviewed"));
    assert!(outputs.len() > 5, "{outputs:?}");
    for path in &outputs {
        let found = canaries(&text_of(path));
        if path.ends_with("committee_2025.pdf") {
            assert_eq!(found, expected, "the committee report holds the approved rows' canaries, no other");
        } else {
            assert!(found.is_empty(), "a comment in {}: {found:?}", path.display());
        }
    }
}
