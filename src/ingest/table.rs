//! Reading one export file (CSV in UTF-8 or CP932, .xlsx, .xls) into named
//! columns, remembering how to name the place of each cell.
//!
//! Reading happens in two steps so that only what is needed is parsed: [`open`]
//! reads the header row and keeps the body; [`Opened::read`] then returns the
//! requested columns as polars columns. CSV bodies are parsed by polars (answer
//! columns straight to integers when the file holds plain numbers); worksheets
//! come through calamine as text. Free-text columns are never requested.

use std::collections::HashMap;
use std::io::Cursor;
use std::path::Path;
use std::sync::Arc;

use calamine::{Data, Reader};
use polars::prelude::*;

use crate::ingest::encoding::{TextEncoding, decode};
use crate::ingest::era_dates;
use crate::ingest::sheet_bounds;
use crate::ingest::workbook_parts;
use crate::problem::{Place, Problem, column_letters};

/// How many data rows are sniffed to decide whether answer columns are plain numbers.
const SNIFF_ROWS: usize = 200;
/// How many rows of a worksheet are searched for the header row.
const HEADER_SEARCH_ROWS: usize = 20;

/// What kind of file a table came from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// A delimited text file.
    Csv {
        /// Its encoding.
        encoding: TextEncoding,
        /// Line of the header row (1 unless title lines stand above it).
        header_line: usize,
    },
    /// A worksheet.
    Sheet {
        /// Sheet name.
        name: String,
        /// Zero-based absolute row of the header row.
        header_row: usize,
        /// Zero-based absolute column of the first column.
        first_col: usize,
    },
}

/// How a requested column should come back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    /// As text (codes, years, labels).
    Text,
    /// An answer column: integers when the file holds plain numbers, else text.
    Answer,
}

enum Body {
    Csv { text: Vec<u8>, separator: u8 },
    Sheet { range: calamine::Range<Data>, header_offset: usize },
}

/// Which worksheet to read, and where survey.toml says so.
#[derive(Debug, Clone, Copy)]
pub struct SheetSetting<'a> {
    /// The sheet survey.toml names, if it does.
    pub name: Option<&'a str>,
    /// The table of survey.toml whose `sheet` names it (`[columns]`, `[harassment]`).
    pub table: &'a str,
}

/// A file whose header row has been read.
pub struct Opened {
    /// The file as the user names it (relative to the workspace).
    pub file: String,
    /// What kind of file it is.
    pub source: Source,
    /// Header of each column, trimmed.
    pub headers: Vec<String>,
    body: Body,
    /// How the table was read, where the user may not expect it (which sheet, merged cells).
    pub notes: Vec<String>,
}

/// Opens a response file, choosing the reader by content and extension.
///
/// `sheet` names the worksheet to read; `anchors` are headers one of which is expected in the
/// header row, used to find that row below title rows in a worksheet.
pub fn open(path: &Path, file: &str, sheet: SheetSetting<'_>, anchors: &[String]) -> Result<Opened, Problem> {
    let whole = || Place::File(file.to_string());
    let bytes = std::fs::read(path)
        .map_err(|e| Problem::new(whole(), format!("ファイルを読めません（{}）", crate::io_in_japanese(&e))))?;
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Problem::new(whole(), "ファイルが空です"));
    }
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    let excel_name = matches!(ext.as_str(), "xlsx" | "xlsm" | "xls");
    let named = if excel_name { "Excel ブック" } else { "CSV " };
    // The content decides, whatever the name says: a workbook renamed .csv is read as one.
    let is_zip = bytes.starts_with(b"PK\x03\x04");
    let is_cfb = bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    if is_zip && !holds_a_workbook(&bytes) {
        return Err(Problem::new(
            whole(),
            format!(
                "中身は ZIP 形式の圧縮ファイルで、{named}ではありません。展開して、中の回答ファイルを置いてください"
            ),
        ));
    }
    if bytes.starts_with(b"%PDF") {
        return Err(Problem::new(
            whole(),
            format!(
                "中身は PDF ファイルで、{named}ではありません。回答を CSV か Excel の形式で書き出して置いてください"
            ),
        ));
    }
    if is_zip {
        return unless_the_reader_fails(file, || open_xlsx(bytes, file, sheet, anchors));
    }
    if is_cfb {
        return unless_the_reader_fails(file, || open_cfb(bytes, file, sheet, anchors));
    }
    match ext.as_str() {
        "xlsx" | "xlsm" | "xls" => {
            if looks_like_xml_spreadsheet(&bytes) {
                Err(Problem::new(
                    whole(),
                    "中身は「XML スプレッドシート 2003」形式で、読めません。Excel で開いて「Excel ブック（.xlsx）」か CSV として保存し直してください",
                ))
            } else if looks_like_html(&bytes) {
                // Web systems often save an HTML table under an .xls name.
                Err(Problem::new(
                    whole(),
                    "拡張子は Excel ですが、中身はウェブページ（HTML）の表です。Excel で開いて「Excel ブック（.xlsx）」か CSV として保存し直してください",
                ))
            } else if decode(&bytes)
                .is_ok_and(|(text, _)| text.lines().next().is_some_and(|l| l.contains('\t') || l.contains(',')))
            {
                // Text with tabs or commas saved under an Excel name: read it as what it is.
                open_csv(bytes, file, anchors)
            } else {
                Err(Problem::new(
                    whole(),
                    "Excelファイルとして読めません（ファイルが壊れているか、Excel形式ではありません）",
                ))
            }
        }
        _ => open_csv(bytes, file, anchors),
    }
}

