//! The reports on sample-data (issues 4 and 5): structure and text of the
//! committee PDF and the department packets, checked with qpdf, pdffonts and
//! pdftotext (installed by .ci/run), against the scores CSV and JSON.
//!
//! The reports are rendered once per test run ([`rendered`]) into a temporary
//! folder; the tests read them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use calamine::Reader;
use serde_json::Value;

use crate::packet_pages;

/// A fixed report date, so that runs are byte-identical.
const EPOCH: &str = "1764000000";

struct Rendered {
    _dir: tempfile::TempDir,
    out: PathBuf,
    csv: Vec<BTreeMap<String, String>>,
    json: Value,
}

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data")
}

fn ishiki(args: &[&str]) -> std::process::Output {
    let output = Command::new(env!("CARGO_BIN_EXE_ishiki"))
        .args(args)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .output()
        .expect("run ishiki");
    assert!(output.status.success(), "ishiki {args:?} failed: {}", String::from_utf8_lossy(&output.stderr));
    output
}

fn rendered() -> &'static Rendered {
    static RENDERED: OnceLock<Rendered> = OnceLock::new();
    RENDERED.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("out");
        let ws = sample();
        let ws = ws.to_str().expect("utf-8 path");
        ishiki(&["report", ws, "--year", "R7", "--out", out.to_str().expect("utf-8")]);
        let csv_path = dir.path().join("scores.csv");
        let json_path = dir.path().join("scores.json");
        ishiki(&["scores", ws, "--year", "R7", "--out", csv_path.to_str().expect("utf-8")]);
        ishiki(&["scores", ws, "--year", "R7", "--out", json_path.to_str().expect("utf-8")]);
        let mut reader = csv::Reader::from_path(&csv_path).expect("scores CSV");
        let headers = reader.headers().expect("header").clone();
        let csv = reader
            .records()
            .map(|r| {
                let r = r.expect("record");
                headers.iter().zip(r.iter()).map(|(h, v)| (h.to_string(), v.to_string())).collect()
            })
            .collect();
        let json: Value = serde_json::from_slice(&std::fs::read(&json_path).expect("json")).expect("valid json");
        Rendered { _dir: dir, out, csv, json }
    })
}

/// The text of a PDF as `pdftotext -layout` gives it.
pub fn pdftotext(path: &Path) -> String {
    let output = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(output.status.success(), "pdftotext failed on {}", path.display());
    String::from_utf8(output.stdout).expect("utf-8 text")
}

/// Text without the spaces pdftotext puts between Japanese and Latin letters.
fn squeezed(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Every number written with exactly one decimal (`65.2`, `▲2.8` → `2.8`).
fn one_decimal_numbers(text: &str) -> BTreeSet<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = BTreeSet::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() && (i == 0 || !(chars[i - 1].is_ascii_digit() || chars[i - 1] == '.')) {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            if i + 1 < chars.len() && chars[i] == '.' && chars[i + 1].is_ascii_digit() {
                let frac_start = i + 1;
                let mut j = frac_start;
                while j < chars.len() && chars[j].is_ascii_digit() {
                    j += 1;
                }
                if j - frac_start == 1 {
                    out.insert(chars[start..j].iter().collect());
                }
                i = j;
                continue;
            }
        } else {
            i += 1;
        }
    }
    out
}

fn one(v: f64) -> String {
    format!("{v:.1}")
}

fn assert_qpdf_check(path: &Path) {
    let output = Command::new("qpdf").arg("--check").arg(path).output().expect("qpdf is installed");
    assert!(
        output.status.success(),
        "qpdf --check failed on {}: {}",
        path.display(),
        String::from_utf8_lossy(&output.stdout)
    );
}

fn assert_fonts_embedded(path: &Path) {
    let output = Command::new("pdffonts").arg(path).output().expect("pdffonts (poppler-utils) is installed");
    let listing = String::from_utf8_lossy(&output.stdout);
    let fonts: Vec<&str> = listing.lines().skip(2).filter(|l| !l.trim().is_empty()).collect();
    assert!(!fonts.is_empty(), "no fonts listed for {}", path.display());
    for line in fonts {
        // name type encoding emb sub uni object ID: emb is the fourth field from the end.
        let fields: Vec<&str> = line.split_whitespace().collect();
        let emb = fields[fields.len() - 5];
        assert_eq!(emb, "yes", "font not embedded in {}: {line}", path.display());
        assert!(line.contains("BIZUDPGothic"), "unexpected font in {}: {line}", path.display());
    }
}

fn all_rows<'a>(r: &'a Rendered, department: &str) -> Vec<&'a BTreeMap<String, String>> {
    r.csv.iter().filter(|row| row["department"] == department && row["cut"].is_empty()).collect()
}

fn year_json(r: &Rendered) -> &Value {
    &r.json["years"][0]
}

fn group<'a>(r: &'a Rendered, department: &str, cut: Option<(&str, &str)>) -> Option<&'a Value> {
    year_json(r)["groups"].as_array()?.iter().find(|g| {
        g["department"] == department
            && match cut {
                None => g["cut"].is_null(),
                Some((c, v)) => g["cut"] == c && g["cut_value"] == v,
            }
    })
}

fn shown(g: &Value) -> Option<&Value> {
    g["visibility"].get("shown")
}

/// A value's figures (`null` fields when it is withheld).
fn value(v: &Value) -> &Value {
    &v["visibility"]["shown"]
}

/// The shown item results of a group's figures, over all its shown blocks.
fn items(f: &Value) -> impl Iterator<Item = &Value> {
    f["items"].as_array().into_iter().flatten().filter_map(|b| b["visibility"]["shown"].as_array()).flatten()
}

#[test]
fn committee_report_is_a_valid_pdf_with_embedded_fonts() {
    let r = rendered();
    let pdf = r.out.join("committee_2025.pdf");
    assert!(std::fs::read(&pdf).expect("committee PDF").starts_with(b"%PDF-"));
    assert_qpdf_check(&pdf);
    assert_fonts_embedded(&pdf);
}

