//! The workbook prints like the PDF (issue 21): read back from the .xlsx's own
//! XML (the zip and quick-xml crates), every sheet is set up for A4
//! landscape, one page wide and as many pages tall as it takes, repeats its
//! header row on every page (`_xlnm.Print_Titles`), has a page header with
//! the survey, the sheet's title and the years, page numbers in its footer,
//! and a filter over its whole table; the 所属別 sheet's colour scale is the
//! PDF heatmap's orange–white–blue, centred on the city's score of that year
//! and category, at full colour 8 points away.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{Data, Reader};
use quick_xml::events::Event;

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data")
}

fn scores(out: &Path) {
    let output = Command::new(env!("CARGO_BIN_EXE_ishiki"))
        .arg("scores")
        .arg(sample())
        .arg("--out")
        .arg(out)
        .env("SOURCE_DATE_EPOCH", "1764000000")
        .output()
        .expect("run ishiki");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}

/// An element of an XML part: its local name, attributes and own text.
#[derive(Debug)]
pub struct El {
    pub name: String,
    pub attrs: BTreeMap<String, String>,
    pub text: String,
}

impl El {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.get(name).map(String::as_str)
    }
}

fn element(e: &quick_xml::events::BytesStart<'_>) -> El {
    let attrs = e
        .attributes()
        .map(|a| {
            let a = a.expect("attribute");
            let value = a.normalized_value(quick_xml::XmlVersion::default()).expect("value");
            (a.key.local_name().as_ref().to_string(), value.into_owned())
        })
        .collect();
    El { name: e.local_name().as_ref().to_string(), attrs, text: String::new() }
}

