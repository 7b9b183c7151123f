//! The date an output carries (a report's cover, a PDF's or workbook's
//! metadata): `--date`, else `SOURCE_DATE_EPOCH`, else today in Japan. Nothing
//! else in an output depends on the clock, so identical inputs on the same
//! date give identical bytes.

use std::fmt;

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    /// Year.
    pub year: i32,
    /// Month 1–12.
    pub month: u32,
    /// Day 1–31.
    pub day: u32,
}

/// Japan Standard Time offset in seconds.
const JST: i64 = 9 * 3600;

impl Date {
    /// Returns the date of a Unix time in Japan.
    pub fn from_unix(secs: i64) -> Date {
        let days = (secs + JST).div_euclid(86_400);
        civil_from_days(days)
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Date> {
        let mut it = s.trim().split(['-', '/']);
        let year: i32 = it.next()?.parse().ok()?;
        let month: u32 = it.next()?.parse().ok()?;
        let day: u32 = it.next()?.parse().ok()?;
        if it.next().is_some() || !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Returns `令和7年11月25日`.
    pub fn japanese(&self) -> String {
        let era = if self.year >= 2019 {
            match self.year - 2018 {
                1 => "令和元".to_string(),
                n => format!("令和{n}"),
            }
        } else {
            format!("平成{}", self.year - 1988)
        };
        format!("{era}年{}月{}日", self.month, self.day)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// Converts days since 1970-01-01 to a civil date (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> Date {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    Date { year, month, day }
}

/// Returns the date outputs carry: `explicit` (from `--date`), else
/// `SOURCE_DATE_EPOCH`, else today in Japan.
pub fn output_date(explicit: Option<&str>) -> Result<Date, String> {
    if let Some(s) = explicit {
        return Date::parse(s).ok_or_else(|| format!("日付「{s}」は YYYY-MM-DD の形で書いてください"));
    }
    if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
        let secs: i64 = epoch
            .trim()
            .parse()
            .map_err(|_| format!("環境変数 SOURCE_DATE_EPOCH「{epoch}」は秒数（整数）にしてください"))?;
        return Ok(Date::from_unix(secs));
    }
    let now =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
    Ok(Date::from_unix(now))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_unix_time_to_the_date_in_japan() {
        assert_eq!(Date::from_unix(0), Date { year: 1970, month: 1, day: 1 });
        // 2025-03-31 15:00 UTC is 2025-04-01 00:00 in Japan.
        assert_eq!(Date::from_unix(1_743_433_200), Date { year: 2025, month: 4, day: 1 });
        assert_eq!(Date::from_unix(951_782_400), Date { year: 2000, month: 2, day: 29 });
    }

    #[test]
    fn parses_and_prints() {
        let d = Date::parse("2026-02-10").unwrap();
        assert_eq!(d.japanese(), "令和8年2月10日");
        assert_eq!(d.to_string(), "2026-02-10");
        assert_eq!(Date::parse("2026-02-30"), None);
        assert_eq!(Date::parse("2019/5/1").unwrap().japanese(), "令和元年5月1日");
    }
}
