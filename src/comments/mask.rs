//! The 伏せ字案 (DESIGN §8): a comment with person names, departments,
//! places, job titles and contacts replaced by 〔人名〕〔所属〕〔地名〕〔役職〕
//! 〔連絡先〕, erring towards masking too much. Matching runs on the NFKC form
//! of the text (full-width letters and digits, half-width katakana folded);
//! everything outside a masked span comes back exactly as written. Hands on
//! [`Masked`] (the draft and what was hidden) and a comment's keywords.
//!
//! What is masked, and by which rule:
//! - every org.csv name given to [`Masker::new`], and its stem without
//!   部・課・室・係・班・所・センター・支所 (and 総合支所・事務局・事務所 …) when
//!   the stem stands as a word of its own: 税務 in 「税務の窓口」, not 人事 in
//!   「人事評価」, where it is part of a longer noun → 〔所属〕;
//! - job titles (課長, 係長, 主査 …) → 〔役職〕, and the word before a title or
//!   before さん・様・君・氏・ちゃん・先生 (山田課長, 佐藤さん, Ｙさん) → 〔人名〕,
//!   unless that word names people in general (皆, お客, 新人 …);
//! - IPADIC's proper nouns: 人名 → 〔人名〕, 組織 → 〔所属〕, 地域 → 〔地名〕
//!   (words of Latin letters only, such as OJT, are left to the initials rule);
//! - the word before 支所・地区・公民館・駅・小学校 … → 〔地名〕;
//! - phone numbers (0X-XXXX-XXXX, 内線1234, TEL 23-4567) and mail addresses
//!   → 〔連絡先〕; initials with dots (K.T, Y・S) → 〔人名〕.

use std::ops::Range;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use regex::Regex;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::canonical_combining_class;

use super::tokenize::{AnalysisError, Token, tokenize_with, tokenizer};

/// What a masked span was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MaskKind {
    /// A place: 〔地名〕.
    Place,
    /// A person: 〔人名〕.
    Person,
    /// A department, facility or other organisation: 〔所属〕.
    Department,
    /// A job title: 〔役職〕.
    Title,
    /// A phone number or mail address: 〔連絡先〕.
    Contact,
}

impl MaskKind {
    /// Returns the placeholder that replaces a span of this kind.
    pub fn placeholder(self) -> &'static str {
        match self {
            MaskKind::Place => "〔地名〕",
            MaskKind::Person => "〔人名〕",
            MaskKind::Department => "〔所属〕",
            MaskKind::Title => "〔役職〕",
            MaskKind::Contact => "〔連絡先〕",
        }
    }
}

/// One span of the original text that the draft hides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaskedSpan {
    /// What the span was taken for.
    pub kind: MaskKind,
    /// Where it lies in the original text (bytes).
    pub range: Range<usize>,
}

/// A masked draft (伏せ字案) and the spans it hides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Masked {
    /// The text with every masked span replaced by its placeholder.
    pub text: String,
    /// The hidden spans of the original, in order; empty when nothing was masked.
    pub spans: Vec<MaskedSpan>,
}

/// A comment analysed once: its masked draft and its keywords.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Analysis {
    /// The 伏せ字案.
    pub masked: Masked,
    /// The comment's nouns and compounds (consecutive nouns joined), in NFKC
    /// form, each once, in order of first use; no word that was masked.
    pub keywords: Vec<String>,
}

/// Job titles of a city hall, longest forms included so 課長補佐 is one title.
const TITLES: &[&str] = &[
    "副市長",
    "市長",
    "教育長",
    "局長",
    "部長",
    "副部長",
    "次長",
    "課長",
    "副課長",
    "課長補佐",
    "課長代理",
    "室長",
    "所長",
    "副所長",
    "支所長",
    "館長",
    "園長",
    "センター長",
    "係長",
    "班長",
    "主幹",
    "副主幹",
    "主査",
    "主任",
    "主事",
    "主事補",
    "技師",
    "参事",
    "副参事",
    "理事",
    "係員",
    "専門員",
    "事務長",
    "会計管理者",
    "校長",
    "教頭",
    "議長",
    "副議長",
];

/// Endings of department and facility names; a name without one is its stem.
const ORG_SUFFIXES: &[&str] = &[
    "総合支所",
    "事務局",
    "事務所",
    "出張所",
    "センター",
    "支所",
    "部",
    "課",
    "室",
    "係",
    "班",
    "所",
    "局",
    "館",
    "園",
    "署",
];

