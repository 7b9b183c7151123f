//! survey.toml: the questionnaire (scale, categories, items, demographics,
//! free-text questions, harassment questions, `min_group_size`).
//!
//! [`SurveyFile`] is the file as written, checked by serde with
//! `deny_unknown_fields`; [`Survey::from_toml`] validates it into a [`Survey`]
//! whose references (category → items) are resolved to indices, or returns
//! every inconsistency with its line.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;
use toml::Spanned;

use crate::config::comments::{self, CommentFile, CommentQuestion, CommentSettings, CommentSettingsFile, TakenHeaders};
pub use crate::config::headers::HeadersFile;
use crate::config::headers::is_plain_id;
use crate::config::toml_errors::{place_of, translate};
use crate::config::year::FiscalYear;
use crate::problem::{Place, Problems};
use crate::text::normalize;

/// The label written for a blank demographic answer.
pub const UNANSWERED: &str = "未回答";

/// survey.toml as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyFile {
    /// 調査の名称。報告書の表紙や表題に使います。
    pub title: String,
    /// 回答尺度（最小値・最大値・肯定とみなす値・選択肢の文言）。
    pub scale: ScaleFile,
    /// 集団の結果を表示する最少回答者数 k。これ未満の集団は非表示になります。
    pub min_group_size: Spanned<usize>,
    /// 回答ファイルの列の名前。
    pub columns: ColumnsFile,
    /// 属性の列（年代・職級・任用形態など）。報告書ではこの順に並びます。
    #[serde(default)]
    pub demographics: Vec<DemographicFile>,
    /// カテゴリ（報告書ではこの順に並びます）。
    pub categories: Vec<CategoryFile>,
    /// 設問。
    pub items: Vec<ItemFile>,
    /// 結果の設問（任意）。どのカテゴリにも入らず、総合にも含めません。
    /// 職場への満足や働き続けたい気持ちを尋ね、どのカテゴリがそれに効いているか（重要度）の分析に使います。
    #[serde(default)]
    pub outcomes: Vec<ItemFile>,
    /// 自由記述の設問（任意）。回答は人事担当課の確認用の一覧（ishiki comments）にだけ載ります。
    #[serde(default)]
    pub comments: Vec<CommentFile>,
    /// 自由記述の扱い（任意。すべて既定値があります）。
    pub comment_settings: Option<CommentSettingsFile>,
    /// ハラスメントに関する意識調査。
    pub harassment: Option<HarassmentFile>,
}

/// The answer scale.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScaleFile {
    /// 尺度の最小値（例: 1）。
    pub min: i64,
    /// 尺度の最大値（例: 5）。
    pub max: i64,
    /// この値以上（逆転項目は逆転後）を肯定的回答として数えます（例: 4）。
    pub favorable_threshold: Spanned<i64>,
    /// 各値の選択肢の文言。回答ファイルに文言で入っていても読み取れます。
    pub labels: Spanned<BTreeMap<String, String>>,
    /// 年度によって選択肢の文言が違う場合（任意）: その年度の書き出しの文言。書いた値だけ labels に代わります。
    /// 例: [[scale.year_labels]] years = ["R5", "R6"]、labels = { 4 = "どちらかといえばそう思う", 2 = "どちらかといえばそう思わない" }。
    #[serde(default)]
    pub year_labels: Vec<YearLabelsFile>,
}

/// The wording of the scale in some years, where it differs from `labels`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearLabelsFile {
    /// この文言を使った年度（2023、R5、令和5年度 のどの書き方でも）。
    pub years: Vec<Spanned<String>>,
    /// その年度の選択肢の文言（値ごと。書かない値は scale.labels の文言のまま）。
    pub labels: Spanned<BTreeMap<String, String>>,
}

