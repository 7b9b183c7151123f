//! DESIGN §5 applied to one year of the attitude survey: which splits exist,
//! and what is withheld — first whole groups (measure: rows), then each
//! category and overall on its own (measure: its n), then each item (measure:
//! its answers) with item results published per category as whole blocks.
//!
//! It hands on a [`Withholding`]: the reason, if any, of every group, every
//! category value and every item block, in the order of the year's group keys
//! (the scores CSV's row order, which also breaks ties in the rule).

use std::collections::HashMap;

use crate::aggregate::drivers::MIN_RESPONDENTS;
use crate::aggregate::model::{ALL, HiddenReason};
use crate::aggregate::scores::{GroupStats, Key, Summed};
use crate::aggregate::suppression::Layout;
use crate::config::org::OrgYear;
use crate::config::survey::Survey;
use crate::config::year::FiscalYear;

/// What is withheld in one year, per group key (in `keys` order).
#[derive(Debug, Clone, PartialEq)]
pub struct Withholding {
    /// Per group: why it is hidden.
    pub groups: Vec<Option<HiddenReason>>,
    /// Per category (then overall), per group: why the value is withheld
    /// (a hidden group's values carry the group's reason).
    pub scores: Vec<Vec<Option<HiddenReason>>>,
    /// Per category, per group: why its block of item results is withheld;
    /// empty when items were not computed.
    pub blocks: Vec<Vec<Option<HiddenReason>>>,
    /// Per group: why the block of outcome questions is withheld; empty when
    /// items were not computed or the survey has no outcome questions.
    pub outcomes: Vec<Option<HiddenReason>>,
    /// Per group: whether its driver analysis may be published — a group
    /// (whole or cut) with every category value and the outcome block
    /// shown and at least [`MIN_RESPONDENTS`] complete respondents, and not
    /// hidden by the differencing rule on those counts; empty when items were
    /// not computed or the survey has no outcome questions.
    pub drivers: Vec<bool>,
}

impl Withholding {
    /// Returns whether value `v` (a category index, or the overall index) of group `g` is shown.
    pub fn score_shown(&self, v: usize, g: usize) -> bool {
        self.scores[v][g].is_none()
    }

    /// Returns whether category `c`'s item block of group `g` is shown
    /// (false when item results were not computed).
    pub fn block_shown(&self, c: usize, g: usize) -> bool {
        self.blocks.get(c).is_some_and(|b| b[g].is_none())
    }
}

/// The parts and splits of a year: parts are first the year's groups in
/// `keys` order (printable), then each department's own respondents, whole
/// and by cut value (never printed).
pub struct YearLayout {
    /// Parts and splits.
    pub layout: Layout,
    /// The own-respondents parts, after the groups.
    pub own: Vec<Key>,
}

