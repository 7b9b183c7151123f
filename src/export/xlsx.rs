//! The Excel workbook for HR analysts: one sheet per table, Japanese headers,
//! frozen header rows, one-decimal formats, hidden groups and withheld values
//! shown as 「—」 with the reason beside them (naming the values when only some
//! of a group's are withheld), item results in whole blocks per category, and
//! the department × category table coloured like the PDF's heatmap, and the
//! driver analysis with its portfolio. Every sheet prints like the PDF: A4
//! landscape, one page wide, its header row on every page, its title and the
//! year above and the page number below, and a filter on its header row.

use anyhow::{Context, Result};
use rust_xlsxwriter::{
    Color, ConditionalFormat3ColorScale, ConditionalFormatType, DocProperties, ExcelDateTime, Format, FormatAlign,
    FormatBorder, Note, Workbook, Worksheet,
};

use crate::aggregate::model::{ALL, Group, ItemInfo, ItemScore, Progress, Published, ScoresModel, YearResult};
use crate::palette::{HEAT_HIGH, HEAT_LOW, HEAT_MID, HEATMAP_SPAN};

/// Shown in a cell whose value is withheld.
pub const WITHHELD: &str = "—";

/// The category column of the outcome questions' rows.
const OUTCOME_BLOCK: &str = "結果の設問";

/// A table cell's format: at the top of its row, level with the first line
/// of a wrapped 備考 beside it.
fn body() -> Format {
    Format::new().set_align(FormatAlign::Top)
}

struct Formats {
    header: Format,
    text: Format,
    /// Long text (備考, 設問文), wrapped in its column so that it neither
    /// hides behind the next cell nor runs off the printed page.
    wrapped: Format,
    int: Format,
    one: Format,
    two: Format,
    three: Format,
    withheld: Format,
    /// A mark (＊, ○), in the middle of its column.
    mark: Format,
    /// Text indented by level (a department below its 部), so names stay clean for filtering.
    indented: Vec<Format>,
}

impl Formats {
    fn new() -> Formats {
        let header = Format::new()
            .set_bold()
            .set_background_color(Color::RGB(0xDCE6F1))
            .set_border(FormatBorder::Thin)
            .set_text_wrap()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter);
        Formats {
            header,
            text: body(),
            wrapped: body().set_text_wrap(),
            int: body().set_num_format("#,##0"),
            one: body().set_num_format("0.0"),
            two: body().set_num_format("0.00"),
            three: body().set_num_format("0.000"),
            withheld: body().set_align(FormatAlign::Center).set_font_color(Color::RGB(0x808080)),
            mark: body().set_align(FormatAlign::Center),
            indented: (0..=4).map(|level| body().set_indent(level)).collect(),
        }
    }
}

/// Writes cells row by row with the workbook's formats.
struct Sheet<'a> {
    ws: &'a mut Worksheet,
    f: &'a Formats,
    row: u32,
    cols: u16,
    /// Per column, its width if its text wraps ([`WRAPPED`]).
    wrapped: Vec<Option<f64>>,
}

/// The columns of long text, wrapped rather than cut off or run past the page.
const WRAPPED: [&str; 4] = ["備考", "設問文", "指標", "表示しなかったもの"];

/// The height of a row of one line of text, in points (the workbook's default).
pub(super) const LINE_HEIGHT: f64 = 15.0;

/// How many lines `text` takes wrapped in a column `width` characters wide:
/// a full-width character is a little over two characters' width (Excel's
/// Japanese font beside its Calibri digits), a half-width one one, and a
/// little room is left for where the line breaks. Rows are given this
/// height outright, because LibreOffice keeps a row one line high however
/// its text wraps.
pub(super) fn wrapped_lines(text: &str, width: f64) -> usize {
    let units: f64 =
        text.chars().map(|ch| if ch.is_ascii() || ('\u{FF61}'..='\u{FF9F}').contains(&ch) { 1.0 } else { 2.1 }).sum();
    let room = (width - 1.0).max(1.0);
    (units / room).ceil().max(1.0) as usize
}

/// Excel's paper size code of A4.
pub(super) const PAPER_A4: u8 = 9;

/// Excel's limit on a page header or footer, control codes included (UTF-16 units).
const HEADER_LIMIT: usize = 255;

/// What every sheet's printed pages say above the table: the survey and the year(s).
struct PageHeader {
    survey: String,
    years: String,
}

impl PageHeader {
    fn new(model: &ScoresModel) -> PageHeader {
        let years = match (model.years.first(), model.years.last()) {
            (Some(a), Some(b)) if a.year != b.year => format!("{}〜{}", a.year.era(), b.year.era()),
            (Some(a), _) => a.year.era(),
            _ => String::new(),
        };
        PageHeader { survey: format!("{} 集計表", model.survey_title), years }
    }