/// Names of the response file's columns that are not items.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnsFile {
    /// 所属の列名。一つか、候補の一覧（["所属コード", "所属", "所属名"] のように。ファイルにある最初のものを使います）。
    /// 所属はコード・名前・「コード 名前」・「部 課」のどの書き方でも読めます。
    pub department: HeadersFile,
    /// 部の列名か候補の一覧（任意）。部と課が別々の列にある書き出しで、課の列が空欄なら部の所属として読みます。
    pub parent_department: Option<HeadersFile>,
    /// 年度の列名か候補の一覧（任意）。列がなければファイル名から年度を読み取ります。
    pub year: Option<HeadersFile>,
    /// 自由記述の列名（古い書き方）。読み飛ばします。自由記述は [[comments]] に書いてください。
    #[serde(default)]
    pub free_text: Option<Spanned<Vec<String>>>,
    /// Excelファイルで読むシート名（任意）。省略すると、所属の見出しがあるシートを探して読みます（回答らしいシートが二枚以上あるときは、ここで選んでください）。
    pub sheet: Option<String>,
}

/// A demographic column used to cut results.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemographicFile {
    /// 属性の名前（報告書やCSVの cut 列に出ます）。
    pub name: Spanned<String>,
    /// 回答ファイルの列名か候補の一覧（省略時は name と同じ）。
    pub column: Option<HeadersFile>,
    /// 選択肢（この順に並びます）。空欄は「未回答」として集計します。
    pub values: Vec<String>,
    /// 別の書き方とその選択肢（任意）。例: { "20歳代" = "20代以下", "正規職員" = "正規" }。
    #[serde(default)]
    pub aliases: BTreeMap<String, Spanned<String>>,
}

/// A category of items.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryFile {
    /// カテゴリID（半角英数字。plan.toml やCSVで使います）。
    pub id: Spanned<String>,
    /// カテゴリ名（日本語）。
    pub name: String,
    /// このカテゴリの設問ID。
    pub items: Vec<Spanned<String>>,
    /// 職場での話し合いのための問いかけ（所属長向けフィードバックに載ります）。
    #[serde(default)]
    pub discussion: Vec<String>,
}

/// One question of the questionnaire.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemFile {
    /// 設問ID（例: Q01）。
    pub id: Spanned<String>,
    /// 設問文。
    pub text: String,
    /// 逆転項目なら true（「強いストレスを感じる」など、そう思うほど良くない設問）。
    #[serde(default)]
    pub reverse: bool,
    /// 逆転項目を強み・課題などの一覧に載せるときの、肯定的な言い方（任意。例: 強いストレスを感じることが少ない）。
    pub label: Option<String>,
    /// 回答ファイルの列名（任意）。省略すると、設問IDと同じ列か、設問文を含む列を探します。
    pub header: Option<String>,
}

/// The harassment survey.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HarassmentFile {
    /// ハラスメント調査の名称。
    pub title: String,
    /// ハラスメント調査で集団の結果を表示する最少回答者数。
    pub min_group_size: Spanned<usize>,
    /// Excelファイルで読むシート名（任意）。
    pub sheet: Option<String>,
    /// 設問。
    pub questions: Vec<QuestionFile>,
    /// 自由記述の設問（任意）。確認用の一覧に、部を示さずに載ります。
    #[serde(default)]
    pub comments: Vec<CommentFile>,
}

/// The kind of a harassment question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// One of `choices`.
    Single,
    /// Any of `choices`, in one cell separated by `、` `,` `;`, or one 0/1 column per choice.
    Multiple,
    /// The survey's answer scale.
    Scale,
}

/// One question of the harassment survey.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionFile {
    /// 設問ID（例: H01）。
    pub id: Spanned<String>,
    /// 設問文。
    pub text: String,
    /// 回答の形式: single（択一）、multiple（複数選択）、scale（5段階などの尺度）。
    pub kind: QuestionKind,
    /// 選択肢（single と multiple）。
    #[serde(default)]
    pub choices: Vec<String>,
    /// 回答ファイルの列名（任意）。
    pub header: Option<String>,
}

/// The validated answer scale.
#[derive(Debug, Clone, PartialEq)]
pub struct Scale {
    /// Lowest value.
    pub min: i64,
    /// Highest value.
    pub max: i64,
    /// A reversed value at or above this counts as favorable.
    pub favorable: i64,
    /// Label of each value from `min` to `max`.
    pub labels: Vec<String>,
}