#[test]
fn committee_report_prints_each_category_score_and_status() {
    let r = rendered();
    let text = squeezed(&pdftotext(&r.out.join("committee_2025.pdf")));
    let progress = year_json(r)["progress"].as_array().expect("progress");
    let categories: Vec<String> = r.json["categories"]
        .as_array()
        .expect("categories")
        .iter()
        .map(|c| c["id"].as_str().expect("id").to_string())
        .chain(["overall".to_string()])
        .collect();
    assert!(!all_rows(r, "ALL").is_empty());
    for category in categories {
        let row = all_rows(r, "ALL").into_iter().find(|row| row["category"] == category).expect("ALL row");
        let score: f64 = row["score"].parse().expect("a score");
        assert!(text.contains(&one(score)), "{category}: {} missing from the committee report", one(score));
        let status = progress.iter().find(|p| p["id"] == category.as_str()).expect("progress row")["status"]
            .as_str()
            .expect("status");
        let name = r.json["categories"]
            .as_array()
            .and_then(|cs| cs.iter().find(|c| c["id"] == category.as_str()))
            .map(|c| c["name"].as_str().expect("name").to_string())
            .unwrap_or_else(|| "総合".to_string());
        // A table row prints the name, this year's score and, further on, the status.
        let row_text = format!("{name}{}", one(score));
        let beside = text
            .match_indices(&row_text)
            .any(|(at, _)| text[at..].chars().take(60).collect::<String>().contains(status));
        let targets_row = text.match_indices(&name).any(|(at, _)| {
            let rest: String = text[at..].chars().take(70).collect();
            rest.contains(&one(score)) && rest.contains(status)
        });
        assert!(beside || targets_row, "{name}: status {status} not on the row of its score {}", one(score));
    }
}

#[test]
fn committee_report_has_contents_methods_and_page_numbers() {
    let r = rendered();
    let text = squeezed(&pdftotext(&r.out.join("committee_2025.pdf")));
    for heading in [
        "目次",
        "結果の概要",
        "目標の達成状況",
        "所属別の結果",
        "属性別の結果",
        "調査と集計の方法",
        "クロンバックのα",
        "Welch",
    ] {
        assert!(text.contains(heading), "{heading} missing");
    }
    assert!(text.contains("令和7年度職員意識調査結果報告書"));
    assert!(text.contains("1/"), "page numbers");
}

#[test]
fn committee_report_shows_no_number_for_hidden_departments() {
    let r = rendered();
    let text = pdftotext(&r.out.join("committee_2025.pdf"));
    let hidden: Vec<&Value> = year_json(r)["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .filter(|g| g["cut"].is_null() && g["visibility"].get("withheld").is_some())
        .collect();
    assert!(!hidden.is_empty(), "sample-data has hidden departments");
    // In the department table a hidden department's row holds its name and its reason only.
    for g in hidden {
        let name = g["department_name"].as_str().expect("name");
        let reason = g["visibility"]["withheld"]["message"].as_str().expect("reason");
        let rows: Vec<&str> = text
            .lines()
            .filter(|l| l.trim_start().starts_with(name) && squeezed(l).contains(&squeezed(reason)))
            .collect();
        assert!(!rows.is_empty(), "{name}: no row with its reason");
        for row in rows {
            assert!(one_decimal_numbers(row).is_empty(), "{name}: a number in its hidden row: {row}");
        }
    }
}

#[test]
fn reports_are_byte_identical_across_runs() {
    let r = rendered();
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("again");
    let ws = sample();
    ishiki(&["report", ws.to_str().expect("utf-8"), "--year", "R7", "--out", out.to_str().expect("utf-8")]);
    for rel in [
        "committee_2025.pdf",
        "departments/0101_総務課.pdf",
        "departments/0102_人事課.pdf",
        "scores_2025.xlsx",
        "explorer_2025.html",
    ] {
        let a = std::fs::read(r.out.join(rel)).expect("first run");
        let b = std::fs::read(out.join(rel)).expect("second run");
        assert!(a == b, "{rel} differs between runs");
    }
}

#[test]
fn one_packet_per_department_with_respondents() {
    let r = rendered();
    let expected: BTreeSet<String> = r
        .csv
        .iter()
        .filter(|row| row["department"] != "ALL" && row["cut"].is_empty() && row["category"] == "overall")
        .map(|row| row["department"].clone())
        .collect();
    let written: BTreeSet<String> = std::fs::read_dir(r.out.join("departments"))
        .expect("departments folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().to_string())
        .map(|name| {
            assert!(name.ends_with(".pdf"), "{name}");
            name.split('_').next().expect("code").to_string()
        })
        .collect();
    assert_eq!(written, expected);
    let hidden: BTreeSet<String> = year_json(r)["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .filter(|g| g["cut"].is_null() && g["visibility"].get("withheld").is_some())
        .map(|g| g["department"].as_str().expect("code").to_string())
        .collect();
    for entry in std::fs::read_dir(r.out.join("departments")).expect("folder") {
        let path = entry.expect("entry").path();
        assert_qpdf_check(&path);
        let pages = pdf_pages(&path);
        let code = path.file_name().and_then(|n| n.to_str()).and_then(|n| n.split('_').next()).expect("code");
        // A packet is 2–4 pages (issue 21); a hidden department's notice is one.
        let allowed = if hidden.contains(code) { 1..=1 } else { 2..=4 };
        assert!(allowed.contains(&pages), "{}: {pages} pages", path.display());
    }
}

/// The headings of a packet with every section.
const SECTIONS: [&str; 7] = [
    "カテゴリ別の点数",
    "前年度からの変化と総合点の推移",
    "強みと課題",
    "属性別の総合点",
    "ハラスメントに関する意識調査",
    "何が職場への満足に効いているか",
    "取り組みのヒント",
];

#[test]
fn packets_fit_four_pages_and_no_page_is_less_than_a_third_full() {
    let r = rendered();
    let dir = r.out.join("departments");
    let problems = packet_pages::layout_problems(&packet_pages::packet_fills(&dir));
    assert!(problems.is_empty(), "{problems:#?}");
    // The rule is checked on a packet with every section, the portfolio and two categories of hints.
    let complete = std::fs::read_dir(&dir)
        .expect("folder")
        .map(|e| e.expect("entry").path())
        .filter(|path| {
            let text = squeezed(&pdftotext(path));
            SECTIONS.iter().all(|s| text.contains(s))
                && text.contains("95%区間")
                && text.matches("職場の話し合いのための問いかけ").count() == 2
        })
        .count();
    assert!(complete > 0, "sample-data has a packet with every section");
}

#[test]
fn the_packet_layout_check_fails_on_a_near_empty_page_and_a_fifth_page() {
    // PDFs shaped like the packets before issue 21: a last page with one
    // line, and five pages.
    let dir = tempfile::tempdir().expect("temp");
    let page =
        "#set page(paper: \"a4\", margin: (x: 20mm, top: 15mm, bottom: 17mm))\n#set text(font: \"BIZ UDPGothic\")\n";
    let full = "#lorem(450)\n";
    let docs = [
        ("0001_short.pdf", format!("{page}{full}#pagebreak()\n一行だけ\n")),
        ("0002_long.pdf", format!("{page}{}", [full; 5].join("#pagebreak()\n"))),
        ("0003_fine.pdf", format!("{page}{full}#pagebreak()\n{full}")),
    ];
    let meta = ishiki::report::engine::PdfMeta {
        title: "t".into(),
        author: "a".into(),
        date: ishiki::clock::Date { year: 2025, month: 11, day: 25 },
        ident: "x".into(),
    };
    for (name, doc) in &docs {
        let engine =
            ishiki::report::engine::Engine::with_extra_templates(None, [("doc.typ", doc.as_str())]).expect("engine");
        let pdf = engine.render_pdf("doc.typ", &(), Vec::new(), &meta).expect("render");
        std::fs::write(dir.path().join(name), pdf).expect("write");
    }
    let fills = packet_pages::page_fills(&dir.path().join("0001_short.pdf"));
    assert!(fills.len() == 2 && fills[0] > 0.8 && fills[1] < 0.1, "{fills:?}");
    let problems = packet_pages::layout_problems(&packet_pages::packet_fills(dir.path()));
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(problems[0].contains("0001_short.pdf") && problems[0].contains("2ページ目"), "{problems:#?}");
    assert!(problems[1].contains("0002_long.pdf") && problems[1].contains("5ページ"), "{problems:#?}");
}

fn pdf_pages(path: &Path) -> usize {
    let output = Command::new("pdfinfo").arg(path).output().expect("pdfinfo");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().parse().expect("page count")))
        .expect("Pages line")
}

fn packet_path(r: &Rendered, code: &str) -> PathBuf {
    std::fs::read_dir(r.out.join("departments"))
        .expect("folder")
        .map(|e| e.expect("entry").path())
        .find(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with(&format!("{code}_"))))
        .unwrap_or_else(|| panic!("packet of {code}"))
}