/// Every element of a part of the archive, in document order.
pub fn elements(zip: &mut zip::ZipArchive<std::fs::File>, part: &str) -> Vec<El> {
    let mut xml = String::new();
    zip.by_name(part).unwrap_or_else(|e| panic!("{part}: {e}")).read_to_string(&mut xml).expect("UTF-8 XML");
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut out: Vec<El> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => {
                out.push(element(&e));
                open.push(out.len() - 1);
            }
            Event::Empty(e) => out.push(element(&e)),
            Event::Text(t) => {
                if let Some(&i) = open.last() {
                    out[i].text.push_str(&t.xml_content(quick_xml::XmlVersion::default()));
                }
            }
            Event::GeneralRef(r) => {
                if let Some(&i) = open.last() {
                    let ch = match r.as_ref() {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        other => panic!("entity &{other};"),
                    };
                    out[i].text.push_str(ch);
                }
            }
            Event::End(_) => {
                open.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// Column letters to a 0-based index (`A` → 0, `AA` → 26).
fn column(letters: &str) -> usize {
    letters.bytes().fold(0, |n, b| n * 26 + usize::from(b - b'A' + 1)) - 1
}

/// A cell reference (`F12`) to 0-based (row, column).
fn cell(reference: &str) -> (usize, usize) {
    let split = reference.find(|c: char| c.is_ascii_digit()).expect("a row");
    let row: usize = reference[split..].parse().expect("row number");
    (row - 1, column(&reference[..split]))
}

#[test]
fn every_sheet_prints_like_the_pdf_and_departments_are_coloured_around_the_city() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("s.xlsx");
    let csv_path = dir.path().join("s.csv");
    scores(&path); // every year of sample-data, 令和4〜7年度
    scores(&csv_path);
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).expect("xlsx")).expect("a zip");

    // Sheets in order and the part each is in.
    let workbook = elements(&mut zip, "xl/workbook.xml");
    let rels: BTreeMap<String, String> = elements(&mut zip, "xl/_rels/workbook.xml.rels")
        .into_iter()
        .filter(|e| e.name == "Relationship")
        .map(|e| (e.attrs["Id"].clone(), format!("xl/{}", e.attrs["Target"])))
        .collect();
    let sheets: Vec<(String, String)> = workbook
        .iter()
        .filter(|e| e.name == "sheet")
        .map(|e| (e.attrs["name"].clone(), rels[&e.attrs["id"]].clone()))
        .collect();
    assert_eq!(sheets.len(), 10, "{sheets:?}");
    let print_titles: BTreeMap<usize, &str> = workbook
        .iter()
        .filter(|e| e.name == "definedName" && e.attr("name") == Some("_xlnm.Print_Titles"))
        .map(|e| (e.attrs["localSheetId"].parse().expect("sheet index"), e.text.as_str()))
        .collect();

    let mut headers: Vec<String> = Vec::new();
    for (i, (name, part)) in sheets.iter().enumerate() {
        let xml = elements(&mut zip, part);
        let one = |tag: &str| -> &El {
            let mut found = xml.iter().filter(|e| e.name == tag);
            let e = found.next().unwrap_or_else(|| panic!("{name}: no <{tag}>"));
            assert!(found.next().is_none(), "{name}: two <{tag}>");
            e
        };
        // A4 landscape, one page wide, as many tall as it takes.
        let setup = one("pageSetup");
        assert_eq!(setup.attr("orientation"), Some("landscape"), "{name}: {setup:?}");
        assert_eq!(setup.attr("paperSize"), Some("9"), "{name}: {setup:?}");
        assert_eq!(setup.attr("fitToWidth").unwrap_or("1"), "1", "{name}: {setup:?}");
        assert_eq!(setup.attr("fitToHeight"), Some("0"), "{name}: {setup:?}");
        assert_eq!(one("pageSetUpPr").attr("fitToPage"), Some("1"), "{name}");
        // The header row on every page.
        assert_eq!(print_titles.get(&i).copied(), Some(format!("{name}!$1:$1").as_str()), "{name}");
        // Survey, title and years above; the page number and count below.
        let header = &one("oddHeader").text;
        assert!(header.starts_with("&L職員意識調査 集計表&C"), "{name}: {header}");
        assert!(header.ends_with("&R令和4年度〜令和7年度"), "{name}: {header}");
        headers.push(header.clone());
        assert_eq!(one("oddFooter").text, "&C&P / &N", "{name}");
        // A filter over the whole table, from its header row.
        let used = one("dimension").attrs["ref"].clone();
        assert!(used.starts_with("A1:"), "{name}: {used}");
        assert_eq!(one("autoFilter").attr("ref"), Some(used.as_str()), "{name}");
        // Only the 所属別 sheet is coloured.
        let scales = xml.iter().filter(|e| e.name == "colorScale").count();
        assert_eq!(scales > 0, name == "所属別", "{name}: {scales} colour scales");
    }
    // Each page header names its own sheet.
    let distinct: std::collections::BTreeSet<&String> = headers.iter().collect();
    assert_eq!(distinct.len(), headers.len(), "{headers:?}");

    // The 所属別 colour scales: per year and category column, the PDF's
    // orange, near white and blue at the city's score −8, itself and +8.
    let csv = std::fs::read_to_string(&csv_path).expect("csv");
    let city_rows: Vec<Vec<&str>> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|f| f[1] == "ALL" && f[2].is_empty())
        .collect();
    let city: BTreeMap<(String, String), f64> = city_rows
        .iter()
        .map(|f| ((f[0].to_string(), f[4].to_string()), f[6].parse().expect("the city's score")))
        .collect();
    // Categories in the sheet's column order, overall last.
    let ids: Vec<&str> = city_rows.iter().filter(|f| f[0] == "2025").map(|f| f[4]).collect();
    assert_eq!(ids.last(), Some(&"overall"));
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&path).expect("xlsx");
    let depts = wb.worksheet_range("所属別").expect("所属別");
    let rows: Vec<&[Data]> = depts.rows().collect();
    let header: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
    let first = header.iter().position(|h| h == "自己成長").expect("first category");
    let category_of = |c: usize| ids[c - first];
    let year_of = |r: usize| -> String {
        let label = rows[r][0].to_string(); // 令和7年度（2025年度）
        label.split('（').nth(1).expect("western year")[..4].to_string()
    };
    let part = &sheets.iter().find(|(n, _)| n == "所属別").expect("所属別").1;
    let xml = elements(&mut zip, part);
    let mut covered: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (k, e) in xml.iter().enumerate().filter(|(_, e)| e.name == "conditionalFormatting") {
        let sqref = e.attrs["sqref"].clone();
        let (a, b) = sqref.split_once(':').unwrap_or_else(|| panic!("a range: {sqref}"));
        let ((top, col), (bottom, last_col)) = (cell(a), cell(b));
        assert_eq!(col, last_col, "one column per scale: {sqref}");
        assert!((first..first + ids.len()).contains(&col), "{sqref} is not a category column");
        // Exactly one year's rows: its first row below the header or the year before.
        let year = year_of(top);
        assert!((top..=bottom).all(|r| year_of(r) == year), "{sqref} spans years");
        assert!(top == 1 || year_of(top - 1) != year, "{sqref} starts inside {year}");
        assert!(bottom + 1 == rows.len() || year_of(bottom + 1) != year, "{sqref} ends inside {year}");
        let rule: Vec<&El> = xml[k + 1..].iter().take_while(|e| e.name != "conditionalFormatting").collect();
        let values: Vec<(&str, f64)> = rule
            .iter()
            .filter(|e| e.name == "cfvo")
            .map(|e| (e.attrs["type"].as_str(), e.attrs["val"].parse().expect("a number")))
            .collect();
        let colours: Vec<&str> = rule.iter().filter(|e| e.name == "color").map(|e| e.attrs["rgb"].as_str()).collect();
        assert_eq!(colours, ["FFDC843E", "FFF7F7F7", "FF4376B0"], "{sqref}");
        let key = (year.clone(), category_of(col).to_string());
        let centre = city[&key];
        assert_eq!(values.iter().map(|v| v.0).collect::<Vec<_>>(), ["num", "num", "num"], "{sqref}");
        for (got, want) in values.iter().map(|v| v.1).zip([centre - 8.0, centre, centre + 8.0]) {
            assert!((got - want).abs() < 1e-9, "{sqref} {key:?}: {values:?}, city {centre}");
        }
        *covered.entry(key).or_default() += 1;
    }
    // Every year's every category and overall, once.
    assert_eq!(covered.len(), 4 * ids.len(), "{covered:?}");
    assert!(covered.values().all(|&n| n == 1), "{covered:?}");
}
