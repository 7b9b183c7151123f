//! Problems found in a user's inputs, each with the place a user can find it.
//!
//! Every stage that reads user files collects [`Problem`]s into [`Problems`]
//! instead of stopping at the first one, so `ishiki check` lists everything in
//! one run. A place prints the way a user looks for it: `responses/R6.csv:118
//! 列「Q07」`, `responses/2023.xlsx シート「回答」セルH12`, `survey.toml:14`.

use std::fmt;

/// Where in the workspace a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A whole file, given relative to the workspace.
    File(String),
    /// A line of a text file such as survey.toml.
    Line { file: String, line: usize },
    /// A row of a CSV file as Excel numbers it (header row = 1), optionally a column.
    Row { file: String, row: usize, column: Option<String> },
    /// A cell of a worksheet, with the column's header when known.
    Cell { file: String, sheet: String, cell: String, column: Option<String> },
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::File(file) => write!(f, "{file}"),
            Place::Line { file, line } => write!(f, "{file}:{line}"),
            Place::Row { file, row, column } => {
                write!(f, "{file}:{row}")?;
                if let Some(column) = column {
                    write!(f, " 列「{column}」")?;
                }
                Ok(())
            }
            Place::Cell { file, sheet, cell, column } => {
                write!(f, "{file} シート「{sheet}」セル{cell}")?;
                if let Some(column) = column {
                    write!(f, " 列「{column}」")?;
                }
                Ok(())
            }
        }
    }
}

impl Place {
    /// The same place without the column name (a whole row or cell).
    pub fn without_column(&self) -> Place {
        match self.clone() {
            Place::Row { file, row, .. } => Place::Row { file, row, column: None },
            Place::Cell { file, sheet, cell, .. } => Place::Cell { file, sheet, cell, column: None },
            other => other,
        }
    }

    /// The file the place is in.
    pub fn file(&self) -> &str {
        match self {
            Place::File(file) | Place::Line { file, .. } | Place::Row { file, .. } | Place::Cell { file, .. } => file,
        }
    }

    /// The line, row or worksheet row of the place; 0 for a whole file.
    pub fn row(&self) -> usize {
        match self {
            Place::File(_) => 0,
            Place::Line { line, .. } => *line,
            Place::Row { row, .. } => *row,
            Place::Cell { cell, .. } => cell.trim_start_matches(|c: char| c.is_ascii_alphabetic()).parse().unwrap_or(0),
        }
    }
}

/// Returns the Excel name of a zero-based column index: 0 → `A`, 27 → `AB`.
pub fn column_letters(mut index: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push((b'A' + (index % 26) as u8) as char);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    letters.iter().rev().collect()
}

/// One thing wrong with the inputs, in Japanese, with its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where the user finds it.
    pub place: Place,
    /// What was found and what was expected, in Japanese.
    pub message: String,
}

impl Problem {
    /// Creates a problem at `place`.
    pub fn new(place: Place, message: impl Into<String>) -> Problem {
        Problem { place, message: message.into() }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Values from the inputs are quoted in places and messages: characters
        // that print as nothing are named, so 「<BOM>0101」 does not look like 「0101」.
        write!(f, "{}: {}", visible(&self.place.to_string()), visible(&self.message))
    }
}

/// Names the characters of `text` that a terminal shows as nothing or as a
/// break: control characters (`<NUL>`, `<TAB>`, `<U+0007>` …) and invisible
/// format characters (`<BOM>`, `<U+200B>` …). Other text is returned as it is.
pub fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    let invisible = |c: char| {
        c.is_control()
            || matches!(c, '\u{00AD}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}')
    };
    if !text.contains(invisible) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\0' => out.push_str("<NUL>"),
            '\t' => out.push_str("<TAB>"),
            '\r' => out.push_str("<CR>"),
            '\n' => out.push_str("<LF>"),
            '\u{FEFF}' => out.push_str("<BOM>"),
            c if invisible(c) => out.push_str(&format!("<U+{:04X}>", c as u32)),
            c => out.push(c),
        }
    }
    out.into()
}

