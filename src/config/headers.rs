//! What survey.toml's questions and columns share: a column named by one
//! header or a list of them, and the form of an id. A leaf of `config`, so
//! that `survey` and `comments` both use it without using each other.

use serde::Deserialize;

/// One header, or a list of headers any of which names the column (the first
/// that a file has is used, so each file may use a different one).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum HeadersFile {
    /// `department = "所属コード"`.
    One(String),
    /// `department = ["所属コード", "所属", "所属名"]`.
    Many(Vec<String>),
}

impl HeadersFile {
    /// Returns the headers, trimmed, without empty ones.
    pub fn list(&self) -> Vec<String> {
        let all: Vec<&String> = match self {
            HeadersFile::One(h) => vec![h],
            HeadersFile::Many(hs) => hs.iter().collect(),
        };
        all.into_iter().map(|h| h.trim().to_string()).filter(|h| !h.is_empty()).collect()
    }
}

/// Whether an id is plain: ASCII letters, digits, `_` and `-`.
pub fn is_plain_id(id: &str) -> bool {
    !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}
