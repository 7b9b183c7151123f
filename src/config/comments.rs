//! survey.toml's free-text questions (DESIGN §8): `[[comments]]` (and
//! `[[harassment.comments]]`) list the questions, `[comment_settings]` holds
//! how they are handled.
//!
//! The settings table is not `[comments]`: TOML cannot hold both an array of
//! tables `[[comments]]` and a table `[comments]` under one name, so the
//! settings DESIGN §8 calls `comments.min_group_size` and `[comments.themes]`
//! live in `[comment_settings]` and `[comment_settings.themes]`. Every
//! setting is optional; [`CommentSettings::default_for`] holds the defaults:
//! what says nothing (「特になし」…), the words that put a comment on HR's
//! list to read first (harassment, self-harm, leaving the job) and the theme
//! words of the eight default categories.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use crate::config::headers::{HeadersFile, is_plain_id};
use crate::problem::{Place, Problems};
use crate::text::normalize;

/// One free-text question as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommentFile {
    /// 設問ID（例: C01）。
    pub id: Spanned<String>,
    /// 設問文。
    pub text: String,
    /// 回答ファイルの列名か候補の一覧（任意。省略すると、設問IDと同じ列か、設問文を含む列を探します）。
    pub header: Option<Spanned<HeadersFile>>,
    /// この設問が一つのカテゴリについて尋ねるときの、そのカテゴリID（任意）。
    pub category: Option<Spanned<String>>,
}

/// `[comment_settings]` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommentSettingsFile {
    /// 確認用の一覧に部の名前を示す最少回答者数（既定 10）。部の回答者がこれ以上で、その設問に5人以上が書いたときだけ部を示します。
    pub min_group_size: Option<Spanned<usize>>,
    /// 何も書いていないのと同じとみなす回答（既定: 「特になし」「なし」「特にありません」「-」など）。
    pub says_nothing: Option<Spanned<Vec<String>>>,
    /// 要確認（ハラスメント）とする語（既定: パワハラ、セクハラ、嫌がらせ、暴言など）。
    pub harassment_words: Option<Spanned<Vec<String>>>,
    /// 要確認（自傷・自殺のおそれ）とする語（既定: 死にたい、消えたい、自殺など）。
    pub self_harm_words: Option<Spanned<Vec<String>>>,
    /// 要確認（退職の意向）とする語（既定: 辞めたい、退職、転職など）。
    pub leaving_words: Option<Spanned<Vec<String>>>,
    /// テーマ: カテゴリIDごとのテーマ語（任意）。書いたカテゴリだけ既定の語に代わります。
    #[serde(default)]
    pub themes: BTreeMap<String, Spanned<Vec<String>>>,
}

/// A validated free-text question.
#[derive(Debug, Clone, PartialEq)]
pub struct CommentQuestion {
    /// Id such as `C01`.
    pub id: String,
    /// Question text.
    pub text: String,
    /// Headers that name its column (the first a file has is used); empty:
    /// a header that is the id or holds the question text.
    pub header: Vec<String>,
    /// Index of the category the question asks about, if it asks about one.
    pub category: Option<usize>,
}

/// Why HR should read a comment first (要確認), most serious first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Flag {
    /// Words of self-harm or suicide.
    SelfHarm,
    /// Words of harassment.
    Harassment,
    /// Words of leaving the job.
    Leaving,
    /// A person named (the masking found a name).
    Person,
}

impl Flag {
    /// Returns how the workbook's 要確認 column names it.
    pub fn label(self) -> &'static str {
        match self {
            Flag::SelfHarm => "自傷・自殺のおそれ",
            Flag::Harassment => "ハラスメント",
            Flag::Leaving => "退職の意向",
            Flag::Person => "個人名",
        }
    }
}

/// The validated `[comment_settings]`, defaults filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct CommentSettings {
    /// A 部 is shown beside a comment only when it has this many respondents (and 5 commenters).
    pub min_group_size: usize,
    /// Answers that say nothing, normalised ([`says_nothing_key`]).
    pub says_nothing: Vec<String>,
    /// Words of each flag, normalised, the flags in [`Flag`] order without [`Flag::Person`].
    pub flag_words: Vec<(Flag, Vec<String>)>,
    /// Theme words of each category (by index in the survey's categories), normalised.
    pub themes: Vec<Vec<String>>,
}