/// Runs an Excel reader, turning a panic inside it into a located error.
///
/// calamine and cfb index into a damaged file's structures without checking
/// them and panic (found by fuzzing: a truncated .xls). A damaged file is the
/// user's problem to fix, said as one; the panic itself is not printed.
fn unless_the_reader_fails(file: &str, read: impl FnOnce() -> Result<Opened, Problem>) -> Result<Opened, Problem> {
    thread_local! {
        static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(std::cell::Cell::get) {
                previous(info);
            }
        }));
    });
    QUIET.with(|q| q.set(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(read));
    QUIET.with(|q| q.set(false));
    result.unwrap_or_else(|_| Err(sheet_bounds::damaged(file, None)))
}

/// Whether a ZIP archive is an Office Open XML file, perhaps a damaged one
/// (entry names are stored uncompressed, in each entry's header and the
/// central directory at the end; a truncated file keeps only its first entries).
fn holds_a_workbook(bytes: &[u8]) -> bool {
    [b"[Content_Types].xml".as_slice(), b"_rels/.rels", b"docProps/", b"xl/"]
        .iter()
        .any(|entry| bytes.windows(entry.len()).any(|w| w == *entry))
}

/// Whether the bytes are Excel's 「XML スプレッドシート 2003」 (XML, not a workbook calamine reads).
fn looks_like_xml_spreadsheet(bytes: &[u8]) -> bool {
    let start = text_start(bytes, 2048);
    start.starts_with("<?xml") && start.contains("urn:schemas-microsoft-com:office:spreadsheet")
}

/// The first `len` bytes as text, without a BOM and leading blanks.
fn text_start(bytes: &[u8], len: usize) -> String {
    String::from_utf8_lossy(&bytes[..bytes.len().min(len)]).trim_start_matches('\u{feff}').trim_start().to_string()
}

/// Whether the bytes start (after a BOM and blanks) like an HTML document or table.
fn looks_like_html(bytes: &[u8]) -> bool {
    let start: String = text_start(bytes, 512).chars().take(200).collect::<String>().to_ascii_lowercase();
    start.starts_with('<') && ["<html", "<table", "<!doctype html", "<meta"].iter().any(|t| start.contains(t))
}

