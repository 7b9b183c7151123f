//! Minimal writer for legacy Excel 97–2003 workbooks (`.xls`, BIFF8).
//!
//! No Rust crate writes `.xls`, yet some survey systems still export it, so
//! `synth` needs a small writer of its own. This module builds the BIFF8
//! `Workbook` stream by hand and wraps it in the OLE2 compound-file
//! container (MS-CFB version 3, 512-byte sectors, as Excel writes it) that
//! Excel, LibreOffice, xlrd and calamine expect. The container is written
//! here too, not with the `cfb` crate, because `cfb` is far too slow for
//! large streams (see `compound_file`); the tests read the result back with
//! `cfb`'s strict parser.
//!
//! What is written: one worksheet of plain values. Text goes through the
//! shared string table (SST, split into CONTINUE records when it grows past
//! the record size limit, plus the EXTSST index) as UTF-16 and is referenced
//! by LABELSST cells; numbers become RK records when the value survives RK's
//! 30-bit compression exactly and NUMBER records otherwise; empty cells are
//! not written at all. Every cell uses one "General" cell format, so there are
//! no dates, fonts, colours or column widths.
//!
//! What is handed on: a file at the given path whose bytes depend only on the
//! arguments (no timestamps, no random CLSIDs), so repeated `synth` runs are
//! reproducible byte for byte. Input that BIFF8 cannot hold (too many rows or
//! columns, over-long text, non-finite numbers, an invalid sheet name) is
//! refused with `io::ErrorKind::InvalidInput` before anything is written.

use std::collections::HashMap;
use std::io;
use std::path::Path;

/// One cell value.
#[derive(Debug, Clone, PartialEq)]
pub enum XlsCell {
    /// No value; nothing is written for this cell.
    Empty,
    /// A finite number (stored as RK when exact, otherwise as an IEEE double).
    Number(f64),
    /// Text of at most 32,767 UTF-16 code units.
    Text(String),
}

// BIFF8 sheet limits (MS-XLS 2.2.2 / Excel 97–2003 specifications).
const MAX_ROWS: usize = 65_536;
const MAX_COLS: usize = 256;
const MAX_TEXT_UNITS: usize = 32_767;
const MAX_SHEET_NAME_UNITS: usize = 31;

// Largest record body BIFF8 allows; longer data must continue in CONTINUE records.
const MAX_RECORD_DATA: usize = 8224;

// MS-CFB puts streams shorter than 4096 bytes in the mini stream. Like xlwt,
// we pad the workbook stream with zero bytes after the final EOF instead, so
// the container never needs a mini stream; readers stop at the EOF record.
const MIN_STREAM_LEN: usize = 4096;

// Index of the single cell XF: XFs 0..=15 are the style XFs, 16 is ours.
const CELL_XF: u16 = 16;

// Record type numbers (MS-XLS 2.3).
const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;
const CODEPAGE: u16 = 0x0042;
const WINDOW1: u16 = 0x003D;
const DATEMODE: u16 = 0x0022;
const FONT: u16 = 0x0031;
const XF: u16 = 0x00E0;
const STYLE: u16 = 0x0293;
const BOUNDSHEET8: u16 = 0x0085;
const SST: u16 = 0x00FC;
const CONTINUE: u16 = 0x003C;
const EXTSST: u16 = 0x00FF;
const DIMENSIONS: u16 = 0x0200;
const NUMBER: u16 = 0x0203;
const RK: u16 = 0x027E;
const LABELSST: u16 = 0x00FD;
const WINDOW2: u16 = 0x023E;

// XLUnicodeString flags byte: bit 0 (fHighByte) = characters are UTF-16LE.
const HIGH_BYTE: u8 = 0x01;

/// Writes one worksheet named `sheet` holding `rows` (row 0 is the header) as a BIFF8 .xls workbook.
///
/// Fails with `io::ErrorKind::InvalidInput`, before the file is created, when
/// there are more than 65,536 rows, a row has more than 256 cells, a text
/// exceeds 32,767 UTF-16 code units, a number is NaN or infinite, or `sheet`
/// is not a valid Excel sheet name (1–31 characters, none of `: \ / ? * [ ]`,
/// not starting or ending with `'`). Other errors come from the file system.
pub fn write_xls(path: &Path, sheet: &str, rows: &[Vec<XlsCell>]) -> io::Result<()> {
    let sheet_name = validate_sheet_name(sheet)?;
    if rows.len() > MAX_ROWS {
        return Err(invalid(format!(
            "{} rows do not fit in an .xls worksheet (BIFF8 holds at most {MAX_ROWS} rows)",
            rows.len()
        )));
    }

    let body = encode_cells(rows)?;
    let globals = encode_globals(&sheet_name, &body.strings, body.label_count)?;
    let sheet_head = encode_sheet_head(&body);
    let sheet_tail = encode_sheet_tail();

    // Build the whole file in memory so that a failure leaves no half-written
    // file behind; the copy costs a few milliseconds even for 36 MB.
    let bytes = compound_file(&[&globals, &sheet_head, &body.cells, &sheet_tail])?;
    std::fs::write(path, bytes)
}

/// Cell records of the sheet plus what the globals need to know about them.
struct SheetBody<'a> {
    /// LABELSST / RK / NUMBER records in row-major order.
    cells: Vec<u8>,
    /// Distinct texts in order of first appearance (index = SST index).
    strings: Vec<&'a str>,
    /// Number of LABELSST records (SST `cstTotal`).
    label_count: u32,
    /// First used row/column and one past the last; all zero for an empty sheet.
    first_row: u32,
    last_row_plus_1: u32,
    first_col: u16,
    last_col_plus_1: u16,
}