/// The default `comment_settings.min_group_size`.
pub const DEFAULT_MIN_GROUP_SIZE: usize = 10;

/// The fewest commenters of a 部 on one question for the 部 to be shown (DESIGN §8; not a setting).
pub const MIN_COMMENTERS: usize = 5;

/// Answers that say nothing, as a form's respondents write them. 「-」 and
/// other punctuation alone say nothing whatever the list holds.
const SAYS_NOTHING: &[&str] = &[
    "特になし",
    "とくになし",
    "特に無し",
    "特にない",
    "特に無い",
    "なし",
    "無し",
    "ない",
    "無",
    "特にありません",
    "とくにありません",
    "特にございません",
    "ありません",
    "ございません",
    "特に意見はありません",
    "意見なし",
    "該当なし",
    "なにもない",
    "何もない",
    "-",
    "ー",
    "none",
    "n/a",
    "no",
];

/// Words that flag harassment.
const HARASSMENT_WORDS: &[&str] = &[
    "ハラスメント",
    "パワハラ",
    "セクハラ",
    "モラハラ",
    "マタハラ",
    "パタハラ",
    "カスハラ",
    "いじめ",
    "嫌がらせ",
    "いやがらせ",
    "暴言",
    "怒鳴",
    "どなら",
    "罵倒",
    "恫喝",
    "威圧",
    "無視され",
    "陰口",
    "人格を否定",
    "人格否定",
];

/// Words that flag self-harm or suicide.
const SELF_HARM_WORDS: &[&str] = &[
    "死にたい",
    "死んでしまいたい",
    "消えたい",
    "消えてしまいたい",
    "いなくなりたい",
    "自殺",
    "自死",
    "自傷",
    "命を絶",
    "生きていたくない",
    "生きるのがつらい",
    "生きるのが辛い",
    "楽になりたい",
    "飛び降り",
];

/// Words that flag leaving the job.
const LEAVING_WORDS: &[&str] =
    &["辞めたい", "やめたい", "辞めよう", "やめようと", "辞める", "辞めて", "退職", "辞職", "転職", "離職"];

/// Theme words of the eight default categories (DESIGN §3), by category id.
const THEMES: &[(&str, &[&str])] = &[
    (
        "self_growth",
        &["研修", "成長", "スキル", "資格", "キャリア", "学び", "学ぶ", "自己啓発", "勉強", "育成", "昇任", "昇格"],
    ),
    ("job", &["やりがい", "裁量", "仕事内容", "業務内容", "適性", "達成感", "市民の役", "異動", "希望の部署"]),
    (
        "relationships",
        &["人間関係", "雰囲気", "挨拶", "あいさつ", "笑顔", "感謝", "同僚", "会話", "コミュニケーション", "上司"],
    ),
    ("support", &["相談", "支援", "サポート", "OJT", "教えて", "教わ", "指導", "助け", "フォロー", "新人"]),
    ("recognition", &["評価", "認め", "褒め", "ほめ", "納得", "尊重", "給与", "給料", "昇給", "手当"]),
    // 「疲れ」 alone would take every 「お疲れさまです」 for a comment on health.
    (
        "health",
        &[
            "健康",
            "ストレス",
            "疲れが",
            "疲れて",
            "疲れる",
            "疲れた",
            "疲労",
            "睡眠",
            "体調",
            "メンタル",
            "心身",
            "休職",
            "病気",
        ],
    ),
    (
        "environment",
        &[
            "休暇",
            "有給",
            "残業",
            "時間外",
            "育児",
            "介護",
            "両立",
            "業務量",
            "テレワーク",
            "在宅勤務",
            "空調",
            "パソコン",
            "庁舎",
            "設備",
            "システム",
            "人員",
            "人手",
        ],
    ),
    (
        "culture",
        &[
            "風土",
            "部署間",
            "連携",
            "挑戦",
            "前例",
            // Not 「連絡」 alone: 「連絡先」 is no comment on the culture.
            "報連相",
            "報告・連絡",
            "報告や連絡",
            "コンプライアンス",
            "縦割り",
            "風通し",
            "意見を言",
        ],
    ),
];