    /// The page header of a sheet titled `title`: the survey on the left, the
    /// title in bold in the middle, the year(s) on the right. A survey title
    /// too long for Excel's limit is shortened with 「…」.
    fn header(&self, title: &str) -> String {
        let with =
            |survey: &str| format!("&L{}&C&\"-,Bold\"{}&R{}", escape(survey), escape(title), escape(&self.years));
        let mut header = with(&self.survey);
        let mut keep = self.survey.chars().count();
        while header.encode_utf16().count() > HEADER_LIMIT && keep > 0 {
            keep -= 1;
            header = with(&self.survey.chars().take(keep).chain(['…']).collect::<String>());
        }
        header
    }
}

/// A page header's text with Excel's control character `&` written as `&&`.
pub(super) fn escape(text: &str) -> String {
    text.replace('&', "&&")
}

/// The page footer: 「1 / 5」 in the middle, as the PDF reports number their pages.
pub(super) const FOOTER: &str = "&C&P / &N";

/// One cell of a table row.
enum Cell {
    Text(String),
    Indented(String, usize),
    Int(f64),
    One(Option<f64>),
    /// Two decimals: a value that misses a line it would seem to meet at one.
    Two(Option<f64>),
    /// A whole number (進捗率 in percent), unrounded in the cell.
    Whole(Option<f64>),
    Three(Option<f64>),
    Withheld,
    /// A mark (＊, ○) or nothing.
    Mark(&'static str),
}

impl<'a> Sheet<'a> {
    /// Starts a sheet titled `title` (on its printed pages) with its header
    /// row, set up to print on A4 landscape, one page wide, the header row on
    /// every page.
    fn new(
        ws: &'a mut Worksheet,
        f: &'a Formats,
        page: &PageHeader,
        title: &str,
        headers: &[&str],
        widths: &[f64],
    ) -> Result<Sheet<'a>> {
        for (c, h) in headers.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &f.header)?;
            ws.set_column_width(c as u16, widths.get(c).copied().unwrap_or(10.0))?;
        }
        // Two lines, or as many as the longest header takes.
        let lines = headers
            .iter()
            .enumerate()
            .map(|(c, h)| wrapped_lines(h, widths.get(c).copied().unwrap_or(10.0)))
            .max()
            .unwrap_or(1)
            .max(2);
        ws.set_row_height(0, LINE_HEIGHT * lines as f64 + 2.0)?;
        ws.set_freeze_panes(1, 0)?;
        ws.set_landscape()
            .set_paper_size(PAPER_A4)
            .set_print_fit_to_pages(1, 0)
            .set_header(page.header(title))
            .set_footer(FOOTER);
        ws.set_repeat_rows(0, 0)?;
        let wrapped = headers
            .iter()
            .enumerate()
            .map(|(c, h)| WRAPPED.contains(h).then(|| widths.get(c).copied().unwrap_or(10.0)))
            .collect();
        Ok(Sheet { ws, f, row: 1, cols: headers.len() as u16, wrapped })
    }

    fn push(&mut self, cells: Vec<Cell>) -> Result<()> {
        let mut lines = 1;
        for (c, cell) in cells.into_iter().enumerate() {
            let (r, c) = (self.row, c as u16);
            match cell {
                Cell::Text(s) => {
                    if s.is_empty() {
                        continue;
                    }
                    match self.wrapped.get(c as usize).copied().flatten() {
                        Some(width) => {
                            lines = lines.max(wrapped_lines(&s, width));
                            self.ws.write_string_with_format(r, c, s, &self.f.wrapped)?;
                        }
                        None => {
                            self.ws.write_string_with_format(r, c, s, &self.f.text)?;
                        }
                    }
                }
                Cell::Indented(s, level) => {
                    let format = &self.f.indented[level.min(self.f.indented.len() - 1)];
                    self.ws.write_string_with_format(r, c, s, format)?;
                }
                Cell::Int(v) => {
                    self.ws.write_number_with_format(r, c, v, &self.f.int)?;
                }
                Cell::One(Some(v)) => {
                    self.ws.write_number_with_format(r, c, v, &self.f.one)?;
                }
                Cell::Two(Some(v)) => {
                    self.ws.write_number_with_format(r, c, v, &self.f.two)?;
                }
                Cell::Whole(Some(v)) => {
                    self.ws.write_number_with_format(r, c, v, &self.f.int)?;
                }
                Cell::Three(Some(v)) => {
                    self.ws.write_number_with_format(r, c, v, &self.f.three)?;
                }
                Cell::One(None) | Cell::Two(None) | Cell::Whole(None) | Cell::Three(None) => {}
                Cell::Withheld => {
                    self.ws.write_string_with_format(r, c, WITHHELD, &self.f.withheld)?;
                }
                Cell::Mark(m) => {
                    if !m.is_empty() {
                        self.ws.write_string_with_format(r, c, m, &self.f.mark)?;
                    }
                }
            }
        }
        if lines > 1 {
            self.ws.set_row_height(self.row, LINE_HEIGHT * lines as f64)?;
        }
        self.row += 1;
        Ok(())
    }

    /// Ends the sheet: a filter on its header row over all its rows.
    fn finish(self) -> Result<()> {
        self.ws.autofilter(0, 0, self.row - 1, self.cols - 1)?;
        Ok(())
    }
}