fn encode_cells(rows: &[Vec<XlsCell>]) -> io::Result<SheetBody<'_>> {
    // LABELSST and RK take 14 bytes with their header (NUMBER 18); reserving
    // that up front avoids most reallocation of what can be tens of megabytes.
    let cell_count: usize = rows.iter().map(Vec::len).sum();
    let mut cells = Vec::with_capacity(cell_count.saturating_mul(14));
    let mut index: HashMap<&str, u32> = HashMap::new();
    let mut strings: Vec<&str> = Vec::new();
    let mut label_count: u32 = 0;
    let mut first_row = u32::MAX;
    let mut last_row = 0u32;
    let mut first_col = u16::MAX;
    let mut last_col = 0u16;

    for (r, row) in rows.iter().enumerate() {
        if row.len() > MAX_COLS {
            return Err(invalid(format!(
                "row {} has {} cells; an .xls worksheet holds at most {MAX_COLS} columns",
                r + 1,
                row.len()
            )));
        }
        // Both fit: rows.len() <= 65,536 and row.len() <= 256 were checked.
        let rw = u16::try_from(r).map_err(|_| invalid(format!("row index {r} out of range")))?;
        for (c, cell) in row.iter().enumerate() {
            let col = u16::try_from(c).map_err(|_| invalid(format!("column index {c} out of range")))?;
            match cell {
                XlsCell::Empty => continue,
                XlsCell::Number(v) => {
                    if !v.is_finite() {
                        return Err(invalid(format!(
                            "row {}, column {}: {v} cannot be stored in an .xls cell (only finite numbers)",
                            r + 1,
                            c + 1
                        )));
                    }
                    match rk_encode(*v) {
                        Some(rk) => {
                            push_header(&mut cells, RK, 10);
                            push_cell_ref(&mut cells, rw, col);
                            cells.extend_from_slice(&rk.to_le_bytes());
                        }
                        None => {
                            push_header(&mut cells, NUMBER, 14);
                            push_cell_ref(&mut cells, rw, col);
                            cells.extend_from_slice(&v.to_le_bytes());
                        }
                    }
                }
                XlsCell::Text(s) => {
                    let isst = match index.get(s.as_str()) {
                        Some(&i) => i,
                        None => {
                            // UTF-16 never has more code units than UTF-8 has
                            // bytes, so only long texts need counting.
                            if s.len() > MAX_TEXT_UNITS {
                                let units = s.encode_utf16().count();
                                if units > MAX_TEXT_UNITS {
                                    return Err(invalid(format!(
                                        "row {}, column {}: text of {units} UTF-16 code units exceeds \
                                         the .xls limit of {MAX_TEXT_UNITS} characters",
                                        r + 1,
                                        c + 1
                                    )));
                                }
                            }
                            // At most 65,536 × 256 distinct strings, far below u32::MAX.
                            let i = u32::try_from(strings.len())
                                .map_err(|_| invalid("too many distinct texts".to_string()))?;
                            index.insert(s.as_str(), i);
                            strings.push(s.as_str());
                            i
                        }
                    };
                    label_count += 1;
                    push_header(&mut cells, LABELSST, 10);
                    push_cell_ref(&mut cells, rw, col);
                    cells.extend_from_slice(&isst.to_le_bytes());
                }
            }
            first_row = first_row.min(u32::from(rw));
            last_row = last_row.max(u32::from(rw));
            first_col = first_col.min(col);
            last_col = last_col.max(col);
        }
    }

    let empty = first_row == u32::MAX;
    Ok(SheetBody {
        cells,
        strings,
        label_count,
        first_row: if empty { 0 } else { first_row },
        last_row_plus_1: if empty { 0 } else { last_row + 1 },
        first_col: if empty { 0 } else { first_col },
        last_col_plus_1: if empty { 0 } else { last_col + 1 },
    })
}

/// RK packs a number into 30 bits: either a signed integer or the top 30
/// bits of an IEEE double. Returns `None` when that would lose precision.
fn rk_encode(v: f64) -> Option<u32> {
    const LIMIT: f64 = (1u32 << 29) as f64;
    // -0.0 is excluded here so that it round-trips through the float form.
    if v.fract() == 0.0 && (-LIMIT..LIMIT).contains(&v) && !(v == 0.0 && v.is_sign_negative()) {
        // In range, so the cast is exact; bit 1 (fInt) marks an integer.
        let i = v as i32;
        return Some(((i as u32) << 2) | 0x02);
    }
    let bits = v.to_bits();
    // The low 34 bits must be zero: 32 are dropped, 2 are replaced by flags.
    if bits & 0x3_FFFF_FFFF == 0 {
        return Some((bits >> 32) as u32);
    }
    None
}

fn encode_globals(sheet_name: &[u16], strings: &[&str], label_count: u32) -> io::Result<Vec<u8>> {
    let mut g = Vec::with_capacity(1024 + strings.len() * 16);

    // BOF: BIFF8 (0x0600), workbook globals (0x0005), build/year and
    // compatibility fields as xlwt writes them.
    record(&mut g, BOF, &bof_body(0x0005));
    // CODEPAGE 1200: strings are UTF-16.
    record(&mut g, CODEPAGE, &1200u16.to_le_bytes());
    record(&mut g, WINDOW1, &window1_body());
    // DATEMODE 0: 1900 date system, stated explicitly for readers that care.
    record(&mut g, DATEMODE, &0u16.to_le_bytes());

    // Excel skips font index 4, and files written by Excel carry at least
    // fonts 0–3 and 5; five identical records satisfy every reader.
    let font = font_body();
    for _ in 0..5 {
        record(&mut g, FONT, &font);
    }

    // Readers expect XFs 0–15 to exist (Excel keeps its built-in styles
    // there); like xlwt we make all 16 style XFs and put the cell XF at 16.
    record(&mut g, XF, &xf_body(0xFFF5, 0x00));
    for _ in 1..16 {
        record(&mut g, XF, &xf_body(0xFFF5, 0xF4));
    }
    // The cell XF used by every cell: parent style 0, locked, General format.
    record(&mut g, XF, &xf_body(0x0001, 0x00));

    // STYLE: built-in "Normal" (istyBuiltIn 0) bound to style XF 0.
    record(&mut g, STYLE, &[0x00, 0x80, 0x00, 0xFF]);

    // BOUNDSHEET8 holds the absolute stream offset of the sheet's BOF, which
    // is only known once SST and EXTSST have been laid out: patched below.
    let boundsheet_pos = g.len();
    let mut bs = Vec::with_capacity(8 + 2 * sheet_name.len());
    bs.extend_from_slice(&0u32.to_le_bytes()); // lbPlyPos, patched later
    bs.push(0x00); // visible
    bs.push(0x00); // worksheet
    bs.push(sheet_name.len() as u8); // validated to be <= 31
    bs.push(HIGH_BYTE);
    push_units(&mut bs, sheet_name);
    record(&mut g, BOUNDSHEET8, &bs);

    // The globals start the stream, so positions in `g` are stream offsets,
    // which is what EXTSST records.
    let buckets = write_sst(&mut g, strings, label_count)?;
    write_extsst(&mut g, strings.len(), &buckets)?;
    record(&mut g, EOF, &[]);

    let sheet_offset = u32::try_from(g.len()).map_err(|_| invalid("workbook globals exceed 4 GiB".to_string()))?;
    // +4 skips the record header to reach lbPlyPos.
    g[boundsheet_pos + 4..boundsheet_pos + 8].copy_from_slice(&sheet_offset.to_le_bytes());
    Ok(g)
}