impl Scale {
    /// Returns the value a label (or a spelling variant of it) stands for.
    pub fn value_of_label(&self, text: &str) -> Option<i64> {
        let wanted = normalize(text);
        self.labels.iter().position(|label| normalize(label) == wanted).map(|i| self.min + i as i64)
    }

    /// Returns the label of a value.
    pub fn label(&self, value: i64) -> &str {
        let i = (value - self.min).clamp(0, self.labels.len() as i64 - 1) as usize;
        &self.labels[i]
    }
}

/// A validated demographic column.
#[derive(Debug, Clone, PartialEq)]
pub struct Demographic {
    /// Name used in reports and as `cut` in the scores CSV.
    pub name: String,
    /// Headers that name its column in the response files (the first a file has is used).
    pub column: Vec<String>,
    /// Its values in report order, without 未回答.
    pub values: Vec<String>,
    /// Other ways exports write a value: (alias, value).
    pub aliases: Vec<(String, String)>,
}

impl Demographic {
    /// Returns the values in report order with 未回答 last.
    pub fn values_with_unanswered(&self) -> Vec<String> {
        let mut v = self.values.clone();
        v.push(UNANSWERED.to_string());
        v
    }
}

/// A validated category.
#[derive(Debug, Clone, PartialEq)]
pub struct Category {
    /// Id used in plan.toml and the scores CSV.
    pub id: String,
    /// Japanese name.
    pub name: String,
    /// Indices into [`Survey::items`], in the order listed.
    pub items: Vec<usize>,
    /// Questions for a workplace meeting.
    pub discussion: Vec<String>,
}

impl Category {
    /// Returns how many answered items a respondent needs for a category score (half, rounded up).
    pub fn min_answered(&self) -> usize {
        self.items.len().div_ceil(2)
    }
}

/// A validated item.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// Id such as `Q01`.
    pub id: String,
    /// Question text.
    pub text: String,
    /// Reverse-worded.
    pub reverse: bool,
    /// How lists print it: the question text, or for a reverse-worded item
    /// its positive wording (survey.toml `label`, the default
    /// questionnaire's, or the text marked 「（逆転）」), so that a strength
    /// never reads as a complaint (DESIGN §10).
    pub label: String,
    /// The exact header that finds its column, if survey.toml gives one.
    pub header: Option<String>,
    /// Index of its category in [`Survey::categories`].
    pub category: usize,
}

/// A validated outcome question: in no category and not part of 総合; what
/// the driver analysis explains (DESIGN §3).
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Id such as `Q36`.
    pub id: String,
    /// Question text.
    pub text: String,
    /// Reverse-worded.
    pub reverse: bool,
    /// The exact header that finds its column, if survey.toml gives one.
    pub header: Option<String>,
}

/// A validated harassment question.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    /// Id such as `H01`.
    pub id: String,
    /// Question text.
    pub text: String,
    /// Its kind.
    pub kind: QuestionKind,
    /// Choices for single and multiple questions.
    pub choices: Vec<String>,
    /// The exact header that finds its column, if given.
    pub header: Option<String>,
}

/// The validated harassment survey.
#[derive(Debug, Clone, PartialEq)]
pub struct HarassmentSurvey {
    /// Its name.
    pub title: String,
    /// Its own k.
    pub min_group_size: usize,
    /// Sheet to read in Excel files.
    pub sheet: Option<String>,
    /// Questions in order.
    pub questions: Vec<Question>,
    /// Free-text questions in order.
    pub comments: Vec<CommentQuestion>,
}