/// The 所属別 sheet's colour scale of a column whose city score is `centre`:
/// the PDF heatmap's colours, at full colour `HEATMAP_SPAN` points away.
fn heat_scale(centre: f64) -> ConditionalFormat3ColorScale {
    ConditionalFormat3ColorScale::new()
        .set_minimum(ConditionalFormatType::Number, centre - HEATMAP_SPAN)
        .set_midpoint(ConditionalFormatType::Number, centre)
        .set_maximum(ConditionalFormatType::Number, centre + HEATMAP_SPAN)
        .set_minimum_color(Color::RGB(HEAT_LOW))
        .set_midpoint_color(Color::RGB(HEAT_MID))
        .set_maximum_color(Color::RGB(HEAT_HIGH))
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn dept_label(g: &Group) -> String {
    if g.department == ALL { "全体".to_string() } else { g.department_name.clone() }
}

fn dept_code(g: &Group) -> String {
    if g.department == ALL { String::new() } else { g.department.clone() }
}

/// The cells naming a group: year, department code and name, cut and value.
fn group_cells(y: &YearResult, g: &Group) -> Vec<Cell> {
    vec![
        text(&y.label),
        text(dept_code(g)),
        text(dept_label(g)),
        text(g.cut.clone().unwrap_or_default()),
        text(g.cut_value.clone().unwrap_or_default()),
    ]
}

fn reason(g: &Group) -> String {
    g.visibility.message().unwrap_or_default().to_string()
}

/// The 備考 of a shown group whose values are partly withheld: each reason
/// with the values it withholds, e.g. 「健康・総合: 回答者が5人未満のため非表示」.
fn withheld_values(g: &Group, names: &[String]) -> String {
    let Some(f) = g.shown() else { return reason(g) };
    let mut by_message: Vec<(&str, Vec<&str>)> = Vec::new();
    for (s, name) in f.scores.iter().zip(names) {
        if let Some(m) = s.visibility.message() {
            match by_message.iter_mut().find(|(x, _)| *x == m) {
                Some((_, v)) => v.push(name),
                None => by_message.push((m, vec![name])),
            }
        }
    }
    by_message.iter().map(|(m, v)| format!("{}: {m}", v.join("・"))).collect::<Vec<_>>().join("／")
}

/// A category's score cell: the value, or 「—」 when the group or the value is withheld.
fn score_cell(g: &Group, c: usize) -> Cell {
    match g.score(c) {
        Some(s) => Cell::One(Some(s.score)),
        None => Cell::Withheld,
    }
}

/// The mark of a change that is significant after the adjustment within its family (DESIGN §10).
fn sig_mark(fdr_significant: bool) -> &'static str {
    if fdr_significant { "＊" } else { "" }
}

/// The 項目別 rows of one block of item results (a category's items, or the
/// outcome questions): a row per question (id, text, reverse), in the block's
/// column `block_name`; a withheld block gives 「—」 and its reason, naming
/// `what` was withheld together.
/// The 備考 of a group's driver rows when some resamples gave no weights.
fn skipped_resamples(replicates: usize, used: usize) -> String {
    if used >= replicates {
        return String::new();
    }
    format!(
        "再標本{replicates}回のうち{}回は、あるカテゴリか結果の点数が全員同じで重みが決まらないため、区間の計算から除きました",
        replicates - used
    )
}

fn block_rows(
    y: &YearResult,
    g: &Group,
    questions: &[(&str, &str, bool)],
    block_name: &str,
    what: &str,
    block: &Published<Vec<ItemScore>>,
) -> Vec<Vec<Cell>> {
    questions
        .iter()
        .enumerate()
        .map(|(k, &(id, question, reverse))| {
            let text_with_mark = if reverse { format!("{question}（逆転項目）") } else { question.to_string() };
            let mut row = group_cells(y, g);
            row.extend([text(id), text(text_with_mark), text(block_name)]);
            match block {
                Published::Shown(items) => {
                    let it = &items[k];
                    row.extend([
                        Cell::Int(it.n as f64),
                        Cell::One(Some(it.score)),
                        Cell::One(Some(it.favorable)),
                        text(""),
                    ]);
                }
                Published::Withheld { message, .. } => row.extend([
                    Cell::Withheld,
                    Cell::Withheld,
                    Cell::Withheld,
                    text(format!("{message}（{what}はまとめて非表示）")),
                ]),
            }
            row
        })
        .collect()
}