fn bof_body(dt: u16) -> [u8; 16] {
    let mut b = [0u8; 16];
    b[0..2].copy_from_slice(&0x0600u16.to_le_bytes()); // BIFF8
    b[2..4].copy_from_slice(&dt.to_le_bytes());
    b[4..6].copy_from_slice(&0x0DBBu16.to_le_bytes()); // rupBuild
    b[6..8].copy_from_slice(&0x07CCu16.to_le_bytes()); // rupYear (1996)
    // bytes 8..12: file history flags, 0
    b[12..16].copy_from_slice(&0x0000_0006u32.to_le_bytes()); // lowest BIFF version: 8
    b
}

fn window1_body() -> [u8; 18] {
    let mut b = [0u8; 18];
    let fields: [u16; 9] = [
        0x01E0, // xWn
        0x005A, // yWn
        0x3FCF, // dxWn
        0x2A4E, // dyWn
        0x0038, // show horizontal/vertical scroll bars and sheet tabs
        0x0000, // itabCur: active sheet
        0x0000, // itabFirst: first visible tab
        0x0001, // ctabSel: one selected sheet
        0x0258, // wTabRatio: 600/1000 of the width for tabs
    ];
    for (i, f) in fields.iter().enumerate() {
        b[2 * i..2 * i + 2].copy_from_slice(&f.to_le_bytes());
    }
    b
}

fn font_body() -> Vec<u8> {
    // "ＭＳ Ｐゴシック" 11 pt is Excel's default font in Japanese installs,
    // matching the Japanese survey texts; other systems substitute.
    let name: Vec<u16> = "ＭＳ Ｐゴシック".encode_utf16().collect();
    let mut b = Vec::with_capacity(16 + 2 * name.len());
    b.extend_from_slice(&220u16.to_le_bytes()); // dyHeight: 11 pt in twips
    b.extend_from_slice(&0u16.to_le_bytes()); // no italic/strike/outline
    b.extend_from_slice(&0x7FFFu16.to_le_bytes()); // icv: automatic colour
    b.extend_from_slice(&400u16.to_le_bytes()); // bls: normal weight
    b.extend_from_slice(&0u16.to_le_bytes()); // sss: no super/subscript
    b.push(0x00); // uls: no underline
    b.push(0x03); // bFamily: FF_MODERN, the family Windows gives the MS Gothic fonts
    b.push(0x80); // bCharSet: SHIFTJIS_CHARSET
    b.push(0x00); // reserved
    b.push(name.len() as u8); // constant, 8 characters
    b.push(HIGH_BYTE);
    push_units(&mut b, &name);
    b
}

/// BIFF8 XF record body with font 0, General format (ifmt 0), bottom-aligned,
/// no borders and the default pattern colours.
fn xf_body(type_prot: u16, used_attrs: u8) -> [u8; 20] {
    let mut b = [0u8; 20];
    // bytes 0..2 ifnt = 0, bytes 2..4 ifmt = 0 (General)
    // type_prot: bit 0 locked, bit 2 style XF, bits 4..16 parent XF (0xFFF for styles).
    b[4..6].copy_from_slice(&type_prot.to_le_bytes());
    b[6] = 0x20; // horizontal General, vertical bottom
    b[9] = used_attrs;
    // icvFore 64 (system window text) and icvBack 65 (system window background).
    b[18..20].copy_from_slice(&(0x40u16 | (0x41u16 << 7)).to_le_bytes());
    b
}

/// One EXTSST bucket: where its first string starts, absolute and within
/// the record (SST or CONTINUE) that holds it.
struct Bucket {
    stream_pos: usize,
    in_record: u16,
}

// Strings per EXTSST bucket, as Excel and LibreOffice choose it: at least 8,
// and never more than 128 buckets.
fn strings_per_bucket(count: usize) -> usize {
    count.div_ceil(128).max(8)
}

/// Appends SST and its CONTINUE records to `out`; returns the EXTSST buckets.
fn write_sst(out: &mut Vec<u8>, strings: &[&str], label_count: u32) -> io::Result<Vec<Bucket>> {
    let unique = u32::try_from(strings.len()).map_err(|_| invalid("too many distinct texts".to_string()))?;
    let per_bucket = strings_per_bucket(strings.len());
    let mut buckets = Vec::with_capacity(strings.len().div_ceil(per_bucket));

    let mut rec = RecordSplitter::begin(out, SST);
    rec.out.extend_from_slice(&label_count.to_le_bytes()); // cstTotal
    rec.out.extend_from_slice(&unique.to_le_bytes()); // cstUnique

    let mut units: Vec<u16> = Vec::new();
    for (i, s) in strings.iter().enumerate() {
        units.clear();
        units.extend(s.encode_utf16());
        // Checked in encode_cells.
        let cch = u16::try_from(units.len()).map_err(|_| invalid("text too long".to_string()))?;

        // The string header (cch, flags) and its first character must share a
        // record: readers such as calamine fail on a split header, and Excel
        // never splits there. A surrogate pair counts as one character.
        let first_char = match units.first() {
            None => 0,
            Some(&u) if is_high_surrogate(u) && units.len() > 1 => 4,
            Some(_) => 2,
        };
        if rec.room() < 3 + first_char {
            rec.next_continue();
        }
        if i % per_bucket == 0 {
            let in_record = rec.out.len() - rec.start;
            buckets.push(Bucket {
                stream_pos: rec.out.len(),
                in_record: u16::try_from(in_record).map_err(|_| invalid("SST record overflow".to_string()))?,
            });
        }
        rec.out.extend_from_slice(&cch.to_le_bytes());
        rec.out.push(HIGH_BYTE);

        let mut rest: &[u16] = &units;
        loop {
            let fit = rec.room() / 2;
            if fit >= rest.len() {
                push_units(rec.out, rest);
                break;
            }
            let mut n = fit;
            // Never separate the halves of a surrogate pair: readers decode
            // each record's piece on its own and would produce U+FFFD.
            if n > 0 && is_high_surrogate(rest[n - 1]) {
                n -= 1;
            }
            push_units(rec.out, &rest[..n]);
            rest = &rest[n..];
            // MS-XLS 2.5.293: a string continued in a CONTINUE record restarts
            // with a flags byte giving the encoding of the remaining characters.
            rec.next_continue();
            rec.out.push(HIGH_BYTE);
        }
    }
    rec.finish();
    Ok(buckets)
}