/// Problems and notes collected over a whole run.
///
/// Errors stop the run before anything is written; notes (an ignored column,
/// say) are told to the user once and change nothing.
#[derive(Debug, Default, Clone)]
pub struct Problems {
    /// Problems that make the inputs unusable.
    pub errors: Vec<Problem>,
    /// Remarks that are not errors.
    pub notes: Vec<Problem>,
}

impl Problems {
    /// Records an error.
    pub fn error(&mut self, place: Place, message: impl Into<String>) {
        self.errors.push(Problem::new(place, message));
    }

    /// Records a note.
    pub fn note(&mut self, place: Place, message: impl Into<String>) {
        self.notes.push(Problem::new(place, message));
    }

    /// Returns true when no error was recorded.
    pub fn is_clean(&self) -> bool {
        self.errors.is_empty()
    }

    /// Returns the errors in the order a user fixes them: files in the order
    /// they were first mentioned, and within a file by line or row (a
    /// problem of the whole file first). Problems of one row keep the order
    /// they were found in.
    pub fn errors_in_reading_order(&self) -> Vec<&Problem> {
        let mut files: Vec<&str> = Vec::new();
        let mut keyed: Vec<((usize, usize), &Problem)> = self
            .errors
            .iter()
            .map(|p| {
                let file = p.place.file();
                let index = files.iter().position(|f| *f == file).unwrap_or_else(|| {
                    files.push(file);
                    files.len() - 1
                });
                ((index, p.place.row()), p)
            })
            .collect();
        keyed.sort_by_key(|(key, _)| *key);
        keyed.into_iter().map(|(_, p)| p).collect()
    }

    /// Moves everything from `other` into `self`.
    pub fn extend(&mut self, other: Problems) {
        self.errors.extend(other.errors);
        self.notes.extend(other.notes);
    }
}

/// The inputs had problems; nothing was written.
#[derive(Debug, thiserror::Error)]
#[error("入力に{}件の問題があります", .0.errors.len())]
pub struct InputError(pub Problems);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_match_excel() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(7), "H");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn places_print_as_the_design_shows() {
        let row = Place::Row { file: "responses/2024.csv".into(), row: 118, column: Some("Q07".into()) };
        assert_eq!(
            Problem::new(row, "値「6」は1～5の範囲外です").to_string(),
            "responses/2024.csv:118 列「Q07」: 値「6」は1～5の範囲外です"
        );
        let cell =
            Place::Cell {
                file: "responses/2023.xlsx".into(), sheet: "回答".into(), cell: "H12".into(), column: None
            };
        assert_eq!(cell.to_string(), "responses/2023.xlsx シート「回答」セルH12");
    }

    #[test]
    fn invisible_characters_are_named() {
        let row = Place::Row { file: "responses/2024.csv".into(), row: 5, column: Some("\u{FEFF}所属".into()) };
        assert_eq!(
            Problem::new(row, "所属コード「\u{FEFF}0101」「a\0b」「c\u{200B}」「d\te」").to_string(),
            "responses/2024.csv:5 列「<BOM>所属」: 所属コード「<BOM>0101」「a<NUL>b」「c<U+200B>」「d<TAB>e」"
        );
        assert!(matches!(visible("総務課 0101"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn errors_read_file_by_file_and_row_by_row() {
        let row = |file: &str, row: usize| Place::Row { file: file.into(), row, column: None };
        let cell = |cell: &str| Place::Cell {
            file: "responses/2023.xlsx".into(),
            sheet: "回答".into(),
            cell: cell.into(),
            column: None,
        };
        let mut problems = Problems::default();
        problems.error(row("responses/2024.csv", 30), "a");
        problems.error(cell("AB12"), "b");
        problems.error(row("responses/2024.csv", 4), "c");
        problems.error(Place::File("responses/2024.csv".into()), "d");
        problems.error(cell("C3"), "e");
        problems.error(row("responses/2024.csv", 4), "f");
        let order: Vec<&str> = problems.errors_in_reading_order().iter().map(|p| p.message.as_str()).collect();
        assert_eq!(order, ["d", "c", "f", "a", "e", "b"]);
    }
}
