//! Dates a worksheet shows in the Japanese calendar (和暦).
//!
//! calamine turns a cell into a date when its number format has Western date
//! tokens (`yyyy/m/d`); a format written only in era tokens, such as
//! `ggge"年度"` (showing 2025/07/01 as 令和7年度), leaves the cell a plain
//! serial number (45839), which is neither what the user sees nor what they
//! meant; one with month or day tokens too (`ge.m.d`, R7.7.1) becomes a
//! Western date (2025/07/01). This module renders those cells as Excel shows them. It covers the
//! date tokens of the first section of a format (era `g`, era year `e`, `y`,
//! `m`, `d`, weekday `aaa`), quoted and escaped text; a format with digits or
//! time tokens is not an era date and is left alone.

use calamine::{Data, ExcelDateTime, ExcelDateTimeType, Range, Reader};
use chrono::{Datelike, NaiveDate};

/// An era: its first day, name, short name and initial.
struct Era {
    first: (i32, u32, u32),
    name: &'static str,
    short: &'static str,
    initial: &'static str,
}

/// The eras of dates Excel can hold (from 1900), newest first.
const ERAS: [Era; 5] = [
    Era { first: (2019, 5, 1), name: "令和", short: "令", initial: "R" },
    Era { first: (1989, 1, 8), name: "平成", short: "平", initial: "H" },
    Era { first: (1926, 12, 25), name: "昭和", short: "昭", initial: "S" },
    Era { first: (1912, 7, 30), name: "大正", short: "大", initial: "T" },
    Era { first: (1868, 1, 25), name: "明治", short: "明", initial: "M" },
];

/// The serial numbers of dates from 1919 to 2119: a number outside this
/// range is not taken for a date whatever its format says.
const PLAUSIBLE_SERIALS: std::ops::RangeInclusive<f64> = 7000.0..=80000.0;

/// One piece of a number format.
#[derive(Debug, PartialEq)]
enum Piece {
    Text(String),
    /// A run of one token letter (lower case) and its length.
    Run(char, usize),
}

/// Splits the first section of a number format into pieces; `None` when it
/// is not a date format in era tokens (no `g` or `e`, or digits or times).
fn era_pieces(code: &str) -> Option<Vec<Piece>> {
    if code.trim().eq_ignore_ascii_case("general") {
        return None;
    }
    let mut pieces: Vec<Piece> = Vec::new();
    let mut chars = code.chars().peekable();
    let mut text = String::new();
    let flush = |text: &mut String, pieces: &mut Vec<Piece>| {
        if !text.is_empty() {
            pieces.push(Piece::Text(std::mem::take(text)));
        }
    };
    while let Some(c) = chars.next() {
        match c {
            ';' => break,
            '"' => {
                for q in chars.by_ref() {
                    if q == '"' {
                        break;
                    }
                    text.push(q);
                }
            }
            '\\' => text.extend(chars.next()),
            '_' => {
                chars.next();
                text.push(' ');
            }
            '*' => {
                chars.next();
            }
            // Locale, colour and condition: [$-ja-JP-x-gannen], [Red].
            '[' => {
                for q in chars.by_ref() {
                    if q == ']' {
                        break;
                    }
                }
            }
            // Scientific notation (0.0E+00) is a number format.
            'e' | 'E' if matches!(chars.peek(), Some('+' | '-')) => return None,
            _ => {
                let token = c.to_ascii_lowercase();
                match token {
                    'g' | 'e' | 'y' | 'm' | 'd' | 'a' => {
                        let mut len = 1;
                        while chars.peek().is_some_and(|n| n.to_ascii_lowercase() == token) {
                            chars.next();
                            len += 1;
                        }
                        flush(&mut text, &mut pieces);
                        pieces.push(Piece::Run(token, len));
                    }
                    '0' | '#' | '?' | 'h' | 's' | '@' | '%' => return None,
                    _ => text.push(c),
                }
            }
        }
    }
    flush(&mut text, &mut pieces);
    let era = pieces.iter().any(|p| matches!(p, Piece::Run('g' | 'e', _)));
    // `a` alone is text ("am"); only `aaa`/`aaaa` is a weekday.
    let stray_a = pieces.iter().any(|p| matches!(p, Piece::Run('a', n) if *n < 3));
    (era && !stray_a).then_some(pieces)
}

/// Whether a number format shows a date in era tokens.
pub fn is_era_format(code: &str) -> bool {
    era_pieces(code).is_some()
}

/// The era of a date and the year within it.
fn era_of(date: NaiveDate) -> Option<(&'static Era, i32)> {
    ERAS.iter().find_map(|era| {
        let (y, m, d) = era.first;
        (date >= NaiveDate::from_ymd_opt(y, m, d)?).then(|| (era, date.year() - y + 1))
    })
}