fn write_extsst(out: &mut Vec<u8>, string_count: usize, buckets: &[Bucket]) -> io::Result<()> {
    let per_bucket = u16::try_from(strings_per_bucket(string_count))
        .map_err(|_| invalid("EXTSST bucket size overflow".to_string()))?;
    let mut b = Vec::with_capacity(2 + 8 * buckets.len());
    b.extend_from_slice(&per_bucket.to_le_bytes());
    for bucket in buckets {
        let ib =
            u32::try_from(bucket.stream_pos).map_err(|_| invalid("shared string table exceeds 4 GiB".to_string()))?;
        b.extend_from_slice(&ib.to_le_bytes());
        b.extend_from_slice(&bucket.in_record.to_le_bytes());
        b.extend_from_slice(&0u16.to_le_bytes()); // reserved
    }
    record(out, EXTSST, &b);
    Ok(())
}

// Compound File Binary format, version 3 (MS-CFB 2.1–2.6).
const CFB_SECTOR: usize = 512;
const CFB_IDS_PER_SECTOR: usize = CFB_SECTOR / 4;
const CFB_HEADER_DIFAT: usize = 109;
const CFB_ENDOFCHAIN: u32 = 0xFFFF_FFFE;
const CFB_FREESECT: u32 = 0xFFFF_FFFF;
const CFB_FATSECT: u32 = 0xFFFF_FFFD;
const CFB_DIFSECT: u32 = 0xFFFF_FFFC;
const CFB_NOSTREAM: u32 = 0xFFFF_FFFF;
// Version 3 stream sizes must stay below 2 GiB (MS-CFB 2.6.3).
const CFB_MAX_STREAM: usize = 0x7FFF_FFFF;

/// Wraps the concatenation of `parts` as the only stream, "Workbook", of a
/// version 3 compound file (512-byte sectors, as Excel writes it).
///
/// This is written by hand rather than through the `cfb` crate: `cfb` 0.10
/// scans the whole FAT for a free entry on every sector it allocates, which
/// is quadratic — about 2 s for the 36 MB of a 65,000 × 45 sheet — and its
/// faster version 4 output (4096-byte sectors) is rejected by xlrd, which
/// assumes a 512-byte header. A single stream needs no mini stream and no
/// directory tree, so the layout is fixed: header, stream sectors, one
/// directory sector, then the FAT and (for streams over ~7 MB) DIFAT sectors.
/// Nothing in it depends on the clock: CLSIDs and timestamps are zero.
fn compound_file(parts: &[&[u8]]) -> io::Result<Vec<u8>> {
    let data_len: usize = parts.iter().map(|p| p.len()).sum();
    let stream_len = data_len.max(MIN_STREAM_LEN);
    if stream_len > CFB_MAX_STREAM {
        return Err(invalid(format!("the workbook would be {stream_len} bytes; an .xls file holds at most 2 GiB")));
    }

    let data_sectors = stream_len.div_ceil(CFB_SECTOR);
    let dir_sector = data_sectors;
    // The FAT must also describe its own sectors and the DIFAT sectors, so
    // iterate until the counts stop growing (two or three rounds).
    let (mut fat_sectors, mut difat_sectors) = (0usize, 0usize);
    loop {
        let total = data_sectors + 1 + fat_sectors + difat_sectors;
        let fat = total.div_ceil(CFB_IDS_PER_SECTOR);
        let difat = fat.saturating_sub(CFB_HEADER_DIFAT).div_ceil(CFB_IDS_PER_SECTOR - 1);
        if (fat, difat) == (fat_sectors, difat_sectors) {
            break;
        }
        (fat_sectors, difat_sectors) = (fat, difat);
    }
    let first_fat = dir_sector + 1;
    let first_difat = first_fat + fat_sectors;
    let total_sectors = first_difat + difat_sectors;
    // Sector ids are u32; 2 GiB of 512-byte sectors is far below the limit.
    let id = |n: usize| n as u32;

    let mut out = Vec::with_capacity(CFB_SECTOR * (1 + total_sectors));

    // Header (MS-CFB 2.2).
    out.extend_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    out.extend_from_slice(&[0u8; 16]); // header CLSID
    out.extend_from_slice(&0x003Eu16.to_le_bytes()); // minor version
    out.extend_from_slice(&0x0003u16.to_le_bytes()); // major version 3
    out.extend_from_slice(&0xFFFEu16.to_le_bytes()); // little-endian
    out.extend_from_slice(&9u16.to_le_bytes()); // sector size 2^9
    out.extend_from_slice(&6u16.to_le_bytes()); // mini sector size 2^6
    out.extend_from_slice(&[0u8; 6]); // reserved
    out.extend_from_slice(&0u32.to_le_bytes()); // directory sectors: 0 in version 3
    out.extend_from_slice(&id(fat_sectors).to_le_bytes());
    out.extend_from_slice(&id(dir_sector).to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes()); // transaction signature
    out.extend_from_slice(&(MIN_STREAM_LEN as u32).to_le_bytes()); // mini stream cutoff
    out.extend_from_slice(&CFB_ENDOFCHAIN.to_le_bytes()); // no mini FAT
    out.extend_from_slice(&0u32.to_le_bytes());
    let difat_start = if difat_sectors == 0 { CFB_ENDOFCHAIN } else { id(first_difat) };
    out.extend_from_slice(&difat_start.to_le_bytes());
    out.extend_from_slice(&id(difat_sectors).to_le_bytes());
    for i in 0..CFB_HEADER_DIFAT {
        let entry = if i < fat_sectors { id(first_fat + i) } else { CFB_FREESECT };
        out.extend_from_slice(&entry.to_le_bytes());
    }
    debug_assert_eq!(out.len(), CFB_SECTOR);

    // Stream sectors, zero-padded to whole sectors.
    for part in parts {
        out.extend_from_slice(part);
    }
    out.resize(CFB_SECTOR * (1 + data_sectors), 0);

    // Directory sector: root storage, the stream, two unused entries.
    dir_entry(&mut out, "Root Entry", 5, 1, CFB_ENDOFCHAIN, 0);
    dir_entry(&mut out, "Workbook", 2, CFB_NOSTREAM, 0, stream_len as u32);
    for _ in 0..2 {
        let mut unused = [0u8; 128];
        unused[68..80].fill(0xFF); // siblings and child: NOSTREAM
        out.extend_from_slice(&unused);
    }

    // FAT: the stream is one contiguous chain; then the special sectors.
    for s in 0..fat_sectors * CFB_IDS_PER_SECTOR {
        let entry = match s {
            s if s + 1 < data_sectors => id(s + 1),
            s if s + 1 == data_sectors || s == dir_sector => CFB_ENDOFCHAIN,
            s if s >= first_fat && s < first_difat => CFB_FATSECT,
            s if s >= first_difat && s < total_sectors => CFB_DIFSECT,
            _ => CFB_FREESECT,
        };
        out.extend_from_slice(&entry.to_le_bytes());
    }

    // DIFAT sectors: 127 more FAT sector ids each, then the next DIFAT sector.
    for d in 0..difat_sectors {
        for k in 0..CFB_IDS_PER_SECTOR - 1 {
            let i = CFB_HEADER_DIFAT + d * (CFB_IDS_PER_SECTOR - 1) + k;
            let entry = if i < fat_sectors { id(first_fat + i) } else { CFB_FREESECT };
            out.extend_from_slice(&entry.to_le_bytes());
        }
        let next = if d + 1 < difat_sectors { id(first_difat + d + 1) } else { CFB_ENDOFCHAIN };
        out.extend_from_slice(&next.to_le_bytes());
    }
    debug_assert_eq!(out.len(), CFB_SECTOR * (1 + total_sectors));
    Ok(out)
}