/// The validated questionnaire.
#[derive(Debug, Clone, PartialEq)]
pub struct Survey {
    /// Name of the survey.
    pub title: String,
    /// Answer scale.
    pub scale: Scale,
    /// k for the attitude survey.
    pub min_group_size: usize,
    /// Headers that name the department column (the first a file has is used).
    pub department_column: Vec<String>,
    /// Headers that name the fiscal year column, if the exports have one.
    pub year_column: Vec<String>,
    /// Headers that name a 部 column beside the department (課) column, if exports split them.
    pub parent_department_column: Vec<String>,
    /// Headers of the old `columns.free_text` (columns passed over).
    pub free_text: Vec<String>,
    /// The line of `columns.free_text`, for `check`'s note on upgrading.
    pub free_text_place: Option<Place>,
    /// Sheet to read in Excel files.
    pub sheet: Option<String>,
    /// Demographic columns in order.
    pub demographics: Vec<Demographic>,
    /// The scale as worded in the years whose exports used other labels
    /// (survey.toml `[[scale.year_labels]]`); other years use [`Survey::scale`].
    pub year_scales: Vec<(FiscalYear, Scale)>,
    /// Categories in order.
    pub categories: Vec<Category>,
    /// Items in the order survey.toml lists them.
    pub items: Vec<Item>,
    /// Outcome questions (optional in an export), in the order listed.
    pub outcomes: Vec<Outcome>,
    /// Free-text questions (`[[comments]]`, optional in an export), in the order listed.
    pub comments: Vec<CommentQuestion>,
    /// How comments are handled (`[comment_settings]`, defaults filled in).
    pub comment_settings: CommentSettings,
    /// The harassment survey, if configured.
    pub harassment: Option<HarassmentSurvey>,
}

/// The headers that locate an export's department and year columns.
#[derive(Debug, Clone, Copy)]
pub struct ExportColumns<'a> {
    /// The department (課) column.
    pub department: &'a [String],
    /// A 部 column beside it, if exports split the two.
    pub parent: &'a [String],
    /// The fiscal year column.
    pub year: &'a [String],
}

impl Survey {
    /// Says whether the survey or its harassment survey has a free-text question ([[comments]]).
    pub fn has_comment_questions(&self) -> bool {
        !self.comments.is_empty() || self.harassment.as_ref().is_some_and(|h| !h.comments.is_empty())
    }

    /// Returns the headers of the department, 部 and year columns.
    pub fn export_columns(&self) -> ExportColumns<'_> {
        ExportColumns {
            department: &self.department_column,
            parent: &self.parent_department_column,
            year: &self.year_column,
        }
    }

    /// Parses and validates survey.toml text; `file` names it in problems.
    pub fn from_toml(file: &str, text: &str) -> Result<Survey, Problems> {
        let mut problems = Problems::default();
        let raw: SurveyFile = match toml::from_str(text) {
            Ok(raw) => raw,
            Err(err) => {
                problems.errors.push(translate(file, text, &err));
                return Err(problems);
            }
        };
        let survey = validate(file, text, raw, &mut problems);
        if problems.is_clean() { Ok(survey) } else { Err(problems) }
    }

    /// Returns the scale as worded in the exports of `year`.
    pub fn scale_for(&self, year: FiscalYear) -> &Scale {
        self.year_scales.iter().find(|(y, _)| *y == year).map_or(&self.scale, |(_, s)| s)
    }

    /// Returns the category with this id.
    pub fn category(&self, id: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.id == id)
    }

    /// The note `check` gives on the old `columns.free_text`: its columns
    /// are passed over as before, and this is how to make them questions of
    /// `[[comments]]` instead.
    pub fn free_text_note(&self) -> Option<(Place, String)> {
        let place = self.free_text_place.clone()?;
        let mut headers: Vec<String> = self.free_text.iter().map(|h| format!("\"{h}\"")).collect();
        if headers.is_empty() {
            headers.push("\"自由記述\"".to_string());
        }
        let message = if self.comments.is_empty() {
            format!(
                "columns.free_text は古い書き方です。この列は今までどおり読み飛ばしています。自由記述を人事担当課の確認用の一覧（ishiki comments）で読むには、free_text の行を消して、[[comments]] に id = \"C01\"、text = \"（設問文）\"、header = [{}] のように書いてください",
                headers.join(", ")
            )
        } else {
            "columns.free_text は古い書き方です。自由記述の設問は [[comments]] にあるので、free_text の行は消してください"
                .to_string()
        };
        Some((place, message))
    }
}

