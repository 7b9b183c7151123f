//! Text as users write it: full-width forms folded, labels normalised for
//! comparison, numbers read in half- or full-width digits. A leaf module: the
//! configuration and the readers of inputs both use it, and it uses neither.

use unicode_normalization::UnicodeNormalization;

/// Turns full-width ASCII (`Ｒ６`, `２０２４`) into half-width so every form parses alike.
pub fn fold_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect()
}

/// Normalises a label for comparison: NFKC (full-width ASCII to half-width,
/// half-width katakana to full-width), katakana as hiragana, no whitespace,
/// one kind of wave dash, ASCII lower case.
pub fn normalize(s: &str) -> String {
    // NFKC first: half-width katakana (ｿｳ思う) and other compatibility forms.
    s.nfkc()
        .filter_map(|c| {
            let c = match c {
                '\u{301C}' | '\u{2053}' => '~',
                // Katakana as hiragana: ｿｳ思う (NFKC: ソウ思う) reads as そう思う.
                '\u{30A1}'..='\u{30F6}' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
                _ => c,
            };
            if c.is_whitespace() { None } else { Some(c.to_ascii_lowercase()) }
        })
        .collect()
}

/// Parses a whole number written with half- or full-width digits (`5`, `５`, `5.0`).
pub fn parse_number(text: &str) -> Option<f64> {
    let half = fold_width(text.trim());
    if half.is_empty() || !half.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+')) {
        return None;
    }
    half.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Splits `5：そう思う` (or `5. そう思う`, `（5）そう思う`) into its number and
/// its label as written.
pub fn numbered(text: &str) -> Option<(i64, &str)> {
    let text = text.trim_start_matches(['(', '（', '[', '［']);
    let digits = text.find(|c: char| !(c.is_ascii_digit() || ('０'..='９').contains(&c))).unwrap_or(text.len());
    if digits == 0 {
        return None;
    }
    let number: i64 = text[..digits].nfkc().collect::<String>().parse().ok()?;
    let label = text[digits..].trim_start_matches(|c: char| c.is_whitespace() || ":：.．、,，)）]］-－_".contains(c));
    (!label.is_empty()).then_some((number, label))
}

/// Joins the first `max` of `names` with 「、」, and says how many more there
/// are (「ほか3件」 with `unit` 件) when there are more.
pub fn first_few(names: &[String], max: usize, unit: &str) -> String {
    let mut shown: Vec<String> = names.iter().take(max).cloned().collect();
    if names.len() > max {
        shown.push(format!("ほか{}{unit}", names.len() - max));
    }
    shown.join("、")
}
