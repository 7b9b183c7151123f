//! The scores CSV (DESIGN §7), the contract outside tools rely on: UTF-8, a
//! header, one row per group × category, unrounded numbers, empty cells for
//! hidden or undefined values, in the order the design fixes.

use crate::aggregate::model::{ScoresModel, Visibility};
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
                let row: [String; 12] = match &g.visibility {
                    Visibility::Shown(f) => {
                        let s = &f.scores[c];
                        [
                            y.clone(),
                            g.department.clone(),
                            cut.into(),
                            cut_value.into(),
                            id.to_string(),
                            s.n.to_string(),
                            number(s.score),
                            number(s.favorable),
                            number(s.delta),
                            number(s.p_value),
                            s.significant.to_string(),
                            "false".into(),
                        ]
                    }
                    Visibility::Hidden { .. } => [
                        y.clone(),
                        g.department.clone(),
                        cut.into(),
                        cut_value.into(),
                        id.to_string(),
                        String::new(),
                        String::new(),
                        String::new(),
                        String::new(),
                        String::new(),
                        "false".into(),
                        "true".into(),
                    ],
                };
                let _ = w.write_record(&row);
            }
        }
    }
    w.into_inner().unwrap_or_default()
}