fn open_csv(bytes: Vec<u8>, file: &str, anchors: &[String]) -> Result<Opened, Problem> {
    let whole = || Place::File(file.to_string());
    let (text, encoding) = decode(&bytes).map_err(|e| Problem::new(whole(), e.message()))?;
    // The first line with a separator: a title line above the header may have none.
    let first_line = text.lines().take(HEADER_SEARCH_ROWS).find(|l| l.contains(['\t', ','])).unwrap_or("");
    let likely = if encoding == TextEncoding::Utf16 || (first_line.contains('\t') && !first_line.contains(',')) {
        b'\t'
    } else {
        b','
    };
    let text_bytes = match text {
        std::borrow::Cow::Borrowed(_) => None,
        std::borrow::Cow::Owned(s) => Some(s.into_bytes()),
    };
    // Keep one UTF-8 copy of the body: the original bytes when they already were UTF-8.
    let mut utf8: Vec<u8> = match text_bytes {
        Some(b) => b,
        // The BOM stays: it sits in the header line, which the csv crate strips and polars skips.
        None => bytes,
    };
    // Lines ended by CR alone (Excel for Mac's 「CSV（Macintosh）」): read as lines.
    let cr_only = !utf8.contains(&b'\n') && utf8.contains(&b'\r');
    if cr_only {
        utf8.iter_mut().filter(|b| **b == b'\r').for_each(|b| *b = b'\n');
    }
    // The header row: the first record holding one of the anchors among the
    // first rows (title lines above it, as a sheet saved as CSV keeps them), else the first.
    let wanted = normalized(anchors);
    let separator = choose_separator(&utf8, likely, &wanted);
    let search = search_header(&utf8, separator, &wanted)
        .map_err(|e| Problem::new(whole(), format!("CSVとして読めません（{e}）")))?;
    let Some((header, position)) = search.found.or(search.first) else {
        return Err(Problem::new(whole(), "ファイルが空です"));
    };
    // A BOM that a second tool added in front of the first (the csv crate strips one).
    let headers: Vec<String> = header.iter().map(|h| h.trim_start_matches('\u{feff}').trim().to_string()).collect();
    let header_line = position.line().max(1) as usize;
    let mut notes = Vec::new();
    match separator {
        b';' => notes.push("区切り文字をセミコロン「;」として読みました".to_string()),
        b' ' => notes.push("区切り文字を空白として読みました".to_string()),
        _ => {}
    }
    if cr_only {
        notes.push("行の区切りが CR だけの形式（Mac の「CSV（Macintosh）」など）として読みました".to_string());
    }
    if position.byte() > 0 {
        // The body starts at the header, as if the title lines were not there.
        utf8.drain(..position.byte() as usize);
        let lines = match header_line {
            2 => "1行目".to_string(),
            n => format!("1～{}行目", n - 1),
        };
        notes.push(format!("{lines}は見出し（{header_line}行目）の上の表題と見て読み飛ばしました"));
    }
    Ok(Opened {
        file: file.to_string(),
        source: Source::Csv { encoding, header_line },
        headers,
        body: Body::Csv { text: utf8, separator },
        notes,
    })
}

/// The separators a delimited export may use, in the order they are tried
/// after the one its first line suggests: kintone, for one, writes `;` or a
/// space when asked.
const SEPARATORS: [u8; 4] = [b',', b'\t', b';', b' '];

/// What the search for the header row found with one separator.
struct HeaderSearch {
    /// The first record, with where it starts.
    first: Option<(csv::StringRecord, csv::Position)>,
    /// The first record holding one of the anchors, with where it starts.
    found: Option<(csv::StringRecord, csv::Position)>,
    /// The number of fields of each record read.
    widths: Vec<usize>,
}

/// Reads the first rows with `separator`, looking for the header row: the
/// first record that holds one of the (normalised) anchors. An error of the
/// csv crate is returned only when not even the first record could be read.
fn search_header(text: &[u8], separator: u8, anchors: &[String]) -> Result<HeaderSearch, csv::Error> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(separator).from_reader(text);
    let mut search = HeaderSearch { first: None, found: None, widths: Vec::new() };
    let mut record = csv::StringRecord::new();
    for _ in 0..HEADER_SEARCH_ROWS {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) if search.first.is_none() => return Err(e),
            Err(_) => break,
        }
        search.widths.push(record.len());
        let position = record.position().cloned().unwrap_or_else(csv::Position::new);
        if search.first.is_none() {
            search.first = Some((record.clone(), position.clone()));
        }
        let holds_anchor = record.iter().any(|c| is_anchor(c, anchors));
        if holds_anchor {
            search.found = Some((record.clone(), position));
            break;
        }
    }
    Ok(search)
}

/// Chooses the separator of a delimited text: the first of `likely` and then
/// [`SEPARATORS`] with which a header row holds one of the anchors (beside at
/// least two other fields, for a separator other than `likely`); failing
/// that, the first that splits the first rows into a table (most rows of one
/// width of at least two fields); failing that, `likely`.
fn choose_separator(text: &[u8], likely: u8, anchors: &[String]) -> u8 {
    let order = std::iter::once(likely).chain(SEPARATORS.into_iter().filter(|&s| s != likely));
    let mut tried: Vec<(u8, Vec<usize>)> = Vec::new();
    for sep in order {
        let Ok(search) = search_header(text, sep, anchors) else { continue };
        if search.found.as_ref().is_some_and(|(header, _)| sep == likely || header.len() >= 3) {
            return sep;
        }
        tried.push((sep, search.widths));
    }
    let is_table = |widths: &[usize]| {
        let mut counts: HashMap<usize, usize> = HashMap::new();
        for &w in widths {
            *counts.entry(w).or_default() += 1;
        }
        counts.into_iter().max_by_key(|&(w, n)| (n, w)).is_some_and(|(w, n)| w >= 2 && n * 2 > widths.len())
    };
    tried.into_iter().find(|(_, widths)| is_table(widths)).map(|(sep, _)| sep).unwrap_or(likely)
}