/// Appends a 128-byte directory entry (MS-CFB 2.6) with no siblings, a black
/// node colour, a zero CLSID and zero timestamps.
fn dir_entry(out: &mut Vec<u8>, name: &str, object_type: u8, child: u32, start: u32, size: u32) {
    let mut e = [0u8; 128];
    let units: Vec<u16> = name.encode_utf16().collect();
    for (i, u) in units.iter().enumerate() {
        e[2 * i..2 * i + 2].copy_from_slice(&u.to_le_bytes());
    }
    // Length in bytes including the terminating NUL; names here are short constants.
    e[64..66].copy_from_slice(&(2 * (units.len() as u16 + 1)).to_le_bytes());
    e[66] = object_type;
    e[67] = 1; // black
    e[68..72].copy_from_slice(&CFB_NOSTREAM.to_le_bytes()); // left sibling
    e[72..76].copy_from_slice(&CFB_NOSTREAM.to_le_bytes()); // right sibling
    e[76..80].copy_from_slice(&child.to_le_bytes());
    e[116..120].copy_from_slice(&start.to_le_bytes());
    e[120..124].copy_from_slice(&size.to_le_bytes()); // high half stays 0
    out.extend_from_slice(&e);
}

/// Writes one logical record that may spill into CONTINUE records: keeps
/// track of the record being filled and patches its length when it closes.
struct RecordSplitter<'a> {
    out: &'a mut Vec<u8>,
    /// Offset in `out` of the current record's 4-byte header.
    start: usize,
}

impl<'a> RecordSplitter<'a> {
    fn begin(out: &'a mut Vec<u8>, typ: u16) -> Self {
        let start = out.len();
        push_header(out, typ, 0);
        RecordSplitter { out, start }
    }

    /// Bytes still free in the current record body.
    fn room(&self) -> usize {
        MAX_RECORD_DATA - (self.out.len() - self.start - 4)
    }

    fn finish(&mut self) {
        let len = self.out.len() - self.start - 4;
        // room() never lets a body grow past MAX_RECORD_DATA (8224 < 65,536).
        let len = len as u16;
        self.out[self.start + 2..self.start + 4].copy_from_slice(&len.to_le_bytes());
    }

    fn next_continue(&mut self) {
        self.finish();
        self.start = self.out.len();
        push_header(self.out, CONTINUE, 0);
    }
}

fn encode_sheet_head(body: &SheetBody<'_>) -> Vec<u8> {
    let mut h = Vec::with_capacity(40);
    record(&mut h, BOF, &bof_body(0x0010)); // 0x0010: worksheet
    let mut d = [0u8; 14];
    d[0..4].copy_from_slice(&body.first_row.to_le_bytes());
    d[4..8].copy_from_slice(&body.last_row_plus_1.to_le_bytes());
    d[8..10].copy_from_slice(&body.first_col.to_le_bytes());
    d[10..12].copy_from_slice(&body.last_col_plus_1.to_le_bytes());
    // bytes 12..14 reserved
    record(&mut h, DIMENSIONS, &d);
    h
}

