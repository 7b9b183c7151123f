//! HR's reviewed comments workbook read back (DESIGN §8, `report --comments`):
//! per question, the 伏せ字案 of the rows HR approved with ○ in 掲載, as HR
//! left them, in the sheet's order. It reads the one file HR hands back, so
//! it sits here beside the review it must match rather than in `ingest`
//! (which `review` itself builds on).
//!
//! The workbook must be the year's: its recorded year and fingerprint
//! ([`review::fingerprint`](super::review::fingerprint)) must be the
//! review's, else nothing is taken. Every problem is collected with its
//! place (file, sheet, cell): a file calamine cannot open, a sheet or column
//! that is missing, an approved row with no 伏せ字案 — errors; an approved
//! row whose text still holds something the masking would hide, or a 掲載
//! mark that is not an approval — notes (warnings), the row printed or left
//! out as said.

use std::path::Path;

use calamine::{Data, Reader};

use crate::ingest::sheet_bounds::{damaged, xlsx_range};
use crate::ingest::table::cell_text;
use crate::problem::{Place, Problems, column_letters};

use super::Masker;
use super::review::{FINGERPRINT_NAME, Review, YEAR_NAME};

/// The header of the column HR may edit.
const DRAFT: &str = "伏せ字案";
/// The header of the column HR marks.
const APPROVAL: &str = "掲載";

/// What HR approved in a reviewed workbook.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Approved {
    /// Per question of the attitude survey (by id), the approved 伏せ字案 in the sheet's order.
    pub questions: Vec<(String, Vec<String>)>,
}

impl Approved {
    /// Returns the approved texts of a question, in the sheet's order (none for an unknown id).
    pub fn of(&self, question_id: &str) -> &[String] {
        self.questions.iter().find(|(id, _)| id == question_id).map_or(&[], |(_, texts)| texts.as_slice())
    }
}

/// Whether a 掲載 cell approves its row: ○ as the workbook offers it, and the
/// marks that look like it when typed — 〇 (the kanji zero), ◯ (the large
/// circle), ⭕, and the letter o or O in half or full width — with spaces
/// around them ignored.
pub fn is_approval(mark: &str) -> bool {
    matches!(mark.trim_matches(|c: char| c.is_whitespace()), "○" | "〇" | "◯" | "⭕" | "o" | "O" | "ｏ" | "Ｏ")
}

/// The marks [`is_approval`] takes, as the README and the 説明 sheet list them.
pub const APPROVAL_MARKS: &str = "○（記号の丸）、〇（漢数字のゼロ）、◯（大きな丸）、⭕、半角・全角の英字の o / O";

/// Reads the approved rows of a reviewed workbook for `review`; `masker`
/// checks what HR left unmasked. Returns them with the notes, or every
/// problem found.
pub fn read(path: &Path, review: &Review, masker: &Masker) -> Result<(Approved, Problems), Problems> {
    let file = path.display().to_string();
    let mut problems = Problems::default();
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_workbook(path, &file, review, masker)));
    let approved = match read {
        Ok(Ok((approved, found))) => {
            problems.extend(found);
            approved
        }
        Ok(Err(found)) => {
            problems.extend(found);
            Approved::default()
        }
        Err(_) => {
            problems.errors.push(damaged(&file, None));
            Approved::default()
        }
    };
    if problems.is_clean() { Ok((approved, problems)) } else { Err(problems) }
}

fn read_workbook(path: &Path, file: &str, review: &Review, masker: &Masker) -> Result<(Approved, Problems), Problems> {
    let mut problems = Problems::default();
    let whole = || Place::File(file.to_string());
    let mut wb: calamine::Xlsx<_> = match calamine::open_workbook(path) {
        Ok(wb) => wb,
        Err(e) => {
            let why = match e {
                calamine::XlsxError::Io(io) => format!("ファイルを開けません（{io}）"),
                other => format!(
                    "Excelファイル（.xlsx）として読めません。ishiki comments で作った一覧か確かめてください（詳細: {other}）"
                ),
            };
            problems.error(whole(), why);
            return Err(problems);
        }
    };
    check_identity(&wb, file, review, &mut problems);
    if !problems.is_clean() {
        // Another year's or other inputs' review: its rows mean nothing here.
        return Err(problems);
    }
    let names = wb.sheet_names().to_vec();
    let mut approved = Approved::default();
    for sheet in review.sheets.iter().filter(|s| !s.harassment) {
        let name = sheet.sheet_name();
        if !names.contains(&name) {
            problems.error(
                whole(),
                format!(
                    "シート「{name}」がありません（設問 {} の自由記述のシートです。シートの名前を変えたり消したりしないでください）",
                    sheet.question_id
                ),
            );
            continue;
        }
        match xlsx_range(&mut wb, &name, file) {
            Ok(range) => {
                let texts = approved_rows(&range, file, &name, masker, &mut problems);
                approved.questions.push((sheet.question_id.clone(), texts));
            }
            Err(p) => problems.errors.push(p),
        }
    }
    if problems.is_clean() { Ok((approved, problems)) } else { Err(problems) }
}