fn open_xlsx(bytes: Vec<u8>, file: &str, sheet: SheetSetting<'_>, anchors: &[String]) -> Result<Opened, Problem> {
    let whole = || Place::File(file.to_string());
    let mut wb = calamine::Xlsx::new(Cursor::new(bytes.as_slice())).map_err(|e| match e {
        calamine::XlsxError::Password => {
            Problem::new(whole(), "パスワードで保護されているため読めません。保護を解除して保存し直してください")
        }
        other => Problem::new(
            whole(),
            format!("Excelファイルとして読めません。ファイルが壊れている可能性があります。Excelで開けるか確かめ、保存し直してください（詳細: {other}）"),
        ),
    })?;
    let (name, mut range, note) =
        choose_sheet(&mut wb, sheet, file, anchors, |wb, name| sheet_bounds::xlsx_range(wb, name, file))?;
    let merges = wb.merge_cells_by_sheet_name(&name).unwrap_or_default();
    // The sheet's styles are read (another pass) only when the workbook defines an era format.
    let era = match workbook_parts::xlsx_number_formats(Cursor::new(bytes.as_slice()))
        .iter()
        .any(|f| era_dates::is_era_format(f))
    {
        true => {
            let is_1904 = wb.has_1904_epoch();
            era_dates::show_as_excel(&mut wb, &name, &mut range, is_1904)
        }
        false => None,
    };
    let notes = note.into_iter().chain(fill_vertical_merges(&mut range, &merges, &name)).chain(era).collect();
    // A formula whose result was never saved (files written by scripts or some
    // web systems) reads as an empty cell: answers would silently go missing.
    {
        let unsaved: Vec<(u32, u32)> = sheet_bounds::xlsx_formula_cells(&mut wb, &name)
            .into_iter()
            .filter(|&cell| matches!(range.get_value(cell), None | Some(Data::Empty)))
            .collect();
        if let Some(&(r, c)) = unsaved.first() {
            let cell = format!("{}{}", crate::problem::column_letters(c as usize), r + 1);
            let also = match unsaved.len() {
                1 => String::new(),
                n => format!("このほか{}個のセルも同じです。", n - 1),
            };
            return Err(Problem::new(
                Place::Cell { file: file.to_string(), sheet: name.clone(), cell, column: None },
                format!(
                    "数式の計算結果が保存されていません（{also}空欄として読むと回答が失われます）。Excel で開いて保存し直してください"
                ),
            ));
        }
    }
    let t = std::time::Instant::now();
    let hidden = workbook_parts::xlsx_hidden_rows(Cursor::new(bytes.as_slice()), &name);
    crate::output::trace("  hidden rows (the sheet's XML again)", t);
    let mut opened = sheet_table(range, name, file, anchors, notes)?;
    if let Some(note) = hidden.and_then(|h| opened.hidden_rows_note(&h)) {
        opened.notes.push(note);
    }
    Ok(opened)
}

fn open_cfb(bytes: Vec<u8>, file: &str, sheet: SheetSetting<'_>, anchors: &[String]) -> Result<Opened, Problem> {
    let whole = || Place::File(file.to_string());
    // An encrypted .xlsx is a compound file holding an EncryptedPackage stream.
    if let Ok(container) = cfb::CompoundFile::open(Cursor::new(bytes.as_slice()))
        && container.exists("/EncryptedPackage")
    {
        return Err(Problem::new(
            whole(),
            "パスワードで保護されているため読めません。保護を解除して保存し直してください",
        ));
    }
    sheet_bounds::check_xls(&bytes, file)?;
    let mut wb = calamine::Xls::new(Cursor::new(bytes.as_slice())).map_err(|e| match e {
        calamine::XlsError::Password => {
            Problem::new(whole(), "パスワードで保護されているため読めません。保護を解除して保存し直してください")
        }
        other => Problem::new(
            whole(),
            format!("Excelファイルとして読めません。ファイルが壊れている可能性があります。Excelで開けるか確かめ、保存し直してください（詳細: {other}）"),
        ),
    })?;
    let (name, mut range, note) = choose_sheet(&mut wb, sheet, file, anchors, |wb, name| {
        wb.worksheet_range(name).map_err(|e| Problem::new(whole(), format!("シート「{name}」を読めません（{e}）")))
    })?;
    let merges = wb.merge_cells_by_sheet_name(&name).unwrap_or_default();
    let is_1904 = wb.has_1904_epoch();
    let era = era_dates::show_as_excel(&mut wb, &name, &mut range, is_1904);
    let notes = note.into_iter().chain(fill_vertical_merges(&mut range, &merges, &name)).chain(era).collect();
    let hidden = workbook_parts::xls_hidden_rows(&bytes, &name);
    let mut opened = sheet_table(range, name, file, anchors, notes)?;
    if let Some(note) = hidden.and_then(|h| opened.hidden_rows_note(&h)) {
        opened.notes.push(note);
    }
    Ok(opened)
}

