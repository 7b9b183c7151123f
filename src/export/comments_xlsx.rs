//! The HR division's comments workbook (DESIGN §8), rendered from a
//! [`Review`] alone: a 説明 sheet saying how to review, with the year and the
//! fingerprint of the comments; then one sheet per free-text question with
//! 番号, テーマ, 伏せ字案, 原文, 要確認, 掲載 and 部 (the harassment survey's
//! sheets without 部 and 掲載). Nothing else of a respondent is written.
//!
//! Every sheet prints like the analysts' workbook: A4 landscape, one page
//! wide, the header row on every page, long text wrapped with row heights
//! set. The year and the fingerprint are also workbook names
//! (`ishiki_year`, `ishiki_fingerprint`) and custom document properties, so
//! that a reviewed workbook can be matched with its year's comments.

use anyhow::Result;
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder,
    Workbook, Worksheet,
};

use crate::comments::review::{Review, ReviewSheet};

use super::xlsx::{FOOTER, LINE_HEIGHT, PAPER_A4, escape, wrapped_lines};

pub use crate::comments::review::{FINGERPRINT_NAME, YEAR_NAME};
/// The name of the sheet that says how to review.
pub const GUIDE_SHEET: &str = "説明";
/// What HR types in 掲載 to approve a row.
pub const APPROVED: &str = "○";

/// A column of a question's sheet: its header and width (characters).
struct Column {
    header: &'static str,
    width: f64,
}

const NUMBER: Column = Column { header: "番号", width: 6.0 };
const THEMES: Column = Column { header: "テーマ", width: 14.0 };
const DRAFT: Column = Column { header: "伏せ字案", width: 46.0 };
const ORIGINAL: Column = Column { header: "原文", width: 46.0 };
const FLAGS: Column = Column { header: "要確認", width: 16.0 };
const APPROVAL: Column = Column { header: "掲載", width: 7.0 };
const BU: Column = Column { header: "部", width: 16.0 };

/// The columns of a question's sheet, in order.
pub fn headers(harassment: bool) -> Vec<&'static str> {
    columns(harassment).iter().map(|c| c.header).collect()
}

fn columns(harassment: bool) -> Vec<Column> {
    if harassment {
        vec![NUMBER, THEMES, DRAFT, ORIGINAL, FLAGS]
    } else {
        vec![NUMBER, THEMES, DRAFT, ORIGINAL, FLAGS, APPROVAL, BU]
    }
}

/// A sheet's name: the question's id and the start of its text, within
/// Excel's 31 characters and without the characters Excel refuses.
pub fn sheet_name(sheet: &ReviewSheet) -> String {
    sheet.sheet_name()
}

/// How many lines a text takes in a column `width` characters wide, its own line breaks included.
fn lines(text: &str, width: f64) -> usize {
    text.split('\n').map(|line| wrapped_lines(line, width)).sum()
}

/// The workbook's formats.
struct Formats {
    header: Format,
    wrapped: Format,
    number: Format,
    flagged: Format,
    mark: Format,
    title: Format,
    label: Format,
}

impl Formats {
    fn new() -> Formats {
        let top = Format::new().set_align(FormatAlign::Top);
        Formats {
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xDCE6F1))
                .set_border(FormatBorder::Thin)
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            wrapped: top.clone().set_text_wrap(),
            number: top.clone().set_align(FormatAlign::Center),
            flagged: top.clone().set_text_wrap().set_bold().set_background_color(Color::RGB(0xFCE4D6)),
            mark: top.clone().set_align(FormatAlign::Center),
            title: Format::new().set_bold().set_font_size(14),
            label: top.clone().set_bold(),
        }
    }
}

/// Sets a sheet up to print: A4 landscape, one page wide, the header row on
/// every page, the survey and the year above, page numbers below.
fn print_setup(ws: &mut Worksheet, review: &Review, title: &str, repeat_header: bool) -> Result<()> {
    let survey: String = review.survey_title.chars().take(40).collect();
    ws.set_landscape()
        .set_paper_size(PAPER_A4)
        .set_print_fit_to_pages(1, 0)
        .set_header(format!(
            "&L{}&C&\"-,Bold\"{}&R{}",
            escape(&format!("{survey} 自由記述（人事担当課限り）")),
            escape(title),
            escape(&review.year.era())
        ))
        .set_footer(FOOTER);
    if repeat_header {
        ws.set_repeat_rows(0, 0)?;
    }
    Ok(())
}