/// The form of an answer compared with the says-nothing list: normalised
/// ([`normalize`]: NFKC, no whitespace, katakana as hiragana, lower case),
/// without the punctuation around it (「特になし。」「（なし）」).
pub fn says_nothing_key(text: &str) -> String {
    normalize(text).trim_matches(|c: char| !c.is_alphanumeric()).to_string()
}

impl CommentSettings {
    /// Returns the settings with every default, for a survey with these category ids.
    pub fn default_for(categories: &[&str]) -> CommentSettings {
        let words = |list: &[&str]| list.iter().map(|w| normalize(w)).collect::<Vec<_>>();
        CommentSettings {
            min_group_size: DEFAULT_MIN_GROUP_SIZE,
            says_nothing: SAYS_NOTHING.iter().map(|w| says_nothing_key(w)).filter(|w| !w.is_empty()).collect(),
            flag_words: vec![
                (Flag::SelfHarm, words(SELF_HARM_WORDS)),
                (Flag::Harassment, words(HARASSMENT_WORDS)),
                (Flag::Leaving, words(LEAVING_WORDS)),
            ],
            themes: categories
                .iter()
                .map(|c| THEMES.iter().find(|(id, _)| id == c).map(|(_, w)| words(w)).unwrap_or_default())
                .collect(),
        }
    }

    /// Whether an answer is a comment: not blank, not only punctuation, and
    /// not one of the answers that say nothing (compared after NFKC and
    /// trimming, [`says_nothing_key`]).
    pub fn is_comment(&self, text: &str) -> bool {
        let key = says_nothing_key(text);
        key.chars().any(char::is_alphanumeric) && !self.says_nothing.contains(&key)
    }
}

/// Validates `[comment_settings]` against the survey's category ids.
pub fn settings(
    raw: Option<&CommentSettingsFile>,
    categories: &[&str],
    at: &dyn Fn(std::ops::Range<usize>) -> Place,
    problems: &mut Problems,
) -> CommentSettings {
    let mut out = CommentSettings::default_for(categories);
    let Some(raw) = raw else { return out };
    if let Some(k) = &raw.min_group_size {
        if *k.get_ref() < MIN_COMMENTERS {
            problems.error(
                at(k.span()),
                format!("comment_settings.min_group_size は{MIN_COMMENTERS}以上にしてください（少人数の部では、書いた人が推測されやすいため）"),
            );
        }
        out.min_group_size = *k.get_ref();
    }
    // A list as written, normalised; an empty word would match every comment.
    let list = |name: &str, words: &Spanned<Vec<String>>, key: &dyn Fn(&str) -> String, problems: &mut Problems| {
        let normalised: Vec<String> = words.get_ref().iter().map(|w| key(w)).collect();
        if normalised.iter().any(String::is_empty) {
            problems.error(
                at(words.span()),
                format!("comment_settings.{name} に空の語があります（空の語はすべての記述に当てはまるため書けません）"),
            );
        }
        normalised.into_iter().filter(|w| !w.is_empty()).collect::<Vec<_>>()
    };
    if let Some(words) = &raw.says_nothing {
        // Punctuation alone (「-」) is no comment anyway: its key is empty, and not an error here.
        out.says_nothing = words.get_ref().iter().map(|w| says_nothing_key(w)).filter(|w| !w.is_empty()).collect();
    }
    for (flag, name, words) in [
        (Flag::SelfHarm, "self_harm_words", &raw.self_harm_words),
        (Flag::Harassment, "harassment_words", &raw.harassment_words),
        (Flag::Leaving, "leaving_words", &raw.leaving_words),
    ] {
        if let Some(words) = words {
            let words = list(name, words, &|w| normalize(w), problems);
            if let Some(slot) = out.flag_words.iter_mut().find(|(f, _)| *f == flag) {
                slot.1 = words;
            }
        }
    }
    for (id, words) in &raw.themes {
        match categories.iter().position(|c| *c == id.trim()) {
            Some(c) => out.themes[c] = list(&format!("themes.{id}"), words, &|w| normalize(w), problems),
            None => problems.error(
                at(words.span()),
                format!(
                    "comment_settings.themes のカテゴリ「{id}」は [[categories]] にありません（カテゴリID: {}）",
                    categories.join("、")
                ),
            ),
        }
    }
    out
}