/// Renders the workbook of the model's years.
pub fn render(model: &ScoresModel, created: ExcelDateTime) -> Result<Vec<u8>> {
    let f = Formats::new();
    let page = PageHeader::new(model);
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("{} 集計表", model.survey_title))
            .set_author("ishiki")
            .set_company(&model.organization)
            .set_creation_datetime(&created),
    );
    let cat_names: Vec<String> = model.categories.iter().map(|c| c.name.clone()).chain(["総合".to_string()]).collect();

    // カテゴリ別: the whole organisation per category and year.
    {
        let ws = wb.add_worksheet().set_name("カテゴリ別")?;
        let headers = [
            "年度",
            "カテゴリ",
            "回答者数",
            "点数",
            "標準偏差",
            "肯定率(%)",
            "中立(%)",
            "否定率(%)",
            "前年差",
            "p値",
            "調整後のp値（BH）",
            "＊（偽発見率5%）",
            "目標値",
            "判定",
            "備考",
        ];
        let mut s = Sheet::new(
            ws,
            &f,
            &page,
            "カテゴリ別の点数（市全体）",
            &headers,
            &[20.0, 12.0, 9.0, 8.0, 9.0, 9.0, 8.0, 9.0, 8.0, 8.0, 12.0, 10.0, 8.0, 10.0, 34.0],
        )?;
        for y in &model.years {
            let Some(g) = y.group(ALL, None) else { continue };
            for (c, name) in cat_names.iter().enumerate() {
                let mut row = vec![text(&y.label), text(name)];
                let value = g.shown().map(|fig| &fig.scores[c]);
                match value.and_then(|v| v.visibility.shown()) {
                    Some(sc) => {
                        let prog = value.and_then(|v| y.progress.iter().find(|p| p.id == v.category));
                        let change = sc.change.as_ref();
                        row.extend([
                            Cell::Int(sc.n as f64),
                            Cell::One(Some(sc.score)),
                            Cell::One(sc.sd),
                            Cell::One(sc.favorable),
                            Cell::One(sc.neutral),
                            Cell::One(sc.unfavorable),
                            Cell::One(change.map(|c| c.delta)),
                            Cell::Three(change.and_then(|c| c.p_value)),
                            Cell::Three(change.and_then(|c| c.q_value)),
                            Cell::Mark(sig_mark(change.is_some_and(|c| c.fdr_significant))),
                            Cell::One(prog.and_then(|p| p.target)),
                            text(prog.map(|p| p.status.label()).unwrap_or("")),
                            text(""),
                        ]);
                    }
                    None => {
                        let message = match value {
                            Some(v) => v.visibility.message().unwrap_or_default().to_string(),
                            None => reason(g),
                        };
                        row.extend((0..12).map(|_| Cell::Withheld));
                        row.push(text(message));
                    }
                }
                s.push(row)?;
            }
        }
        s.finish()?;
    }

    // 所属別: department × category, coloured like the PDF's heatmap.
    {
        let ws = wb.add_worksheet().set_name("所属別")?;
        let mut headers: Vec<&str> = vec!["年度", "所属コード", "所属名", "回答者数", "回答率(%)"];
        headers.extend(cat_names.iter().map(String::as_str));
        headers.push("備考");
        let mut widths = vec![20.0, 10.0, 22.0, 9.0, 9.0];
        widths.extend(cat_names.iter().map(|_| 8.0));
        widths.push(34.0);
        let first_score_col = 5u16;
        let mut s = Sheet::new(ws, &f, &page, "所属別の点数", &headers, &widths)?;
        for y in &model.years {
            let first_row = s.row;
            for g in y.groups.iter().filter(|g| g.cut.is_none()) {
                let name = Cell::Indented(dept_label(g), g.depth.saturating_sub(1));
                let mut row = vec![text(&y.label), text(dept_code(g)), name];
                match g.shown() {
                    Some(fig) => {
                        row.push(Cell::Int(fig.respondents as f64));
                        row.push(Cell::One(fig.response_rate));
                        row.extend((0..cat_names.len()).map(|c| score_cell(g, c)));
                        row.push(text(withheld_values(g, &cat_names)));
                    }
                    None => {
                        row.extend((0..2 + cat_names.len()).map(|_| Cell::Withheld));
                        row.push(text(reason(g)));
                    }
                }
                s.push(row)?;
            }
            // Coloured like the PDF's heatmap: each category's column by its
            // difference from the city's score that year, orange below, near
            // white at it, blue above, full colour HEATMAP_SPAN points away. A column
            // whose city score is withheld stays uncoloured, as in the PDF.
            let Some(city) = y.group(ALL, None) else { continue };
            if s.row == first_row {
                continue;
            }
            for c in 0..cat_names.len() {
                let Some(centre) = city.score(c).map(|v| v.score) else { continue };
                let col = first_score_col + c as u16;
                s.ws.add_conditional_format(first_row, col, s.row - 1, col, &heat_scale(centre))?;
            }
        }
        s.finish()?;
    }

    // 属性別: cuts of the organisation and of each department.
    {
        let ws = wb.add_worksheet().set_name("属性別")?;
        let mut headers: Vec<&str> = vec!["年度", "所属コード", "所属名", "属性", "区分", "回答者数"];
        headers.extend(cat_names.iter().map(String::as_str));
        headers.push("備考");
        let mut widths = vec![20.0, 10.0, 20.0, 9.0, 12.0, 9.0];
        widths.extend(cat_names.iter().map(|_| 8.0));
        widths.push(34.0);
        let mut s = Sheet::new(ws, &f, &page, "属性別の点数", &headers, &widths)?;
        for y in &model.years {
            for g in y.groups.iter().filter(|g| g.cut.is_some()) {
                let mut row = group_cells(y, g);
                match g.shown() {
                    Some(fig) => {
                        row.push(Cell::Int(fig.respondents as f64));
                        row.extend((0..cat_names.len()).map(|c| score_cell(g, c)));
                        row.push(text(withheld_values(g, &cat_names)));
                    }
                    None => {
                        row.extend((0..1 + cat_names.len()).map(|_| Cell::Withheld));
                        row.push(text(reason(g)));
                    }
                }
                s.push(row)?;
            }
        }
        s.finish()?;
    }

    // 項目別: every item for every group.
    {
        let ws = wb.add_worksheet().set_name("項目別")?;
        let headers = [
            "年度",
            "所属コード",
            "所属名",
            "属性",
            "区分",
            "設問",
            "設問文",
            "カテゴリ",
            "回答数",
            "点数",
            "肯定率(%)",
            "備考",
        ];
        let mut s = Sheet::new(
            ws,
            &f,
            &page,
            "設問別の点数",
            &headers,
            &[20.0, 10.0, 18.0, 9.0, 12.0, 6.0, 50.0, 10.0, 8.0, 8.0, 9.0, 34.0],
        )?;
        for y in &model.years {
            for g in &y.groups {
                // A hidden group is one row with its reason, not one 「—」 per item.
                let Some(fig) = g.shown() else {
                    let mut row = group_cells(y, g);
                    row.extend([text("（全設問）"), text(""), text("")]);
                    row.extend([Cell::Withheld, Cell::Withheld, Cell::Withheld, text(reason(g))]);
                    s.push(row)?;
                    continue;
                };
                // Item results come in blocks per category, and the outcome
                // questions in one block of their own.
                for (block, cat) in fig.items.iter().zip(&model.categories) {
                    let items: Vec<&ItemInfo> =
                        cat.items.iter().filter_map(|id| model.items.iter().find(|i| &i.id == id)).collect();
                    let questions: Vec<(&str, &str, bool)> =
                        items.iter().map(|i| (i.id.as_str(), i.text.as_str(), i.reverse)).collect();
                    let what = format!("{}の設問", cat.name);
                    for row in block_rows(y, g, &questions, &cat.name, &what, &block.visibility) {
                        s.push(row)?;
                    }
                }
                if let Some(block) = &fig.outcomes {
                    let questions: Vec<(&str, &str, bool)> =
                        model.outcomes.iter().map(|o| (o.id.as_str(), o.text.as_str(), o.reverse)).collect();
                    for row in block_rows(y, g, &questions, OUTCOME_BLOCK, OUTCOME_BLOCK, block) {
                        s.push(row)?;
                    }
                }
            }
        }
        s.finish()?;
    }

    // 市全体との比較: each department's values against the rest of the city, with the FDR decision.
    {
        let ws = wb.add_worksheet().set_name("市全体との比較")?;
        let headers = [
            "年度",
            "所属コード",
            "所属名",
            "カテゴリ",
            "所属の点数",
            "市全体の点数",
            "市のほかの職員の点数",
            "差（所属−ほかの職員）",
            "p値（Welch）",
            "調整後のp値（BH）",
            "判定（偽発見率5%）",
        ];
        let mut s = Sheet::new(
            ws,
            &f,
            &page,
            "所属と市のほかの職員との比較",
            &headers,
            &[20.0, 10.0, 18.0, 10.0, 9.0, 9.0, 11.0, 11.0, 11.0, 13.0, 14.0],
        )?;
        for y in &model.years {
            let city = y.groups.iter().find(|g| g.department == ALL && g.cut.is_none());
            for g in y.groups.iter().filter(|g| g.cut.is_none() && g.department != ALL) {
                let Some(fig) = g.shown() else { continue };
                for (c, score) in fig.scores.iter().enumerate() {
                    let Some(v) = score.visibility.shown() else { continue };
                    let Some(cmp) = v.versus_city else { continue };
                    s.push(vec![
                        text(&y.label),
                        text(dept_code(g)),
                        text(dept_label(g)),
                        text(&cat_names[c]),
                        Cell::One(Some(v.score)),
                        city.map_or(Cell::Withheld, |city| score_cell(city, c)),
                        Cell::One(Some(cmp.rest)),
                        Cell::One(Some(cmp.difference)),
                        Cell::Three(cmp.p_value),
                        Cell::Three(cmp.q_value),
                        text(if cmp.significant { "差がある" } else { "" }),
                    ])?;
                }
            }
        }
        s.finish()?;
    }

    // 重要度分析: the driver analysis and the portfolio, per year and group.
    {
        let ws = wb.add_worksheet().set_name("重要度分析")?;
        let headers = [
            "年度",
            "所属コード",
            "所属名",
            "属性",
            "区分",
            "分析した回答者数",
            "決定係数(R²)",
            "R² 95%下限",
            "R² 95%上限",
            "自由度調整済みR²",
            "再標本の回数",
            "カテゴリ",
            "結果の設問との相関",
            "重要度(%)",
            "重要度 95%下限",
            "重要度 95%上限",
            "相対的重み",
            "相対的重み 95%下限",
            "相対的重み 95%上限",
            "点数",
            "重要度が高い（95%区間が均等より上）",
            "点数が比較の基準を下回る",
            "ポートフォリオの区分",
            "備考",
        ];
        let widths = [
            20.0, 8.0, 18.0, 9.0, 12.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 10.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0,
            12.0, 12.0, 12.0, 50.0,
        ];
        let mut s = Sheet::new(ws, &f, &page, "重要度分析（ポートフォリオ）", &headers, &widths)?;
        for y in &model.years {
            let Some(d) = &y.drivers else { continue };
            if let Some(note) = &d.note {
                let mut row = vec![text(&y.label), text(""), text("全体")];
                row.extend((0..20).map(|_| text("")));
                row.push(text(note));
                s.push(row)?;
            }
            for gd in &d.groups {
                let name = y
                    .groups
                    .iter()
                    .find(|g| g.department == gd.department && g.cut.is_none())
                    .map(dept_label)
                    .unwrap_or_default();
                let code = if gd.department == ALL { String::new() } else { gd.department.clone() };
                let mut remark = skipped_resamples(gd.replicates, gd.resamples_used);
                if gd.reference {
                    let own = format!(
                        "分析した回答者が{}人未満のため、この集団の重要度は参考値です（区分は市全体の重要度で判定）",
                        crate::aggregate::importance::OWN_IMPORTANCE
                    );
                    remark = if remark.is_empty() { own } else { format!("{own}。{remark}") };
                }
                for (cd, cat) in gd.categories.iter().zip(&model.categories) {
                    s.push(vec![
                        text(&y.label),
                        text(&code),
                        text(&name),
                        text(gd.cut.clone().unwrap_or_default()),
                        text(gd.cut_value.clone().unwrap_or_default()),
                        Cell::Int(gd.n as f64),
                        Cell::Three(Some(gd.r2)),
                        Cell::Three(Some(gd.r2_interval.0)),
                        Cell::Three(Some(gd.r2_interval.1)),
                        Cell::Three(Some(gd.adjusted_r2).filter(|v| v.is_finite())),
                        Cell::Int(gd.replicates as f64),
                        text(&cat.name),
                        Cell::Three(Some(cd.correlation)),
                        Cell::One(Some(cd.share)),
                        Cell::One(Some(cd.share_interval.0)),
                        Cell::One(Some(cd.share_interval.1)),
                        Cell::Three(Some(cd.raw)),
                        Cell::Three(Some(cd.raw_interval.0)),
                        Cell::Three(Some(cd.raw_interval.1)),
                        Cell::One(Some(cd.score)),
                        Cell::Mark(if cd.important { "○" } else { "" }),
                        Cell::Mark(if cd.below { "○" } else { "" }),
                        text(cd.quadrant.label()),
                        text(&remark),
                    ])?;
                }
            }
        }
        s.finish()?;
    }

    // 目標進捗: plan targets and KPIs.
    {
        let ws = wb.add_worksheet().set_name("目標進捗")?;
        let headers = [
            "年度",
            "指標",
            "判定の種類",
            "単位",
            "基準年度",
            "基準値",
            "目標年度",
            "目標値",
            "前年度の値",
            "今年度の値",
            "今年度の目安（軌道）",
            "進捗率(%)",
            "目標値との差",
            "判定",
        ];
        // What the progress columns mean, as notes on their headers (DESIGN §6).
        let notes = [
            (
                "今年度の値",
                "値は丸めていません。目標値・目安・基準値のいずれかに届かず、小数第1位ではその値と同じに見えるものは、小数第2位まで表示しています。",
            ),
            (
                "今年度の目安（軌道）",
                "目標年度までの目標（目標年度までに目標値以上・以下）だけにあります。基準値から目標値までを年度で均等に進んだ場合の今年度の値で、目標年度からは目標値です。毎年度の目標にはありません。",
            ),
            (
                "進捗率(%)",
                "（今年度の値 − 基準値）÷（目標値 − 基準値）× 100。目標年度までの目標で、目標値が基準値より望ましい側にあるときだけ計算します。表示は整数です（セルの値は丸めていません）。",
            ),
            (
                "目標値との差",
                "毎年度の目標（毎年度 目標値以上・目標値以上を維持）だけにあります。今年度の値 − 目標値（単位は指標の単位、%の指標ではポイント）。0以上なら達成、負なら未達です。",
            ),
            (
                "判定",
                "達成＝目標値に届いた／順調＝目安以上／遅れ＝基準値と目安の間／悪化＝基準値より悪い／未達＝毎年度の目標値を下回った、または目標年度以降に目標値に届いていない／推移を確認＝目標値のない指標。",
            ),
        ];
        let mut s = Sheet::new(
            ws,
            &f,
            &page,
            "人財育成アクションプランの目標の進捗",
            &headers,
            &[20.0, 34.0, 26.0, 6.0, 10.0, 8.0, 10.0, 8.0, 10.0, 10.0, 12.0, 9.0, 10.0, 10.0],
        )?;
        for (header, text) in notes {
            if let Some(c) = headers.iter().position(|h| *h == header) {
                s.ws.insert_note(0, c as u16, &Note::new(text).set_width(320).set_height(120))?;
            }
        }
        for y in &model.years {
            for p in y.progress.iter().chain(&y.indicators) {
                s.push(progress_row(y, p))?;
            }
        }
        s.finish()?;
    }

    // 信頼性: Cronbach's α.
    {
        let ws = wb.add_worksheet().set_name("信頼性")?;
        let headers = ["年度", "カテゴリ", "クロンバックのα", "回答者数（全設問に回答）", "設問数", "備考"];
        let mut s = Sheet::new(
            ws,
            &f,
            &page,
            "カテゴリの信頼性（クロンバックのα）",
            &headers,
            &[20.0, 12.0, 14.0, 20.0, 8.0, 34.0],
        )?;
        for y in &model.years {
            for (r, cat) in y.reliability.iter().zip(&model.categories) {
                let mut row = vec![text(&y.label), text(&cat.name)];
                match &r.visibility {
                    Published::Shown(a) => row.extend([Cell::Three(a.alpha), Cell::Int(a.n as f64)]),
                    Published::Withheld { .. } => row.extend([Cell::Withheld, Cell::Withheld]),
                }
                row.push(Cell::Int(cat.items.len() as f64));
                row.push(text(r.visibility.message().unwrap_or_default()));
                s.push(row)?;
            }
        }
        s.finish()?;
    }

    // 非表示の件数: what confidentiality withheld, by kind and reason, so a city can record it.
    {
        let ws = wb.add_worksheet().set_name("非表示の件数")?;
        let k = model.min_group_size;
        let headers = ["年度", "表示しなかったもの", "回答者が少ないため", "引き算を防ぐため", "計"];
        let mut s =
            Sheet::new(ws, &f, &page, "秘密の保護のため表示しなかった件数", &headers, &[20.0, 68.0, 16.0, 16.0, 8.0])?;
        for y in &model.years {
            let mut rows = y.withheld_rows(k);
            // The single items inside the withheld blocks, under their blocks.
            rows.insert(3, ("　うち設問の数".to_string(), y.withheld.items));
            for (label, c) in rows {
                s.push(vec![
                    text(&y.label),
                    text(label),
                    Cell::Int(c.too_few as f64),
                    Cell::Int(c.differencing as f64),
                    Cell::Int(c.total() as f64),
                ])?;
            }
        }
        s.finish()?;
    }

    // ハラスメント: the harassment survey per group.
    if model.years.iter().any(|y| y.harassment.is_some()) {
        let ws = wb.add_worksheet().set_name("ハラスメント")?;
        let headers = [
            "年度",
            "所属コード",
            "所属名",
            "回答者数",
            "設問",
            "設問文",
            "回答数",
            "選択肢",
            "割合(%)",
            "点数",
            "備考",
        ];
        let mut s = Sheet::new(
            ws,
            &f,
            &page,
            "ハラスメントに関する意識調査",
            &headers,
            &[20.0, 10.0, 20.0, 9.0, 6.0, 50.0, 8.0, 18.0, 8.0, 8.0, 34.0],
        )?;
        for y in &model.years {
            let Some(h) = &y.harassment else { continue };
            for g in &h.groups {
                let code = if g.department == ALL { String::new() } else { g.department.clone() };
                let name = if g.department == ALL { "全体".to_string() } else { g.department_name.clone() };
                match &g.visibility {
                    Published::Withheld { message, .. } => {
                        s.push(vec![
                            text(&y.label),
                            text(code),
                            text(name),
                            Cell::Withheld,
                            text(""),
                            text(""),
                            Cell::Withheld,
                            text(""),
                            Cell::Withheld,
                            Cell::Withheld,
                            text(message),
                        ])?;
                    }
                    Published::Shown(fig) => {
                        for q in &fig.questions {
                            let base = |s: &mut Sheet, choice: String, at: Option<usize>| {
                                let mut row = vec![
                                    text(&y.label),
                                    text(code.clone()),
                                    text(name.clone()),
                                    Cell::Int(fig.respondents as f64),
                                    text(&q.id),
                                    text(&q.text),
                                ];
                                match &q.visibility {
                                    // A withheld question: no count, no share.
                                    Published::Withheld { message, .. } => row.extend([
                                        Cell::Withheld,
                                        text(choice),
                                        Cell::Withheld,
                                        Cell::Withheld,
                                        text(message),
                                    ]),
                                    Published::Shown(qf) => {
                                        // A share withheld on its own (few chose it, or few did not):
                                        // the count of answers stays, the share goes.
                                        let (share, score, remark) = match at.map(|i| qf.shares.get(i)) {
                                            Some(Some(Published::Withheld { message, .. })) => {
                                                (Cell::Withheld, None, message.as_str())
                                            }
                                            Some(share) => {
                                                (Cell::One(share.and_then(Published::shown).copied()), None, "")
                                            }
                                            None => (Cell::One(qf.favorable), qf.score, ""),
                                        };
                                        row.extend([
                                            Cell::Int(qf.answered as f64),
                                            text(choice),
                                            share,
                                            Cell::One(score),
                                            text(remark),
                                        ])
                                    }
                                }
                                s.push(row)
                            };
                            if q.choices.is_empty() {
                                base(&mut s, "肯定的回答".into(), None)?;
                            } else {
                                for (i, c) in q.choices.iter().enumerate() {
                                    base(&mut s, c.clone(), Some(i))?;
                                }
                            }
                        }
                    }
                }
            }
        }
        s.finish()?;
    }

    wb.save_to_buffer().context("Excelファイルを作れません")
}