fn encode_sheet_tail() -> Vec<u8> {
    let mut t = Vec::with_capacity(30);
    let mut w = [0u8; 18];
    // Show gridlines, headers, zeros and outline symbols, automatic grid
    // colour; the sheet is selected and displayed (it is the only one).
    w[0..2].copy_from_slice(&0x06B6u16.to_le_bytes());
    // rwTop 0, colLeft 0
    w[6..8].copy_from_slice(&0x0040u16.to_le_bytes()); // icvHdr: default grid colour
    record(&mut t, WINDOW2, &w);
    record(&mut t, EOF, &[]);
    t
}

/// Checks Excel's sheet name rules and returns the name as UTF-16.
fn validate_sheet_name(sheet: &str) -> io::Result<Vec<u16>> {
    let units: Vec<u16> = sheet.encode_utf16().collect();
    if units.is_empty() || units.len() > MAX_SHEET_NAME_UNITS {
        return Err(invalid(format!("sheet name {sheet:?} must be 1 to {MAX_SHEET_NAME_UNITS} characters long")));
    }
    if let Some(ch) = sheet.chars().find(|c| matches!(c, ':' | '\\' | '/' | '?' | '*' | '[' | ']')) {
        return Err(invalid(format!("sheet name {sheet:?} must not contain {ch:?}")));
    }
    if sheet.starts_with('\'') || sheet.ends_with('\'') {
        return Err(invalid(format!("sheet name {sheet:?} must not start or end with an apostrophe")));
    }
    Ok(units)
}

fn is_high_surrogate(u: u16) -> bool {
    (0xD800..0xDC00).contains(&u)
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, message)
}

fn push_header(out: &mut Vec<u8>, typ: u16, len: u16) {
    out.extend_from_slice(&typ.to_le_bytes());
    out.extend_from_slice(&len.to_le_bytes());
}

fn push_cell_ref(out: &mut Vec<u8>, row: u16, col: u16) {
    out.extend_from_slice(&row.to_le_bytes());
    out.extend_from_slice(&col.to_le_bytes());
    out.extend_from_slice(&CELL_XF.to_le_bytes());
}

fn push_units(out: &mut Vec<u8>, units: &[u16]) {
    out.reserve(2 * units.len());
    for u in units {
        out.extend_from_slice(&u.to_le_bytes());
    }
}

