//! What changed since last year, as both reports list it: the categories
//! (and 総合) and items of a group whose change from last year is
//! significant after the Benjamini–Hochberg adjustment within its family
//! (DESIGN §10), rises and falls alike, only where the change exists at all
//! (the value shown in both years, DESIGN §4–5).

use serde::Serialize;

use crate::aggregate::model::{Change, Figures, ScoresModel};
use crate::report::format::{change, mark};

/// A group's significant changes one way, formatted.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Moved {
    /// `人間関係 +3.2＊` per category (総合 last).
    pub categories: Vec<String>,
    /// `Q12 上司とのコミュニケーションは円滑である +6.1＊`, the largest change first.
    pub items: Vec<String>,
}

/// A group's significant changes since last year, both ways.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Changes {
    /// What rose (前年度から改善した点).
    pub improved: Moved,
    /// What fell (前年度から低下した点).
    pub declined: Moved,
    /// Whether any value of the group could be compared with last year.
    pub comparable: bool,
}

/// The changes of one shown group that pass `keep` (a rise or a fall); at
/// most `max_items` items.
fn moved(model: &ScoresModel, f: &Figures, max_items: usize, keep: fn(&Change) -> bool) -> Moved {
    let names = model.categories.iter().map(|c| c.name.as_str()).chain(["総合"]);
    let changes = f.scores.iter().map(|s| s.visibility.shown().and_then(|v| v.change));
    let categories = names
        .zip(changes)
        .filter_map(|(name, c)| c.filter(keep).map(|c| format!("{name} {}{}", change(Some(c.delta)), mark(true))))
        .collect();
    let mut items: Vec<(f64, String)> = f
        .items
        .iter()
        .filter_map(|b| b.visibility.shown())
        .flatten()
        .filter_map(|it| {
            let c = it.change.filter(keep)?;
            let info = model.items.iter().find(|i| i.id == it.item)?;
            Some((c.delta.abs(), format!("{} {} {}{}", info.id, info.label, change(Some(c.delta)), mark(true))))
        })
        .collect();
    items.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    Moved { categories, items: items.into_iter().take(max_items).map(|(_, s)| s).collect() }
}

/// The significant changes of one shown group, both ways; at most
/// `max_items` items each way.
pub fn changes(model: &ScoresModel, f: &Figures, max_items: usize) -> Changes {
    Changes {
        improved: moved(model, f, max_items, Change::rose),
        declined: moved(model, f, max_items, Change::fell),
        comparable: f.scores.iter().any(|s| s.visibility.shown().is_some_and(|v| v.change.is_some())),
    }
}
