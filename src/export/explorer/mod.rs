//! The explorer (DESIGN §9): one self-contained HTML file,
//! `explorer_<year>.html`, that shows the scores model's published values
//! for the years up to the report's in a browser, from a shared folder, with
//! no network and no server.
//!
//! The page — `report-templates/explorer/page.html`, its script and style,
//! and the vendored Apache ECharts (a build of only the parts the page uses,
//! `tools/vendor_echarts.sh`) with the licences of all it holds — is
//! embedded at build time. The data ([`data`]) sits in one
//! `<script type="application/json">` block, escaped so that nothing in it
//! can end the element. A Content-Security-Policy in a meta tag lets only the
//! page's own two scripts run (by their sha256) and allows no connection.
//! The bytes depend on the model, the year and the date printed only.

pub mod data;
#[cfg(test)]
mod tests;

use anyhow::{Result, bail};
use base64::Engine as _;
use sha2::{Digest, Sha256};

use crate::aggregate::model::ScoresModel;
use crate::clock::Date;
use crate::config::year::FiscalYear;

const PAGE: &str = include_str!("../../../report-templates/explorer/page.html");
const STYLE: &str = include_str!("../../../report-templates/explorer/explorer.css");
/// The page's own script.
pub const SCRIPT: &str = include_str!("../../../report-templates/explorer/explorer.js");
/// The vendored charting library, embedded byte for byte.
pub const ECHARTS: &str = include_str!("../../../report-templates/explorer/vendor/echarts.min.js");
const ECHARTS_LICENSE: &str = include_str!("../../../report-templates/explorer/vendor/LICENSE");
const ECHARTS_NOTICE: &str = include_str!("../../../report-templates/explorer/vendor/NOTICE");
/// The licences of the code inside the library besides ECharts' own.
const ZRENDER_LICENSE: &str = include_str!("../../../report-templates/explorer/vendor/LICENSE-zrender");
const TSLIB_LICENSE: &str = include_str!("../../../report-templates/explorer/vendor/LICENSE-tslib");
const D3_LICENSE: &str = include_str!("../../../report-templates/explorer/vendor/LICENSE-d3");
/// What `tools/vendor_echarts.sh` recorded: the versions of echarts, zrender
/// and tslib, the bundler, the sha256 of the library.
pub const ECHARTS_VERSION_FILE: &str = include_str!("../../../report-templates/explorer/vendor/VERSION");

/// Returns the file name of a year's explorer.
pub fn file_name(year: FiscalYear) -> String {
    format!("explorer_{}.html", year.0)
}

/// Renders the explorer of the years up to `year`, dated `date` as the reports are.
pub fn render(model: &ScoresModel, year: FiscalYear, date: Date) -> Result<Vec<u8>> {
    let data = data::build(model, year);
    let json = escape_json(&serde_json::to_string(&data)?);
    let title = format!("{}　結果の閲覧（{}）", model.survey_title, year.era());
    let (echarts, zrender, tslib) = (recorded("echarts"), recorded("zrender"), recorded("tslib"));
    let footer = format!(
        "{}　{}の公表値（{}）。同じ値は委員会向け報告書と集計表にあります。作成日: {}",
        model.organization,
        model.survey_title,
        data.years.iter().map(|y| y.short.as_str()).collect::<Vec<_>>().join("・"),
        date.japanese()
    );
    let csp = content_security_policy(&[ECHARTS, SCRIPT]);
    let html = fill(
        PAGE,
        &[
            ("CSP", &csp),
            ("TITLE", &escape_html(&title)),
            ("STYLE", STYLE),
            ("FOOTER", &escape_html(&footer)),
            ("ECHARTS_VERSION", &escape_html(echarts)),
            ("ZRENDER_VERSION", &escape_html(zrender)),
            ("TSLIB_VERSION", &escape_html(tslib)),
            ("NOTICE", &escape_html(ECHARTS_NOTICE)),
            ("LICENSE", &escape_html(ECHARTS_LICENSE)),
            ("LICENSE_ZRENDER", &escape_html(&format!("zrender {zrender}\n\n{ZRENDER_LICENSE}"))),
            ("LICENSE_TSLIB", &escape_html(&format!("tslib {tslib}\n\n{TSLIB_LICENSE}"))),
            ("LICENSE_D3", &escape_html(&format!("d3.js（ECharts が取り入れたコード）\n\n{D3_LICENSE}"))),
            ("DATA", &json),
            ("ECHARTS", ECHARTS),
            ("SCRIPT", SCRIPT),
        ],
    )?;
    Ok(html.into_bytes())
}