/// Appends a record whose body is known to fit in one record.
fn record(out: &mut Vec<u8>, typ: u16, body: &[u8]) {
    debug_assert!(body.len() <= MAX_RECORD_DATA);
    push_header(out, typ, body.len() as u16);
    out.extend_from_slice(body);
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xls, open_workbook};

    fn read_back(path: &Path, sheet: &str) -> calamine::Range<Data> {
        let mut wb: Xls<_> = match open_workbook(path) {
            Ok(wb) => wb,
            Err(e) => panic!("calamine cannot open {}: {e}", path.display()),
        };
        match wb.worksheet_range(sheet) {
            Ok(range) => range,
            Err(e) => panic!("calamine cannot read sheet {sheet}: {e}"),
        }
    }

    /// Asserts that every written cell, and nothing else, comes back.
    fn assert_round_trip(rows: &[Vec<XlsCell>], range: &calamine::Range<Data>) {
        let mut written = 0usize;
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let pos = (r as u32, c as u32);
                let got = range.get_value(pos);
                match cell {
                    XlsCell::Empty => {
                        assert!(matches!(got, None | Some(Data::Empty)), "cell {pos:?}: expected empty, got {got:?}");
                    }
                    XlsCell::Number(v) => {
                        written += 1;
                        match got {
                            Some(Data::Float(f)) => {
                                assert_eq!(f.to_bits(), v.to_bits(), "cell {pos:?}")
                            }
                            Some(Data::Int(i)) => assert_eq!(*i as f64, *v, "cell {pos:?}"),
                            other => panic!("cell {pos:?}: expected {v}, got {other:?}"),
                        }
                    }
                    XlsCell::Text(s) => {
                        written += 1;
                        match got {
                            Some(Data::String(g)) => assert_eq!(g, s, "cell {pos:?}"),
                            other => panic!("cell {pos:?}: expected {s:?}, got {other:?}"),
                        }
                    }
                }
            }
        }
        let non_empty = range.used_cells().filter(|(_, _, d)| !matches!(d, Data::Empty)).count();
        assert_eq!(non_empty, written, "reader found cells that were not written");
    }

    fn survey_rows(n: usize) -> Vec<Vec<XlsCell>> {
        let header = ["所属コード", "年齢区分", "Q1", "Q2 仕事にやりがいを感じる", "自由記述", "スコア"];
        let answers = ["そう思う", "ややそう思う", "どちらともいえない", "あまりそう思わない", "そう思わない"];
        let mut rows = vec![header.iter().map(|h| XlsCell::Text((*h).to_string())).collect()];
        for i in 0..n {
            rows.push(vec![
                XlsCell::Number(1000.0 + (i % 37) as f64),
                if i % 5 == 0 { XlsCell::Empty } else { XlsCell::Text(format!("{}0代", 2 + i % 5)) },
                XlsCell::Number((i % 5 + 1) as f64),
                XlsCell::Text(answers[i % answers.len()].to_string()),
                match i % 4 {
                    0 => XlsCell::Empty,
                    1 => XlsCell::Text(format!("令和6年度 回答{i}: 🗾 絵文字と改行\n二行目")),
                    2 => XlsCell::Text(String::new()),
                    _ => XlsCell::Text("特になし".to_string()),
                },
                match i % 6 {
                    0 => XlsCell::Number(2.5),
                    1 => XlsCell::Number(-(i as f64)),
                    2 => XlsCell::Number(0.1 * i as f64),
                    3 => XlsCell::Number(1e10 + i as f64),
                    4 => XlsCell::Number(-0.0),
                    _ => XlsCell::Number(f64::MAX / (i as f64)),
                },
            ]);
        }
        rows
    }

    #[test]
    fn round_trips_through_calamine() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("回答.xls");
        let rows = survey_rows(3000);
        write_xls(&path, "回答データ", &rows)?;
        let range = read_back(&path, "回答データ");
        assert_eq!(range.get_value((0, 0)), Some(&Data::String("所属コード".to_string())));
        assert_eq!(range.get_value((1, 5)), Some(&Data::Float(2.5)));
        assert_round_trip(&rows, &range);
        Ok(())
    }

    #[test]
    fn large_sst_is_split_into_continue_records() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("sst.xls");
        // 5,000 distinct strings of varying length (including surrogate pairs
        // and one string longer than a whole record) force many CONTINUE
        // splits at every possible alignment.
        let mut rows = vec![vec![XlsCell::Text("所属コード".to_string())]];
        for i in 0..5000 {
            let text = format!("令和6年度 職員意識調査 回答者{i:05} {}", "そう思う𠮷".repeat(i % 13));
            rows.push(vec![XlsCell::Text(text), XlsCell::Number(i as f64)]);
        }
        rows.push(vec![XlsCell::Text("長".repeat(20_000))]);
        write_xls(&path, "SST", &rows)?;

        let stream = workbook_stream(&path)?;
        let continues = records(&stream).filter(|(typ, _)| *typ == CONTINUE).count();
        assert!(continues >= 20, "expected many CONTINUE records, found {continues}");
        assert_round_trip(&rows, &read_back(&path, "SST"));
        Ok(())
    }

    #[test]
    fn surrogate_pair_is_not_split_at_a_continue_boundary() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("surrogate.xls");
        // SST body: 8 bytes of counts + 3 bytes of string header leave 8213
        // bytes, i.e. room for 4106 UTF-16 units; unit 4105 is the high half
        // of 𠮷, so a naive split would cut the pair in two.
        let text = format!("{}𠮷{}", "あ".repeat(4105), "末尾".repeat(5));
        let rows = vec![vec![XlsCell::Text(text)]];
        write_xls(&path, "s", &rows)?;

        let stream = workbook_stream(&path)?;
        let sst: Vec<(u16, &[u8])> =
            records(&stream).skip_while(|(t, _)| *t != SST).take_while(|(t, _)| *t != EXTSST).collect();
        assert_eq!(sst.len(), 2, "one SST and one CONTINUE expected");
        assert_eq!(sst[0].1.len(), 8 + 3 + 2 * 4105, "SST must stop before the pair");
        let cont = sst[1].1;
        assert_eq!(cont[0], HIGH_BYTE, "continued string repeats its flags byte");
        let first = u16::from_le_bytes([cont[1], cont[2]]);
        assert!(is_high_surrogate(first), "CONTINUE must start with the whole pair");
        assert_round_trip(&rows, &read_back(&path, "s"));
        Ok(())
    }

    #[test]
    fn container_is_valid_at_every_fat_and_difat_size() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        // Sizes around the points where the layout changes: minimum stream,
        // one sector more, FAT sector boundaries, first DIFAT sector (more
        // than 109 FAT sectors, ~7.1 MB) and second DIFAT sector (~15.5 MB).
        let sizes = [
            10,
            4096,
            4097,
            126 * 512,
            127 * 512 + 1,
            109 * 128 * 512 - 3 * 512,
            109 * 128 * 512 + 1,
            (109 + 127) * 128 * 512 + 5000,
        ];
        for (k, &len) in sizes.iter().enumerate() {
            let data: Vec<u8> = (0..len).map(|i| (i * 7 + i / 511) as u8).collect();
            let (a, b) = data.split_at(len / 3);
            let bytes = compound_file(&[a, b])?;
            assert_eq!(bytes.len() % 512, 0);
            let path = dir.path().join(format!("c{k}.bin"));
            std::fs::write(&path, &bytes)?;
            let stream = workbook_stream(&path)?;
            let expected_len = len.max(MIN_STREAM_LEN);
            assert_eq!(stream.len(), expected_len, "size {len}");
            assert_eq!(&stream[..len], &data[..], "size {len}");
            assert!(stream[len..].iter().all(|&b| b == 0), "size {len}");
        }
        Ok(())
    }

    #[test]
    fn large_workbook_with_difat_round_trips() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("large.xls");
        // 65,536 × 10 NUMBER records of 18 bytes ≈ 11.8 MB: needs DIFAT sectors.
        let rows: Vec<Vec<XlsCell>> =
            (0..MAX_ROWS).map(|r| (0..10).map(|c| XlsCell::Number(r as f64 * 0.1 + c as f64)).collect()).collect();
        write_xls(&path, "large", &rows)?;
        assert!(std::fs::metadata(&path)?.len() > 109 * 128 * 512);
        assert!(workbook_stream(&path)?.len() > 11_000_000);
        assert_round_trip(&rows, &read_back(&path, "large"));
        Ok(())
    }

    #[test]
    fn output_is_byte_deterministic() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let a = dir.path().join("a.xls");
        let b = dir.path().join("b.xls");
        let rows = survey_rows(500);
        write_xls(&a, "回答", &rows)?;
        // Different wall-clock time between the two writes must not matter.
        std::thread::sleep(std::time::Duration::from_millis(20));
        write_xls(&b, "回答", &rows)?;
        assert_eq!(std::fs::read(&a)?, std::fs::read(&b)?);
        Ok(())
    }

    #[test]
    fn too_many_rows_is_an_error() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("big.xls");
        let rows = vec![vec![XlsCell::Number(1.0)]; MAX_ROWS + 1];
        let err = match write_xls(&path, "big", &rows) {
            Ok(()) => panic!("65,537 rows must be refused"),
            Err(e) => e,
        };
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        assert!(err.to_string().contains("65536"), "unclear message: {err}");
        assert!(!path.exists(), "no file may be left behind on error");

        // Exactly the limit is fine.
        write_xls(&path, "big", &rows[..MAX_ROWS])?;
        let range = read_back(&path, "big");
        assert_eq!(range.get_value((65_535, 0)), Some(&Data::Int(1)));
        Ok(())
    }

    #[test]
    fn other_limits_are_errors() {
        let dir = match tempfile::tempdir() {
            Ok(d) => d,
            Err(e) => panic!("tempdir: {e}"),
        };
        let path = dir.path().join("x.xls");
        let cases: Vec<(&str, Vec<Vec<XlsCell>>)> = vec![
            ("s", vec![vec![XlsCell::Empty; MAX_COLS + 1]]),
            ("s", vec![vec![XlsCell::Text("あ".repeat(MAX_TEXT_UNITS + 1))]]),
            ("s", vec![vec![XlsCell::Number(f64::NAN)]]),
            ("s", vec![vec![XlsCell::Number(f64::INFINITY)]]),
            ("", vec![]),
            ("a[1]", vec![]),
            ("三十二文字を超えるシート名は使えないので三十二文字を超えるシート名", vec![]),
        ];
        for (sheet, rows) in cases {
            match write_xls(&path, sheet, &rows) {
                Ok(()) => panic!("sheet {sheet:?} should have been refused"),
                Err(e) => assert_eq!(e.kind(), io::ErrorKind::InvalidInput, "{e}"),
            }
        }
        // 32,767 characters is still allowed.
        let rows = vec![vec![XlsCell::Text("あ".repeat(MAX_TEXT_UNITS))]];
        if let Err(e) = write_xls(&path, "s", &rows) {
            panic!("32,767 characters must be accepted: {e}");
        }
        assert_round_trip(&rows, &read_back(&path, "s"));
    }

    #[test]
    fn empty_sheet_is_readable() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("empty.xls");
        write_xls(&path, "空", &[])?;
        let range = read_back(&path, "空");
        assert_eq!(range.used_cells().count(), 0);
        Ok(())
    }

    #[test]
    fn rk_encoding_is_exact() {
        for v in [0.0, 1.0, -1.0, 2.5, 536_870_911.0, -536_870_912.0, 1e300, 0.1, -0.0, 1e-300] {
            if let Some(rk) = rk_encode(v) {
                let decoded = if rk & 0x02 != 0 {
                    f64::from((rk as i32) >> 2)
                } else {
                    f64::from_bits(u64::from(rk & !0x03) << 32)
                };
                assert_eq!(decoded.to_bits(), v.to_bits(), "RK for {v}");
            }
        }
        assert_eq!(rk_encode(2.5), Some(0x4004_0000));
        assert_eq!(rk_encode(536_870_913.0), None);
        assert_eq!(rk_encode(0.1), None);
    }

    #[test]
    fn boundsheet_points_at_sheet_bof_and_extsst_at_strings() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("layout.xls");
        let rows: Vec<Vec<XlsCell>> = (0..3000).map(|i| vec![XlsCell::Text(format!("そう思う{i}"))]).collect();
        write_xls(&path, "回答", &rows)?;
        let stream = workbook_stream(&path)?;

        let mut offset = None;
        let mut extsst = None;
        let mut pos = 0usize;
        // (start of record header, end of record body) for every record.
        let mut spans = Vec::new();
        for (typ, body) in records(&stream) {
            spans.push((pos, pos + 4 + body.len()));
            match typ {
                BOUNDSHEET8 => offset = Some(u32::from_le_bytes([body[0], body[1], body[2], body[3]])),
                EXTSST => extsst = Some(body.to_vec()),
                _ => {}
            }
            pos += 4 + body.len();
        }
        let Some(offset) = offset.map(|o| o as usize) else { panic!("no BOUNDSHEET8") };
        // BOF, length 16, BIFF8, dt = worksheet.
        assert_eq!(&stream[offset..offset + 8], &[0x09, 0x08, 16, 0, 0x00, 0x06, 0x10, 0x00]);

        let Some(ext) = extsst else { panic!("no EXTSST") };
        let per_bucket = usize::from(u16::from_le_bytes([ext[0], ext[1]]));
        assert_eq!(per_bucket, 24); // ceil(3000 / 128)
        let buckets: Vec<&[u8]> = ext[2..].chunks(8).collect();
        assert_eq!(buckets.len(), 3000usize.div_ceil(per_bucket));
        for (k, b) in buckets.iter().enumerate() {
            let ib = u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize;
            let cb = usize::from(u16::from_le_bytes([b[4], b[5]]));
            // The record holding the string starts cb bytes before it…
            let Some(&(_, end)) = spans.iter().find(|(start, _)| *start == ib - cb) else {
                panic!("bucket {k}: no record starts at {}", ib - cb)
            };
            // …and the string there is the bucket's first one (compare the
            // part inside this record; the rest may sit in a CONTINUE).
            let expected: Vec<u16> = format!("そう思う{}", k * per_bucket).encode_utf16().collect();
            let cch = usize::from(u16::from_le_bytes([stream[ib], stream[ib + 1]]));
            assert_eq!(cch, expected.len(), "bucket {k}");
            assert_eq!(stream[ib + 2], HIGH_BYTE);
            let here = cch.min((end - ib - 3) / 2);
            assert!(here >= 1, "bucket {k}: header without a first character");
            let units: Vec<u16> =
                stream[ib + 3..ib + 3 + 2 * here].chunks(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
            assert_eq!(units, expected[..here], "bucket {k}");
        }
        Ok(())
    }

    /// Reads the Workbook stream with `cfb`'s strict validation, which checks
    /// the header, FAT, DIFAT and directory of our hand-written container.
    fn workbook_stream(path: &Path) -> io::Result<Vec<u8>> {
        let mut file = cfb::CompoundFile::open_strict(std::fs::File::open(path)?)?;
        assert_eq!(file.version(), cfb::Version::V3);
        let names: Vec<String> = file.walk().map(|e| e.path().display().to_string()).collect();
        assert_eq!(names, ["/", "/Workbook"]);
        let mut stream = file.open_stream("/Workbook")?;
        let mut data = Vec::new();
        io::Read::read_to_end(&mut stream, &mut data)?;
        Ok(data)
    }

    /// Iterates (type, body) over the records of a workbook stream, stopping
    /// at the zero padding after the last EOF.
    fn records(stream: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
        let mut pos = 0usize;
        std::iter::from_fn(move || {
            if pos + 4 > stream.len() {
                return None;
            }
            let typ = u16::from_le_bytes([stream[pos], stream[pos + 1]]);
            let len = usize::from(u16::from_le_bytes([stream[pos + 2], stream[pos + 3]]));
            if typ == 0 {
                return None;
            }
            let body = &stream[pos + 4..pos + 4 + len];
            pos += 4 + len;
            Some((typ, body))
        })
    }
}
