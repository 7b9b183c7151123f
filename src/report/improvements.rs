//! What improved since last year, as both reports list it: the categories
//! (and 総合) and items of a group whose change from last year is positive
//! and statistically significant (p < 0.05, Welch), only where the change
//! exists at all (the value shown in both years, DESIGN §4–5).

use serde::Serialize;

use crate::aggregate::model::{Change, Figures, ScoresModel};
use crate::report::format::{change, mark};

/// A group's improvements, formatted.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Improved {
    /// `人間関係 +3.2＊` per improved category (総合 last).
    pub categories: Vec<String>,
    /// `Q12 上司とのコミュニケーションは円滑である +6.1＊`, the largest first.
    pub items: Vec<String>,
    /// Whether any value of the group could be compared with last year.
    pub comparable: bool,
}

impl Improved {
    /// Whether nothing improved significantly.
    pub fn is_empty(&self) -> bool {
        self.categories.is_empty() && self.items.is_empty()
    }
}

fn up(c: &Change) -> bool {
    c.significant && c.delta > 0.0
}

/// The improvements of one shown group; at most `max_items` items.
pub fn improved(model: &ScoresModel, f: &Figures, max_items: usize) -> Improved {
    let names = model.categories.iter().map(|c| c.name.as_str()).chain(["総合"]);
    let changes: Vec<Option<Change>> = f.scores.iter().map(|s| s.visibility.shown().and_then(|v| v.change)).collect();
    let categories = names
        .zip(&changes)
        .filter_map(|(name, c)| c.filter(up).map(|c| format!("{name} {}{}", change(Some(c.delta)), mark(true))))
        .collect();
    let mut items: Vec<(f64, String)> = f
        .items
        .iter()
        .filter_map(|b| b.visibility.shown())
        .flatten()
        .filter_map(|it| {
            let c = it.change.filter(up)?;
            let info = model.items.iter().find(|i| i.id == it.item)?;
            let reversed = if info.reverse { "（逆転）" } else { "" };
            Some((c.delta, format!("{} {}{reversed} {}{}", info.id, info.text, change(Some(c.delta)), mark(true))))
        })
        .collect();
    items.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    Improved {
        categories,
        items: items.into_iter().take(max_items).map(|(_, s)| s).collect(),
        comparable: changes.iter().any(Option::is_some),
    }
}