/// Gives every cell of a merged range one column wide the value of its top
/// cell, as Excel shows it (a department written once for a run of rows);
/// returns a note naming the ranges. Wider merged ranges are left alone.
fn fill_vertical_merges(
    range: &mut calamine::Range<Data>,
    merges: &[calamine::Dimensions],
    sheet: &str,
) -> Option<String> {
    let mut filled: Vec<String> = Vec::new();
    for m in merges {
        let ((top, col), (bottom, last_col)) = (m.start, m.end);
        // Only within the used cells: a merge may run far below the last row.
        let bottom = bottom.min(range.end().map_or(0, |(r, _)| r));
        if col != last_col || bottom <= top {
            continue;
        }
        let Some(value) = range.get_value((top, col)).filter(|v| !matches!(v, Data::Empty)).cloned() else {
            continue;
        };
        for row in top + 1..=bottom {
            range.set_value((row, col), value.clone());
        }
        let letters = column_letters(col as usize);
        filled.push(format!("{letters}{}:{letters}{}", top + 1, bottom + 1));
    }
    let (first, more) = (filled.first()?, filled.len() - 1);
    let more = if more > 0 { format!("ほか{more}か所") } else { String::new() };
    Some(format!(
        "シート「{sheet}」の縦に結合されたセル（{first}{more}）は、結合したすべての行に先頭のセルの値があるものとして読みました"
    ))
}

/// The sheet to read, with its cells and a note when it is not the first.
///
/// The sheet survey.toml names, or else the sheet with a header row (found by
/// `anchors`): answers on a second sheet behind an explanation or a summary
/// are found. Two such sheets whose header rows are alike in width (HR's
/// working copy beside the full answers) are an error naming both and the
/// `sheet` setting; a header row less than half as wide as the widest is a
/// summary's, not answers. With no such sheet, the first.
fn choose_sheet<RS, R>(
    wb: &mut R,
    setting: SheetSetting<'_>,
    file: &str,
    anchors: &[String],
    mut read_range: impl FnMut(&mut R, &str) -> Result<calamine::Range<Data>, Problem>,
) -> Result<(String, calamine::Range<Data>, Option<String>), Problem>
where
    RS: std::io::Read + std::io::Seek,
    R: Reader<RS>,
{
    let whole = || Place::File(file.to_string());
    let names = wb.sheet_names();
    let mut range_of = |name: &str| read_range(wb, name);
    if let Some(w) = setting.name {
        let name = names.iter().find(|n| n.trim() == w.trim()).cloned().ok_or_else(|| {
            Problem::new(whole(), format!("シート「{w}」がありません（あるシート: {}）", names.join("、")))
        })?;
        let range = range_of(&name)?;
        return Ok((name, range, None));
    }
    let first = names.first().cloned().ok_or_else(|| Problem::new(whole(), "シートが一つもありません"))?;
    if names.len() == 1 {
        let range = range_of(&first)?;
        return Ok((first, range, None));
    }
    let wanted = normalized(anchors);
    // Each sheet with a header row: its width, its name, its rows below the header, its cells.
    let mut found: Vec<(usize, String, usize, calamine::Range<Data>)> = Vec::new();
    for name in &names {
        let range = range_of(name)?;
        let Some(offset) = header_offset(&range, &wanted) else { continue };
        let width = range.rows().nth(offset).map_or(0, |row| row.iter().filter(|c| cell_text(c).is_some()).count());
        let rows = range.rows().skip(offset + 1).filter(|row| row.iter().any(|c| cell_text(c).is_some())).count();
        found.push((width, name.clone(), rows, range));
    }
    let widest = found.iter().map(|f| f.0).max().unwrap_or(0);
    let answers: Vec<&(usize, String, usize, calamine::Range<Data>)> =
        found.iter().filter(|f| f.0 * 2 >= widest).collect();
    if answers.len() > 1 {
        let listed: Vec<String> = answers.iter().map(|(_, name, rows, _)| format!("「{name}」{rows}行")).collect();
        let most = answers.iter().max_by_key(|f| f.2).map_or("", |f| f.1.as_str());
        return Err(Problem::new(
            whole(),
            format!(
                "回答らしいシートが{}枚あります（{}）。どのシートを読むか、survey.toml の {} に sheet = \"{most}\" のように書いてください",
                answers.len(),
                listed.join("、"),
                setting.table
            ),
        ));
    }
    let best = found.into_iter().filter(|f| f.0 == widest).map(|(w, name, _, range)| (w, name, range)).next();
    match best {
        Some((_, name, range)) if name != first => {
            let note = format!("1枚目のシート「{first}」ではなく、回答の見出しがあるシート「{name}」を読みました");
            Ok((name, range, Some(note)))
        }
        Some((_, name, range)) => Ok((name, range, None)),
        None => {
            let range = range_of(&first)?;
            Ok((first, range, None))
        }
    }
}

