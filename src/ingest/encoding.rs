//! Decoding text files: UTF-8 with or without BOM, or Shift_JIS / CP932 as
//! Windows Excel writes CSV, detected without a flag.
//!
//! Strict UTF-8 is tried first: real CP932 Japanese is practically never valid
//! UTF-8, while UTF-8 can sometimes pass as CP932. Bytes that are neither are
//! an error rather than silently replaced characters.

use std::borrow::Cow;

use encoding_rs::{Encoding, SHIFT_JIS, UTF_8};

/// The encoding a file was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    /// UTF-8 without BOM (also plain ASCII).
    Utf8,
    /// UTF-8 with BOM, as Excel's "CSV UTF-8" writes.
    Utf8Bom,
    /// Shift_JIS / CP932 (Windows-31J).
    Cp932,
    /// UTF-16 with BOM, as Excel's "Unicode text" writes.
    Utf16,
}

impl TextEncoding {
    /// Returns the name shown to users.
    pub fn label(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf8Bom => "UTF-8（BOM付き）",
            TextEncoding::Cp932 => "Shift_JIS（CP932）",
            TextEncoding::Utf16 => "UTF-16",
        }
    }
}

/// Why bytes could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// Byte offset of the first byte that is neither UTF-8 nor CP932.
    pub offset: usize,
    /// 1-based line of that byte.
    pub line: usize,
}

impl DecodeError {
    /// Returns the Japanese message.
    pub fn message(&self) -> String {
        format!(
            "{}行目（先頭から{}バイト目）に UTF-8 としても Shift_JIS（CP932）としても読めない文字があります。UTF-8 か Shift_JIS で保存し直してください",
            self.line,
            self.offset + 1
        )
    }
}

/// Decodes a whole file; borrows when the bytes are already UTF-8 without BOM.
pub fn decode(bytes: &[u8]) -> Result<(Cow<'_, str>, TextEncoding), DecodeError> {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let body = &bytes[bom_len..];
        if enc == UTF_8 {
            return match simdutf8::compat::from_utf8(body) {
                Ok(s) => Ok((Cow::Borrowed(s), TextEncoding::Utf8Bom)),
                Err(e) => Err(error_at(bytes, bom_len + e.valid_up_to())),
            };
        }
        let (text, bad) = enc.decode_without_bom_handling(body);
        if bad {
            return Err(error_at(bytes, bom_len));
        }
        return Ok((Cow::Owned(text.into_owned()), TextEncoding::Utf16));
    }
    // simdutf8 validates large exports an order of magnitude faster than std.
    let utf8_err = match simdutf8::compat::from_utf8(bytes) {
        Ok(s) => return Ok((Cow::Borrowed(s), TextEncoding::Utf8)),
        Err(e) => e,
    };
    let mut decoder = SHIFT_JIS.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(bytes.len() * 3 / 2 + 16);
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut out, true);
    match result {
        encoding_rs::DecoderResult::InputEmpty => Ok((Cow::Owned(out), TextEncoding::Cp932)),
        encoding_rs::DecoderResult::Malformed(len, _) => {
            // The decoder has consumed the malformed bytes; point at their start.
            let sjis_bad = read.saturating_sub(len as usize);
            // Report whichever reading got further: it is the likelier intended encoding.
            Err(error_at(bytes, sjis_bad.max(utf8_err.valid_up_to())))
        }
        encoding_rs::DecoderResult::OutputFull => Err(error_at(bytes, read)),
    }
}

fn error_at(bytes: &[u8], offset: usize) -> DecodeError {
    let offset = offset.min(bytes.len());
    let line = bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
    DecodeError { offset, line }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_utf8_bom_and_cp932() {
        let text = "所属コード,Q01\n0101,そう思う\n";
        let (s, e) = decode(text.as_bytes()).unwrap();
        assert_eq!((s.as_ref(), e), (text, TextEncoding::Utf8));

        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(text.as_bytes());
        let (s, e) = decode(&bom).unwrap();
        assert_eq!((s.as_ref(), e), (text, TextEncoding::Utf8Bom));

        let (sjis, _, _) = SHIFT_JIS.encode(text);
        let (s, e) = decode(&sjis).unwrap();
        assert_eq!((s.as_ref(), e), (text, TextEncoding::Cp932));

        // CP932 extensions: NEC row 13 and IBM extensions.
        let (sjis, _, bad) = SHIFT_JIS.encode("①髙～");
        assert!(!bad);
        assert_eq!(decode(&sjis).unwrap().0, "①髙～");
    }

    #[test]
    fn rejects_bytes_that_are_neither() {
        let bytes = b"a,b\n1,2\n\x82\xa0\xff\xfe\n";
        let err = decode(bytes).unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.message().starts_with("3行目"));
    }
}