/// Builds the splits of DESIGN §5 for one year's groups: the organisation
/// into its top-level departments; each department into those directly
/// below it plus its own respondents; the organisation and each department
/// into the values of each demographic; and, for each demographic value, the
/// organisation's group of that value along the department tree in the same way.
pub fn year_layout(year: FiscalYear, org: &OrgYear, survey: &Survey, summed: &Summed, keys: &[Key]) -> YearLayout {
    let index: HashMap<&Key, usize> = keys.iter().enumerate().map(|(i, k)| (k, i)).collect();
    let mut printable = vec![true; keys.len()];
    let cuts: Vec<Option<(usize, String)>> = std::iter::once(None)
        .chain(
            survey
                .demographics
                .iter()
                .enumerate()
                .flat_map(|(c, d)| d.values_with_unanswered().into_iter().map(move |v| Some((c, v)))),
        )
        .collect();
    let mut own: Vec<Key> = Vec::new();
    let mut own_index: HashMap<Key, usize> = HashMap::new();
    for d in &org.departments {
        for cut in &cuts {
            let key = Key { year: year.0, group: d.code.clone(), cut: cut.clone() };
            if summed.own.get(&key).is_some_and(|s| s.rows > 0) {
                own_index.insert(key.clone(), keys.len() + own.len());
                own.push(key);
                printable.push(false);
            }
        }
    }
    let part_of = |code: &str, cut: &Option<(usize, String)>| -> Option<usize> {
        index.get(&Key { year: year.0, group: code.to_string(), cut: cut.clone() }).copied()
    };
    let mut splits: Vec<Vec<usize>> = Vec::new();
    for cut in &cuts {
        // Along the tree, whole or within one demographic value.
        splits.push(org.roots().into_iter().filter_map(|r| part_of(&org.departments[r].code, cut)).collect());
        for (i, d) in org.departments.iter().enumerate() {
            if part_of(&d.code, cut).is_none() {
                continue;
            }
            let mut split: Vec<usize> =
                org.children[i].iter().filter_map(|&c| part_of(&org.departments[c].code, cut)).collect();
            if let Some(&p) = own_index.get(&Key { year: year.0, group: d.code.clone(), cut: cut.clone() }) {
                split.push(p);
            }
            splits.push(split);
        }
    }
    // Each group by the values of each demographic.
    let codes = std::iter::once(ALL.to_string()).chain(org.departments.iter().map(|d| d.code.clone()));
    for code in codes {
        if part_of(&code, &None).is_none() {
            continue;
        }
        for (c, d) in survey.demographics.iter().enumerate() {
            splits.push(d.values_with_unanswered().into_iter().filter_map(|v| part_of(&code, &Some((c, v)))).collect());
        }
    }
    splits.retain(|s| !s.is_empty());
    YearLayout { layout: Layout::new(printable, splits), own }
}

/// Applies DESIGN §5 to one year; `items` asks for the item blocks too.
pub fn withhold(survey: &Survey, summed: &Summed, keys: &[Key], year: &YearLayout, items: bool) -> Withholding {
    let k = survey.min_group_size;
    let layout = &year.layout;
    let empty = GroupStats::default();
    let stats: Vec<&GroupStats> = keys
        .iter()
        .map(|key| summed.groups.get(key).unwrap_or(&empty))
        .chain(year.own.iter().map(|key| summed.own.get(key).unwrap_or(&empty)))
        .collect();
    let groups_n = keys.len();
    let measure = |f: &dyn Fn(&GroupStats) -> u64| -> Vec<u64> { stats.iter().map(|s| f(s)).collect() };

    // Groups, by rows.
    let rows = measure(&|s| s.rows);
    let mut groups = layout.below_k(k, &rows);
    layout.difference(k, &rows, &mut groups);

    // A value's start: hidden with its group, else withheld under k; own parts under k.
    let start = |m: &[u64]| layout.below_k_within(k, m, &groups);

    // Each category and overall on its own.
    let n_values = survey.categories.len() + 1;
    let scores: Vec<Vec<Option<HiddenReason>>> = (0..n_values)
        .map(|v| {
            let m = measure(&|s| s.categories.get(v).map_or(0, |c| c.moments.n));
            let mut hidden = start(&m);
            layout.difference(k, &m, &mut hidden);
            hidden.truncate(groups_n);
            hidden
        })
        .collect();

    let (blocks, mut outcomes) =
        if items { item_blocks(survey, layout, &stats, groups_n, &scores, &start) } else { (Vec::new(), Vec::new()) };
    // A year whose files have no outcome questions has no outcome block.
    if !stats.iter().any(|s| s.outcomes.iter().any(|o| o.n > 0.0)) {
        outcomes.clear();
    }
    let drivers = if items && !survey.outcomes.is_empty() {
        // The counts of complete respondents, under the same rule as every value.
        let m = measure(&|s| s.complete);
        let mut hidden = start(&m);
        for (g, h) in hidden.iter_mut().enumerate().take(groups_n) {
            let values_shown =
                (0..n_values).all(|v| scores[v][g].is_none()) && outcomes.get(g).is_some_and(Option::is_none);
            if h.is_none() && (m[g] < MIN_RESPONDENTS || !values_shown) {
                *h = Some(HiddenReason::TooFew);
            }
        }
        layout.difference(k, &m, &mut hidden);
        hidden.iter().take(groups_n).map(Option::is_none).collect()
    } else {
        Vec::new()
    };
    groups.truncate(groups_n);
    Withholding { groups, scores, blocks, outcomes, drivers }
}