fn normalized(anchors: &[String]) -> Vec<String> {
    anchors.iter().map(|a| crate::text::normalize(a)).collect()
}

/// The row (from the range's first) among the first rows that holds one of the `wanted` headers.
fn header_offset(range: &calamine::Range<Data>, wanted: &[String]) -> Option<usize> {
    range
        .rows()
        .take(HEADER_SEARCH_ROWS)
        .position(|row| row.iter().any(|c| cell_text(c).is_some_and(|t| is_anchor(&t, wanted))))
}

/// Whether a cell names one of the `wanted` (normalised) headers, perhaps as
/// a form's question (`1. 所属`, `あなたの所属を選択してください`).
fn is_anchor(cell: &str, wanted: &[String]) -> bool {
    let cell = crate::text::normalize(cell.trim_start_matches('\u{feff}'));
    wanted.iter().any(|w| crate::ingest::headers::names(&cell, w).is_some())
}

/// Renders a worksheet cell as the text a user sees; `None` for an empty cell.
pub fn cell_text(cell: &Data) -> Option<String> {
    match cell {
        Data::Empty => None,
        Data::String(s) => Some(s.clone()),
        Data::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 1e15 {
                Some(format!("{}", *f as i64))
            } else {
                Some(format!("{f}"))
            }
        }
        Data::Int(i) => Some(i.to_string()),
        Data::Bool(b) => Some(if *b { "TRUE".into() } else { "FALSE".into() }),
        // As Excel shows it (2025/04/01), not as its serial number (45748).
        Data::DateTime(dt) => Some(match dt.as_datetime() {
            Some(d) if dt.is_datetime() => match d.format("%H:%M:%S").to_string().as_str() {
                "00:00:00" => d.format("%Y/%m/%d").to_string(),
                _ => d.format("%Y/%m/%d %H:%M:%S").to_string(),
            },
            _ => format!("{dt}"),
        }),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Some(s.clone()),
        Data::Error(e) => Some(format!("{e}")),
    }
}

fn sheet_table(
    range: calamine::Range<Data>,
    name: String,
    file: &str,
    anchors: &[String],
    notes: Vec<String>,
) -> Result<Opened, Problem> {
    let (start_row, start_col) = range.start().map(|(r, c)| (r as usize, c as usize)).unwrap_or((0, 0));
    if range.is_empty() {
        return Err(Problem::new(Place::File(file.to_string()), format!("シート「{name}」が空です")));
    }
    let header_offset = header_offset(&range, &normalized(anchors)).unwrap_or(0);
    let header_cells = range.rows().nth(header_offset).unwrap_or(&[]);
    let headers: Vec<String> =
        header_cells.iter().map(|c| cell_text(c).unwrap_or_default().trim().to_string()).collect();
    Ok(Opened {
        file: file.to_string(),
        source: Source::Sheet { name, header_row: start_row + header_offset, first_col: start_col },
        headers,
        body: Body::Sheet { range, header_offset },
        notes,
    })
}

impl Opened {
    /// Says how many respondents' rows of the sheet are hidden (rows below the
    /// header holding a value): they are read, although Excel does not show them.
    fn hidden_rows_note(&self, hidden: &workbook_parts::Hidden) -> Option<String> {
        let (Source::Sheet { name, header_row, .. }, Body::Sheet { range, .. }) = (&self.source, &self.body) else {
            return None;
        };
        let start = range.start().map(|(r, _)| r as usize).unwrap_or(0);
        let read: Vec<u32> = hidden
            .rows
            .iter()
            .copied()
            .filter(|&r| (r as usize).checked_sub(1).is_some_and(|row| row > *header_row))
            .filter(|&r| {
                range
                    .rows()
                    .nth(r as usize - 1 - start)
                    .is_some_and(|cells| cells.iter().any(|c| !matches!(c, Data::Empty)))
            })
            .collect();
        let first = read.first()?;
        let how = if hidden.filter { "フィルターで非表示になっている行" } else { "非表示の行" };
        Some(format!(
            "シート「{name}」には{how}が{}行あります（最初は{first}行目）。非表示の行も回答として読みました。集計から外す行があれば、その行を削除して保存し直してください",
            read.len()
        ))
    }