/// Honorifics after a name (IPADIC tags them 名詞,接尾).
const HONORIFICS: &[&str] = &["さん", "様", "さま", "君", "くん", "氏", "ちゃん", "殿"];

/// Nouns used after a name as an honorific.
const HONORIFIC_NOUNS: &[&str] = &["先生", "先輩"];

/// Words before an honorific or a title that name people in general, not a person.
const GENERIC_PEOPLE: &[&str] = &[
    "皆",
    "皆様",
    "皆さま",
    "みな",
    "みんな",
    "お客",
    "客",
    "業者",
    "新人",
    "派遣",
    "パート",
    "アルバイト",
    "奥",
    "お母",
    "母",
    "お父",
    "父",
    "お子",
    "子",
    "相手",
    "先輩",
    "後輩",
    "上司",
    "部下",
    "同僚",
    "職員",
    "住民",
    "市民",
    "利用者",
    "患者",
    "事務員",
    "担当",
    "担当者",
    "係",
    "方",
    "人",
    "近所",
    "運転手",
    "女性",
    "男性",
    "新任",
    "歴代",
    "現",
    "元",
    "前",
    "新",
    "若手",
    "直属",
    "当時",
    "現在",
    "今",
    "自分",
    "うち",
    "他",
    "別",
    "同",
    "隣",
    "当",
    "本",
    "代理",
    "兼務",
    "先生",
    "学校",
    "保育",
    "管理",
    "専任",
    "正",
    "副",
    "筆頭",
    "庁内",
    "全",
];

/// Words after a stem that still make it the department (税務窓口, 人事担当).
const UNIT_WORDS: &[&str] = &["窓口", "担当", "部門", "部署", "部局", "職場", "職員", "内", "全体", "関係", "所管"];

/// Facilities also named with の between (鳴子の公民館), unlike センター (所属のセンター).
const NAMED_AFTER_NO: &[&str] = &["公民館", "小学校", "中学校", "駅", "図書館", "支所", "出張所", "体育館", "地区"];

/// Words before a facility word that say where in general, not which (地域の公民館).
const GENERIC_PLACES: &[&str] = &[
    "地域",
    "地元",
    "市",
    "町",
    "村",
    "県",
    "市内",
    "市外",
    "県内",
    "各",
    "全",
    "近く",
    "近所",
    "自宅",
    "家",
    "職場",
    "最寄り",
    "最寄",
    "本庁",
    "庁内",
    "他",
    "別",
    "同じ",
    "新",
    "旧",
    "公立",
    "市立",
    "町立",
    "県立",
    "私立",
    "大型",
    "拠点",
];

/// Facilities and areas whose name is the word before them (鳴子支所, 古川地区).
const PLACE_SUFFIXES: &[&str] = &[
    "支所",
    "総合支所",
    "出張所",
    "地区",
    "地域",
    "町内",
    "公民館",
    "駅",
    "小学校",
    "中学校",
    "高校",
    "保育所",
    "保育園",
    "幼稚園",
    "こども園",
    "図書館",
    "病院",
    "診療所",
    "体育館",
    "浄水場",
    "センター",
    "庁舎",
    "分庁舎",
];

/// Phone numbers: 0 and 9 to 11 digits in up to three groups (checked after the match).
static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?:\+81[\s\-]?|\(0|(?-u:\b)0)\d{1,4}(?:[\s\-‐‑‒–—―−ー()]{1,2})?\d{1,4}(?:[\s\-‐‑‒–—―−ー()]{1,2})?\d{3,4}")
});
/// Extensions, masked whole: 内線1234.
static EXTENSION: LazyLock<Regex> = LazyLock::new(|| compile(r"(?:内線|ないせん|(?i:ext)\.?)[\s:：#.]*\d{2,6}"));
/// A shorter number after a phone word (TEL 23-4567): the number is masked.
static AFTER_PHONE_WORD: LazyLock<Regex> =
    LazyLock::new(|| compile(r"(?:(?i:tel|fax)|電話|携帯)(?:番号)?[\s:：.は]*(\d[\d\s\-‐‑‒–—―−ー()]{3,}\d)"));