/// Checks that the workbook is the review's: the year and the fingerprint it records.
fn check_identity<RS: std::io::Read + std::io::Seek>(
    wb: &calamine::Xlsx<RS>,
    file: &str,
    review: &Review,
    problems: &mut Problems,
) {
    let whole = || Place::File(file.to_string());
    let name = |wanted: &str| -> Option<String> {
        wb.defined_names()
            .iter()
            .find(|(n, _)| n == wanted)
            .map(|(_, v)| v.trim_start_matches('=').trim_matches('"').to_string())
    };
    let (Some(year), Some(fingerprint)) = (name(YEAR_NAME), name(FINGERPRINT_NAME)) else {
        problems.error(
            whole(),
            "ishiki comments で作った自由記述の確認用一覧ではありません（年度と入力の指紋の記録がありません）。ishiki comments で作った一覧に ○ を入力して指定してください",
        );
        return;
    };
    if year != review.year.0.to_string() {
        let era = year.parse::<i32>().map_or(year.clone(), |y| crate::config::year::FiscalYear(y).era());
        problems.error(
            whole(),
            format!(
                "{era}の自由記述の一覧です。{}の報告書には、{}の回答から ishiki comments で作った一覧を指定してください",
                review.year.era(),
                review.year.era()
            ),
        );
    } else if fingerprint != review.fingerprint {
        problems.error(
            whole(),
            format!(
                "一覧を作ったときと今の自由記述が違います（入力の指紋 {fingerprint} が今の回答の {} と一致しません）。回答ファイルが差し替えられたか、別の回答から作った一覧です。今の回答から ishiki comments で一覧を作り直し、確認し直してください",
                review.fingerprint
            ),
        );
    }
}

/// The approved rows' 伏せ字案 of one question's sheet, in the sheet's order.
fn approved_rows(
    range: &calamine::Range<Data>,
    file: &str,
    sheet: &str,
    masker: &Masker,
    problems: &mut Problems,
) -> Vec<String> {
    let (row0, col0) = range.start().unwrap_or((0, 0));
    let cell = |r: usize, c: usize| -> Place {
        Place::Cell {
            file: file.to_string(),
            sheet: sheet.to_string(),
            cell: format!("{}{}", column_letters(col0 as usize + c), row0 as usize + r + 1),
            column: None,
        }
    };
    let rows: Vec<&[Data]> = range.rows().collect();
    // The header is the sheet's first row, as the workbook writes it.
    let header: Vec<String> = match (row0, rows.first()) {
        (0, Some(first)) => first.iter().map(|d| cell_text(d).unwrap_or_default().trim().to_string()).collect(),
        _ => Vec::new(),
    };
    let column = |name: &str| header.iter().position(|h| h == name);
    let (Some(draft), Some(approval)) = (column(DRAFT), column(APPROVAL)) else {
        let missing: Vec<&str> = [DRAFT, APPROVAL].into_iter().filter(|h| column(h).is_none()).collect();
        problems.error(
            Place::Cell { file: file.to_string(), sheet: sheet.to_string(), cell: "1行目".into(), column: None },
            format!(
                "見出しの行に「{}」の列がありません（列の見出しを変えたり消したりしないでください）",
                missing.join("」「")
            ),
        );
        return Vec::new();
    };
    let mut texts = Vec::new();
    for (r, row) in rows.iter().enumerate().skip(1) {
        let text_at = |c: usize| row.get(c).and_then(cell_text).unwrap_or_default();
        let mark = text_at(approval);
        if mark.trim().is_empty() {
            continue;
        }
        if !is_approval(&mark) {
            problems.note(
                cell(r, approval),
                format!("掲載の「{mark}」は掲載の印として読めないので、この行は載せません（載せる行には ○ を入力してください）"),
            );
            continue;
        }
        let text = text_at(draft);
        if text.trim().is_empty() {
            problems.error(
                cell(r, draft),
                "掲載に ○ がありますが、伏せ字案が空です。載せる文を伏せ字案に入力するか、○ を消してください",
            );
            continue;
        }
        if masker.finds_maskable(&text) {
            problems.note(
                cell(r, draft),
                "掲載する伏せ字案に、伏せ字にするはずの語（人名・所属・地名・役職・連絡先）が残っているようです。そのまま載せるので、報告書を配る前に確かめてください",
            );
        }
        texts.push(text);
    }
    texts
}

#[cfg(test)]
mod tests {
    use super::is_approval;

    #[test]
    fn an_approval_is_a_circle_or_an_o_in_either_width_and_nothing_else() {
        for mark in ["○", "〇", "◯", "⭕", "o", "O", "ｏ", "Ｏ", " ○ ", "○\u{3000}"] {
            assert!(is_approval(mark), "{mark:?}");
        }
        for mark in ["", "×", "済", "1", "○○", "◎", "0", "可"] {
            assert!(!is_approval(mark), "{mark:?}");
        }
    }
}