    /// Returns the place of data row `row` (0-based, below the header) in column `col`.
    pub fn place(&self, row: usize, col: usize) -> Place {
        match &self.source {
            Source::Csv { header_line, .. } => Place::Row {
                file: self.file.clone(),
                row: header_line + row + 1,
                column: Some(self.headers[col].clone()),
            },
            Source::Sheet { name, header_row, first_col } => Place::Cell {
                file: self.file.clone(),
                sheet: name.clone(),
                cell: format!("{}{}", column_letters(first_col + col), header_row + row + 2),
                column: Some(self.headers[col].clone()),
            },
        }
    }

    /// Returns the Excel letter of a column as the user sees it (`H`).
    pub fn column_name(&self, col: usize) -> String {
        match &self.source {
            Source::Csv { .. } => column_letters(col),
            Source::Sheet { first_col, .. } => column_letters(first_col + col),
        }
    }

    /// Returns the place of a header cell.
    pub fn header_place(&self, col: usize) -> Place {
        match &self.source {
            Source::Csv { header_line, .. } => {
                Place::Row { file: self.file.clone(), row: *header_line, column: Some(self.headers[col].clone()) }
            }
            Source::Sheet { name, header_row, first_col } => Place::Cell {
                file: self.file.clone(),
                sheet: name.clone(),
                cell: format!("{}{}", column_letters(first_col + col), header_row + 1),
                column: Some(self.headers[col].clone()),
            },
        }
    }

    /// Returns the place of the header row as a whole.
    pub fn header_row_place(&self) -> Place {
        match &self.source {
            Source::Csv { header_line, .. } => Place::Row { file: self.file.clone(), row: *header_line, column: None },
            Source::Sheet { name, header_row, first_col } => Place::Cell {
                file: self.file.clone(),
                sheet: name.clone(),
                cell: format!("{}{}", column_letters(*first_col), header_row + 1),
                column: None,
            },
        }
    }

    /// Reads the requested columns (header index, how); returns them in request order.
    /// Answer columns of a CSV of plain numbers come back as Int8; everything else as text.
    pub fn read(&self, wanted: &[(usize, Want)]) -> Result<Vec<Column>, Problem> {
        match &self.body {
            Body::Csv { text, separator } => self.read_csv(text, *separator, wanted),
            Body::Sheet { range, header_offset } => Ok(self.read_sheet(range, *header_offset, wanted)),
        }
    }

    fn read_sheet(&self, range: &calamine::Range<Data>, header_offset: usize, wanted: &[(usize, Want)]) -> Vec<Column> {
        let rows = range.height().saturating_sub(header_offset + 1);
        let mut texts: Vec<Vec<Option<String>>> = vec![Vec::with_capacity(rows); wanted.len()];
        for row in range.rows().skip(header_offset + 1) {
            for (k, &(col, _)) in wanted.iter().enumerate() {
                texts[k].push(row.get(col).and_then(cell_text));
            }
        }
        wanted.iter().zip(texts).map(|(&(col, _), values)| Column::new(format!("c{col}").into(), values)).collect()
    }

    /// Returns true when every sniffed answer cell is blank or plain ASCII digits.
    fn answers_look_numeric(text: &[u8], separator: u8, cols: &[usize]) -> bool {
        let mut reader =
            csv::ReaderBuilder::new().has_headers(true).flexible(true).delimiter(separator).from_reader(text);
        let mut record = csv::ByteRecord::new();
        for _ in 0..SNIFF_ROWS {
            match reader.read_byte_record(&mut record) {
                Ok(true) => {
                    for &c in cols {
                        let field = record.get(c).unwrap_or(b"");
                        if !field.iter().all(u8::is_ascii_digit) {
                            return false;
                        }
                    }
                }
                Ok(false) => break,
                Err(_) => return false,
            }
        }
        true
    }