static MAIL: LazyLock<Regex> = LazyLock::new(|| compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*"));
/// Initials with dots or middle dots: K.T, K・T, K. T.
static INITIALS: LazyLock<Regex> = LazyLock::new(|| compile(r"(?-u:\b)[A-Z](?:\s?[.・]\s?[A-Z])+(?:\s?\.)?"));

fn compile(pattern: &str) -> Regex {
    // The patterns are constants, checked by every test that masks.
    #[allow(clippy::expect_used)]
    Regex::new(pattern).expect("a valid constant pattern")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Term {
    /// An org.csv name: masked wherever it occurs.
    Name,
    /// A name's stem: masked where it stands as a word of its own.
    Stem,
    Title,
}

/// Drafts 伏せ字案 for comments: built once from org.csv's names, then used
/// for every comment (from any thread).
pub struct Masker {
    tokenizer: &'static vibrato::Tokenizer,
    terms: AhoCorasick,
    term_kinds: Vec<Term>,
}

impl Masker {
    /// Builds a masker that also hides `org_names` (every org.csv name of
    /// every year) and their stems; loads the dictionary if not yet loaded.
    pub fn new(org_names: &[String]) -> Result<Masker, AnalysisError> {
        let tokenizer = tokenizer()?;
        let mut terms: Vec<(String, Term)> = TITLES.iter().map(|t| (t.to_string(), Term::Title)).collect();
        for name in org_names {
            let name: String = name.nfkc().filter(|c| !c.is_whitespace()).collect();
            if name.chars().count() < 2 {
                continue;
            }
            for stem in stems(&name) {
                terms.push((stem, Term::Stem));
            }
            terms.push((name, Term::Name));
        }
        // One entry per string: a title before a name before a stem.
        let rank = |term: Term| match term {
            Term::Title => 0,
            Term::Name => 1,
            Term::Stem => 2,
        };
        terms.sort_by(|a, b| a.0.cmp(&b.0).then(rank(a.1).cmp(&rank(b.1))));
        terms.dedup_by(|later, earlier| later.0 == earlier.0);
        let patterns: Vec<&str> = terms.iter().map(|(text, _)| text.as_str()).collect();
        let automaton = AhoCorasick::new(&patterns).map_err(|e| AnalysisError(e.to_string()))?;
        Ok(Masker { tokenizer, terms: automaton, term_kinds: terms.into_iter().map(|(_, kind)| kind).collect() })
    }

    /// Returns the 伏せ字案 of a text.
    pub fn mask(&self, text: &str) -> Masked {
        self.analyse(text).masked
    }

    /// Says whether a text still holds something the masking would hide
    /// (for an approved row that HR edited); placeholders are not.
    pub fn finds_maskable(&self, text: &str) -> bool {
        !self.mask(text).spans.is_empty()
    }

    /// Masks a text and lists its keywords, tokenising it once.
    pub fn analyse(&self, text: &str) -> Analysis {
        let normal = Normalized::new(text);
        let tokens = tokenize_with(self.tokenizer, &normal.text);
        let mut paint = Paint::new(normal.text.len());
        self.mask_terms(&normal.text, &tokens, &mut paint);
        mask_tokens(&tokens, &mut paint);
        mask_patterns(&normal.text, &mut paint);
        let keywords = keywords(&normal.text, &tokens, &paint);
        Analysis { masked: normal.replace(text, &paint), keywords }
    }

    fn mask_terms(&self, text: &str, tokens: &[Token], paint: &mut Paint) {
        for found in self.terms.find_overlapping_iter(text) {
            let range = found.range();
            match self.term_kinds[found.pattern().as_usize()] {
                Term::Name => paint.span(range, MaskKind::Department),
                Term::Stem => {
                    if stands_alone(tokens, &range) {
                        paint.span(range, MaskKind::Department);
                    }
                }
                Term::Title => {
                    paint.span(range.clone(), MaskKind::Title);
                    // The part of a word that runs into the title (山田課|長 split oddly).
                    if let Some(t) = tokens.iter().find(|t| t.range.start < range.start && range.start < t.range.end) {
                        paint.span(t.range.start..range.start, MaskKind::Person);
                    } else if let Some(end) = tokens.iter().position(|t| t.range.end == range.start) {
                        name_before(tokens, end + 1, paint);
                    }
                }
            }
        }
    }
}

/// A name's stems: without each ending it has (教育委員会事務局 → 教育委員会,
/// 教育委員会事務), and a 総合支所 also without 総合 (三本木総合支所 → 三本木).
fn stems(name: &str) -> Vec<String> {
    let mut stems = Vec::new();
    for suffix in ORG_SUFFIXES {
        if let Some(stem) = name.strip_suffix(suffix)
            && stem.chars().count() >= 2
        {
            stems.push(stem.to_string());
            if let Some(place) = stem.strip_suffix("総合").filter(|p| p.chars().count() >= 2) {
                stems.push(place.to_string());
            }
        }
    }
    stems
}

/// Says whether a stem found at `range` is a word of its own: it starts and
/// ends at word boundaries, and the next word is not a noun that makes it part
/// of a longer one (人事評価, 保健師), unless that noun is a unit word or an
/// ending of department names (税務窓口, 税務係).
fn stands_alone(tokens: &[Token], range: &Range<usize>) -> bool {
    if !tokens.iter().any(|t| t.range.start == range.start) {
        return false;
    }
    let Some(last) = tokens.iter().position(|t| t.range.end == range.end) else {
        return false;
    };
    match tokens.get(last + 1) {
        Some(next) if next.pos() == "名詞" => {
            ORG_SUFFIXES.contains(&next.surface) || UNIT_WORDS.contains(&next.surface)
        }
        _ => true,
    }
}

/// Masks the name before `end` (exclusive token index): up to three nouns,
/// letters or unknown words right before it, unless the nearest names people
/// in general.
fn name_before(tokens: &[Token], end: usize, paint: &mut Paint) {
    let Some(nearest) = end.checked_sub(1).and_then(|i| tokens.get(i)) else {
        return;
    };
    if GENERIC_PEOPLE.contains(&nearest.surface) {
        return;
    }
    let mut start = end;
    while start > 0 && end - start < 3 && name_like(&tokens[start - 1]) {
        start -= 1;
    }
    if start < end {
        paint.span(tokens[start].range.start..tokens[end - 1].range.end, MaskKind::Person);
    }
}

fn name_like(token: &Token) -> bool {
    let [sub, ..] = token.subcategories();
    match token.pos() {
        "名詞" => !matches!(sub, "代名詞" | "数" | "非自立" | "副詞可能" | "接尾" | "特殊"),
        "記号" => sub == "アルファベット",
        _ => false,
    }
}

fn latin_only(text: &str) -> bool {
    text.chars().all(|c| c.is_ascii_alphanumeric() || c.is_ascii_punctuation())
}

fn mask_tokens(tokens: &[Token], paint: &mut Paint) {
    for (i, token) in tokens.iter().enumerate() {
        if token.pos() != "名詞" {
            continue;
        }
        let [sub, kind, _] = token.subcategories();
        if sub == "固有名詞" && !latin_only(token.surface) {
            match kind {
                "人名" => paint.span(token.range.clone(), MaskKind::Person),
                "組織" => paint.span(token.range.clone(), MaskKind::Department),
                "地域" => paint.span(token.range.clone(), MaskKind::Place),
                _ => {}
            }
        }
        if (sub == "接尾" && HONORIFICS.contains(&token.surface)) || HONORIFIC_NOUNS.contains(&token.surface) {
            name_before(tokens, i, paint);
        }
        if PLACE_SUFFIXES.contains(&token.surface) {
            place_before(tokens, i, paint);
        }
    }
}

/// Masks the place named before a facility or area word at `at`: up to two
/// words right before it, a suffix included (鳴子支所, 鹿島|台地区), or before の (鳴子の公民館),
/// unless the nearest is a general word (地域の公民館, 近くの駅).
fn place_before(tokens: &[Token], at: usize, paint: &mut Paint) {
    let end = match at.checked_sub(1).map(|i| &tokens[i]) {
        Some(no) if no.surface == "の" && NAMED_AFTER_NO.contains(&tokens[at].surface) => at - 1,
        _ => at,
    };
    let mut start = end;
    while start > 0 && end - start < 2 {
        let token = &tokens[start - 1];
        let suffix = token.pos() == "名詞" && token.subcategories()[0] == "接尾";
        if !(name_like(token) || suffix) {
            break;
        }
        start -= 1;
    }
    // A suffix cannot begin the name (…課の支所).
    while start < end && tokens[start].subcategories()[0] == "接尾" {
        start += 1;
    }
    if start < end
        && !GENERIC_PLACES.contains(&tokens[end - 1].surface)
        && !GENERIC_PEOPLE.contains(&tokens[end - 1].surface)
    {
        paint.span(tokens[start].range.start..tokens[end - 1].range.end, MaskKind::Place);
    }
}

fn mask_patterns(text: &str, paint: &mut Paint) {
    for found in PHONE.find_iter(text) {
        let digits = found.as_str().chars().filter(char::is_ascii_digit).count();
        if (9..=12).contains(&digits) {
            paint.span(found.range(), MaskKind::Contact);
        }
    }
    for found in EXTENSION.find_iter(text).chain(MAIL.find_iter(text)) {
        paint.span(found.range(), MaskKind::Contact);
    }
    for found in AFTER_PHONE_WORD.captures_iter(text).filter_map(|c| c.get(1)) {
        paint.span(found.range(), MaskKind::Contact);
    }
    for found in INITIALS.find_iter(text) {
        paint.span(found.range(), MaskKind::Person);
    }
}

/// The nouns and compounds of a text, each once, none touching a masked byte.
fn keywords(text: &str, tokens: &[Token], paint: &Paint) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut current: Option<Range<usize>> = None;
    let mut flush = |current: &mut Option<Range<usize>>| {
        if let Some(range) = current.take() {
            let word = &text[range];
            let single_kana = word.chars().count() == 1 && word.chars().all(|c| matches!(c, 'ぁ'..='ゖ' | 'ァ'..='ヺ'));
            if !single_kana && !words.iter().any(|w| w == word) {
                words.push(word.to_string());
            }
        }
    };
    for token in tokens {
        let [sub, ..] = token.subcategories();
        let noun = token.pos() == "名詞"
            && matches!(sub, "一般" | "サ変接続" | "形容動詞語幹" | "固有名詞" | "ナイ形容詞語幹" | "接尾")
            && token.surface.chars().all(char::is_alphanumeric)
            && !paint.touches(&token.range);
        match (&mut current, noun) {
            (Some(range), true) => range.end = token.range.end,
            (None, true) if sub != "接尾" => current = Some(token.range.clone()),
            _ => flush(&mut current),
        }
    }
    flush(&mut current);
    words
}

/// The kind painted on each byte of the normalised text; a later span of a
/// higher kind (連絡先 > 役職 > 所属 > 人名 > 地名) paints over a lower one.
struct Paint(Vec<Option<MaskKind>>);

impl Paint {
    fn new(len: usize) -> Paint {
        Paint(vec![None; len])
    }

    fn span(&mut self, range: Range<usize>, kind: MaskKind) {
        let end = range.end.min(self.0.len());
        for slot in &mut self.0[range.start.min(end)..end] {
            if slot.is_none_or(|old| old < kind) {
                *slot = Some(kind);
            }
        }
    }

    fn touches(&self, range: &Range<usize>) -> bool {
        self.0.get(range.clone()).is_some_and(|slots| slots.iter().any(Option::is_some))
    }

    fn kind(&self, range: Range<usize>) -> Option<MaskKind> {
        self.0.get(range).and_then(|slots| slots.iter().flatten().max().copied())
    }
}

/// A text in NFKC form, made cluster by cluster (a character with the
/// combining marks after it), so each cluster's place in the original is known.
struct Normalized {
    text: String,
    /// (range in the original, range in `text`) of each cluster, in order.
    clusters: Vec<(Range<usize>, Range<usize>)>,
}

impl Normalized {
    fn new(original: &str) -> Normalized {
        // Most comments are already NFKC: one cluster per character, no copying through the normaliser.
        if unicode_normalization::is_nfkc_quick(original.chars()) == unicode_normalization::IsNormalized::Yes {
            let clusters = original.char_indices().map(|(i, c)| (i..i + c.len_utf8(), i..i + c.len_utf8())).collect();
            return Normalized { text: original.to_string(), clusters };
        }
        let mut text = String::with_capacity(original.len());
        let mut clusters = Vec::with_capacity(original.len() / 2);
        let mut start = 0;
        let mut push = |start: usize, end: usize, text: &mut String| {
            let from = text.len();
            text.extend(original[start..end].nfkc());
            clusters.push((start..end, from..text.len()));
        };
        for (i, c) in original.char_indices().skip(1) {
            if !joins_previous(c) {
                push(start, i, &mut text);
                start = i;
            }
        }
        if start < original.len() {
            push(start, original.len(), &mut text);
        }
        Normalized { text, clusters }
    }

    /// Writes the original with each run of masked clusters of one kind replaced by its placeholder.
    fn replace(&self, original: &str, paint: &Paint) -> Masked {
        let mut text = String::with_capacity(original.len());
        let mut spans: Vec<MaskedSpan> = Vec::new();
        for (source, normal) in &self.clusters {
            match paint.kind(normal.clone()) {
                None => text.push_str(&original[source.clone()]),
                Some(kind) => match spans.last_mut() {
                    Some(last) if last.kind == kind && last.range.end == source.start => last.range.end = source.end,
                    _ => {
                        text.push_str(kind.placeholder());
                        spans.push(MaskedSpan { kind, range: source.clone() });
                    }
                },
            }
        }
        Masked { text, spans }
    }
}

/// Says whether a character belongs to the cluster before it: a combining
/// mark, or a half-width (semi-)voiced sound mark that NFKC composes (ｶﾞ → ガ).
fn joins_previous(c: char) -> bool {
    matches!(c, '\u{FF9E}' | '\u{FF9F}') || canonical_combining_class(c) != 0
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn masker() -> Masker {
        let names = ["税務課", "人事課", "三本木総合支所", "保健センター", "教育委員会事務局"];
        Masker::new(&names.map(String::from)).unwrap()
    }

    #[test]
    fn masks_each_kind_and_keeps_the_rest_as_written() {
        let m = masker();
        let cases = [
            ("山田課長に相談した。", "〔人名〕〔役職〕に相談した。"),
            ("佐藤さんと税務課の件", "〔人名〕さんと〔所属〕の件"),
            ("税務の窓口は混む", "〔所属〕の窓口は混む"),
            ("人事評価が不透明", "人事評価が不透明"),
            ("税務課長が決めた", "〔所属〕〔役職〕が決めた"),
            ("三本木への出張", "〔所属〕への出張"),
            ("鳴子支所は遠い", "〔地名〕支所は遠い"),
            ("電話は０２２９－２３－１２３４か内線１２３４へ", "電話は〔連絡先〕か〔連絡先〕へ"),
            ("ｙａｍａｄａ＠ｃｉｔｙ．ｅｘａｍｐｌｅ．ｊｐまで", "〔連絡先〕まで"),
            ("K.Tさんに、Ｙさんも", "〔人名〕さんに、〔人名〕さんも"),
            ("皆さんとお客さん", "皆さんとお客さん"),
            ("毎日OJTの課題が部分的に係る所属のセンターライン", "毎日OJTの課題が部分的に係る所属のセンターライン"),
        ];
        for (text, draft) in cases {
            assert_eq!(m.mask(text).text, draft, "{text}");
        }
    }

    #[test]
    fn spans_point_into_the_original() {
        let m = masker();
        let text = "ｻﾄｳ課長と０９０ー１２３４ー５６７８";
        let masked = m.mask(text);
        let hidden: Vec<(MaskKind, &str)> = masked.spans.iter().map(|s| (s.kind, &text[s.range.clone()])).collect();
        assert_eq!(
            hidden,
            [(MaskKind::Person, "ｻﾄｳ"), (MaskKind::Title, "課長"), (MaskKind::Contact, "０９０ー１２３４ー５６７８")]
        );
    }

    #[test]
    fn keywords_join_nouns_once_and_skip_masked_words() {
        let m = masker();
        let analysis = m.analyse("人事評価の面談で山田課長が人事評価について話した。研修制度も");
        assert_eq!(analysis.keywords, ["人事評価", "面談", "研修制度"]);
    }

    #[test]
    fn finds_maskable_words_but_not_placeholders() {
        let m = masker();
        assert!(m.finds_maskable("〔人名〕さんと高橋係長"));
        assert!(!m.finds_maskable("〔人名〕さんと〔人名〕〔役職〕、〔所属〕の〔連絡先〕"));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        /// Any text masks without panicking, and the draft is the original
        /// with each span replaced by its placeholder.
        #[test]
        fn drafts_are_the_original_with_spans_replaced(text in "(\\PC|[ｶﾞﾟ\u{3099}\u{0301}０-９ー－@.・]|課長|さん|税務|\\s){0,60}") {
            let masked = masker().mask(&text);
            let mut rebuilt = String::new();
            let mut at = 0;
            for span in &masked.spans {
                prop_assert!(at <= span.range.start && span.range.start < span.range.end);
                rebuilt.push_str(&text[at..span.range.start]);
                rebuilt.push_str(span.kind.placeholder());
                at = span.range.end;
            }
            rebuilt.push_str(&text[at..]);
            prop_assert_eq!(rebuilt, masked.text);
        }
    }
}