/// Where a survey's other columns are found, to keep comment headers apart from them.
pub struct TakenHeaders<'a> {
    /// (what the header names, in messages; its headers).
    pub lists: Vec<(String, &'a [String])>,
}

/// Validates free-text questions: plain ids never used by another question
/// (`ids` holds the other questions' ids and receives these), a text, a known
/// category, and headers no other column of the export uses.
pub fn questions(
    raw: &[CommentFile],
    table: &str,
    categories: &[&str],
    taken: &TakenHeaders<'_>,
    ids: &mut Vec<String>,
    at: &dyn Fn(std::ops::Range<usize>) -> Place,
    problems: &mut Problems,
) -> Vec<CommentQuestion> {
    let mut out: Vec<CommentQuestion> = Vec::new();
    for q in raw {
        let id = q.id.get_ref().trim().to_string();
        if !is_plain_id(&id) {
            problems.error(at(q.id.span()), format!("設問ID「{id}」は半角英数字（と _ -）で書いてください"));
        }
        if ids.contains(&id) {
            problems.error(at(q.id.span()), format!("設問ID「{id}」が二度定義されています"));
        }
        ids.push(id.clone());
        let text = q.text.trim().to_string();
        if text.is_empty() {
            problems.error(at(q.id.span()), format!("{table} の設問「{id}」の text（設問文）が空です"));
        }
        let category = q.category.as_ref().and_then(|c| {
            let wanted = c.get_ref().trim();
            let found = categories.iter().position(|cat| *cat == wanted);
            if found.is_none() {
                problems.error(
                    at(c.span()),
                    format!(
                        "{table} の設問「{id}」のカテゴリ「{wanted}」は [[categories]] にありません（カテゴリID: {}）",
                        categories.join("、")
                    ),
                );
            }
            found
        });
        let header = q.header.as_ref().map(|h| h.get_ref().list()).unwrap_or_default();
        if let Some(span) = q.header.as_ref().map(Spanned::span) {
            for h in &header {
                let key = normalize(h);
                let clash = taken
                    .lists
                    .iter()
                    .find(|(_, list)| list.iter().any(|t| normalize(t) == key))
                    .map(|(what, _)| what.clone())
                    .or_else(|| {
                        out.iter()
                            .find(|o| o.header.iter().any(|t| normalize(t) == key))
                            .map(|o| format!("自由記述の設問「{}」", o.id))
                    });
                if let Some(what) = clash {
                    problems.error(
                        at(span.clone()),
                        format!("{table} の設問「{id}」の見出し「{h}」は{what}の列の見出しにもあります。別の見出しにしてください"),
                    );
                }
            }
        }
        out.push(CommentQuestion { id, text, header, category });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_punctuation_and_saying_nothing_are_no_comments() {
        let s = CommentSettings::default_for(&[]);
        for text in [
            "",
            "   ",
            "\n",
            "特になし",
            "特になし。",
            "特に無し",
            "とくになし",
            "トクニナシ",
            "（なし）",
            "ﾅｼ",
            "－",
            "-",
            "ー",
            "・",
            "。。",
            "特にありません。",
            "None",
            "N/A",
            " 特になし！ ",
        ] {
            assert!(!s.is_comment(text), "{text:?} is no comment");
        }
        for text in ["なしではない", "研修を増やしてほしい", "特になしと言いたいが、残業が多い", "OK", "1"]
        {
            assert!(s.is_comment(text), "{text:?} is a comment");
        }
    }
}
