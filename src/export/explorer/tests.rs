//! The explorer's file without a browser (issue 23, point 6): the data block
//! read back equals the model's published values; withheld values are
//! absent; nothing in the data can end its element; the policy's hashes are
//! those of the inline scripts; no address outside the file. Each check is a
//! function run on the real file and on a file broken on purpose, so every
//! check is seen to fail.

use std::collections::BTreeSet;
use std::path::PathBuf;

use super::data::{Data, compared_with_city, item_blocks, tenths};
use super::{
    D3_LICENSE, ECHARTS, ECHARTS_LICENSE, ECHARTS_NOTICE, ECHARTS_VERSION_FILE, SCRIPT, STYLE, TSLIB_LICENSE,
    ZRENDER_LICENSE, escape_html, recorded, render, script_hash,
};
use crate::aggregate::model::{ALL, HiddenReason, ScoresModel, Status};
use crate::aggregate::{Detail, aggregate};
use crate::clock::Date;
use crate::config::year::FiscalYear;

/// The date printed on the file.
const DATE: Date = Date { year: 2025, month: 11, day: 25 };

fn model(fixture: &str) -> ScoresModel {
    load(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(fixture))
}

/// sample-data: the fixture with a driver analysis, the plan's targets and indicators.
fn sample() -> ScoresModel {
    load(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-data"))
}

fn load(root: &std::path::Path) -> ScoresModel {
    let (ws, problems) = crate::ingest::load(root);
    assert!(problems.errors.is_empty(), "{:?}", problems.errors);
    aggregate(&ws.expect("the fixture loads"), Detail::FULL).expect("aggregation runs")
}

fn last_year(m: &ScoresModel) -> FiscalYear {
    m.years.last().expect("a year").year
}

fn html(m: &ScoresModel) -> String {
    String::from_utf8(render(m, last_year(m), DATE).expect("renders")).expect("utf-8")
}

const DATA_OPEN: &str = r#"<script type="application/json" id="ishiki-data">"#;

/// The text of the data block.
fn data_text(html: &str) -> &str {
    let start = html.find(DATA_OPEN).expect("a data block") + DATA_OPEN.len();
    let len = html[start..].find("</script>").expect("its end");
    &html[start..start + len]
}

fn parsed(html: &str) -> Data {
    serde_json::from_str(data_text(html)).expect("the data block is JSON of the data's shape")
}

/// One published value: a category (or 総合) of a group, or a hidden group.
#[derive(Debug, Clone, PartialEq)]
struct Cell {
    year: i32,
    department: String,
    cut: Option<(String, String)>,
    category: String,
    value: Result<Figures, HiddenReason>,
}

/// What the explorer shows of a value, in tenths of the reports' one decimal.
#[derive(Debug, Clone, PartialEq)]
struct Figures {
    n: Option<u64>,
    score: Option<i64>,
    favorable: Option<i64>,
    delta: Option<i64>,
    delta_marked: bool,
    difference: Option<i64>,
    difference_marked: bool,
}

/// The published values of the years up to `year`, read from the model alone.
fn published(m: &ScoresModel, year: FiscalYear) -> Vec<Cell> {
    let mut out = Vec::new();
    for y in m.years.iter().filter(|y| y.year <= year) {
        for g in &y.groups {
            let base = |category: &str, value| Cell {
                year: y.year.0,
                department: g.department.clone(),
                cut: g.cut.clone().zip(g.cut_value.clone()),
                category: category.to_string(),
                value,
            };
            let Some(fig) = g.shown() else {
                out.push(base("*", Err(g.visibility.reason().expect("a reason"))));
                continue;
            };
            for s in &fig.scores {
                let value = match s.visibility.shown() {
                    None => Err(s.visibility.reason().expect("a reason")),
                    Some(f) => {
                        let versus = f.versus_city.filter(|_| compared_with_city(g));
                        Ok(Figures {
                            n: Some(f.n),
                            score: Some(tenths(f.score)),
                            favorable: f.favorable.map(tenths),
                            delta: f.change.map(|c| tenths(c.delta)),
                            delta_marked: f.change.is_some_and(|c| c.fdr_significant),
                            difference: versus.map(|v| tenths(v.difference)),
                            difference_marked: versus.is_some_and(|v| v.significant),
                        })
                    }
                };
                out.push(base(&s.category, value));
            }
        }
    }
    out
}

/// The values the data block holds, read as the page reads them: the cells
/// of shown groups one after another, a department's comparisons likewise.
fn held(d: &Data) -> Vec<Cell> {
    let mut out = Vec::new();
    for y in &d.years {
        let (mut at, mut city_at) = (0, 0);
        for (i, &dept) in y.groups.department.iter().enumerate() {
            let department = y.departments.code[dept].clone();
            let cut =
                y.groups.cut[i].map(|(c, v)| (d.demographics[c].name.clone(), d.demographics[c].values[v].clone()));
            let base = |category: &str, value| Cell {
                year: y.year,
                department: department.clone(),
                cut: cut.clone(),
                category: category.to_string(),
                value,
            };
            if let Some(reason) = y.groups.hidden[i] {
                out.push(base("*", Err(reason)));
                continue;
            }
            let compared = department != ALL && cut.is_none();
            for cat in &d.categories {
                let value = match y.cells.withheld.get(&at) {
                    Some(&reason) => Err(reason),
                    None => Ok(Figures {
                        n: y.cells.n[at],
                        score: y.cells.score[at],
                        favorable: y.cells.favorable[at],
                        delta: y.cells.delta.get(at).copied().flatten(),
                        delta_marked: y.cells.delta_marked.contains(&at),
                        difference: if compared { y.city.difference[city_at] } else { None },
                        difference_marked: compared && y.city.marked.contains(&city_at),
                    }),
                };
                out.push(base(&cat.id, value));
                at += 1;
                if compared {
                    city_at += 1;
                }
            }
        }
        assert_eq!(at, y.cells.n.len(), "{}: cells left over", y.year);
        assert_eq!(city_at, y.city.difference.len(), "{}: comparisons left over", y.year);
    }
    out
}

/// One item value of a whole group, or a block withheld (its reason) or
/// absent (none), keyed by the block's category id (`outcomes` for the
/// outcome questions).
#[derive(Debug, Clone, PartialEq)]
struct ItemCell {
    year: i32,
    department: String,
    item: String,
    value: Result<ItemFigures, Option<HiddenReason>>,
}

/// What the explorer shows of an item, in tenths.
#[derive(Debug, Clone, PartialEq)]
struct ItemFigures {
    n: u64,
    score: i64,
    favorable: i64,
    delta: Option<i64>,
    delta_marked: bool,
    difference: Option<i64>,
    difference_marked: bool,
}

/// The item values of shown whole groups of the years up to `year`, from the model alone.
fn published_items(m: &ScoresModel, year: FiscalYear) -> Vec<ItemCell> {
    let mut out = Vec::new();
    for y in m.years.iter().filter(|y| y.year <= year) {
        for g in y.groups.iter().filter(|g| g.cut.is_none()) {
            let Some(fig) = g.shown() else { continue };
            let mut blocks: Vec<(String, Option<&crate::aggregate::model::Published<Vec<_>>>)> =
                fig.items.iter().map(|b| (b.category.clone(), Some(&b.visibility))).collect();
            if !m.outcomes.is_empty() {
                blocks.push(("outcomes".to_string(), fig.outcomes.as_ref()));
            }
            for (block, visibility) in blocks {
                let cell = |item: &str, value| ItemCell {
                    year: y.year.0,
                    department: g.department.clone(),
                    item: item.to_string(),
                    value,
                };
                match visibility {
                    None => out.push(cell(&block, Err(None))),
                    Some(v) => match v.shown() {
                        None => out.push(cell(&block, Err(v.reason()))),
                        Some(items) => out.extend(items.iter().map(|i| {
                            cell(
                                &i.item,
                                Ok(ItemFigures {
                                    n: i.n,
                                    score: tenths(i.score),
                                    favorable: tenths(i.favorable),
                                    delta: i.change.map(|c| tenths(c.delta)),
                                    delta_marked: i.change.is_some_and(|c| c.fdr_significant),
                                    difference: i.versus_city.map(|c| tenths(c.difference)),
                                    difference_marked: i.versus_city.is_some_and(|c| c.significant),
                                }),
                            )
                        })),
                    },
                }
            }
        }
    }
    out
}

/// The item values the data block holds, read as the page reads them.
fn held_items(d: &Data, blocks: usize) -> Vec<ItemCell> {
    let mut out = Vec::new();
    for y in &d.years {
        let mut at = 0;
        for (position, &group) in y.items.groups.iter().enumerate() {
            let department = y.departments.code[y.groups.department[group]].clone();
            for b in 0..blocks {
                let block = d.categories.get(b).filter(|_| b + 1 < d.categories.len()).map_or("outcomes", |c| &c.id);
                let cell = |item: &str, value| ItemCell {
                    year: y.year,
                    department: department.clone(),
                    item: item.to_string(),
                    value,
                };
                let index = position * blocks + b;
                if let Some(&reason) = y.items.withheld.get(&index) {
                    out.push(cell(block, Err(Some(reason))));
                    continue;
                }
                if y.items.absent.contains(&index) {
                    out.push(cell(block, Err(None)));
                    continue;
                }
                let category = (b + 1 < d.categories.len()).then_some(b);
                for q in d.items.iter().filter(|q| q.category == category) {
                    out.push(cell(
                        &q.id,
                        Ok(ItemFigures {
                            n: y.items.n[at],
                            score: y.items.score[at],
                            favorable: y.items.favorable[at],
                            delta: y.items.delta.get(at).copied().flatten(),
                            delta_marked: y.items.delta_marked.contains(&at),
                            difference: y.items.difference[at],
                            difference_marked: y.items.difference_marked.contains(&at),
                        }),
                    ));
                    at += 1;
                }
            }
        }
        assert_eq!(at, y.items.n.len(), "{}: item cells left over", y.year);
    }
    out
}

/// Every withheld value and hidden group holds no number at all.
fn withheld_hold_no_number(d: &Data) -> Result<(), String> {
    for y in &d.years {
        for (i, hidden) in y.groups.hidden.iter().enumerate() {
            let numbers =
                [y.groups.respondents[i].is_some(), y.groups.rate[i].is_some(), y.groups.headcount[i].is_some()];
            if hidden.is_some() && numbers.iter().any(|&b| b) {
                return Err(format!("{}: hidden group {i} holds a number", y.year));
            }
        }
        for &at in y.cells.withheld.keys() {
            if y.cells.n[at].is_some()
                || y.cells.score[at].is_some()
                || y.cells.favorable[at].is_some()
                || y.cells.delta.get(at).is_some_and(Option::is_some)
            {
                return Err(format!("{}: withheld cell {at} holds a number", y.year));
            }
        }
    }
    Ok(())
}

/// The inline scripts that run (not the data block), in order.
fn running_scripts(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find("<script") {
        let open_end = at + rest[at..].find('>').expect("a tag end") + 1;
        let tag = &rest[at..open_end];
        let len = rest[open_end..].find("</script>").expect("a script end");
        if tag == "<script>" {
            out.push(&rest[open_end..open_end + len]);
        } else {
            assert!(tag.contains(r#"type="application/json""#), "a script of another kind: {tag}");
        }
        rest = &rest[open_end + len..];
    }
    out
}

/// The policy's script hashes are exactly those of the inline scripts, and
/// it allows no connection.
fn policy_fits(html: &str) -> Result<(), String> {
    const META: &str = r#"<meta http-equiv="Content-Security-Policy" content=""#;
    let start = html.find(META).ok_or("no policy")? + META.len();
    let policy = &html[start..start + html[start..].find('"').ok_or("no policy end")?];
    let directive = |name: &str| -> Option<Vec<&str>> {
        policy.split(';').map(str::trim).find_map(|d| {
            let mut words = d.split_whitespace();
            (words.next() == Some(name)).then(|| words.collect())
        })
    };
    for (name, value) in [("default-src", "'none'"), ("connect-src", "'none'"), ("base-uri", "'none'")] {
        if directive(name) != Some(vec![value]) {
            return Err(format!("{name} is not {value}: {policy}"));
        }
    }
    let allowed: BTreeSet<String> =
        directive("script-src").ok_or("no script-src")?.iter().map(|s| s.trim_matches('\'').to_string()).collect();
    let scripts: BTreeSet<String> = running_scripts(html).iter().map(|s| script_hash(s)).collect();
    if allowed != scripts {
        return Err(format!("script-src {allowed:?} but the scripts hash to {scripts:?}"));
    }
    Ok(())
}

/// The addresses the vendored library holds: XML namespaces (names, never
/// fetched) and the licences named in its comments (the build's header names
/// the Apache licence; zrender's own comment names its licence). Each of them
/// is in the library (a test checks), so the list holds no more than it needs.
const LIBRARY_ADDRESSES: &[&str] = &[
    "http://www.apache.org/licenses/LICENSE-2.0",
    "http://www.w3.org/1999/xlink",
    "http://www.w3.org/2000/svg",
    "http://www.w3.org/2000/xmlns/",
    "http://www.w3.org/XML/1998/namespace",
    "https://github.com/ecomfe/zrender/blob/master/LICENSE",
];

/// No address outside the file: none at all in the page, its data and its
/// own script; in the library only the names above; in the licence texts
/// only the Apache licence's own references (shown as text).
fn no_outside_address(html: &str) -> Result<(), String> {
    let scripts = running_scripts(html);
    let library = scripts.first().ok_or("no library")?;
    let mut found: Vec<String> = Vec::new();
    let mut rest = *library;
    while let Some(at) = rest.find("http") {
        let tail = &rest[at..];
        if tail.starts_with("http:") || tail.starts_with("https:") {
            let end = tail.find(|c: char| c == '"' || c == '\'' || c.is_whitespace() || c == ')').unwrap_or(tail.len());
            found.push(tail[..end].to_string());
        }
        rest = &rest[at + 4..];
    }
    if let Some(other) = found.iter().find(|a| !LIBRARY_ADDRESSES.contains(&a.as_str())) {
        return Err(format!("the library holds {other}"));
    }
    // The rest of the file: the page, the style, the data, the page's script.
    let licence_start = html.find(r#"<template id="licence-text">"#).ok_or("no licence")?;
    let licence_end = licence_start + html[licence_start..].find("</template>").ok_or("no licence end")?;
    let page = html[..licence_start].to_string() + &html[licence_end..].replacen(library, "", 1);
    let lower = page.to_lowercase();
    for bad in ["http:", "https:", "ftp:", "file:", "src=", "href=", "url(", "@import", "//cdn"] {
        if let Some(at) = lower.find(bad) {
            return Err(format!(
                "the page holds «{bad}»: …{}…",
                &page[at.saturating_sub(40)..(at + 40).min(page.len())]
            ));
        }
    }
    Ok(())
}

#[test]
fn the_data_block_holds_exactly_the_published_values() {
    for fixture in ["known_answer", "dropouts"] {
        let m = model(fixture);
        let d = parsed(&html(&m));
        let (expected, got) = (published(&m, last_year(&m)), held(&d));
        assert!(expected.iter().any(|c| c.value.is_ok()), "{fixture}: nothing shown");
        for (e, g) in expected.iter().zip(&got) {
            assert_eq!(e, g, "{fixture}");
        }
        assert_eq!(expected.len(), got.len(), "{fixture}");
        assert_eq!(
            d.years.iter().map(|y| y.year).collect::<Vec<_>>(),
            m.years.iter().map(|y| y.year.0).collect::<Vec<_>>()
        );
    }
}

#[test]
fn the_data_block_holds_no_year_after_the_report() {
    let m = model("dropouts");
    let first = m.years[0].year;
    let d = parsed(&String::from_utf8(render(&m, first, DATE).expect("renders")).expect("utf-8"));
    assert_eq!(d.years.iter().map(|y| y.year).collect::<Vec<_>>(), vec![first.0]);
    assert_eq!(held(&d), published(&m, first));
}

#[test]
fn withheld_values_and_hidden_groups_are_absent() {
    // dropouts withholds values inside shown groups; known_answer hides groups.
    let dropouts = parsed(&html(&model("dropouts")));
    let known = parsed(&html(&model("known_answer")));
    assert!(dropouts.years.iter().any(|y| !y.cells.withheld.is_empty()), "no withheld value to check");
    assert!(known.years.iter().any(|y| y.groups.hidden.iter().any(Option::is_some)), "no hidden group to check");
    assert_eq!(withheld_hold_no_number(&dropouts), Ok(()));
    assert_eq!(withheld_hold_no_number(&known), Ok(()));
    // Broken on purpose: a number where a value is withheld, or in a hidden group, is found.
    let mut broken = dropouts.clone();
    let y = broken.years.iter_mut().find(|y| !y.cells.withheld.is_empty()).expect("a year");
    let at = *y.cells.withheld.keys().next().expect("a cell");
    y.cells.score[at] = Some(500);
    assert!(withheld_hold_no_number(&broken).is_err());
    let mut broken = known.clone();
    let y = broken.years.iter_mut().find(|y| y.groups.hidden.iter().any(Option::is_some)).expect("a year");
    let at = y.groups.hidden.iter().position(Option::is_some).expect("a group");
    y.groups.respondents[at] = Some(4);
    assert!(withheld_hold_no_number(&broken).is_err());
}

#[test]
fn no_department_name_can_end_the_script_element() {
    let mut m = model("known_answer");
    let nasty = "</script><script>alert(1)</script><!-- & > \u{2028}\u{2029} </SCRIPT";
    let renamed =
        m.years.last_mut().expect("a year").groups.iter_mut().find(|g| g.department != ALL).expect("a department");
    renamed.department_name = nasty.to_string();
    let code = renamed.department.clone();
    let page = html(&m);
    let text = data_text(&page);
    for bad in ["</script", "</SCRIPT", "<!--", "<", ">", "&", "\u{2028}", "\u{2029}"] {
        assert!(!text.contains(bad), "the data block holds {bad:?}");
    }
    // The name reads back unchanged, and nothing else ran: the page still has its two scripts.
    let d = parsed(&page);
    let y = d.years.last().expect("a year");
    let at = y.departments.code.iter().position(|c| *c == code).expect("the department");
    assert_eq!(y.departments.name[at], nasty);
    assert_eq!(running_scripts(&page).len(), 2);
    // Broken on purpose: serde_json's own text would end the element.
    assert!(serde_json::to_string(nasty).expect("json").contains("</script"));
}

#[test]
fn the_policy_allows_exactly_the_inline_scripts() {
    let page = html(&model("known_answer"));
    assert_eq!(policy_fits(&page), Ok(()));
    let scripts = running_scripts(&page);
    assert_eq!(scripts, vec![ECHARTS, SCRIPT]);
    // Broken on purpose: a changed script, or a script the policy does not name, is found.
    let changed = page.replacen("\"use strict\";", "\"use strict\";alert(1);", 1);
    assert!(policy_fits(&changed).is_err());
    let added = page.replacen("</body>", "<script>alert(1)</script></body>", 1);
    assert!(policy_fits(&added).is_err());
    let open = page.replacen("connect-src 'none'", "connect-src *", 1);
    assert!(policy_fits(&open).is_err());
}

/// The library is the one `tools/vendor_echarts.sh` recorded in VERSION:
/// its sha256, and the versions of what it is built from.
fn library_is_recorded(library: &str, version_file: &str) -> Result<(), String> {
    use sha2::{Digest, Sha256};
    let recorded = version_file
        .lines()
        .find_map(|l| l.strip_prefix("sha256 "))
        .and_then(|l| l.split_whitespace().next())
        .ok_or("VERSION records no sha256")?;
    let actual: String = Sha256::digest(library.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    if actual != recorded {
        return Err(format!("echarts.min.js hashes to {actual}, but tools/vendor_echarts.sh recorded {recorded}"));
    }
    for name in ["echarts ", "zrender ", "tslib ", "bundler "] {
        if !version_file.lines().any(|l| l.starts_with(name) && l.len() > name.len()) {
            return Err(format!("VERSION records no «{}»", name.trim_end()));
        }
    }
    Ok(())
}

#[test]
fn the_vendored_library_is_the_one_recorded() {
    assert_eq!(library_is_recorded(ECHARTS, ECHARTS_VERSION_FILE), Ok(()));
    assert_eq!(recorded("echarts"), "6.1.0");
    assert!(!recorded("zrender").is_empty() && !recorded("tslib").is_empty());
    // Broken on purpose: a library changed by hand, or a VERSION without the bundler, is found.
    let changed = ECHARTS.replacen("echarts", "echartz", 1);
    assert!(library_is_recorded(&changed, ECHARTS_VERSION_FILE).is_err());
    let unbundled: String =
        ECHARTS_VERSION_FILE.lines().filter(|l| !l.starts_with("bundler ")).map(|l| l.to_string() + "\n").collect();
    assert!(library_is_recorded(ECHARTS, &unbundled).is_err());
}

/// The page's licence section holds the licence of everything in the
/// library — ECharts' LICENSE and NOTICE, zrender's, tslib's and d3.js's —
/// and its summary names each library with the version VERSION records.
fn licences_shown(html: &str) -> Result<(), String> {
    const OPEN: &str = r#"<template id="licence-text">"#;
    let start = html.find(OPEN).ok_or("no licence section")? + OPEN.len();
    let section = &html[start..start + html[start..].find("</template>").ok_or("no licence end")?];
    let summary = &section[..section.find("</summary>").ok_or("no summary")?];
    for (name, version) in
        [("Apache ECharts", recorded("echarts")), ("zrender", recorded("zrender")), ("tslib", recorded("tslib"))]
    {
        if !summary.contains(&format!("{name} {version}")) {
            return Err(format!("the summary does not name {name} {version}"));
        }
    }
    for (name, text) in [
        ("ECharts' LICENSE", ECHARTS_LICENSE),
        ("ECharts' NOTICE", ECHARTS_NOTICE),
        ("zrender's licence", ZRENDER_LICENSE),
        ("tslib's licence", TSLIB_LICENSE),
        ("d3.js's licence", D3_LICENSE),
    ] {
        if !section.contains(&format!("{}</pre>", escape_html(text))) {
            return Err(format!("the licence section lacks {name}"));
        }
    }
    Ok(())
}

#[test]
fn the_page_shows_the_licence_of_everything_in_the_library() {
    // What the library says it holds has its licence vendored beside it.
    assert!(ECHARTS.contains("ZRender") && ZRENDER_LICENSE.contains("BSD 3-Clause"));
    assert!(ECHARTS.contains("Microsoft Corporation") && TSLIB_LICENSE.contains("Microsoft Corporation"));
    assert!(ECHARTS_LICENSE.contains("LICENSE-d3") && D3_LICENSE.contains("Mike Bostock"));
    let page = html(&model("known_answer"));
    assert_eq!(licences_shown(&page), Ok(()));
    // Broken on purpose: a licence left out, or a summary without a library, is found.
    let tslib = escape_html(TSLIB_LICENSE);
    let without = page.replacen(&format!("{tslib}</pre>"), "</pre>", 1);
    assert!(licences_shown(&without).is_err());
    let unnamed = page.replacen("zrender ", "", 1);
    assert!(licences_shown(&unnamed).is_err());
}

#[test]
fn the_file_names_no_address_outside_itself() {
    let page = html(&model("known_answer"));
    assert_eq!(no_outside_address(&page), Ok(()));
    // Broken on purpose: an address in the page, in a name in the data, or a new one in the library.
    let linked = page.replacen("<main", r#"<a href="https://example.org">x</a><main"#, 1);
    assert!(no_outside_address(&linked).is_err());
    let mut m = model("known_answer");
    m.survey_title = "調査 https://example.org".into();
    assert!(no_outside_address(&html(&m)).is_err());
    let library = page.replacen("http://www.w3.org/2000/svg", "https://cdn.example.org/x.js", 1);
    assert!(no_outside_address(&library).is_err());
    // The allow-list holds only addresses the library has.
    for address in LIBRARY_ADDRESSES {
        assert!(ECHARTS.contains(address), "the library no longer holds {address}: drop it from the list");
    }
}

#[test]
fn the_same_model_gives_the_same_bytes() {
    let m = model("dropouts");
    assert_eq!(render(&m, last_year(&m), DATE).expect("once"), render(&m.clone(), last_year(&m), DATE).expect("twice"));
}

#[test]
fn the_page_is_filled_in_one_pass() {
    // A marker inside what is put in stays as it is.
    let filled = super::fill("a{{X}}b{{Y}}", &[("X", "{{Y}}"), ("Y", "y")]).expect("fills");
    assert_eq!(filled, "a{{Y}}by");
    assert!(super::fill("{{Z}}", &[("X", "")]).is_err());
    assert!(super::fill("{{X}}", &[("X", ""), ("Y", "")]).is_err());
}

#[test]
fn the_data_block_holds_exactly_the_published_items_of_whole_groups() {
    for fixture in ["known_answer", "dropouts"] {
        let m = model(fixture);
        let d = parsed(&html(&m));
        let (expected, got) = (published_items(&m, last_year(&m)), held_items(&d, item_blocks(&m)));
        assert!(expected.iter().any(|c| c.value.is_ok()), "{fixture}: no item shown");
        for (e, g) in expected.iter().zip(&got) {
            assert_eq!(e, g, "{fixture}");
        }
        assert_eq!(expected.len(), got.len(), "{fixture}");
    }
    // dropouts withholds item blocks inside shown groups: they are there as reasons only.
    let m = model("dropouts");
    let expected = published_items(&m, last_year(&m));
    assert!(expected.iter().any(|c| matches!(c.value, Err(Some(_)))), "no withheld block");
    // Broken on purpose: a mark added or lost, a score changed, a withheld block's reason changed.
    let d = parsed(&html(&m));
    let blocks = item_blocks(&m);
    let mut broken = d.clone();
    let marks = &mut broken.years[0].items.difference_marked;
    match marks.iter().position(|&at| at == 0) {
        Some(i) => _ = marks.remove(i),
        None => marks.push(0),
    }
    assert_ne!(held_items(&broken, blocks), expected);
    let mut broken = d.clone();
    broken.years[0].items.score[0] += 1;
    assert_ne!(held_items(&broken, blocks), expected);
    let mut broken = d.clone();
    let y = broken.years.iter_mut().find(|y| !y.items.withheld.is_empty()).expect("a withheld block");
    let reason = y.items.withheld.values_mut().next().expect("a reason");
    *reason = if *reason == HiddenReason::TooFew { HiddenReason::Differencing } else { HiddenReason::TooFew };
    assert_ne!(held_items(&broken, blocks), expected);
}

/// The report year's driver analysis of the city and departments as a
/// whole: their figures as the model has them (a reference group placed by
/// the city's importance), the city's sentences as the committee report
/// prints them; no other year's.
fn drivers_fit(m: &ScoresModel, d: &Data) -> Result<(), String> {
    let year = last_year(m);
    if let Some(y) = d.years[..d.years.len() - 1].iter().find(|y| y.drivers.is_some()) {
        return Err(format!("{}: an earlier year's analysis", y.year));
    }
    let y = d.years.last().ok_or("no year")?;
    let drivers = y.drivers.as_ref().ok_or("no analysis in the report year")?;
    let model_year = m.year(year).ok_or("no model year")?;
    let analysed: Vec<_> =
        model_year.drivers.as_ref().ok_or("no drivers")?.groups.iter().filter(|g| g.cut.is_none()).collect();
    if drivers.groups.len() != analysed.len() {
        return Err(format!("{} groups, the model has {}", drivers.groups.len(), analysed.len()));
    }
    let city = model_year.drivers.as_ref().and_then(|d| d.group(ALL)).ok_or("no city analysis")?;
    let tenths_of = |v: &mut dyn Iterator<Item = f64>| v.map(tenths).collect::<Vec<_>>();
    for (held, gd) in drivers.groups.iter().zip(&analysed) {
        let basis = if gd.reference { city } else { gd };
        let labels: Vec<&str> =
            held.quadrant.iter().map(|&q| ["重点改善", "強みの維持", "現状維持", "改善検討"][q as usize]).collect();
        let fits = y.departments.code[held.department] == gd.department
            && held.n == gd.n
            && held.reference == gd.reference
            && held.score == tenths_of(&mut gd.categories.iter().map(|c| c.score))
            && held.share == tenths_of(&mut basis.categories.iter().map(|c| c.share))
            && held.share_low == tenths_of(&mut basis.categories.iter().map(|c| c.share_interval.0))
            && held.share_high == tenths_of(&mut basis.categories.iter().map(|c| c.share_interval.1))
            && labels == gd.categories.iter().map(|c| c.quadrant.label()).collect::<Vec<_>>()
            && held.order.len() == gd.categories.len()
            && held.order.windows(2).all(|w| gd.categories[w[0]].share >= gd.categories[w[1]].share);
        if !fits {
            return Err(format!("the analysis of {} differs from the model's", gd.department));
        }
    }
    let doc = crate::report::committee::build(m, year, DATE, None).map_err(|e| e.to_string())?;
    let printed = serde_json::to_value(&doc).map_err(|e| e.to_string())?.to_string();
    match drivers.groups[0].sentences.iter().find(|s| !printed.contains(s.as_str())) {
        Some(s) => Err(format!("not in the committee report: {s}")),
        None => Ok(()),
    }
}

#[test]
fn the_driver_analysis_is_the_reports_for_the_report_year_only() {
    let m = sample();
    let d = parsed(&html(&m));
    let groups = &d.years.last().and_then(|y| y.drivers.as_ref()).expect("an analysis").groups;
    assert!(groups.len() > 1 && groups.iter().any(|g| g.reference), "the city, a department, a reference group");
    assert_eq!(drivers_fit(&m, &d), Ok(()));
    // Broken on purpose: a reference group placed by its own importance, a
    // quadrant changed, a sentence changed, an earlier year with an analysis.
    let mut broken = d.clone();
    let y = broken.years.last_mut().expect("a year");
    let g = y.drivers.as_mut().expect("drivers").groups.iter_mut().find(|g| g.reference).expect("a reference group");
    g.share = g.own_share.clone();
    assert!(drivers_fit(&m, &broken).is_err());
    let mut broken = d.clone();
    let g = &mut broken.years.last_mut().expect("a year").drivers.as_mut().expect("drivers").groups[1];
    g.quadrant[0] = (g.quadrant[0] + 1) % 4;
    assert!(drivers_fit(&m, &broken).is_err());
    let mut broken = d.clone();
    broken.years.last_mut().expect("a year").drivers.as_mut().expect("drivers").groups[0].sentences[0].push('。');
    assert!(drivers_fit(&m, &broken).is_err());
    let mut broken = d.clone();
    broken.years[0].drivers = broken.years.last().expect("a year").drivers.clone();
    assert!(drivers_fit(&m, &broken).is_err());
}

/// The plan rows of the report year are the committee report's, as printed.
fn plan_fits(m: &ScoresModel, d: &Data) -> Result<(), String> {
    let doc = crate::report::committee::build(m, last_year(m), DATE, None).map_err(|e| e.to_string())?;
    let y = d.years.last().ok_or("no year")?;
    let as_printed = |rows: &[crate::report::committee::TargetRow]| -> Vec<[String; 8]> {
        rows.iter()
            .map(|t| {
                [
                    t.name.clone(),
                    t.target.clone(),
                    t.value.clone(),
                    format!("{}{}", t.delta, t.significance),
                    t.trajectory.clone(),
                    t.achievement.clone(),
                    t.margin.clone(),
                    t.status.clone(),
                ]
            })
            .collect()
    };
    let held = |rows: &[super::data::PlanRow]| -> Vec<[String; 8]> {
        rows.iter()
            .map(|t| {
                [
                    t.name.clone(),
                    t.target.clone(),
                    t.value.clone(),
                    t.delta.clone(),
                    t.trajectory.clone(),
                    t.achievement.clone(),
                    t.margin.clone(),
                    t.status.clone(),
                ]
            })
            .collect()
    };
    if held(&y.plan) != as_printed(&doc.targets) {
        return Err("the targets differ from the committee report's".into());
    }
    if held(&y.indicators) != as_printed(&doc.indicators) {
        return Err("the indicators differ from the committee report's".into());
    }
    Ok(())
}

#[test]
fn the_plan_rows_are_the_committee_reports() {
    let m = sample();
    let d = parsed(&html(&m));
    let y = d.years.last().expect("a year");
    assert!(!y.plan.is_empty() && !y.indicators.is_empty());
    assert!(y.plan.iter().any(|r| r.delta.ends_with('＊')), "no marked change to check");
    assert_eq!(plan_fits(&m, &d), Ok(()));
    // Broken on purpose: a change without its ＊, an indicator's status changed.
    let mut broken = d.clone();
    let row =
        broken.years.last_mut().expect("a year").plan.iter_mut().find(|r| r.delta.ends_with('＊')).expect("a row");
    row.delta = row.delta.trim_end_matches('＊').to_string();
    assert!(plan_fits(&m, &broken).is_err());
    let mut broken = d.clone();
    broken.years.last_mut().expect("a year").indicators[0].status = "達成".into();
    broken.years.last_mut().expect("a year").indicators[0].status.push('＊');
    assert!(plan_fits(&m, &broken).is_err());
}

/// committee.typ, whose status badges the plan rows' colours copy.
const COMMITTEE_TEMPLATE: &str = include_str!("../../../report-templates/committee.typ");

/// Every plan status, in the committee report's order.
const STATUSES: [Status; 7] =
    [Status::Achieved, Status::OnTrack, Status::Behind, Status::Worse, Status::Missed, Status::NoData, Status::Tracked];

/// The status colours of committee.typ's `status-colors`: key → `#RRGGBB`.
fn typst_status_colours(typ: &str) -> std::collections::BTreeMap<String, String> {
    let block = typ.split("#let status-colors = (").nth(1).and_then(|rest| rest.split("\n)").next()).unwrap_or("");
    block
        .lines()
        .filter_map(|l| {
            let (key, value) = l.trim().split_once(':')?;
            let hex = value.split('"').nth(1)?;
            Some((key.trim().to_string(), hex.to_uppercase()))
        })
        .collect()
}

/// The status colours of the explorer's style: `td.status-KEY { background: #RRGGBB; }`.
fn css_status_colours(css: &str) -> std::collections::BTreeMap<String, String> {
    css.split("td.status-")
        .skip(1)
        .filter_map(|rule| {
            let (key, body) = rule.split_once('{')?;
            let hex = body.split("background:").nth(1)?.split(';').next()?.trim();
            Some((key.trim().to_string(), hex.to_uppercase()))
        })
        .filter(|(key, _)| key != "badge")
        .collect()
}

/// The explorer's plan rows wear the committee report's badge colours, one for every status.
fn status_colours_agree(typ: &str, css: &str) -> Result<(), String> {
    let typst = typst_status_colours(typ);
    let css = css_status_colours(css);
    let keys: BTreeSet<String> =
        STATUSES.iter().map(|s| crate::report::committee::status_key(*s).to_string()).collect();
    if typst.keys().cloned().collect::<BTreeSet<_>>() != keys {
        return Err(format!("committee.typ's statuses {:?}, not {keys:?}", typst.keys().collect::<Vec<_>>()));
    }
    if typst != css {
        return Err(format!("the explorer's status colours {css:?} differ from committee.typ's {typst:?}"));
    }
    Ok(())
}

#[test]
fn plan_statuses_have_the_committee_reports_colours() {
    assert_eq!(status_colours_agree(COMMITTEE_TEMPLATE, STYLE), Ok(()));
    // Seen to fail: one colour changed in the explorer, one status left out of the report.
    let recoloured =
        STYLE.replace("td.status-behind { background: #C77700; }", "td.status-behind { background: #C77701; }");
    assert_ne!(recoloured, STYLE, "the rule the check is broken on is in the style");
    assert!(status_colours_agree(COMMITTEE_TEMPLATE, &recoloured).is_err());
    let without = COMMITTEE_TEMPLATE.replace("  tracked: rgb(\"#6B7F99\"),\n", "");
    assert_ne!(without, COMMITTEE_TEMPLATE);
    assert!(status_colours_agree(&without, STYLE).is_err());
}
