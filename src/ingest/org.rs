//! Reading org.csv: the departments of each fiscal year, their tree,
//! headcounts and the codes of last year each one continues (組織改編).
//!
//! [`read_org`] reads and validates the file (unknown parent, cycles, a code
//! twice in a year, previous_codes naming nothing last year, …) and hands on a
//! `config::org::Org`.

use std::collections::{BTreeMap, HashMap};

use crate::config::org::{Department, ORG_COLUMNS, Org, OrgYear};
use crate::config::year::FiscalYear;
use crate::ingest::small_csv;
use crate::problem::{Place, Problems};
use crate::text::parse_number;

/// Reads and validates org.csv bytes; `file` names it in problems.
pub fn read_org(file: &str, bytes: &[u8]) -> Result<Org, Problems> {
    let mut problems = Problems::default();
    let Some(table) = small_csv::read(file, bytes, &ORG_COLUMNS, &mut problems) else {
        return Err(problems);
    };
    struct Raw {
        row: usize,
        year: FiscalYear,
        code: String,
        name: String,
        parent: String,
        headcount: u32,
        previous: Vec<String>,
    }
    let mut raws: Vec<Raw> = Vec::new();
    for (row, record) in &table.rows {
        let row = *row;
        let get = |name: &str| table.get(record, name);
        let at = |name: &str| Place::Row { file: file.into(), row, column: Some(name.to_string()) };
        let year = match get("year").parse::<FiscalYear>() {
            Ok(y) => Some(y),
            Err(e) => {
                problems.error(at("year"), e.to_string());
                None
            }
        };
        let code = get("code");
        if code.is_empty() {
            problems.error(at("code"), "所属コードが空です");
        }
        let name = get("name");
        if name.is_empty() {
            problems.error(at("name"), "所属名が空です");
        }
        let headcount_text = get("headcount");
        let headcount = match parse_number(&headcount_text) {
            Some(v) if v >= 0.0 && v.fract() == 0.0 && v <= f64::from(u32::MAX) => Some(v as u32),
            _ => {
                problems.error(at("headcount"), format!("職員数「{headcount_text}」は0以上の整数にしてください"));
                None
            }
        };
        let previous: Vec<String> =
            get("previous_codes").split([';', '；']).map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
        if let (Some(year), Some(headcount)) = (year, headcount)
            && !code.is_empty()
            && !name.is_empty()
        {
            raws.push(Raw { row, year, code, name, parent: get("parent"), headcount, previous });
        }
    }
    if raws.is_empty() && problems.is_clean() {
        problems.error(Place::File(file.to_string()), "所属が一行もありません");
    }

    // Codes per year, in file order.
    let mut by_year: BTreeMap<FiscalYear, Vec<&Raw>> = BTreeMap::new();
    for raw in &raws {
        by_year.entry(raw.year).or_default().push(raw);
    }
    let mut org = Org::default();
    for (&year, rows) in &by_year {
        let mut index: HashMap<&str, usize> = HashMap::new();
        let mut kept: Vec<&Raw> = Vec::new();
        for raw in rows {
            if let Some(&first) = index.get(raw.code.as_str()) {
                problems.error(
                    Place::Row { file: file.into(), row: raw.row, column: Some("code".into()) },
                    format!(
                        "所属コード「{}」が{}に二度あります（{}行目にもあります）",
                        raw.code,
                        year.era(),
                        kept[first].row
                    ),
                );
                continue;
            }
            index.insert(raw.code.as_str(), kept.len());
            kept.push(raw);
        }
        let mut departments = Vec::new();
        for raw in &kept {
            let parent = if raw.parent.is_empty() {
                None
            } else {
                match index.get(raw.parent.as_str()) {
                    Some(&p) => Some(p),
                    None => {
                        problems.error(
                            Place::Row { file: file.into(), row: raw.row, column: Some("parent".into()) },
                            format!("親の所属コード「{}」は{}の所属にありません", raw.parent, year.era()),
                        );
                        None
                    }
                }
            };
            departments.push(Department {
                code: raw.code.clone(),
                name: raw.name.clone(),
                parent,
                headcount: raw.headcount,
                previous_codes: raw.previous.clone(),
            });
        }
        // Cycles: walking up from any department must reach a root.
        let mut in_cycle = vec![false; departments.len()];
        for (start, cycle) in in_cycle.iter_mut().enumerate() {
            let mut seen = vec![start];
            let mut i = start;
            while let Some(p) = departments[i].parent {
                if p == start {
                    *cycle = true;
                    break;
                }
                if seen.contains(&p) {
                    break;
                }
                seen.push(p);
                i = p;
            }
        }
        for (i, raw) in kept.iter().enumerate() {
            if in_cycle[i] {
                problems.error(
                    Place::Row { file: file.into(), row: raw.row, column: Some("parent".into()) },
                    format!("所属「{}」の親をたどると自分に戻ります（親子関係が循環しています）", raw.code),
                );
                departments[i].parent = None;
            }
        }
        org.years.insert(year, OrgYear::new(year, departments));
        let _ = kept;
    }
    // previous_codes must name departments of the year before.
    for raw in &raws {
        if raw.previous.is_empty() {
            continue;
        }
        let prev_year = raw.year.previous();
        let at = Place::Row { file: file.into(), row: raw.row, column: Some("previous_codes".into()) };
        match org.years.get(&prev_year) {
            None => problems.error(
                at,
                format!("previous_codes がありますが、前年度（{}）の所属が org.csv にありません", prev_year.era()),
            ),
            Some(prev) => {
                for code in &raw.previous {
                    if prev.find(code).is_none() {
                        problems.error(
                            at.clone(),
                            format!("previous_codes の「{code}」は前年度（{}）の所属にありません", prev_year.era()),
                        );
                    }
                }
            }
        }
    }
    if problems.is_clean() { Ok(org) } else { Err(problems) }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "year,code,name,parent,headcount,previous_codes
2023,100,総務部,,3,
2023,110,総務課,100,12,
2023,120,人事課,100,8,
2024,100,総務部,,3,
2024,115,総務人事課,100,18,110;120
";

    #[test]
    fn builds_the_tree_and_predecessors() {
        let org = read_org("org.csv", GOOD.as_bytes()).unwrap();
        let y23 = org.year(FiscalYear(2023)).unwrap();
        assert_eq!(y23.roots(), vec![0]);
        assert_eq!(y23.subtree(0), vec![0, 1, 2]);
        assert_eq!(y23.subtree_headcount(0), 23);
        assert_eq!(y23.path_name(2), "総務部 人事課");
        assert_eq!(org.predecessors(FiscalYear(2024), "115"), vec!["110", "120"]);
        assert_eq!(org.predecessors(FiscalYear(2024), "100"), vec!["100"]);
        assert!(org.predecessors(FiscalYear(2023), "100").is_empty());
    }

    fn errors(text: &str) -> Vec<String> {
        read_org("org.csv", text.as_bytes()).unwrap_err().errors.iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn reports_each_kind_of_problem_with_its_row() {
        let text = "year,code,name,parent,headcount,previous_codes
2024,100,総務部,,3,
2024,110,総務課,999,12,
2024,100,重複部,,1,
2024,200,A部,210,1,
2024,210,B課,200,1,
2024,300,C課,,x,
2025,100,総務部,,3,777
";
        let got = errors(text);
        assert_eq!(
            got,
            vec![
                "org.csv:7 列「headcount」: 職員数「x」は0以上の整数にしてください",
                "org.csv:4 列「code」: 所属コード「100」が令和6年度に二度あります（2行目にもあります）",
                "org.csv:3 列「parent」: 親の所属コード「999」は令和6年度の所属にありません",
                "org.csv:5 列「parent」: 所属「200」の親をたどると自分に戻ります（親子関係が循環しています）",
                "org.csv:6 列「parent」: 所属「210」の親をたどると自分に戻ります（親子関係が循環しています）",
                "org.csv:8 列「previous_codes」: previous_codes の「777」は前年度（令和6年度）の所属にありません",
            ]
        );
    }

    #[test]
    fn reports_missing_columns_and_empty_files() {
        assert_eq!(
            errors(""),
            vec!["org.csv: ファイルが空です（見出し行 year,code,name,parent,headcount,previous_codes が必要です）"]
        );
        let got = errors("year,code,name,parent\n2024,1,a,,\n");
        assert_eq!(got.len(), 2);
        assert!(got[0].starts_with("org.csv:1: 必須の列「headcount」がありません"), "{got:?}");
    }
}