/// Numbers a packet may print: the department's own figures, the city's, the
/// plan's, and the differences between them — one decimal each.
fn allowed_numbers(r: &Rendered, code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    fn add(out: &mut BTreeSet<String>, v: &Value) {
        if let Some(x) = v.as_f64() {
            out.insert(one(x.abs()));
        }
    }
    let y = year_json(r);
    let city = group(r, "ALL", None).and_then(shown).expect("city shown");
    let dept = group(r, code, None).and_then(shown);
    for f in [Some(city), dept].into_iter().flatten() {
        add(&mut out, &f["response_rate"]);
        for s in f["scores"].as_array().expect("scores") {
            let s = value(s);
            for k in ["score", "favorable", "neutral", "unfavorable"] {
                add(&mut out, &s[k]);
            }
            add(&mut out, &s["change"]["delta"]);
        }
        for it in items(f) {
            add(&mut out, &it["score"]);
            add(&mut out, &it["change"]["delta"]);
        }
        for it in f["outcomes"]["shown"].as_array().into_iter().flatten() {
            add(&mut out, &it["score"]);
            add(&mut out, &it["favorable"]);
        }
    }
    for p in y["progress"].as_array().expect("progress") {
        for k in ["target", "trajectory", "baseline"] {
            add(&mut out, &p[k]);
        }
    }
    // Differences between the department and the city, or the year's trajectory.
    if let Some(d) = dept {
        for (s, c) in d["scores"].as_array().expect("scores").iter().zip(city["scores"].as_array().expect("scores")) {
            let category = &s["category"];
            let (s, c) = (value(s), value(c));
            if let (Some(a), Some(b)) = (s["score"].as_f64(), c["score"].as_f64()) {
                out.insert(one((a - b).abs()));
            }
            let trajectory = y["progress"]
                .as_array()
                .and_then(|ps| ps.iter().find(|p| &p["id"] == category))
                .and_then(|p| p["trajectory"].as_f64());
            if let (Some(a), Some(t)) = (s["score"].as_f64(), trajectory) {
                out.insert(one((a - t).abs()));
            }
        }
        // The tested differences from the rest of the city, and the 目安's margin of two standard errors.
        for s in d["scores"].as_array().expect("scores") {
            let s = value(s);
            add(&mut out, &s["versus_city"]["difference"]);
            if let (Some(sd), Some(n)) = (s["sd"].as_f64(), s["n"].as_f64()) {
                out.insert(one(2.0 * sd / n.sqrt()));
            }
        }
        for s in items(d) {
            add(&mut out, &s["versus_city"]["difference"]);
        }
        for s in items(d) {
            for c in items(city).filter(|c| c["item"] == s["item"]) {
                if let (Some(a), Some(b)) = (s["score"].as_f64(), c["score"].as_f64()) {
                    out.insert(one((a - b).abs()));
                }
            }
        }
    }
    // The equal share of importance that 重点改善 is judged against (100 / categories).
    let categories = r.json["categories"].as_array().map_or(0, Vec::len);
    if categories > 0 {
        out.insert(one(100.0 / categories as f64));
    }
    // The department's driver analysis: importance and its interval, R² in %.
    if let Some(groups) = y["drivers"]["groups"].as_array() {
        for g in groups.iter().filter(|g| g["department"] == code) {
            add(&mut out, &(g["r2"].as_f64().unwrap_or(f64::NAN) * 100.0).into());
            add(&mut out, &(g["adjusted_r2"].as_f64().unwrap_or(f64::NAN) * 100.0).into());
            for v in g["r2_interval"].as_array().into_iter().flatten() {
                add(&mut out, &(v.as_f64().unwrap_or(f64::NAN) * 100.0).into());
            }
            for c in g["categories"].as_array().into_iter().flatten() {
                add(&mut out, &c["share"]);
                for v in c["share_interval"].as_array().into_iter().flatten() {
                    add(&mut out, v);
                }
            }
        }
    }
    // The harassment survey's shares of the department and the city.
    if let Some(groups) = y["harassment"]["groups"].as_array() {
        for g in groups.iter().filter(|g| g["department"] == code || g["department"] == "ALL") {
            for q in g["visibility"]["shown"]["questions"].as_array().into_iter().flatten() {
                let q = &q["visibility"]["shown"];
                add(&mut out, &q["favorable"]);
                for share in q["shares"].as_array().into_iter().flatten() {
                    add(&mut out, &share["shown"]);
                }
            }
        }
    }
    // Cuts of the department and the city, and both overall scores in earlier years (trend).
    for demo in r.json["demographics"].as_array().expect("demographics") {
        for v in demo["values"].as_array().expect("values") {
            let cut = Some((demo["name"].as_str().expect("name"), v.as_str().expect("value")));
            for g in [group(r, code, cut), group(r, "ALL", cut)].into_iter().flatten() {
                if let Some(f) = shown(g) {
                    add(&mut out, &value(f["scores"].as_array().expect("scores").last().expect("overall"))["score"]);
                }
            }
        }
    }
    out
}

