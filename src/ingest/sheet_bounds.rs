//! Keeping a damaged or odd workbook from exhausting memory.
//!
//! calamine lays a worksheet out as a dense grid from its top-left to its
//! bottom-right value. One stray value far away (XFD1048576), or a damaged
//! file that claims one, makes that grid billions of cells: found by fuzzing,
//! a 30 KB file took every gigabyte of the machine. So the extent of the
//! values is measured first, from the cells themselves, and a sheet wider than
//! any real export is refused with the far cell named.

use std::io::{Cursor, Read, Seek};

use calamine::{Cell, Data, Range};

use crate::problem::{Place, Problem, column_letters};

/// The most cells (rows × columns from the first value to the last) a workbook
/// may span: more than any export (Excel's 1,048,576 rows × 50 columns), far
/// less than what would exhaust an office PC's memory.
pub const MAX_CELLS: u64 = 60_000_000;

fn too_wide(file: &str, sheet: Option<&str>, far: (u32, u32)) -> Problem {
    let cell = format!("{}{}", column_letters(far.1 as usize), u64::from(far.0) + 1);
    let sheet = sheet.map(|s| format!("シート「{s}」の")).unwrap_or_default();
    Problem::new(
        Place::File(file.to_string()),
        format!(
            "{sheet}値のある範囲がセル{cell}まで広がっていて、大きすぎて読めません。離れた場所にある値を消して保存し直してください（ファイルが壊れている可能性もあります）"
        ),
    )
}

/// The error for a workbook that is damaged, with what the reader said when it said something.
pub fn damaged(file: &str, detail: Option<&str>) -> Problem {
    let detail = detail.map(|d| format!("（詳細: {d}）")).unwrap_or_default();
    Problem::new(
        Place::File(file.to_string()),
        format!(
            "Excelファイルとして読めません。ファイルが壊れています。Excelで開けるか確かめ、保存し直してください{detail}"
        ),
    )
}

/// The extent of positions: (first row, first column, last row, last column).
fn extent(positions: impl Iterator<Item = (u32, u32)>) -> Option<(u32, u32, u32, u32)> {
    positions.fold(None, |acc, (r, c)| {
        Some(match acc {
            None => (r, c, r, c),
            Some((r0, c0, r1, c1)) => (r0.min(r), c0.min(c), r1.max(r), c1.max(c)),
        })
    })
}

fn span((r0, c0, r1, c1): (u32, u32, u32, u32)) -> u64 {
    (u64::from(r1 - r0) + 1) * (u64::from(c1 - c0) + 1)
}

/// Reads one worksheet of an .xlsx, refusing one whose values span more than [`MAX_CELLS`].
pub fn xlsx_range<RS: Read + Seek>(
    wb: &mut calamine::Xlsx<RS>,
    name: &str,
    file: &str,
) -> Result<Range<Data>, Problem> {
    let unreadable = |e: calamine::XlsxError| {
        Problem::new(Place::File(file.to_string()), format!("シート「{name}」を読めません（{e}）"))
    };
    let mut reader = wb.worksheet_cells_reader(name).map_err(unreadable)?;
    let mut cells: Vec<Cell<Data>> = Vec::new();
    while let Some(cell) = reader.next_cell().map_err(unreadable)? {
        let value = Data::from(cell.get_value().clone());
        if value != Data::Empty {
            cells.push(Cell::new(cell.get_position(), value));
        }
    }
    if let Some(e) = extent(cells.iter().map(Cell::get_position))
        && span(e) > MAX_CELLS
    {
        return Err(too_wide(file, Some(name), (e.2, e.3)));
    }
    Ok(Range::from_sparse(cells))
}

/// The cells of an .xlsx worksheet holding a formula, read one by one (not as a grid).
pub fn xlsx_formula_cells<RS: Read + Seek>(wb: &mut calamine::Xlsx<RS>, name: &str) -> Vec<(u32, u32)> {
    let Ok(mut reader) = wb.worksheet_cells_reader(name) else { return Vec::new() };
    let mut out = Vec::new();
    while let Ok(Some(formula)) = reader.next_formula() {
        if !formula.get_value().trim().is_empty() {
            out.push(formula.get_position());
        }
    }
    out
}