    fn read_csv(&self, text: &[u8], separator: u8, wanted: &[(usize, Want)]) -> Result<Vec<Column>, Problem> {
        let answer_cols: Vec<usize> = wanted.iter().filter(|w| w.1 == Want::Answer).map(|w| w.0).collect();
        let numeric = !answer_cols.is_empty() && Self::answers_look_numeric(text, separator, &answer_cols);
        let attempt = |numeric: bool| -> PolarsResult<DataFrame> {
            let width = self.headers.len();
            let dtypes: HashMap<usize, DataType> = wanted
                .iter()
                .map(|&(c, w)| (c, if numeric && w == Want::Answer { DataType::Int8 } else { DataType::String }))
                .collect();
            let schema: Schema = (0..width)
                .map(|c| Field::new(format!("c{c}").into(), dtypes.get(&c).cloned().unwrap_or(DataType::String)))
                .collect();
            let mut projection: Vec<usize> = wanted.iter().map(|w| w.0).collect();
            projection.sort_unstable();
            projection.dedup();
            let parse = CsvParseOptions::default().with_separator(separator).with_truncate_ragged_lines(true);
            CsvReadOptions::default()
                .with_has_header(false)
                .with_skip_rows(1)
                .with_schema(Some(Arc::new(schema)))
                .with_projection(Some(Arc::new(projection)))
                .with_parse_options(parse)
                .with_raise_if_empty(false)
                .into_reader_with_file_handle(Cursor::new(text))
                .finish()
        };
        let df = match attempt(numeric) {
            Ok(df) => df,
            // A cell that is not a plain number: read the answers as text, whose
            // reader names every bad cell.
            Err(_) if numeric => attempt(false).map_err(|e| self.polars_problem(e))?,
            Err(e) => return Err(self.polars_problem(e)),
        };
        wanted
            .iter()
            .map(|&(c, _)| {
                let name = format!("c{c}");
                df.column(&name).cloned().map_err(|e| self.polars_problem(e))
            })
            .collect()
    }

    /// The rows of a CSV with more fields than the header, each an error
    /// naming the row and never its text (an unquoted comma in a free-text
    /// cell shifts every answer after it, and polars reads only the header's
    /// width). Extra fields are harmless only when they are blank and the row
    /// is as wide as most rows (an export that ends every line with a
    /// separator); a row wider than its neighbours has been shifted even when
    /// the field pushed off its end was a blank answer. A full pass over the
    /// file, so called only when the file's cells gave errors.
    pub fn rows_wider_than_the_header(&self) -> Vec<Problem> {
        let (Body::Csv { text, separator }, Source::Csv { header_line, .. }) = (&self.body, &self.source) else {
            return Vec::new();
        };
        let width = self.headers.len();
        let mut reader =
            csv::ReaderBuilder::new().has_headers(true).flexible(true).delimiter(*separator).from_reader(&text[..]);
        let mut record = csv::ByteRecord::new();
        // (data row, fields, whether the fields beyond the header are all blank)
        let mut wide: Vec<(usize, usize, bool)> = Vec::new();
        let mut widths: HashMap<usize, usize> = HashMap::new();
        let mut row = 0;
        while let Ok(true) = reader.read_byte_record(&mut record) {
            *widths.entry(record.len()).or_default() += 1;
            if record.len() > width {
                let blank = record.iter().skip(width).all(|f| f.iter().all(u8::is_ascii_whitespace));
                wide.push((row, record.len(), blank));
            }
            row += 1;
        }
        let usual = widths.into_iter().max_by_key(|&(w, n)| (n, w)).map_or(width, |(w, _)| w);
        wide.into_iter()
            .filter(|&(_, fields, blank)| !(blank && fields == usual))
            .map(|(row, fields, _)| {
                Problem::new(
                    Place::Row { file: self.file.clone(), row: header_line + row + 1, column: None },
                    format!(
                        "この行は見出し（{width}列）より列が{}つ多くなっています。引用符で囲まれていないカンマなどで、これより右の回答がずれています。カンマを含む欄（自由記述など）を「\"」で囲むか、カンマを取り除いて保存し直してください",
                        fields - width
                    ),
                )
            })
            .collect()
    }

    fn polars_problem(&self, e: PolarsError) -> Problem {
        Problem::new(Place::File(self.file.clone()), format!("CSVとして読めません（{e}）"))
    }
}

#[cfg(test)]
impl Opened {
    /// An empty CSV with these headers, for tests of finding columns.
    pub fn for_headers(headers: &[&str]) -> Opened {
        Opened {
            file: "test.csv".into(),
            source: Source::Csv { encoding: TextEncoding::Utf8, header_line: 1 },
            headers: headers.iter().map(|h| h.to_string()).collect(),
            body: Body::Csv { text: Vec::new(), separator: b',' },
            notes: Vec::new(),
        }
    }
}
