//! How a packet's pages are filled, read back from the PDF (issue 21: at most
//! four pages, none less than a third full). Shared with the report
//! benchmark, which checks the 200 packets of its workspace the same way.

use std::path::Path;
use std::process::Command;

/// The most pages a packet may have.
pub const MAX_PAGES: usize = 4;
/// The least a page of a packet of several pages may be filled.
pub const MIN_FILL: f64 = 1.0 / 3.0;
/// The top and bottom margins of a packet page (report-templates/department.typ), in points.
const MARGINS: (f64, f64) = (15.0 / 25.4 * 72.0, 17.0 / 25.4 * 72.0);

/// How full each page of a PDF is: the bottom of its lowest word above the
/// footer, as a share of the height of the text area (from `pdftotext -bbox`;
/// every chart, table and box of a packet has text at its foot, so the lowest
/// word is where the page's content ends).
pub fn page_fills(path: &Path) -> Vec<f64> {
    let output =
        Command::new("pdftotext").args(["-bbox", "-enc", "UTF-8"]).arg(path).arg("-").output().expect("pdftotext");
    assert!(output.status.success(), "pdftotext -bbox failed on {}", path.display());
    let html = String::from_utf8(output.stdout).expect("utf-8");
    let attr = |tag: &str, name: &str| -> f64 {
        let at = tag.find(&format!("{name}=\"")).unwrap_or_else(|| panic!("{name} in {tag}")) + name.len() + 2;
        tag[at..].split('"').next().and_then(|v| v.parse().ok()).unwrap_or_else(|| panic!("{name} in {tag}"))
    };
    let (top, bottom_margin) = MARGINS;
    html.split("<page ")
        .skip(1)
        .map(|page| {
            let bottom = attr(page, "height") - bottom_margin;
            let lowest = page
                .split("<word ")
                .skip(1)
                .map(|word| attr(word, "yMax"))
                .filter(|&y| y <= bottom + 1.0)
                .fold(top, f64::max);
            (lowest - top) / (bottom - top)
        })
        .collect()
}

/// The page fills of every PDF in `dir`, by file name, sorted.
pub fn packet_fills(dir: &Path) -> Vec<(String, Vec<f64>)> {
    let mut packets: Vec<(String, Vec<f64>)> = std::fs::read_dir(dir)
        .expect("folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
        .map(|path| (path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default(), page_fills(&path)))
        .collect();
    packets.sort_by(|a, b| a.0.cmp(&b.0));
    packets
}

/// What breaks the rule in `packets` (from [`packet_fills`]), one line per
/// packet: more than [`MAX_PAGES`] pages, or a page less than [`MIN_FILL`]
/// full in a packet of several pages.
pub fn layout_problems(packets: &[(String, Vec<f64>)]) -> Vec<String> {
    packets
        .iter()
        .filter_map(|(name, fills)| {
            let percents: Vec<String> = fills.iter().map(|f| format!("{:.0}%", f * 100.0)).collect();
            if fills.len() > MAX_PAGES {
                return Some(format!("{name}: {}ページ ({})", fills.len(), percents.join(" ")));
            }
            let thin = fills.iter().position(|f| *f < MIN_FILL).filter(|_| fills.len() > 1)?;
            Some(format!("{name}: {}ページ目が{} ({})", thin + 1, percents[thin], percents.join(" ")))
        })
        .collect()
}

/// The most pages of `packets`, and the least-filled page of those with several.
// Used by benches/reports.rs only.
#[allow(dead_code)]
pub fn summary(packets: &[(String, Vec<f64>)]) -> (usize, f64) {
    let most = packets.iter().map(|(_, fills)| fills.len()).max().unwrap_or(0);
    let least = packets
        .iter()
        .filter(|(_, fills)| fills.len() > 1)
        .flat_map(|(_, fills)| fills.iter().copied())
        .fold(1.0, f64::min);
    (most, least)
}
