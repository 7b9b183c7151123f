//! The scores CSV (DESIGN §7), the contract outside tools rely on: UTF-8, a
//! header, one row per group × category, unrounded numbers, empty cells for
//! hidden groups, withheld or undefined values, in the order the design fixes.

use crate::aggregate::model::ScoresModel;
use crate::config::plan::OVERALL;

/// The header row.
pub const HEADER: [&str; 12] = [
    "year",
    "department",
    "cut",
    "cut_value",
    "category",
    "n",
    "score",
    "favorable",
    "delta",
    "p_value",
    "significant",
    "suppressed",
];

/// Formats an optional number with full precision (the shortest text that reads back exactly).
fn number(v: Option<f64>) -> String {
    match v {
        Some(v) if v.is_finite() => format!("{v}"),
        _ => String::new(),
    }
}

/// Renders the scores CSV of the model's years.
pub fn render(model: &ScoresModel) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    let _ = w.write_record(HEADER);
    let categories: Vec<&str> = model.categories.iter().map(|c| c.id.as_str()).chain([OVERALL]).collect();
    for year in &model.years {
        let y = year.year.0.to_string();
        for g in &year.groups {
            let cut = g.cut.as_deref().unwrap_or("");
            let cut_value = g.cut_value.as_deref().unwrap_or("");
            for (c, id) in categories.iter().enumerate() {
                let mut row: Vec<String> =
                    vec![y.clone(), g.department.clone(), cut.into(), cut_value.into(), id.to_string()];
                // A hidden group or a withheld value has no number in the model.
                match g.score(c) {
                    Some(s) => {
                        let change = s.change.as_ref();
                        row.extend([
                            s.n.to_string(),
                            number(Some(s.score)),
                            number(s.favorable),
                            number(change.map(|c| c.delta)),
                            number(change.and_then(|c| c.p_value)),
                            change.is_some_and(|c| c.significant).to_string(),
                            "false".into(),
                        ]);
                    }
                    None => row.extend(["", "", "", "", "", "false", "true"].map(String::from)),
                }
                let _ = w.write_record(&row);
            }
        }
    }
    w.into_inner().unwrap_or_default()
}