fn progress_row(y: &YearResult, p: &Progress) -> Vec<Cell> {
    let year = |v: Option<crate::config::year::FiscalYear>| v.map(|y| y.era()).unwrap_or_default();
    // A value that missed its line but reads as it at one decimal shows two;
    // the trajectory beside it as many.
    let apart = p.value_decimals() > 1;
    let (value, trajectory) = if apart {
        (Cell::Two(p.value), Cell::Two(p.trajectory))
    } else {
        (Cell::One(p.value), Cell::One(p.trajectory))
    };
    vec![
        text(&y.label),
        text(&p.name),
        text(p.kind.label()),
        text(&p.unit),
        text(year(p.baseline_year)),
        Cell::One(p.baseline),
        text(year(p.target_year)),
        Cell::One(p.target),
        Cell::One(p.previous),
        value,
        trajectory,
        Cell::Whole(p.achievement.map(|a| a * 100.0)),
        Cell::Two(p.margin),
        text(p.status.label()),
    ]
}

#[cfg(test)]
mod tests {
    use super::{HEADER_LIMIT, PageHeader, skipped_resamples, wrapped_lines};

    #[test]
    fn a_remark_only_when_resamples_were_skipped() {
        assert_eq!(skipped_resamples(1000, 1000), "");
        let remark = skipped_resamples(1000, 997);
        assert!(remark.starts_with("再標本1000回のうち3回は"), "{remark}");
    }

    /// Excel drops a page header over its limit, so a long survey title is
    /// shortened, and an `&` in it is doubled so that it prints as itself.
    #[test]
    fn a_page_header_stays_within_excels_limit_and_prints_ampersands() {
        let page = PageHeader { survey: "R&D職員の意識調査 集計表".into(), years: "令和7年度".into() };
        assert_eq!(page.header("所属別の点数"), "&LR&&D職員の意識調査 集計表&C&\"-,Bold\"所属別の点数&R令和7年度");
        let page = PageHeader { survey: "長".repeat(300), years: "令和4年度〜令和7年度".into() };
        let header = page.header("所属別の点数");
        assert!(header.encode_utf16().count() <= HEADER_LIMIT, "{header}");
        assert!(header.contains("長…&C&\"-,Bold\"所属別の点数&R令和4年度〜令和7年度"), "{header}");
    }

    #[test]
    fn wrapped_text_takes_as_many_lines_as_its_width_needs() {
        assert_eq!(wrapped_lines("回答者が5人未満のため非表示", 34.0), 1);
        assert_eq!(wrapped_lines(&"あ".repeat(40), 34.0), 3);
        assert_eq!(wrapped_lines("", 10.0), 1);
    }
}