/// Item results in blocks: an item is hidden where its category's value is,
/// where fewer than k answered it, or by the differencing rule on its
/// answers; a block is withheld as a whole as soon as one of its items is,
/// and the rule runs again until nothing changes. The outcome questions are
/// one more block, of no category. Returns the categories' blocks and the
/// outcome block (empty without outcome questions).
#[allow(clippy::type_complexity)]
fn item_blocks(
    survey: &Survey,
    layout: &Layout,
    stats: &[&GroupStats],
    groups_n: usize,
    scores: &[Vec<Option<HiddenReason>>],
    start: &dyn Fn(&[u64]) -> Vec<Option<HiddenReason>>,
) -> (Vec<Vec<Option<HiddenReason>>>, Vec<Option<HiddenReason>>) {
    let k = survey.min_group_size;
    let n_items = survey.items.len();
    // Questions: the items, then the outcome questions; blocks list their members.
    let mut measures: Vec<Vec<u64>> =
        (0..n_items).map(|i| stats.iter().map(|s| s.items.get(i).map_or(0, |it| it.n as u64)).collect()).collect();
    measures.extend(
        (0..survey.outcomes.len())
            .map(|o| stats.iter().map(|s| s.outcomes.get(o).map_or(0, |it| it.n as u64)).collect()),
    );
    let mut blocks: Vec<Vec<usize>> = survey.categories.iter().map(|c| c.items.clone()).collect();
    if !survey.outcomes.is_empty() {
        blocks.push((n_items..n_items + survey.outcomes.len()).collect());
    }
    let mut hidden: Vec<Vec<Option<HiddenReason>>> = measures
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let mut h = start(m);
            if let Some(item) = survey.items.get(i) {
                for (g, value) in scores[item.category].iter().enumerate() {
                    if h[g].is_none() && value.is_some() {
                        h[g] = *value;
                    }
                }
            }
            h
        })
        .collect();
    loop {
        let mut changed = false;
        // Whole blocks: one withheld question withholds its block's questions in that group.
        for members in &blocks {
            let withheld: Vec<bool> = (0..groups_n).map(|g| members.iter().any(|&i| hidden[i][g].is_some())).collect();
            for &i in members {
                for (h, _) in hidden[i].iter_mut().zip(&withheld).filter(|(h, w)| **w && h.is_none()) {
                    *h = Some(HiddenReason::Differencing);
                    changed = true;
                }
            }
        }
        for (i, h) in hidden.iter_mut().enumerate() {
            changed |= layout.difference(k, &measures[i], h) > 0;
        }
        if !changed {
            break;
        }
    }
    // A block's reason: too few behind one of its values, else differencing.
    let mut reasons: Vec<Vec<Option<HiddenReason>>> = blocks
        .iter()
        .enumerate()
        .map(|(b, members)| {
            (0..groups_n)
                .map(|g| {
                    let category = scores.get(b).filter(|_| b < survey.categories.len()).and_then(|v| v[g]);
                    let reasons = members.iter().filter_map(|&i| hidden[i][g]).chain(category);
                    if members.iter().all(|&i| hidden[i][g].is_none()) { None } else { reasons.min() }
                })
                .collect()
        })
        .collect();
    let outcomes = if survey.outcomes.is_empty() { Vec::new() } else { reasons.pop().unwrap_or_default() };
    (reasons, outcomes)
}
