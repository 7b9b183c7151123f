//! How numbers read in the reports: one decimal, `▲` for a fall (as Japanese
//! public documents write it), `＊` for a significant change, `—` for nothing.

/// Shown where there is no value.
pub const NONE: &str = "—";

/// A score or rate with one decimal: `63.5`.
pub fn one(v: Option<f64>) -> String {
    match v {
        Some(v) if v.is_finite() => format!("{v:.1}"),
        _ => NONE.to_string(),
    }
}

/// A percentage with one decimal: `84.6%`.
pub fn percent(v: Option<f64>) -> String {
    match v {
        Some(v) if v.is_finite() => format!("{v:.1}%"),
        _ => NONE.to_string(),
    }
}

/// A change with one decimal: `+1.4`, `▲0.3`, `±0.0`.
pub fn change(v: Option<f64>) -> String {
    match v {
        Some(v) if v.is_finite() => {
            let rounded = format!("{:.1}", v.abs());
            if rounded == "0.0" {
                "±0.0".to_string()
            } else if v > 0.0 {
                format!("+{rounded}")
            } else {
                format!("▲{rounded}")
            }
        }
        _ => NONE.to_string(),
    }
}

/// The significance mark of a change.
pub fn mark(significant: bool) -> &'static str {
    if significant { "＊" } else { "" }
}

/// A count with thousands separators: `1,028`.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A ratio (0.48) as a percentage: `48.6%`.
pub fn ratio(v: Option<f64>) -> String {
    percent(v.map(|r| r * 100.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_japanese_reports_write_them() {
        assert_eq!(one(Some(63.456)), "63.5");
        assert_eq!(one(None), "—");
        assert_eq!(percent(Some(84.61)), "84.6%");
        assert_eq!(change(Some(1.36)), "+1.4");
        assert_eq!(change(Some(-0.31)), "▲0.3");
        assert_eq!(change(Some(-0.04)), "±0.0");
        assert_eq!(count(1028), "1,028");
        assert_eq!(count(1_000_000), "1,000,000");
        assert_eq!(count(999), "999");
        assert_eq!(ratio(Some(0.4861)), "48.6%");
    }
}
