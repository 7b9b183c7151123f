//! Staff comments (自由記述, DESIGN §8): Japanese text analysis that runs
//! offline. [`tokenize`] splits a comment into words with IPADIC's parts of
//! speech; a [`Masker`] drafts its 伏せ字案 (names, departments, places,
//! titles and contacts replaced by 〔人名〕〔所属〕〔地名〕〔役職〕〔連絡先〕) and
//! lists its keywords ([`Masker::analyse`]). [`review`] builds what the
//! comments workbook shows of one year; [`approved`] reads back what HR
//! approved in it (the one file read here), and [`summary`] keeps of both
//! what the committee report may show: counts at or above §8's thresholds
//! and the approved 伏せ字案.

pub mod approved;
#[cfg(test)]
mod corpus;
pub mod mask;
pub mod review;
pub mod summary;
pub mod tokenize;
pub mod words;

pub use mask::{Analysis, MaskKind, Masked, MaskedSpan, Masker};
pub use tokenize::{AnalysisError, Token, tokenize};
pub use words::{Found, WordFinder};