/// Writes one question's sheet.
fn question_sheet(ws: &mut Worksheet, f: &Formats, review: &Review, sheet: &ReviewSheet) -> Result<()> {
    let name = sheet_name(sheet);
    ws.set_name(&name)?;
    let columns = columns(sheet.harassment);
    for (c, column) in columns.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, column.header, &f.header)?;
        ws.set_column_width(c as u16, column.width)?;
    }
    ws.set_row_height(0, LINE_HEIGHT + 4.0)?;
    ws.set_freeze_panes(1, 0)?;
    let title = if sheet.harassment {
        format!("ハラスメント調査 {} {}", sheet.question_id, sheet.question_text)
    } else {
        format!("{} {}", sheet.question_id, sheet.question_text)
    };
    print_setup(ws, review, &title, true)?;
    for (k, row) in sheet.rows.iter().enumerate() {
        let r = 1 + k as u32;
        let themes = row.themes.join("・");
        let flags: Vec<&str> = row.flags.iter().map(|f| f.label()).collect();
        let flags = flags.join("・");
        ws.write_number_with_format(r, 0, row.number as f64, &f.number)?;
        let mut height = 1;
        for (c, text, width) in [
            (1, themes.as_str(), THEMES.width),
            (2, row.draft.as_str(), DRAFT.width),
            (3, row.original.as_str(), ORIGINAL.width),
            (4, flags.as_str(), FLAGS.width),
        ] {
            if text.is_empty() {
                continue;
            }
            let format = if c == 4 { &f.flagged } else { &f.wrapped };
            ws.write_string_with_format(r, c, text, format)?;
            height = height.max(lines(text, width));
        }
        if !sheet.harassment {
            // 掲載 stays empty for HR's ○; 部 only where the rule allows it.
            if let Some(bu) = &row.bu {
                ws.write_string_with_format(r, 6, bu, &f.wrapped)?;
                height = height.max(lines(bu, BU.width));
            }
        }
        if height > 1 {
            ws.set_row_height(r, LINE_HEIGHT * height as f64)?;
        }
    }
    let last_row = sheet.rows.len() as u32;
    if !sheet.harassment && last_row > 0 {
        let approval = DataValidation::new()
            .allow_list_strings(&[APPROVED])?
            .set_error_style(DataValidationErrorStyle::Warning)
            .set_input_message("委員会向け報告書に載せてよい行に ○ を入力します（伏せ字案は直してかまいません）")?;
        ws.add_data_validation(1, 5, last_row, 5, &approval)?;
        ws.set_column_format(5, &f.mark)?;
    }
    ws.autofilter(0, 0, last_row, columns.len() as u16 - 1)?;
    Ok(())
}

/// The 説明 sheet's paragraphs, for a review.
fn guide(review: &Review) -> Vec<(String, String)> {
    let mut out = vec![
        (
            "この一覧について".to_string(),
            format!(
                "{}の自由記述を、人事担当課が読んで確かめるための一覧です。原文には個人や所属がわかる内容が含まれることがあります。人事担当課の中だけで扱い、保存先の権限と印刷物の扱いに注意してください。点数の表・報告書・所属長向けフィードバックには、自由記述の文は載りません。",
                review.year
            ),
        ),
        (
            "行の並び".to_string(),
            "回答した順番・時刻・所属とは関係のない、年度ごとに決まった順に並べています（同じ年度の同じ記述からは、いつ作っても同じ並びになります）。要確認の行を先に、自傷・自殺のおそれ、ハラスメント、退職の意向、個人名の順に並べています。番号はこの一覧の中の番号で、回答ファイルの行とは関係ありません。".to_string(),
        ),
        (
            "列".to_string(),
            "テーマ: 記述に含まれる語から判断したカテゴリ（survey.toml の comment_settings.themes）。伏せ字案: 人名・所属・地名・役職・連絡先を〔人名〕〔所属〕〔地名〕〔役職〕〔連絡先〕に置き換えた案（迷ったら伏せる方針の下書きです）。原文: 回答のまま。要確認: 先に読むべき理由。掲載: 報告書に載せてよい行に ○ を入力する欄。部: 記述した人の部（下の「部の列」）。".to_string(),
        ),
        (
            "確かめ方".to_string(),
            "1. 要確認の行から読み、ハラスメント・自傷・退職の訴えは、定められた相談・対応の手順につないでください（自由記述は匿名の回答です。書いた人を探さないでください）。2. 伏せ字案を原文と見比べ、伏せ漏れ（名前・所属・場所・役職・連絡先、本人が推測できる出来事）や伏せすぎを直してください。伏せ字案の欄は直接書き換えてかまいません。3. 委員会向け報告書に載せてよい行の掲載の欄に ○ を入力してください。○ の行の伏せ字案（直したものはそのまま）だけが、一覧の行の順に掲載されます（設問ごとに最大10件。部は載せません）。掲載の印として読むのは、{marks}です。ほかの文字（× など）の行は載せません。4. 保存した一覧を ishiki report の --comments に指定してください。シートの名前や列の見出しは変えないでください。一覧を作った後に回答ファイルが変わったときは、一覧を作り直す必要があります。".replace("{marks}", crate::comments::approved::APPROVAL_MARKS),
        ),
        (
            "部の列".to_string(),
            format!(
                "部の回答者が{}人以上で、その設問に{}人以上が記述した部だけ、部の名前を示します。それ以外の行は空欄です。課や係、年代などの属性、回答の時刻、点数はどこにも載せていません。",
                review.min_group_size,
                crate::config::comments::MIN_COMMENTERS
            ),
        ),
    ];
    if let Some(title) = &review.harassment_title {
        out.push((
            "ハラスメント調査".to_string(),
            format!("{title}の自由記述のシートには、部と掲載の列がありません（報告書には載せません）。"),
        ));
    }
    out
}