/// The overall scores of a department (any code) and the city in earlier
/// years, from the full scores CSV of every year.
fn earlier_overall_scores() -> BTreeSet<String> {
    static EARLIER: OnceLock<BTreeSet<String>> = OnceLock::new();
    EARLIER
        .get_or_init(|| {
            let dir = tempfile::tempdir().expect("temp dir");
            let path = dir.path().join("all.csv");
            let ws = sample();
            ishiki(&["scores", ws.to_str().expect("utf-8"), "--out", path.to_str().expect("utf-8")]);
            let mut reader = csv::Reader::from_path(&path).expect("csv");
            reader
                .records()
                .map(|r| r.expect("record"))
                .filter(|r| &r[0] != "2025" && r[2].is_empty() && &r[4] == "overall" && !r[6].is_empty())
                .map(|r| one(r[6].parse::<f64>().expect("score")))
                .collect()
        })
        .clone()
}

/// DESIGN §5 "Harassment answers": no department's harassment share in the
/// JSON rests on fewer than 5 who chose its answer or 5 who did not, and a
/// packet whose share is withheld so prints 「少数のため非表示」 and no number
/// for its department (財政課: one of 26 said はい to H01 in 令和7年度).
#[test]
fn a_packet_prints_no_harassment_share_resting_on_a_few() {
    let r = rendered();
    let groups = year_json(r)["harassment"]["groups"].as_array().expect("harassment groups");
    let mut few: BTreeSet<&str> = BTreeSet::new();
    for g in groups.iter().filter(|g| g["department"] != "ALL") {
        let code = g["department"].as_str().expect("code");
        for q in g["visibility"]["shown"]["questions"].as_array().into_iter().flatten() {
            let Some(f) = q["visibility"].get("shown") else { continue };
            let n = f["answered"].as_f64().expect("answered");
            for share in f["shares"].as_array().expect("shares") {
                match share.get("shown").and_then(Value::as_f64) {
                    Some(s) => {
                        let chose = (s * n / 100.0).round();
                        assert!(chose >= 5.0 && n - chose >= 5.0, "{code} {}: {chose} of {n}", q["id"]);
                    }
                    None if q["id"] == "H01" && share["withheld"]["reason"] == "small_count" => {
                        few.insert(code);
                    }
                    None => {}
                }
            }
        }
    }
    assert!(few.contains("0103"), "財政課's H01 is withheld: {few:?}");
    for code in few {
        let text = pdftotext(&packet_path(r, code));
        let line = text
            .lines()
            .find(|l| l.contains("ハラスメントを受けたと感じた"))
            .unwrap_or_else(|| panic!("{code}: no H01 line in\n{text}"));
        assert!(line.contains("少数のため非表示"), "{code}: {line}");
        // The city's share is the line's only number.
        assert_eq!(line.matches('%').count(), 1, "{code}: {line}");
    }
}