/// Renders a date as a number format in era tokens shows it; `None` when
/// the format is not one.
pub fn render(date: NaiveDate, code: &str) -> Option<String> {
    let pieces = era_pieces(code)?;
    let (era, era_year) = era_of(date)?;
    const WEEKDAYS: [&str; 7] = ["月", "火", "水", "木", "金", "土", "日"];
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Piece::Text(t) => out.push_str(&t),
            Piece::Run('g', 1) => out.push_str(era.initial),
            Piece::Run('g', 2) => out.push_str(era.short),
            Piece::Run('g', _) => out.push_str(era.name),
            Piece::Run('e', 1) => out.push_str(&era_year.to_string()),
            Piece::Run('e', _) => out.push_str(&format!("{era_year:02}")),
            Piece::Run('y', n) if n <= 2 => out.push_str(&format!("{:02}", date.year() % 100)),
            Piece::Run('y', _) => out.push_str(&date.year().to_string()),
            Piece::Run('m', 1) => out.push_str(&date.month().to_string()),
            Piece::Run('m', 2) => out.push_str(&format!("{:02}", date.month())),
            Piece::Run('d', 1) => out.push_str(&date.day().to_string()),
            Piece::Run('d', 2) => out.push_str(&format!("{:02}", date.day())),
            Piece::Run('a', 3) => out.push_str(WEEKDAYS[date.weekday().num_days_from_monday() as usize]),
            Piece::Run('a', _) => {
                out.push_str(WEEKDAYS[date.weekday().num_days_from_monday() as usize]);
                out.push_str("曜日");
            }
            // Month and weekday names in English are not era dates' business.
            Piece::Run(..) => return None,
        }
    }
    Some(out)
}

/// Replaces each number of `range` that the sheet shows as an era date by the
/// text Excel shows; returns a note saying so. The sheet's styles are read
/// (a second pass over the sheet) only when a number could be a date.
pub fn show_as_excel<RS, R>(wb: &mut R, sheet: &str, range: &mut Range<Data>, is_1904: bool) -> Option<String>
where
    RS: std::io::Read + std::io::Seek,
    R: Reader<RS>,
{
    // A date calamine made of a format with month or day tokens too
    // (ge.m.d), or a whole number that may be a date.
    let plausible = |cell: &Data| match cell {
        Data::Float(f) => f.fract() == 0.0 && PLAUSIBLE_SERIALS.contains(f),
        Data::DateTime(dt) => dt.is_datetime(),
        _ => false,
    };
    if !range.used_cells().any(|(_, _, cell)| plausible(cell)) {
        return None;
    }
    let styles = wb.worksheet_style(sheet).ok()?;
    let (top, left) = range.start()?;
    let mut shown: Vec<((u32, u32), String)> = Vec::new();
    for (r, c, cell) in range.used_cells() {
        if !plausible(cell) {
            continue;
        }
        let date = match cell {
            Data::Float(serial) => ExcelDateTime::new(*serial, ExcelDateTimeType::DateTime, is_1904).as_datetime(),
            Data::DateTime(dt) => dt.as_datetime(),
            _ => None,
        };
        let Some(date) = date else { continue };
        let at = (top + r as u32, left + c as u32);
        let Some(code) = styles.get(at).and_then(|s| s.number_format.as_ref()).map(|f| f.format_code.as_str()) else {
            continue;
        };
        if let Some(text) = render(date.date(), code) {
            shown.push((at, text));
        }
    }
    let ((row, col), first) = shown.first().cloned()?;
    let count = shown.len();
    for (at, text) in shown {
        range.set_value(at, Data::String(text));
    }
    let cell = format!("{}{}", crate::problem::column_letters(col as usize), row + 1);
    let more = if count > 1 { format!("ほか{}個のセル", count - 1) } else { String::new() };
    Some(format!(
        "シート「{sheet}」のセル{cell}{more}は、日付を和暦（「{first}」など）で表示する書式です。表示のとおりの文字として読みました"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
    }

    #[test]
    fn era_formats_render_as_excel_shows_them() {
        assert_eq!(render(day(2025, 7, 1), "ggge\"年度\"").as_deref(), Some("令和7年度"));
        assert_eq!(render(day(2025, 7, 1), "[$-ja-JP]ge.m.d").as_deref(), Some("R7.7.1"));
        assert_eq!(render(day(2019, 4, 30), "ggge\"年\"m\"月\"d\"日\"").as_deref(), Some("平成31年4月30日"));
        assert_eq!(render(day(2019, 5, 1), "gge\"年\"").as_deref(), Some("令1年"));
        assert_eq!(
            render(day(1989, 1, 7), "[$-411]gggee\"年\"mm\"月\"dd\"日\"(aaa)").as_deref(),
            Some("昭和64年01月07日(土)")
        );
        assert_eq!(render(day(2026, 1, 15), "ggge\"年\"").as_deref(), Some("令和8年"));
    }

    #[test]
    fn formats_without_era_tokens_are_left_to_calamine() {
        for code in ["General", "yyyy/m/d", "0", "0.00E+00", "#,##0", "@", "h:mm", "ge h:mm", "am/pm e"] {
            assert_eq!(render(day(2025, 7, 1), code), None, "{code}");
        }
        // Era text inside quotes is not a token.
        assert_eq!(render(day(2025, 7, 1), "\"令和\"0\"年度\""), None);
    }
}