/// The version `tools/vendor_echarts.sh` recorded for a package of the
/// library (its line `NAME VERSION` in vendor/VERSION), or "" if none.
fn recorded(name: &str) -> &'static str {
    ECHARTS_VERSION_FILE
        .lines()
        .find_map(|l| l.strip_prefix(name).and_then(|rest| rest.strip_prefix(' ')))
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or("")
}

/// The policy: nothing by default, only the scripts with these contents,
/// inline styles (the charts set them), pictures only from the page itself,
/// no connection, no form, no base.
pub fn content_security_policy(scripts: &[&str]) -> String {
    let hashes: Vec<String> = scripts.iter().map(|s| format!("'{}'", script_hash(s))).collect();
    format!(
        "default-src 'none'; script-src {}; style-src 'unsafe-inline'; img-src data: blob:; connect-src 'none'; base-uri 'none'; form-action 'none'",
        hashes.join(" ")
    )
}

/// Returns the CSP source of a script's text: `sha256-<base64>`.
pub fn script_hash(text: &str) -> String {
    format!("sha256-{}", base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes())))
}

/// Escapes JSON text for a `<script>` element: `<`, `>`, `&`, U+2028 and
/// U+2029 become `\u` escapes. They can only occur inside JSON strings, where
/// the escapes mean the same characters, so no department name can end the
/// element or open a comment.
pub fn escape_json(json: &str) -> String {
    replace_chars(
        json,
        &[('<', "\\u003c"), ('>', "\\u003e"), ('&', "\\u0026"), ('\u{2028}', "\\u2028"), ('\u{2029}', "\\u2029")],
    )
}

/// Escapes text for HTML content and attributes.
fn escape_html(text: &str) -> String {
    replace_chars(text, &[('<', "&lt;"), ('>', "&gt;"), ('&', "&amp;"), ('"', "&quot;"), ('\'', "&#39;")])
}

/// Returns `text` with each character of `table` replaced by its text.
fn replace_chars(text: &str, table: &[(char, &str)]) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match table.iter().find(|(from, _)| *from == c) {
            Some((_, to)) => out.push_str(to),
            None => out.push(c),
        }
    }
    out
}

/// Replaces each `{{NAME}}` of the page, in one pass: what is put in is never
/// read again for markers. Every name must be used, and every marker known.
fn fill(page: &str, parts: &[(&str, &str)]) -> Result<String> {
    let mut out = String::with_capacity(page.len() + parts.iter().map(|p| p.1.len()).sum::<usize>());
    let mut used = vec![false; parts.len()];
    let mut rest = page;
    while let Some(at) = rest.find("{{") {
        out.push_str(&rest[..at]);
        let Some(end) = rest[at..].find("}}") else { bail!("the explorer's page has an unclosed marker") };
        let name = &rest[at + 2..at + end];
        let Some(i) = parts.iter().position(|p| p.0 == name) else {
            bail!("the explorer's page has an unknown marker {name}")
        };
        out.push_str(parts[i].1);
        used[i] = true;
        rest = &rest[at + end + 2..];
    }
    out.push_str(rest);
    if let Some(i) = used.iter().position(|u| !u) {
        bail!("the explorer's page lacks the marker {}", parts[i].0);
    }
    Ok(out)
}