#[test]
fn a_packet_shows_its_department_and_the_city_only() {
    let r = rendered();
    let shown_codes: Vec<String> = year_json(r)["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .filter(|g| g["cut"].is_null() && g["department"] != "ALL" && shown(g).is_some())
        .map(|g| g["department"].as_str().expect("code").to_string())
        .collect();
    assert!(shown_codes.len() > 10);
    let earlier = earlier_overall_scores();
    for code in &shown_codes {
        let text = pdftotext(&packet_path(r, code));
        let mut allowed = allowed_numbers(r, code);
        // The trend chart: this department's and the city's overall in earlier years.
        allowed.extend(earlier.iter().cloned());
        let stray: Vec<String> = one_decimal_numbers(&text).into_iter().filter(|n| !allowed.contains(n)).collect();
        assert!(stray.is_empty(), "packet {code} prints numbers that are not its own or the city's: {stray:?}");

        // Its category scores are those of the scores CSV, rounded to one decimal.
        let squeezed_text = squeezed(&text);
        for row in all_rows(r, code).into_iter().filter(|row| row["suppressed"] == "false") {
            let score: f64 = row["score"].parse().expect("score");
            assert!(squeezed_text.contains(&one(score)), "packet {code}: {} ({}) missing", one(score), row["category"]);
        }
    }
}

#[test]
fn a_hidden_departments_packet_holds_no_department_number() {
    let r = rendered();
    let hidden: Vec<&Value> = year_json(r)["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .filter(|g| g["cut"].is_null() && g["visibility"].get("withheld").is_some())
        .filter(|g| r.csv.iter().any(|row| row["department"] == g["department"].as_str().unwrap_or("")))
        .collect();
    assert!(!hidden.is_empty());
    let city = group(r, "ALL", None).and_then(shown).expect("city");
    let mut allowed: BTreeSet<String> =
        city["scores"].as_array().expect("scores").iter().filter_map(|s| value(s)["score"].as_f64()).map(one).collect();
    for p in year_json(r)["progress"].as_array().expect("progress") {
        if let Some(t) = p["target"].as_f64() {
            allowed.insert(one(t));
        }
    }
    for g in hidden {
        let code = g["department"].as_str().expect("code");
        let path = packet_path(r, code);
        assert_eq!(pdf_pages(&path), 1, "{code}: a one-page notice");
        let text = pdftotext(&path);
        assert!(squeezed(&text).contains("この所属の結果は表示できません"), "{code}");
        let stray: Vec<String> = one_decimal_numbers(&text).into_iter().filter(|n| !allowed.contains(n)).collect();
        assert!(stray.is_empty(), "hidden packet {code} prints {stray:?}");
        assert!(!text.contains('%'), "hidden packet {code} prints a rate");
    }
}

#[test]
fn narrowing_writes_only_what_was_asked() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ws = sample();
    let ws = ws.to_str().expect("utf-8");
    let only = dir.path().join("only");
    ishiki(&["report", ws, "--year", "R7", "--out", only.to_str().expect("utf-8"), "--only", "committee"]);
    let names: Vec<String> = std::fs::read_dir(&only)
        .expect("out")
        .map(|e| e.expect("e").file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(names, vec!["committee_2025.pdf".to_string()]);
    let one_dept = dir.path().join("one");
    ishiki(&["report", ws, "--year", "R7", "--out", one_dept.to_str().expect("utf-8"), "--department", "0101"]);
    let packets: Vec<String> = std::fs::read_dir(one_dept.join("departments"))
        .expect("departments")
        .map(|e| e.expect("e").file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(packets, vec!["0101_総務課.pdf".to_string()]);
    assert!(!one_dept.join("committee_2025.pdf").exists());
    assert!(!one_dept.join("explorer_2025.html").exists());
    let unknown = Command::new(env!("CARGO_BIN_EXE_ishiki"))
        .args([
            "report",
            ws,
            "--year",
            "R7",
            "--out",
            dir.path().join("x").to_str().expect("utf-8"),
            "--department",
            "9999",
        ])
        .output()
        .expect("run");
    // A usage error naming the closest codes (tests/cli/departments.rs has more).
    assert_eq!(unknown.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&unknown.stderr);
    assert!(stderr.contains("所属コード「9999」は令和7年度の org.csv にありません（近い所属コード: "), "{stderr}");
}

#[test]
fn a_failing_packet_names_its_department_and_the_run_writes_nothing() {
    // A city's own template that fails for one department only.
    let dir = tempfile::tempdir().expect("temp dir");
    let templates = dir.path().join("templates");
    std::fs::create_dir(&templates).expect("templates folder");
    let original = include_str!("../../report-templates/department.typ");
    let failing = original.replace(
        "#show: house-style",
        "#show: house-style\n#if d.code == \"0101\" { panic(\"この所属だけ失敗するテンプレート\") }",
    );
    assert_ne!(failing, original);
    std::fs::write(templates.join("department.typ"), failing).expect("write template");
    let run = |out: &Path, extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_ishiki"))
            .arg("report")
            .arg(sample())
            .args(["--year", "R7", "--date", "2025-11-25"])
            .args(extra)
            .arg("--out")
            .arg(out)
            .output()
            .expect("run")
    };
    // Into a new folder: exit 1, the department named, nothing written at all.
    let out = dir.path().join("out");
    let templates_arg = templates.to_str().expect("utf-8");
    let output = run(&out, &["--templates", templates_arg]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("所属「0101 総務課」のフィードバックを作れませんでした"), "{stderr}");
    assert!(stderr.contains("この所属だけ失敗するテンプレート"), "{stderr}");
    assert!(!out.exists(), "a failed run leaves no folder behind");

    // Over an earlier run's outputs: every file stays as it was, no temporary file is left.
    let before_dir = dir.path().join("before");
    assert!(run(&before_dir, &[]).status.success());
    let before = crate::harness::snapshot(&before_dir);
    let output = run(&before_dir, &["--templates", templates_arg]);
    assert_eq!(output.status.code(), Some(1));
    assert!(crate::harness::snapshot(&before_dir) == before, "a failed run changed existing outputs");
}

#[test]
fn a_citys_own_template_replaces_the_embedded_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let templates = dir.path().join("templates");
    std::fs::create_dir(&templates).expect("folder");
    let own = include_str!("../../report-templates/committee.typ")
        .replace("の目標に対する進捗", "の目標に対する進捗（テスト市版）");
    std::fs::write(templates.join("committee.typ"), own).expect("write");
    let out = dir.path().join("out");
    ishiki(&[
        "report",
        sample().to_str().expect("utf-8"),
        "--year",
        "R7",
        "--only",
        "committee",
        "--templates",
        templates.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    let text = squeezed(&pdftotext(&out.join("committee_2025.pdf")));
    assert!(text.contains("テスト市版"));
}

/// tests/fixtures/dropouts (k = 3): in 令和7年度 総務課 (110) has 4 respondents,
/// two of whom stopped after A1, so カテゴリB has 2 scores there (withheld by
/// count: 100 and 75, mean 87.5) and 人事課 (120)'s カテゴリB is withheld by
/// differencing (its 3 scores, 75, 50 and 100, mean 75.0, would reveal
/// 総務課's from 総務部's). No output may print either value.
#[test]
fn withheld_values_appear_in_no_output() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ws = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dropouts");
    let ws = ws.to_str().expect("utf-8");
    let out = dir.path().join("out");
    ishiki(&["report", ws, "--year", "R7", "--out", out.to_str().expect("utf-8")]);
    let csv_path = dir.path().join("s.csv");
    ishiki(&["scores", ws, "--out", csv_path.to_str().expect("utf-8")]);
    let csv = std::fs::read_to_string(&csv_path).expect("csv");
    for code in ["110", "120"] {
        assert!(csv.contains(&format!("2025,{code},,,b,,,,,,false,true\n")), "{code} b suppressed:\n{csv}");
        assert!(!csv.contains(&format!("2025,{code},,,a,,,,,,false,true\n")), "{code} a shown");
    }

    // The packets: カテゴリB reads 非表示, with a note why, and neither number appears.
    for (code, withheld) in [("110", "87.5"), ("120", "75.0")] {
        let packet = std::fs::read_dir(out.join("departments"))
            .expect("departments")
            .map(|e| e.expect("entry").path())
            .find(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with(&format!("{code}_"))))
            .expect("packet");
        let text = pdftotext(&packet);
        // The table's row and the chart's label (set over the chart, so a line of its own).
        let rows: Vec<&str> = text.lines().filter(|l| l.trim_start().starts_with("カテゴリB")).collect();
        assert!(rows.iter().any(|row| row.contains("非表示")), "{code}: {rows:?}\n{text}");
        for row in &rows {
            assert!(one_decimal_numbers(row).iter().all(|n| n != withheld), "{code}: {row}");
        }
        assert!(squeezed(&text).contains("カテゴリBの点数は"), "{code}: no note on the missing score");
        assert!(squeezed(&text).contains("設問ごとの結果は"), "{code}: no note on the missing item blocks");
    }
    // 総務課's own b (87.5) is printed nowhere in the committee report.
    let committee = pdftotext(&out.join("committee_2025.pdf"));
    let row = committee.lines().find(|l| l.trim_start().starts_with("総務課")).expect("総務課's row");
    assert!(!row.contains("87.5"), "{row}");
    assert!(squeezed(&committee).contains("回答者の秘密を守るために表示しなかったもの"));

    // The workbook: 「—」 and the reason where the value is withheld.
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(out.join("scores_2025.xlsx")).expect("xlsx");
    let depts = wb.worksheet_range("所属別").expect("所属別");
    let header: Vec<String> = depts.rows().next().expect("header").iter().map(|c| c.to_string()).collect();
    let b = header.iter().position(|h| h == "カテゴリB").expect("B column");
    let note = header.iter().position(|h| h == "備考").expect("備考");
    for (code, reason) in [("110", "回答者が3人未満のため非表示"), ("120", "他の区分の推計を防ぐため非表示")]
    {
        let row = depts.rows().find(|r| r[1] == code).expect("row");
        assert_eq!(row[b].to_string(), "—", "{code}");
        assert!(row[note].to_string().contains(reason), "{code}: {}", row[note]);
    }
    let items = wb.worksheet_range("項目別").expect("項目別");
    for row in items.rows().filter(|r| r[1] == "110" || r[1] == "120") {
        assert_eq!(row[9].to_string(), "—", "item results of 110 and 120 are withheld as whole blocks: {row:?}");
    }
}

#[test]
fn a_very_long_department_name_gets_a_shortened_file_name() {
    let sandbox = crate::harness::Sandbox::valid();
    let long = "地域振興".repeat(25) + "課";
    sandbox.edit("org.csv", "2024,0210,市民課,", &format!("2024,0210,{long},"));
    let run = sandbox.run(&["report", "ws", "--year", "R6", "--only", "departments", "--out", "out"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let names: Vec<String> = std::fs::read_dir(sandbox.root().join("out/departments"))
        .expect("packets")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    let packet = names.iter().find(|n| n.starts_with("0210_")).expect("the long-named department's packet");
    assert_eq!(packet, &format!("0210_{}….pdf", "地域振興".repeat(10).chars().take(39).collect::<String>()));
    assert!(packet.len() < 255);
}

#[test]
fn a_folder_where_a_packet_goes_stops_the_run_and_changes_nothing() {
    let sandbox = crate::harness::Sandbox::valid();
    let args = ["report", "ws", "--year", "R6", "--date", "2025-11-25", "--out", "out"];
    assert_eq!(sandbox.run(&args).code, 0);
    // One packet's place now holds a folder (as a file locked by a viewer would refuse too).
    let packet = std::fs::read_dir(sandbox.root().join("out/departments"))
        .expect("packets")
        .map(|e| e.expect("entry").path())
        .max()
        .expect("a packet");
    std::fs::remove_file(&packet).expect("remove");
    std::fs::create_dir(&packet).expect("folder in its place");
    let before = sandbox.snapshot();
    let run = sandbox.run(&["report", "ws", "--year", "R6", "--date", "2026-02-20", "--out", "out"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("同じ名前のフォルダがあります"), "{}", run.stderr);
    assert!(sandbox.snapshot() == before, "a failed run changed existing outputs");
}

#[test]
fn packets_this_run_did_not_write_are_noted_not_removed() {
    let sandbox = crate::harness::Sandbox::valid();
    let args = ["report", "ws", "--year", "R6", "--only", "departments", "--out", "out"];
    assert_eq!(sandbox.run(&args).code, 0);
    // The department is renamed: last run's packet stays beside the new one.
    sandbox.edit("org.csv", "2024,0210,市民課,", "2024,0210,市民窓口課,");
    let run = sandbox.run(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(sandbox.root().join("out/departments/0210_市民課.pdf").is_file(), "the user's folder is not cleaned");
    assert!(sandbox.root().join("out/departments/0210_市民窓口課.pdf").is_file());
    let notes = run.notes();
    assert_eq!(notes.len(), 1, "{}", run.stderr);
    assert!(notes[0].contains("今回作っていない PDF が1件あります（0210_市民課.pdf）"), "{}", run.stderr);
    // Run again: no note for the packets it wrote itself.
    std::fs::remove_file(sandbox.root().join("out/departments/0210_市民課.pdf")).expect("remove");
    assert!(sandbox.run(&args).notes().is_empty());
}

/// DESIGN §6 in print, on the valid fixture's 令和6年度 with goals set near
/// its values (worked out by hand: 自己成長 66.667, 健康 57.8125, 総合 62.240).
#[test]
fn committee_report_prints_floors_by_their_margin_and_misses_apart_from_their_line() {
    let sb = crate::harness::Sandbox::valid();
    // 自己成長 59 (R4) → 66.7 due in R6: 66.667 is 未達 in its target year, printed
    // 66.67 (not 66.7), 進捗率 (66.667 − 59) / 7.7 = 99.6 % printed whole and short of 100.
    sb.edit("plan.toml", "target_year = \"R7\"\ntarget = 65", "target_year = \"R6\"\ntarget = 66.7");
    // 健康 54 (R4) → 57 (R7): 57.8125 is 達成, 進捗率 127 %.
    // 総合 at least 62.28 every year: 62.240 is 未達 by 0.04 points, with no 進捗率.
    sb.edit(
        "plan.toml",
        "unit = \"点\"\ntarget = 65",
        "unit = \"点\"\nbaseline_year = \"R5\"\nbaseline = 65.8\ntarget = 62.28",
    );
    let run = sb.run(&["report", "ws", "--year", "R6", "--out", "out", "--only", "committee", "--date", "2025-12-01"]);
    assert_eq!(run.code, 0, "{run}");
    let text = pdftotext(&sb.root().join("out").join("committee_2024.pdf"));
    let flat = squeezed(&text);
    let row_of = |name: &str, holding: &str| -> String {
        text.lines()
            .map(squeezed)
            .find(|l| l.starts_with(name) && l.contains(holding))
            .unwrap_or_else(|| panic!("no row of {name} with {holding}:\n{text}"))
    };
    // The targets table: value, target, trajectory, 進捗率, status.
    let growth = row_of("自己成長", "59.0（R4）");
    assert!(growth.contains("66.67") && growth.contains("66.7（R6）") && growth.contains("99%"), "{growth}");
    assert!(growth.ends_with("未達"), "{growth}");
    let health = row_of("健康", "54.0（R4）");
    assert!(health.contains("57.8") && health.contains("127%") && health.ends_with("達成"), "{health}");
    let overall = row_of("総合", "65.8（R5）");
    assert!(overall.contains("62.28以上"), "{overall}");
    assert!(overall.contains("62.2") && overall.ends_with("未達"), "{overall}");
    assert!(!overall.contains('%'), "a floor has no 進捗率: {overall}");
    assert!(flat.contains("目標値を0.04点下回る"), "the floor's margin");
    // Every 進捗率 is whole: no percentage with a decimal in the targets table.
    for row in [&growth, &health] {
        assert!(!row.contains("99.6%") && !row.contains("127.1%"), "{row}");
    }
    // The findings and the legend.
    assert!(
        flat.contains(
            "総合点は62.2点で、計画の目標（62.28以上（毎年度））に届いていません（未達：目標値を0.04点下回る）。"
        ),
        "{flat}"
    );
    assert!(flat.contains("自己成長は、目標年度までに目標値に届きませんでした（未達）。"), "{flat}");
    assert!(flat.contains("未達＝毎年度の目標値を下回った、または目標年度に目標値に届かなかった"), "legend");
    assert!(!flat.contains("遅れて"), "no category is said to be behind in its target year");
}

/// DESIGN §6 on sample-data's 令和7年度, the target year of its goals to reach:
/// floors print their margin and neither a trajectory nor 進捗率; goals to
/// reach are 達成 or 未達, with 進捗率 in whole percent.
#[test]
fn committee_report_prints_each_goals_progress_as_design_6_says() {
    let r = rendered();
    let text = squeezed(&pdftotext(&r.out.join("committee_2025.pdf")));
    let y = year_json(r);
    let goals: Vec<&Value> = ["progress", "indicators"].iter().flat_map(|k| y[*k].as_array().expect(k)).collect();
    let (mut floors, mut reach) = (0, 0);
    for p in goals {
        let (id, status) = (p["id"].as_str().expect("id"), p["status"].as_str().expect("status"));
        match p["kind"].as_str().expect("kind") {
            "every_year_at_least" | "keep_at_least" => {
                assert!(p["trajectory"].is_null() && p["achievement"].is_null(), "{id}: a floor is no journey");
                let m = p["margin"].as_f64().expect("a floor's margin");
                assert!(
                    (m - (p["value"].as_f64().expect("value") - p["target"].as_f64().expect("floor"))).abs() < 1e-9
                );
                assert_eq!(status, if m >= 0.0 { "達成" } else { "未達" }, "{id}");
                let unit = if p["unit"] == "%" { "ポイント" } else { p["unit"].as_str().expect("unit") };
                // 「目標値を」 and the rest may sit on two lines of a narrow cell.
                let margin = format!("{:.1}{unit}{}", m.abs(), if m >= 0.0 { "上回る" } else { "下回る" });
                assert!(text.contains(&margin) && text.contains("目標値を"), "{id}: 目標値を{margin} missing");
                floors += 1;
            }
            "reach_at_least" | "reach_at_most" => {
                assert!(["達成", "未達"].contains(&status), "{id}: {status} in the target year");
                assert!(p["margin"].is_null(), "{id}");
                let a = p["achievement"].as_f64().expect("進捗率");
                let whole = match (a * 100.0).round() as i64 {
                    w if a < 1.0 && w >= 100 => "99%".to_string(),
                    w if w < 0 => format!("▲{}%", -w),
                    w => format!("{w}%"),
                };
                assert!(text.contains(&whole), "{id}: 進捗率 {whole} missing");
                reach += 1;
            }
            _ => assert!(p["margin"].is_null() && p["achievement"].is_null(), "{id}"),
        }
    }
    assert!(floors >= 3 && reach >= 10, "sample-data has floors ({floors}) and goals to reach ({reach})");
    // The issue's numbers: 育児休業 11.1 % against a floor of 10 % from a baseline of 50 %,
    // and 総合 64.9 against 65 from 63, once printed as 「97.2%」 and 「94.1%」 of a way.
    for old in ["97.2%", "94.1%"] {
        assert!(!text.contains(old), "{old} printed");
    }
}

/// The explorer's data block of a written file, as JSON.
fn explorer_data(path: &Path) -> Value {
    let html = std::fs::read_to_string(path).expect("explorer");
    let open = r#"<script type="application/json" id="ishiki-data">"#;
    let start = html.find(open).expect("a data block") + open.len();
    let end = start + html[start..].find("</script>").expect("its end");
    serde_json::from_str(&html[start..end]).expect("JSON")
}

#[test]
fn the_explorer_beside_the_pdfs_holds_the_scores_csv_values() {
    // Read from the outside: every row of the scores CSV (DESIGN §7) against
    // the explorer's cell of the same group and category, one decimal (the
    // block holds tenths).
    let r = rendered();
    let data = explorer_data(&r.out.join("explorer_2025.html"));
    let categories: Vec<&str> =
        data["categories"].as_array().expect("categories").iter().map(|c| c["id"].as_str().expect("id")).collect();
    let demographics = data["demographics"].as_array().expect("demographics");
    let years = data["years"].as_array().expect("years");
    let y = years.iter().find(|y| y["year"] == 2025).expect("2025");
    assert_eq!(years.len(), 4, "R4–R7 of sample-data");
    let codes = y["departments"]["code"].as_array().expect("codes");
    // Each group's first cell, walking the groups as the page does.
    let mut first_cell = BTreeMap::new();
    let mut at = 0;
    let groups = &y["groups"];
    for i in 0..groups["department"].as_array().expect("groups").len() {
        let dept = codes[groups["department"][i].as_u64().expect("index") as usize].as_str().expect("code");
        let (cut, value) = match groups["cut"][i].as_array() {
            None => (String::new(), String::new()),
            Some(cv) => {
                let d = &demographics[cv[0].as_u64().expect("d") as usize];
                (
                    d["name"].as_str().expect("name").to_string(),
                    d["values"][cv[1].as_u64().expect("v") as usize].as_str().expect("value").to_string(),
                )
            }
        };
        let hidden = !groups["hidden"][i].is_null();
        first_cell.insert((dept.to_string(), cut, value), if hidden { None } else { Some(at) });
        if !hidden {
            at += categories.len();
        }
    }
    let cells = &y["cells"];
    // The block holds tenths of the reports' one decimal (623 is 62.3; −0.04 and 0.04 are both 0).
    let one = |v: &str| {
        let rounded: f64 = format!("{:.1}", v.parse::<f64>().expect("a number")).parse().expect("a number");
        ((rounded * 10.0).round() as i64).to_string()
    };
    let text = |v: &Value| v.as_i64().map(|x| x.to_string()).unwrap_or_default();
    let (mut shown, mut suppressed) = (0, 0);
    for row in r.csv.iter().filter(|row| row["year"] == "2025") {
        let key = (row["department"].clone(), row["cut"].clone(), row["cut_value"].clone());
        let group = first_cell.get(&key).unwrap_or_else(|| panic!("no group {key:?} in the explorer"));
        let c = categories.iter().position(|c| *c == row["category"]).expect("category");
        let Some(start) = group else {
            assert_eq!(row["suppressed"], "true", "{key:?}: hidden in the explorer, shown in the CSV");
            suppressed += 1;
            continue;
        };
        let cell = start + c;
        if row["suppressed"] == "true" {
            assert!(
                cells["withheld"][cell.to_string()].is_string(),
                "{key:?} {}: withheld in the CSV only",
                row["category"]
            );
            assert!(cells["score"][cell].is_null() && cells["n"][cell].is_null(), "{key:?}: a withheld number");
            suppressed += 1;
            continue;
        }
        assert_eq!(text(&cells["score"][cell]), one(&row["score"]), "{key:?} {}", row["category"]);
        assert_eq!(cells["n"][cell].to_string(), row["n"], "{key:?} {}", row["category"]);
        assert_eq!(text(&cells["favorable"][cell]), one(&row["favorable"]), "{key:?} {}", row["category"]);
        let delta = if row["delta"].is_empty() { String::new() } else { one(&row["delta"]) };
        assert_eq!(text(&cells["delta"][cell]), delta, "{key:?} {}", row["category"]);
        shown += 1;
    }
    assert!(shown > 1000 && suppressed > 0, "{shown} shown, {suppressed} suppressed");
}
