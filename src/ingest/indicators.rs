//! indicators.csv: yearly values of the plan's other KPIs (`year,indicator,value`).

use std::collections::{BTreeMap, HashMap};

use crate::config::plan::Plan;
use crate::config::year::FiscalYear;
use crate::ingest::small_csv;
use crate::problem::{Place, Problems};
use crate::text::parse_number;

/// Value of each indicator id per fiscal year.
pub type Indicators = BTreeMap<String, BTreeMap<FiscalYear, f64>>;

/// Reads and checks indicators.csv against the plan's indicator ids.
pub fn read_indicators(file: &str, bytes: &[u8], plan: Option<&Plan>, problems: &mut Problems) -> Indicators {
    let mut out = Indicators::new();
    let Some(table) = small_csv::read(file, bytes, &["year", "indicator", "value"], problems) else {
        return out;
    };
    let mut first_row: HashMap<(String, FiscalYear), usize> = HashMap::new();
    for (row, record) in &table.rows {
        let row = *row;
        let at = |c: &str| Place::Row { file: file.into(), row, column: Some(c.to_string()) };
        let get = |c: &str| table.get(record, c);
        let year = match get("year").parse::<FiscalYear>() {
            Ok(y) => Some(y),
            Err(e) => {
                problems.error(at("year"), e.to_string());
                None
            }
        };
        let id = get("indicator");
        if let Some(plan) = plan
            && !plan.indicators.iter().any(|g| g.id == id)
        {
            let known: Vec<&str> = plan.indicators.iter().map(|g| g.id.as_str()).collect();
            problems.error(
                at("indicator"),
                format!("指標「{id}」は plan.toml の indicators にありません（あるID: {}）", known.join("、")),
            );
            continue;
        }
        let text = get("value");
        let value = match parse_number(&text.replace([',', '%'], "")) {
            Some(v) => Some(v),
            None => {
                problems.error(at("value"), format!("値「{text}」は数値として読めません"));
                None
            }
        };
        if let (Some(year), Some(value)) = (year, value) {
            if let Some(first) = first_row.insert((id.clone(), year), row) {
                problems.error(
                    at("indicator"),
                    format!("指標「{id}」の{}の値が二度あります（{first}行目にもあります）", year.era()),
                );
                continue;
            }
            out.entry(id).or_default().insert(year, value);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_values_and_reports_bad_rows() {
        let text = "year,indicator,value\nR6,annual_leave_days,12.5\n2024,annual_leave_days,13\nR7,nope,1\nR7,annual_leave_days,x\n";
        let mut problems = Problems::default();
        let got = read_indicators("indicators.csv", text.as_bytes(), None, &mut problems);
        assert_eq!(got["annual_leave_days"][&FiscalYear(2024)], 12.5);
        let messages: Vec<String> = problems.errors.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            messages,
            vec![
                "indicators.csv:3 列「indicator」: 指標「annual_leave_days」の令和6年度の値が二度あります（2行目にもあります）",
                "indicators.csv:5 列「value」: 値「x」は数値として読めません",
            ]
        );
    }
}