/// Checks an .xls before calamine reads it (it lays out every sheet at once):
/// the values of all its worksheets together may span at most [`MAX_CELLS`].
///
/// Walks the BIFF8 records of the workbook stream: each worksheet's cell
/// records (row, column first) give its extent.
///
/// The container is opened and the stream read by the `cfb` crate first, which
/// checks the sector chains: calamine's own reader follows a damaged file's
/// looping chain forever, growing until memory runs out (found by fuzzing).
pub fn check_xls(bytes: &[u8], file: &str) -> Result<(), Problem> {
    let stream = xls_stream(bytes).map_err(|e| damaged(file, Some(&e)))?;
    let mut total: u64 = 0;
    let mut sheet: Option<(u32, u32, u32, u32)> = None;
    let end_sheet = |sheet: &mut Option<(u32, u32, u32, u32)>, total: &mut u64| {
        if let Some(e) = sheet.take() {
            *total += span(e);
            if *total > MAX_CELLS {
                return Err(too_wide(file, None, (e.2, e.3)));
            }
        }
        Ok(())
    };
    for (_, kind, data) in biff_records(&stream) {
        let u16_at = |i: usize| data.get(i..i + 2).map(|b| u32::from(u16::from_le_bytes([b[0], b[1]])));
        let (row, first, last) = match kind {
            // BOF and EOF bound a sheet's records.
            0x0809 | 0x000A => {
                end_sheet(&mut sheet, &mut total)?;
                continue;
            }
            // FORMULA, LABELSST, NUMBER, RK, LABEL, BOOLERR, RSTRING: row, column.
            0x0006 | 0x00FD | 0x0203 | 0x027E | 0x0204 | 0x0205 | 0x00D6 => {
                let (Some(row), Some(col)) = (u16_at(0), u16_at(2)) else { continue };
                (row, col, col)
            }
            // MULRK: row, first column, 6-byte values, last column.
            0x00BD => {
                let (Some(row), Some(col)) = (u16_at(0), u16_at(2)) else { continue };
                let count = (data.len().saturating_sub(6) / 6) as u32;
                let last = u16_at(data.len().saturating_sub(2)).unwrap_or(col);
                (row, col, last.max(col + count.saturating_sub(1)))
            }
            _ => continue,
        };
        let e = sheet.get_or_insert((row, first, row, last));
        *e = (e.0.min(row), e.1.min(first), e.2.max(row), e.3.max(last));
    }
    end_sheet(&mut sheet, &mut total)
}

/// The workbook stream of an .xls (BIFF8 records), read by the `cfb` crate.
pub fn xls_stream(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut container = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let mut stream = Vec::new();
    let mut reader =
        container.open_stream("/Workbook").or_else(|_| container.open_stream("/Book")).map_err(|e| e.to_string())?;
    reader.read_to_end(&mut stream).map_err(|e| e.to_string())?;
    Ok(stream)
}

/// The BIFF records of a workbook stream: where each starts, its type and
/// its data (cut short at the stream's end).
pub fn biff_records(stream: &[u8]) -> impl Iterator<Item = (usize, u16, &[u8])> {
    let mut at = 0usize;
    std::iter::from_fn(move || {
        if at + 4 > stream.len() {
            return None;
        }
        let start = at;
        let kind = u16::from_le_bytes([stream[at], stream[at + 1]]);
        let len = usize::from(u16::from_le_bytes([stream[at + 2], stream[at + 3]]));
        let data = &stream[at + 4..(at + 4 + len).min(stream.len())];
        at += 4 + len;
        Some((start, kind, data))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::Reader;

    #[test]
    fn a_far_value_is_refused_with_its_cell() {
        // Two values: A1 and XFD1048576 span 17 billion cells.
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_name("回答").unwrap();
        sheet.write_string(0, 0, "所属コード").unwrap();
        sheet.write_string(1_048_575, 16_383, "x").unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let mut wb = calamine::Xlsx::new(Cursor::new(bytes)).unwrap();
        let err = xlsx_range(&mut wb, "回答", "responses/R6.xlsx").unwrap_err();
        assert_eq!(
            err.to_string(),
            "responses/R6.xlsx: シート「回答」の値のある範囲がセルXFD1048576まで広がっていて、大きすぎて読めません。離れた場所にある値を消して保存し直してください（ファイルが壊れている可能性もあります）"
        );
    }

    #[test]
    fn extents_and_spans() {
        assert_eq!(extent([(3, 2), (0, 5), (7, 1)].into_iter()), Some((0, 1, 7, 5)));
        assert_eq!(span((0, 1, 7, 5)), 8 * 5);
        assert_eq!(extent(std::iter::empty()), None);
    }
}