/// Writes the 説明 sheet.
fn guide_sheet(ws: &mut Worksheet, f: &Formats, review: &Review) -> Result<()> {
    ws.set_name(GUIDE_SHEET)?;
    ws.set_column_width(0, 18)?;
    ws.set_column_width(1, 100)?;
    ws.set_column_width(2, 12)?;
    ws.set_column_width(3, 12)?;
    print_setup(ws, review, "自由記述の確かめ方", false)?;
    ws.write_string_with_format(
        0,
        0,
        format!("{} 自由記述の確認用一覧（{}）", review.survey_title, review.year),
        &f.title,
    )?;
    ws.set_row_height(0, 24)?;
    let mut r = 2u32;
    for (label, text) in guide(review) {
        ws.write_string_with_format(r, 0, label, &f.label)?;
        ws.write_string_with_format(r, 1, &text, &f.wrapped)?;
        ws.set_row_height(r, LINE_HEIGHT * lines(&text, 100.0) as f64)?;
        r += 1;
    }
    r += 1;
    for (c, h) in ["シート", "設問", "記述の数", "要確認"].iter().enumerate() {
        ws.write_string_with_format(r, c as u16, *h, &f.header)?;
    }
    r += 1;
    for sheet in &review.sheets {
        ws.write_string_with_format(r, 0, sheet_name(sheet), &f.wrapped)?;
        let question = match &sheet.category {
            Some(category) => format!("{}（カテゴリ: {category}）", sheet.question_text),
            None => sheet.question_text.clone(),
        };
        ws.write_string_with_format(r, 1, &question, &f.wrapped)?;
        ws.write_number_with_format(r, 2, sheet.rows.len() as f64, &f.number)?;
        ws.write_number_with_format(r, 3, sheet.flagged() as f64, &f.number)?;
        ws.set_row_height(r, LINE_HEIGHT * lines(&question, 100.0).max(lines(&sheet_name(sheet), 18.0)) as f64)?;
        r += 1;
    }
    r += 1;
    ws.write_string_with_format(r, 0, "年度", &f.label)?;
    ws.write_string_with_format(r, 1, review.year.to_string(), &f.wrapped)?;
    r += 1;
    ws.write_string_with_format(r, 0, "入力の指紋", &f.label)?;
    ws.write_string_with_format(r, 1, &review.fingerprint, &f.wrapped)?;
    r += 1;
    let note = "この一覧を作ったときの自由記述（設問と記述）から計算した値です。自由記述が1件でも変わると変わるので、報告書に載せるときに、別の年度や別の回答から作った一覧でないことを確かめられます。";
    ws.write_string_with_format(r, 1, note, &f.wrapped)?;
    ws.set_row_height(r, LINE_HEIGHT * lines(note, 100.0) as f64)?;
    Ok(())
}

/// Renders the comments workbook of a review; `created` is its creation date
/// (fixed, so the same review gives the same bytes).
pub fn render(review: &Review, created: ExcelDateTime) -> Result<Vec<u8>> {
    let f = Formats::new();
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("{} 自由記述の確認用一覧 {}", review.survey_title, review.year))
            .set_author("ishiki")
            .set_creation_datetime(&created)
            .set_custom_property(YEAR_NAME, review.year.0)
            .set_custom_property(FINGERPRINT_NAME, review.fingerprint.as_str()),
    );
    guide_sheet(wb.add_worksheet(), &f, review)?;
    for sheet in &review.sheets {
        question_sheet(wb.add_worksheet(), &f, review, sheet)?;
    }
    wb.define_name(YEAR_NAME, &format!("={}", review.year.0))?;
    wb.define_name(FINGERPRINT_NAME, &format!("=\"{}\"", review.fingerprint))?;
    Ok(wb.save_to_buffer()?)
}