/// Validates `[[scale.year_labels]]`: each year once, each key a value of
/// the scale, no label twice within a year's wording.
fn year_scales(
    scale: &Scale,
    raw: &[YearLabelsFile],
    at: &dyn Fn(std::ops::Range<usize>) -> Place,
    problems: &mut Problems,
) -> Vec<(FiscalYear, Scale)> {
    let mut out: Vec<(FiscalYear, Scale)> = Vec::new();
    for entry in raw {
        let span = entry.labels.span();
        let mut labels = scale.labels.clone();
        for (key, label) in entry.labels.get_ref() {
            match key.trim().parse::<i64>() {
                Ok(v) if (scale.min..=scale.max).contains(&v) && !labels.is_empty() => {
                    labels[(v - scale.min) as usize] = label.trim().to_string();
                }
                _ => problems.error(
                    at(span.clone()),
                    format!("scale.year_labels のキー「{key}」は{}～{}の整数にしてください", scale.min, scale.max),
                ),
            }
        }
        let mut seen: HashMap<String, ()> = HashMap::new();
        for label in &labels {
            if seen.insert(normalize(label), ()).is_some() {
                problems.error(
                    at(span.clone()),
                    format!("scale.year_labels の文言「{label}」がその年度の文言に二度あります"),
                );
            }
        }
        if entry.years.is_empty() {
            problems.error(at(span.clone()), "scale.year_labels の years に年度を書いてください");
        }
        for year in &entry.years {
            match year.get_ref().parse::<FiscalYear>() {
                Err(e) => problems.error(at(year.span()), format!("scale.year_labels の years: {e}")),
                Ok(y) if out.iter().any(|(o, _)| *o == y) => problems.error(
                    at(year.span()),
                    format!(
                        "scale.year_labels に{}が二度あります（一つの年度の文言は一か所に書いてください）",
                        y.era()
                    ),
                ),
                Ok(y) => out.push((y, Scale { labels: labels.clone(), ..scale.clone() })),
            }
        }
    }
    out
}

