//! Rows an .xlsx worksheet hides (by an AutoFilter or by hand).
//!
//! calamine reads every row and does not say which are hidden
//! (tafia/calamine#237), so the worksheet's own XML is read for the rows
//! marked `<row hidden="1">`, with the zip and quick-xml crates calamine is
//! built on. Hidden rows are read like the others; [`hidden_rows`] hands on
//! their numbers so the user can be told how many were read although Excel
//! does not show them.

use std::collections::HashMap;
use std::io::{BufReader, Read, Seek};

use quick_xml::events::{BytesStart, Event};

/// What a worksheet hides.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hidden {
    /// The hidden rows, 1-based as Excel numbers them, in order.
    pub rows: Vec<u32>,
    /// Whether the sheet has an AutoFilter (the usual reason rows are hidden).
    pub filter: bool,
}

/// Returns an attribute's value by its local name (`r:id` and a strict file's
/// namespaced `id` alike), unescaped.
fn attribute(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::default()).ok().map(|v| v.into_owned()))
}

/// Calls `f` on every start and empty element of a part of the archive until
/// it returns false; `None` when the part is missing or not XML.
fn each_element<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    part: &str,
    mut f: impl FnMut(&BytesStart<'_>) -> bool,
) -> Option<()> {
    let file = zip.by_name(part).ok()?;
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(file));
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).ok()? {
            Event::Start(e) | Event::Empty(e) if !f(&e) => return Some(()),
            Event::Eof => return Some(()),
            _ => {}
        }
        buf.clear();
    }
}

/// The archive path of the worksheet named `sheet`, through the workbook's
/// sheet list and its relationships.
fn sheet_part<R: Read + Seek>(zip: &mut zip::ZipArchive<R>, sheet: &str) -> Option<String> {
    let mut id = None;
    each_element(zip, "xl/workbook.xml", |e| {
        if e.local_name().as_ref() == "sheet" && attribute(e, "name").as_deref() == Some(sheet) {
            id = attribute(e, "id");
            return false;
        }
        true
    })?;
    let id = id?;
    let mut targets: HashMap<String, String> = HashMap::new();
    each_element(zip, "xl/_rels/workbook.xml.rels", |e| {
        if e.local_name().as_ref() == "Relationship"
            && let (Some(rid), Some(target)) = (attribute(e, "Id"), attribute(e, "Target"))
        {
            targets.insert(rid, target);
        }
        true
    })?;
    let target = targets.remove(&id)?;
    Some(match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("xl/{target}"),
    })
}

/// Reads which rows of worksheet `sheet` of an .xlsx are hidden; `None` when
/// the workbook's parts cannot be followed (calamine has read it, so this
/// only means no note).
pub fn hidden_rows<R: Read + Seek>(archive: R, sheet: &str) -> Option<Hidden> {
    let mut zip = zip::ZipArchive::new(archive).ok()?;
    let part = sheet_part(&mut zip, sheet)?;
    let mut hidden = Hidden::default();
    each_element(&mut zip, &part, |e| {
        match e.local_name().as_ref() {
            "row" => {
                let flag = attribute(e, "hidden");
                if matches!(flag.as_deref(), Some("1" | "true"))
                    && let Some(r) = attribute(e, "r").and_then(|r| r.parse().ok())
                {
                    hidden.rows.push(r);
                }
            }
            "autoFilter" => hidden.filter = true,
            _ => {}
        }
        true
    })?;
    Some(hidden)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    #[test]
    fn finds_the_hidden_rows_of_the_named_sheet() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let first = book.add_worksheet();
        first.set_name("集計").unwrap();
        first.write_string(0, 0, "x").unwrap();
        first.set_row_hidden(1).unwrap();
        let answers = book.add_worksheet();
        answers.set_name("回答").unwrap();
        for r in 0..6 {
            answers.write_number(r, 0, f64::from(r)).unwrap();
        }
        answers.autofilter(0, 0, 5, 0).unwrap();
        answers.set_row_hidden(2).unwrap();
        answers.set_row_hidden(4).unwrap();
        let bytes = book.save_to_buffer().unwrap();
        assert_eq!(hidden_rows(Cursor::new(&bytes), "回答"), Some(Hidden { rows: vec![3, 5], filter: true }));
        assert_eq!(hidden_rows(Cursor::new(&bytes), "集計"), Some(Hidden { rows: vec![2], filter: false }));
        assert_eq!(hidden_rows(Cursor::new(&bytes), "ない"), None);
    }
}
