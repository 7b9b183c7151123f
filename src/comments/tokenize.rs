//! Japanese tokenising: vibrato with the IPADIC dictionary that
//! `tools/build_dictionary.sh` compiles from Debian's `mecab-ipadic` package.
//! The dictionary is embedded zstd-compressed (about 8 MB), decompressed with
//! the pure-Rust `ruzstd` and loaded once, on first use (about 0.5 s and
//! 135 MB at its peak), so commands that never read comments never pay for it. Hands on
//! [`Token`]s: a slice of the input with IPADIC's part of speech.

use std::cell::RefCell;
use std::io::Read;
use std::ops::Range;
use std::sync::OnceLock;

/// The compiled dictionary (see `assets/ipadic/SOURCE` and its licence `assets/ipadic/COPYING`).
static COMPRESSED: &[u8] = include_bytes!("../../assets/ipadic/ipadic.vibrato.zst");

static TOKENIZER: OnceLock<Result<vibrato::Tokenizer, AnalysisError>> = OnceLock::new();

thread_local! {
    // One lattice buffer per thread, reused across texts (vibrato's `Worker`).
    static WORKER: RefCell<Option<vibrato::tokenizer::worker::Worker<'static>>> = const { RefCell::new(None) };
}

/// The text analysis could not be set up: the embedded dictionary did not
/// load (a broken build), or the masking's word lists did not compile.
#[derive(Debug, Clone, thiserror::Error)]
#[error("自由記述の解析を準備できませんでした（{0}）。")]
pub struct AnalysisError(pub(super) String);

/// One word of a text, as IPADIC analyses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token<'a> {
    /// The word as written in the text.
    pub surface: &'a str,
    /// Where the word lies in the text (bytes).
    pub range: Range<usize>,
    // The first seven fields of IPADIC's feature string, split once:
    // 品詞,細分類1,細分類2,細分類3,活用型,活用形,原形 (then 読み,発音, unused).
    fields: [&'static str; 7],
}

impl Token<'_> {
    /// Returns IPADIC's part of speech (名詞, 動詞, 助詞, 記号 …).
    pub fn pos(&self) -> &'static str {
        self.field(0)
    }

    /// Returns the three subcategories, `*` where IPADIC has none
    /// (e.g. `["固有名詞", "人名", "姓"]`, `["固有名詞", "組織", "*"]`, `["固有名詞", "地域", "一般"]`).
    pub fn subcategories(&self) -> [&'static str; 3] {
        [self.field(1), self.field(2), self.field(3)]
    }

    /// Returns the dictionary form (行っ → 行く), or the surface for words the dictionary does not know.
    pub fn base_form(&self) -> &str {
        match self.field(6) {
            "" | "*" => self.surface,
            base => base,
        }
    }

    /// Says whether the word is a proper noun of the given kind: `人名`, `組織` or `地域`.
    pub fn is_proper(&self, kind: &str) -> bool {
        self.pos() == "名詞" && self.field(1) == "固有名詞" && self.field(2) == kind
    }

    fn field(&self, index: usize) -> &'static str {
        self.fields[index]
    }
}

/// Loads the embedded dictionary, once per process; later calls return at once.
pub fn load() -> Result<(), AnalysisError> {
    tokenizer().map(|_| ())
}

/// Returns the loaded tokenizer, loading it on first use.
pub(super) fn tokenizer() -> Result<&'static vibrato::Tokenizer, AnalysisError> {
    TOKENIZER
        .get_or_init(|| {
            let mut raw = Vec::new();
            ruzstd::decoding::StreamingDecoder::new(COMPRESSED)
                .map_err(|e| AnalysisError(e.to_string()))?
                .read_to_end(&mut raw)
                .map_err(|e| AnalysisError(e.to_string()))?;
            let dictionary = vibrato::Dictionary::read(raw.as_slice()).map_err(|e| AnalysisError(e.to_string()))?;
            Ok(vibrato::Tokenizer::new(dictionary))
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// Splits a text into words with their parts of speech, loading the
/// dictionary on first use. Whitespace comes back as tokens too (記号,空白),
/// so the tokens cover the whole text.
pub fn tokenize(text: &str) -> Result<Vec<Token<'_>>, AnalysisError> {
    Ok(tokenize_with(tokenizer()?, text))
}

/// Splits a text with a tokenizer already loaded (what [`tokenize`] does after loading).
pub(super) fn tokenize_with<'a>(tokenizer: &'static vibrato::Tokenizer, text: &'a str) -> Vec<Token<'a>> {
    WORKER.with(|cell| {
        let mut slot = cell.borrow_mut();
        let worker = slot.get_or_insert_with(|| tokenizer.new_worker());
        worker.reset_sentence(text);
        worker.tokenize();
        worker
            .token_iter()
            .map(|token| {
                let range = token.range_byte();
                let mut fields = [""; 7];
                for (slot, field) in fields.iter_mut().zip(token.feature().split(',')) {
                    *slot = field;
                }
                Token { surface: &text[range.clone()], range, fields }
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<(String, String)> {
        tokenize(text).unwrap().iter().map(|t| (t.surface.to_string(), t.fields.join(","))).collect()
    }

    #[test]
    fn tokens_cover_the_text_with_parts_of_speech() {
        let text = "山田さんは税務課で毎日遅くまで働いている。";
        let tokens = tokenize(text).unwrap();
        let joined: String = tokens.iter().map(|t| t.surface).collect();
        assert_eq!(joined, text);
        for t in &tokens {
            assert_eq!(&text[t.range.clone()], t.surface);
        }
        let yamada = &tokens[0];
        assert_eq!(yamada.surface, "山田");
        assert!(yamada.is_proper("人名"), "{:?}", words(text));
        assert_eq!(yamada.subcategories(), ["固有名詞", "人名", "姓"]);
        let hataraku = tokens.iter().find(|t| t.surface == "働い").unwrap();
        assert_eq!((hataraku.pos(), hataraku.base_form()), ("動詞", "働く"));
    }

    #[test]
    fn unknown_words_and_empty_text() {
        assert!(tokenize("").unwrap().is_empty());
        let tokens = tokenize("ＤＸｚｚｑ").unwrap();
        assert!(!tokens.is_empty());
        assert!(tokens.iter().all(|t| !t.base_form().is_empty()));
    }
}
