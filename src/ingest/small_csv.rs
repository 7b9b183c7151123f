//! The workspace's own small CSV files (org.csv, indicators.csv): decoded
//! (UTF-8 or CP932), the header checked for every column the file needs, and
//! the rows handed out with the line number each has in the file.

use std::collections::HashMap;

use crate::ingest::encoding::decode;
use crate::problem::{Place, Problems};

/// A small CSV file whose header has every needed column.
pub struct SmallCsv {
    /// Index of each needed column.
    pub columns: HashMap<&'static str, usize>,
    /// The rows that are not blank, each with its line number (the header is line 1).
    pub rows: Vec<(usize, csv::StringRecord)>,
}

impl SmallCsv {
    /// The trimmed text of a needed column in a row.
    pub fn get(&self, record: &csv::StringRecord, column: &str) -> String {
        self.columns.get(column).and_then(|&i| record.get(i)).unwrap_or("").trim().to_string()
    }
}

/// Reads `bytes` as the CSV file `file` with the needed `columns`; records every
/// problem (undecodable, empty, a header twice, a column missing, a row that is
/// not CSV) and returns nothing when the header is unusable.
pub fn read(file: &str, bytes: &[u8], columns: &[&'static str], problems: &mut Problems) -> Option<SmallCsv> {
    let whole = Place::File(file.to_string());
    let header_row = |column: Option<String>| Place::Row { file: file.into(), row: 1, column };
    let listed = columns.join(",");
    let text = match decode(bytes) {
        Ok((text, _)) => text,
        Err(e) => {
            problems.error(whole, e.message());
            return None;
        }
    };
    if text.trim().is_empty() {
        problems.error(whole, format!("ファイルが空です（見出し行 {listed} が必要です）"));
        return None;
    }
    let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_string()).collect(),
        Err(e) => {
            problems.error(whole, format!("CSVとして読めません（{e}）"));
            return None;
        }
    };
    let before = problems.errors.len();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, h) in headers.iter().enumerate() {
        if seen.insert(h.as_str(), i).is_some() {
            problems.error(header_row(Some(h.clone())), format!("見出し「{h}」が二度あります"));
        }
    }
    let mut found = HashMap::new();
    for &name in columns {
        match seen.get(name) {
            Some(&i) => {
                found.insert(name, i);
            }
            None => problems.error(header_row(None), format!("必須の列「{name}」がありません（見出しは {listed}）")),
        }
    }
    if problems.errors.len() > before {
        return None;
    }
    let mut rows = Vec::new();
    for (k, record) in reader.records().enumerate() {
        let row = k + 2;
        match record {
            Ok(r) if r.iter().all(|f| f.trim().is_empty()) => {}
            Ok(r) => rows.push((row, r)),
            Err(e) => problems
                .error(Place::Row { file: file.into(), row, column: None }, format!("CSVとして読めません（{e}）")),
        }
    }
    Some(SmallCsv { columns: found, rows })
}