fn validate(file: &str, text: &str, raw: SurveyFile, problems: &mut Problems) -> Survey {
    let at = |span: std::ops::Range<usize>| place_of(file, text, span);

    // Scale.
    let s = &raw.scale;
    let labels_span = raw.scale.labels.span();
    if s.min < 0 || s.max > 100 {
        problems.error(at(labels_span.clone()), "scale の min と max は0～100の整数にしてください");
    }
    if s.min >= s.max {
        problems.error(
            at(labels_span.clone()),
            format!("scale の min（{}）は max（{}）より小さくしてください", s.min, s.max),
        );
    }
    let threshold = *s.favorable_threshold.get_ref();
    // Said once the scale itself is sound: against min ≥ max no threshold would do.
    if s.min < s.max && (threshold <= s.min || threshold > s.max) {
        problems.error(
            at(s.favorable_threshold.span()),
            format!("favorable_threshold（{threshold}）は{}より大きく{}以下にしてください", s.min, s.max),
        );
    }
    let mut labels = Vec::new();
    if s.min < s.max && s.max - s.min <= 100 {
        let mut by_value: HashMap<i64, String> = HashMap::new();
        for (key, label) in s.labels.get_ref() {
            match key.trim().parse::<i64>() {
                Ok(v) if (s.min..=s.max).contains(&v) => {
                    by_value.insert(v, label.clone());
                }
                _ => problems.error(
                    at(labels_span.clone()),
                    format!("scale.labels のキー「{key}」は{}～{}の整数にしてください", s.min, s.max),
                ),
            }
        }
        for v in s.min..=s.max {
            match by_value.remove(&v) {
                Some(label) => labels.push(label),
                None => {
                    problems.error(at(labels_span.clone()), format!("scale.labels に値{v}の文言がありません"));
                    labels.push(v.to_string());
                }
            }
        }
        let mut seen = HashMap::new();
        for label in &labels {
            if let Some(_prev) = seen.insert(normalize(label), ()) {
                problems.error(at(labels_span.clone()), format!("scale.labels の文言「{label}」が二度あります"));
            }
        }
    }
    let scale = Scale { min: s.min, max: s.max, favorable: threshold, labels };
    let year_scales = year_scales(&scale, &s.year_labels, &at, problems);

    if *raw.min_group_size.get_ref() < 2 {
        problems.error(at(raw.min_group_size.span()), "min_group_size は2以上にしてください");
    }

    // Items.
    let mut item_index: HashMap<String, usize> = HashMap::new();
    let mut items = Vec::new();
    for item in &raw.items {
        let id = item.id.get_ref().trim().to_string();
        if !is_plain_id(&id) {
            problems.error(at(item.id.span()), format!("設問ID「{id}」は半角英数字（と _ -）で書いてください"));
        }
        if item_index.insert(id.clone(), items.len()).is_some() {
            problems.error(at(item.id.span()), format!("設問ID「{id}」が二度定義されています"));
        }
        let text = item.text.trim().to_string();
        let label = match (item.reverse, item.label.as_deref().map(str::trim).filter(|l| !l.is_empty())) {
            (false, _) => text.clone(),
            (true, Some(label)) => label.to_string(),
            (true, None) => crate::config::defaults::positive_label(&text).unwrap_or_else(|| format!("{text}（逆転）")),
        };
        items.push(Item {
            id,
            text,
            reverse: item.reverse,
            label,
            header: item.header.as_ref().map(|h| h.trim().to_string()),
            category: usize::MAX,
        });
    }
    if raw.items.is_empty() {
        problems.error(Place::File(file.to_string()), "設問（[[items]]）が一つもありません");
    }
    let mut outcome_ids: HashMap<String, ()> = HashMap::new();
    let outcomes: Vec<Outcome> = raw
        .outcomes
        .iter()
        .map(|o| {
            let id = o.id.get_ref().trim().to_string();
            if !is_plain_id(&id) {
                problems.error(at(o.id.span()), format!("設問ID「{id}」は半角英数字（と _ -）で書いてください"));
            }
            if item_index.contains_key(&id) || outcome_ids.insert(id.clone(), ()).is_some() {
                problems.error(at(o.id.span()), format!("設問ID「{id}」が二度定義されています"));
            }
            Outcome {
                id,
                text: o.text.trim().to_string(),
                reverse: o.reverse,
                header: o.header.as_ref().map(|h| h.trim().to_string()),
            }
        })
        .collect();

    // Categories.
    let mut categories = Vec::new();
    let mut category_ids: HashMap<String, ()> = HashMap::new();
    for (ci, cat) in raw.categories.iter().enumerate() {
        let id = cat.id.get_ref().trim().to_string();
        if !is_plain_id(&id) || id == "overall" || id == "ALL" {
            problems.error(
                at(cat.id.span()),
                format!("カテゴリID「{id}」は半角英数字（と _ -）で、overall 以外にしてください"),
            );
        }
        if category_ids.insert(id.clone(), ()).is_some() {
            problems.error(at(cat.id.span()), format!("カテゴリID「{id}」が二度定義されています"));
        }
        if cat.items.is_empty() {
            problems.error(at(cat.id.span()), format!("カテゴリ「{id}」に設問がありません"));
        }
        let mut members = Vec::new();
        for item_id in &cat.items {
            let name = item_id.get_ref().trim();
            match item_index.get(name) {
                None if outcome_ids.contains_key(name) => problems.error(
                    at(item_id.span()),
                    format!("設問「{name}」は結果の設問（[[outcomes]]）なので、カテゴリ「{id}」には入れられません"),
                ),
                None => problems.error(
                    at(item_id.span()),
                    format!("カテゴリ「{id}」の設問「{name}」は [[items]] に定義されていません"),
                ),
                Some(&ii) => {
                    let owner = items[ii].category;
                    if owner == ci {
                        problems.error(at(item_id.span()), format!("カテゴリ「{id}」に設問「{name}」が二度あります"));
                    } else if owner != usize::MAX {
                        let other = raw.categories[owner].id.get_ref();
                        problems.error(
                            at(item_id.span()),
                            format!("設問「{name}」がカテゴリ「{other}」と「{id}」の両方に入っています"),
                        );
                    } else {
                        items[ii].category = ci;
                        members.push(ii);
                    }
                }
            }
        }
        categories.push(Category {
            id,
            name: cat.name.trim().to_string(),
            items: members,
            discussion: cat.discussion.clone(),
        });
    }
    if raw.categories.is_empty() {
        problems.error(Place::File(file.to_string()), "カテゴリ（[[categories]]）が一つもありません");
    }
    for (item, raw_item) in items.iter().zip(&raw.items) {
        if item.category == usize::MAX {
            problems.error(at(raw_item.id.span()), format!("設問「{}」はどのカテゴリにも入っていません", item.id));
        }
    }

    // Demographics.
    let mut demographics = Vec::new();
    let mut demo_names: HashMap<String, ()> = HashMap::new();
    for d in &raw.demographics {
        let name = d.name.get_ref().trim().to_string();
        if name.is_empty() {
            problems.error(at(d.name.span()), "属性の name が空です");
        }
        if demo_names.insert(name.clone(), ()).is_some() {
            problems.error(at(d.name.span()), format!("属性「{name}」が二度定義されています"));
        }
        if d.values.is_empty() {
            problems.error(at(d.name.span()), format!("属性「{name}」に選択肢（values）がありません"));
        }
        let mut seen: HashMap<String, ()> = HashMap::new();
        for v in &d.values {
            let v = v.trim();
            if v.is_empty() || v == UNANSWERED {
                problems.error(
                    at(d.name.span()),
                    format!("属性「{name}」の選択肢に空欄や「{UNANSWERED}」は書けません（空欄は自動で「{UNANSWERED}」になります）"),
                );
            }
            if seen.insert(normalize(v), ()).is_some() {
                problems.error(at(d.name.span()), format!("属性「{name}」の選択肢「{v}」が二度あります"));
            }
        }
        for (alias, value) in &d.aliases {
            let target = value.get_ref().trim();
            if !d.values.iter().any(|v| v.trim() == target) {
                // Located at the alias's own line, with the values it may lead to.
                problems.error(
                    at(value.span()),
                    format!(
                        "属性「{name}」の別名「{alias}」の行き先「{target}」が選択肢（values）にありません。行き先は {} のどれかにしてください",
                        d.values.iter().map(|v| format!("「{}」", v.trim())).collect::<String>()
                    ),
                );
            }
        }
        demographics.push(Demographic {
            column: match &d.column {
                Some(h) if !h.list().is_empty() => h.list(),
                _ => vec![name.clone()],
            },
            name,
            values: d.values.iter().map(|v| v.trim().to_string()).collect(),
            aliases: d.aliases.iter().map(|(a, v)| (a.trim().to_string(), v.get_ref().trim().to_string())).collect(),
        });
    }

    // Free-text questions: headers kept apart from every other column the export has.
    let own_headers =
        |id: &String, header: &Option<String>| header.clone().map_or_else(|| vec![id.clone()], |h| vec![h]);
    let item_headers: Vec<(String, Vec<String>)> = items
        .iter()
        .map(|i| (format!("設問「{}」", i.id), own_headers(&i.id, &i.header)))
        .chain(outcomes.iter().map(|o| (format!("結果の設問「{}」", o.id), own_headers(&o.id, &o.header))))
        .collect();
    let department_column = raw.columns.department.list();
    let parent_department_column = raw.columns.parent_department.as_ref().map(HeadersFile::list).unwrap_or_default();
    let year_column = raw.columns.year.as_ref().map(HeadersFile::list).unwrap_or_default();
    let export_lists = || {
        vec![
            ("所属".to_string(), department_column.as_slice()),
            ("部".to_string(), parent_department_column.as_slice()),
            ("年度".to_string(), year_column.as_slice()),
        ]
    };
    let mut lists = export_lists();
    lists.extend(demographics.iter().map(|d: &Demographic| (format!("属性「{}」", d.name), d.column.as_slice())));
    lists.extend(item_headers.iter().map(|(what, h)| (what.clone(), h.as_slice())));
    let mut question_ids: Vec<String> =
        items.iter().map(|i| i.id.clone()).chain(outcomes.iter().map(|o| o.id.clone())).collect();
    let category_ids: Vec<&str> = categories.iter().map(|c| c.id.as_str()).collect();
    let comments = comments::questions(
        &raw.comments,
        "[[comments]]",
        &category_ids,
        &TakenHeaders { lists },
        &mut question_ids,
        &at,
        problems,
    );
    let comment_settings = comments::settings(raw.comment_settings.as_ref(), &category_ids, &at, problems);

    // Harassment.
    let harassment = raw.harassment.as_ref().map(|h| {
        if *h.min_group_size.get_ref() < 2 {
            problems.error(at(h.min_group_size.span()), "harassment.min_group_size は2以上にしてください");
        }
        let mut ids: HashMap<String, ()> = HashMap::new();
        let questions = h
            .questions
            .iter()
            .map(|q| {
                let id = q.id.get_ref().trim().to_string();
                if !is_plain_id(&id) {
                    problems.error(at(q.id.span()), format!("設問ID「{id}」は半角英数字（と _ -）で書いてください"));
                }
                if ids.insert(id.clone(), ()).is_some() || question_ids.contains(&id) {
                    problems.error(at(q.id.span()), format!("設問ID「{id}」が二度定義されています"));
                }
                match q.kind {
                    QuestionKind::Single | QuestionKind::Multiple if q.choices.len() < 2 => problems
                        .error(at(q.id.span()), format!("設問「{id}」には選択肢（choices）を二つ以上書いてください")),
                    QuestionKind::Scale if !q.choices.is_empty() => problems.error(
                        at(q.id.span()),
                        format!("設問「{id}」は尺度（scale）なので choices は書けません（scale.labels を使います）"),
                    ),
                    _ => {}
                }
                Question {
                    id,
                    text: q.text.trim().to_string(),
                    kind: q.kind,
                    choices: q.choices.iter().map(|c| c.trim().to_string()).collect(),
                    header: q.header.as_ref().map(|s| s.trim().to_string()),
                }
            })
            .collect::<Vec<Question>>();
        let question_headers: Vec<(String, Vec<String>)> =
            questions.iter().map(|q| (format!("設問「{}」", q.id), own_headers(&q.id, &q.header))).collect();
        let mut lists = export_lists();
        lists.extend(question_headers.iter().map(|(what, h)| (what.clone(), h.as_slice())));
        let mut ids: Vec<String> = question_ids.iter().cloned().chain(questions.iter().map(|q| q.id.clone())).collect();
        let comments = comments::questions(
            &h.comments,
            "[[harassment.comments]]",
            &category_ids,
            &TakenHeaders { lists },
            &mut ids,
            &at,
            problems,
        );
        HarassmentSurvey {
            title: h.title.trim().to_string(),
            min_group_size: *h.min_group_size.get_ref(),
            sheet: h.sheet.clone(),
            questions,
            comments,
        }
    });

    if department_column.is_empty() {
        problems.error(Place::File(file.to_string()), "columns.department に所属の列名を書いてください");
    }

    Survey {
        title: raw.title.trim().to_string(),
        scale,
        min_group_size: *raw.min_group_size.get_ref(),
        department_column,
        year_column,
        parent_department_column,
        free_text: raw
            .columns
            .free_text
            .as_ref()
            .map(|f| f.get_ref().iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect())
            .unwrap_or_default(),
        free_text_place: raw.columns.free_text.as_ref().map(|f| at(f.span())),
        sheet: raw.columns.sheet.clone(),
        demographics,
        year_scales,
        categories,
        items,
        outcomes,
        comments,
        comment_settings,
        harassment,
    }
}
