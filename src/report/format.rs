//! How numbers read in the reports: one decimal, `▲` for a fall (as Japanese
//! public documents write it), `＊` for a significant change, `—` for nothing;
//! a value that misses a line it would seem to meet at one decimal gets two
//! (`Progress::value_decimals` says when), and 進捗率 is whole percent.

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

/// A number from plan.toml (a baseline or target) as written, with at least
/// one decimal: `65.0`, `2.6`, `62.28` (never rounded to look like another).
pub fn plan_number(v: f64) -> String {
    if !v.is_finite() {
        NONE.to_string()
    } else if format!("{v:.1}").parse::<f64>() == Ok(v) {
        format!("{v:.1}")
    } else {
        v.to_string()
    }
}

/// `v` with `decimals` decimals; at two, a value that would still print as
/// `line` is cut toward its own side (64.996 against 65 reads `64.99`).
pub fn apart(v: f64, decimals: usize, line: f64) -> String {
    let text = format!("{v:.decimals$}");
    if decimals < 2 || text != format!("{line:.decimals$}") {
        return text;
    }
    let cut = if v < line { (v * 100.0).floor() } else { (v * 100.0).ceil() } / 100.0;
    format!("{cut:.2}")
}

/// A value printed beside a line (a target or this year's 目安): one decimal,
/// or two where it is not the line yet would print as it (64.96 beside 65
/// reads 64.96, never 65.0; DESIGN §6).
pub fn beside(v: f64, line: Option<f64>) -> String {
    match line.filter(|t| t.is_finite()) {
        Some(t) if v != t && format!("{v:.1}") == format!("{t:.1}") => apart(v, 2, t),
        _ => one(Some(v)),
    }
}

/// 進捗率 in whole percent: `97%`, `140%`, `▲12%` below the baseline. A goal
/// short of its target never reads `100%`.
pub fn progress_percent(r: Option<f64>) -> String {
    match r {
        Some(r) if r.is_finite() => {
            let mut p = (r * 100.0).round() as i64;
            if r < 1.0 && p >= 100 {
                p = 99;
            }
            if p < 0 { format!("▲{}%", -p) } else { format!("{p}%") }
        }
        _ => NONE.to_string(),
    }
}

/// The unit of a difference: percentage points for a rate, else the unit itself.
fn difference_unit(unit: &str) -> &str {
    if unit == "%" { "ポイント" } else { unit }
}

/// The margin of a floor goal, value − floor, as the reports print it:
/// `目標値を1.1ポイント上回る`, `目標値を0.04点下回る`, `目標値と同じ`. A
/// margin that rounds to nothing at one decimal gets two; one that rounds to
/// nothing at two is said to be less than 0.01.
pub fn margin(m: Option<f64>, unit: &str) -> String {
    let Some(m) = m.filter(|m| m.is_finite()) else { return NONE.to_string() };
    let unit = difference_unit(unit);
    if m == 0.0 {
        return "目標値と同じ".to_string();
    }
    let way = if m > 0.0 { "上回る" } else { "下回る" };
    let size = m.abs();
    let amount = if unit == "人" && size.fract() == 0.0 {
        count(size as u64)
    } else if format!("{size:.1}") != "0.0" {
        format!("{size:.1}")
    } else if format!("{size:.2}") != "0.00" {
        format!("{size:.2}")
    } else {
        return format!("目標値をわずかに（0.01{unit}未満）{way}");
    };
    format!("目標値を{amount}{unit}{way}")
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

    #[test]
    fn two_decimals_that_would_still_read_as_the_line_are_cut_toward_the_values_side() {
        assert_eq!(apart(64.96, 2, 65.0), "64.96");
        assert_eq!(apart(64.4, 1, 65.0), "64.4");
        assert_eq!(apart(7.04, 2, 7.0), "7.04");
        assert_eq!(apart(64.996, 2, 65.0), "64.99");
        assert_eq!(apart(7.002, 2, 7.0), "7.01");
        assert_eq!(beside(58.96, Some(59.0)), "58.96");
        assert_eq!(beside(59.0, Some(59.0)), "59.0");
        assert_eq!(beside(58.9, Some(59.0)), "58.9");
        assert_eq!(beside(58.96, None), "59.0");
    }

    #[test]
    fn plan_numbers_keep_their_decimals() {
        assert_eq!(plan_number(65.0), "65.0");
        assert_eq!(plan_number(2.6), "2.6");
        assert_eq!(plan_number(62.28), "62.28");
    }

    #[test]
    fn progress_is_whole_percent_and_never_reads_reached_short_of_it() {
        assert_eq!(progress_percent(Some(0.972)), "97%");
        assert_eq!(progress_percent(Some(1.4)), "140%");
        assert_eq!(progress_percent(Some(1.0)), "100%");
        assert_eq!(progress_percent(Some(0.996)), "99%");
        assert_eq!(progress_percent(Some(-0.123)), "▲12%");
        assert_eq!(progress_percent(Some(-0.001)), "0%");
        assert_eq!(progress_percent(None), "—");
    }

    #[test]
    fn a_floors_margin_reads_in_its_unit() {
        assert_eq!(margin(Some(1.1), "%"), "目標値を1.1ポイント上回る");
        assert_eq!(margin(Some(-1.8), "点"), "目標値を1.8点下回る");
        assert_eq!(margin(Some(-0.04), "点"), "目標値を0.04点下回る");
        assert_eq!(margin(Some(0.0), "点"), "目標値と同じ");
        assert_eq!(margin(Some(-0.001), "%"), "目標値をわずかに（0.01ポイント未満）下回る");
        assert_eq!(margin(Some(3.0), "人"), "目標値を3人上回る");
        assert_eq!(margin(None, "点"), "—");
    }
}
