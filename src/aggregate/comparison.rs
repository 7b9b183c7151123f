//! What the reports may call significant (DESIGN §10): each department
//! against the rest of the organisation, per category and overall and per
//! item, with Welch's t-test on the respondents' scores; and every test —
//! these and the changes from last year — adjusted by Benjamini–Hochberg
//! within its family, so ＊ means q < 0.05 everywhere.
//!
//! The test compares the department's respondents with everyone else's (the
//! organisation's sums minus the department's): the two samples share nobody,
//! and the difference printed is that one. Only values shown on both sides
//! enter (DESIGN §5).
//!
//! The families of a year: the organisation's categories and 総合; the
//! organisation's items; every department × category (and 総合) against the
//! rest of the organisation; every department × category year over year;
//! every demographic group × category year over year; and each group's own
//! items, their changes and (for a department) their comparisons with the
//! rest of the organisation together.

use std::collections::BTreeMap;

use crate::aggregate::model::{ALL, Change, CityComparison, Group, ItemScore, Published};
use crate::aggregate::scores::{Key, Summed};
use crate::aggregate::stats::{Moments, welch_p};
use crate::config::survey::Survey;

/// The false discovery rate below which a q-value is significant.
pub const FDR: f64 = 0.05;

/// Benjamini–Hochberg adjusted p-values (q-values), in the order given:
/// q₍ᵢ₎ = min over j ≥ i of m·p₍ⱼ₎/j, at most 1.
pub fn bh_adjust(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&a, &b| p[a].total_cmp(&p[b]).then(a.cmp(&b)));
    let mut q = vec![1.0; m];
    let mut running = 1.0f64;
    for (rank, &i) in order.iter().enumerate().rev() {
        running = running.min(p[i] * m as f64 / (rank + 1) as f64);
        q[i] = running.min(1.0);
    }
    q
}

/// Whether a q-value is significant.
pub fn significant(q: Option<f64>) -> bool {
    q.is_some_and(|q| q < FDR)
}

/// A family of tests that Benjamini–Hochberg adjusts together, within a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Family {
    /// The organisation's categories and 総合, year over year.
    CityValues,
    /// Every department's categories and 総合, year over year.
    DepartmentValues,
    /// Every demographic group's (the organisation's or a department's)
    /// categories and 総合, year over year.
    CutValues,
    /// One group's items (by its index): their changes from last year and,
    /// for a department, their comparisons with the rest of the
    /// organisation (one family per group, DESIGN §10).
    Items(usize),
}

impl Family {
    /// The family of a group's value changes.
    fn of_values(group: &Group) -> Family {
        match (group.cut.is_some(), group.department == ALL) {
            (true, _) => Family::CutValues,
            (false, true) => Family::CityValues,
            (false, false) => Family::DepartmentValues,
        }
    }
}

/// Where a test sits: its group, and a value's change (category or 総合),
/// an item's change, or an item's comparison with the rest of the
/// organisation (block, place in the block).
#[derive(Debug, Clone, Copy)]
enum Place {
    Value(usize, usize),
    Item(usize, usize, usize),
    ItemCity(usize, usize, usize),
}

/// Adjusts every change from last year of the year's `groups`, and every
/// item's comparison with the rest of the organisation, within its family,
/// setting each test's q-value and whether it is significant.
pub fn adjust_changes(groups: &mut [Group]) {
    let mut families: BTreeMap<Family, Vec<(Place, f64)>> = BTreeMap::new();
    for (g, group) in groups.iter().enumerate() {
        let Some(f) = group.shown() else { continue };
        for (v, score) in f.scores.iter().enumerate() {
            if let Some(p) = score.visibility.shown().and_then(|s| s.change).and_then(|c| c.p_value) {
                families.entry(Family::of_values(group)).or_default().push((Place::Value(g, v), p));
            }
        }
        for (b, block) in f.items.iter().enumerate() {
            for (i, item) in block.visibility.shown().into_iter().flatten().enumerate() {
                if let Some(p) = item.change.and_then(|c| c.p_value) {
                    families.entry(Family::Items(g)).or_default().push((Place::Item(g, b, i), p));
                }
                if let Some(p) = item.versus_city.and_then(|c| c.p_value) {
                    families.entry(Family::Items(g)).or_default().push((Place::ItemCity(g, b, i), p));
                }
            }
        }
    }
    for tests in families.values() {
        let ps: Vec<f64> = tests.iter().map(|t| t.1).collect();
        for ((place, _), q) in tests.iter().zip(bh_adjust(&ps)) {
            if let Place::ItemCity(g, b, i) = *place {
                if let Some(c) = item_at(groups, g, b, i).and_then(|it| it.versus_city.as_mut()) {
                    c.q_value = Some(q);
                    c.significant = significant(Some(q));
                }
            } else if let Some(change) = change_at(groups, *place) {
                change.q_value = Some(q);
                change.fdr_significant = significant(Some(q));
            }
        }
    }
}

fn item_at(groups: &mut [Group], g: usize, b: usize, i: usize) -> Option<&mut ItemScore> {
    let Published::Shown(f) = &mut groups.get_mut(g)?.visibility else { return None };
    match &mut f.items.get_mut(b)?.visibility {
        Published::Shown(items) => items.get_mut(i),
        Published::Withheld { .. } => None,
    }
}

fn change_at(groups: &mut [Group], place: Place) -> Option<&mut Change> {
    match place {
        Place::Value(g, v) => {
            let Published::Shown(f) = &mut groups.get_mut(g)?.visibility else { return None };
            match &mut f.scores.get_mut(v)?.visibility {
                Published::Shown(s) => s.change.as_mut(),
                Published::Withheld { .. } => None,
            }
        }
        Place::Item(g, b, i) => item_at(groups, g, b, i)?.change.as_mut(),
        Place::ItemCity(..) => None,
    }
}

fn minus(a: &Moments, b: &Moments) -> Moments {
    Moments { n: a.n.saturating_sub(b.n), sum: a.sum - b.sum, sum_sq: a.sum_sq - b.sum_sq }
}

/// One test of a department against the rest: the department's and the
/// rest's moments.
fn versus_rest(dept: &Moments, all: &Moments) -> Option<(f64, f64, Option<f64>)> {
    let rest = minus(all, dept);
    let difference = dept.mean()? - rest.mean()?;
    Some((difference, rest.mean()?, welch_p(dept, &rest)))
}

/// Adds to every shown department value (category and 総合, whole groups
/// only) its comparison with the rest of the organisation, adjusted over all
/// of them; then to every item of a shown block of a department, where the
/// organisation's block is shown too, its comparison, which
/// [`adjust_changes`] adjusts with the department's other item tests. `keys` are the year's group keys in `groups` order.
pub fn compare_with_city(groups: &mut [Group], keys: &[Key], summed: &Summed, survey: &Survey) {
    let Some(city_index) = keys.iter().position(|k| k.group == ALL && k.cut.is_none()) else { return };
    let Some(city_stats) = summed.groups.get(&keys[city_index]) else { return };
    let Some(city) = groups[city_index].shown() else { return };
    let city_values: Vec<bool> = city.scores.iter().map(|s| s.visibility.shown().is_some()).collect();
    let city_blocks: Vec<bool> = city.items.iter().map(|b| b.visibility.shown().is_some()).collect();
    // (group, value, difference, rest, p-value) of every value test that can be made.
    let mut tests: Vec<(usize, usize, f64, f64, Option<f64>)> = Vec::new();
    for (g, key) in keys.iter().enumerate() {
        if key.cut.is_some() || key.group == ALL {
            continue;
        }
        let (Some(figures), Some(stats)) = (groups[g].shown(), summed.groups.get(key)) else { continue };
        for (v, score) in figures.scores.iter().enumerate() {
            if score.visibility.shown().is_none() || city_values.get(v) != Some(&true) {
                continue;
            }
            let (Some(dept), Some(all)) = (stats.categories.get(v), city_stats.categories.get(v)) else { continue };
            if let Some((difference, rest, p)) = versus_rest(&dept.moments, &all.moments) {
                tests.push((g, v, difference, rest, p));
            }
        }
    }
    let ps: Vec<f64> = tests.iter().filter_map(|t| t.4).collect();
    let mut q_of = bh_adjust(&ps).into_iter();
    for (g, v, difference, rest, p) in tests {
        let q = p.and_then(|_| q_of.next());
        if let Published::Shown(figures) = &mut groups[g].visibility
            && let Published::Shown(value) = &mut figures.scores[v].visibility
        {
            value.versus_city =
                Some(CityComparison { difference, rest, p_value: p, q_value: q, significant: significant(q) });
        }
    }
    // Items: one family per department.
    for (g, key) in keys.iter().enumerate() {
        if key.cut.is_some() || key.group == ALL {
            continue;
        }
        let Some(stats) = summed.groups.get(key) else { continue };
        let Published::Shown(figures) = &mut groups[g].visibility else { continue };
        let mut found: Vec<(usize, usize, f64, f64, Option<f64>)> = Vec::new();
        for (b, block) in figures.items.iter().enumerate() {
            let Published::Shown(items) = &block.visibility else { continue };
            if city_blocks.get(b) != Some(&true) {
                continue;
            }
            for (i, item) in items.iter().enumerate() {
                let Some(&index) = survey.categories.get(b).and_then(|c| c.items.get(i)) else { continue };
                let (Some(dept), Some(all)) = (stats.items.get(index), city_stats.items.get(index)) else { continue };
                debug_assert_eq!(survey.items[index].id, item.item);
                let (dept, all) = (dept.moments(), all.moments());
                if let Some((difference, rest, p)) = versus_rest(&dept, &all) {
                    found.push((b, i, difference, rest, p));
                }
            }
        }
        // Adjusted later, with the department's item changes ([`adjust_changes`]).
        for (b, i, difference, rest, p) in found {
            if let Published::Shown(items) = &mut figures.items[b].visibility {
                items[i].versus_city =
                    Some(CityComparison { difference, rest, p_value: p, q_value: None, significant: false });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::model::{Figures, ItemBlock, ItemScore, Score, ScoreFigures};

    fn change(p: f64) -> Option<Change> {
        Some(Change {
            delta: if p < 0.5 { -1.0 } else { 1.0 },
            p_value: Some(p),
            significant: p < 0.05,
            q_value: None,
            fdr_significant: false,
        })
    }

    /// A shown group with these changes of its values and of its one block's items.
    fn group(department: &str, cut: Option<&str>, values: &[f64], items: &[f64]) -> Group {
        let score = |p: &f64| Score {
            category: "c".into(),
            visibility: Published::Shown(ScoreFigures {
                n: 10,
                score: 50.0,
                sd: Some(10.0),
                favorable: None,
                neutral: None,
                unfavorable: None,
                change: change(*p),
                versus_city: None,
            }),
        };
        let item = |p: &f64| ItemScore {
            item: "Q".into(),
            n: 10,
            score: 50.0,
            favorable: 50.0,
            change: change(*p),
            versus_city: None,
        };
        Group {
            department: department.into(),
            department_name: department.into(),
            parent: None,
            depth: usize::from(department != ALL),
            cut: cut.map(str::to_string),
            cut_value: cut.map(|_| "30代".to_string()),
            visibility: Published::Shown(Figures {
                respondents: 10,
                response_rate: None,
                headcount: None,
                scores: values.iter().map(score).collect(),
                items: vec![ItemBlock {
                    category: "c".into(),
                    visibility: Published::Shown(items.iter().map(item).collect()),
                }],
                outcomes: None,
            }),
            path_name: department.into(),
        }
    }

    fn qs(g: &Group) -> (Vec<f64>, Vec<f64>) {
        let f = g.shown().expect("shown");
        let values = f.scores.iter().filter_map(|s| s.visibility.shown()?.change?.q_value).collect();
        let items = f.items[0].visibility.shown().expect("items").iter().filter_map(|i| i.change?.q_value).collect();
        (values, items)
    }

    #[test]
    fn changes_are_adjusted_within_their_families() {
        let mut groups = vec![
            group(ALL, None, &[0.01, 0.04], &[0.02, 0.03, 0.5]),
            group("0101", None, &[0.01, 0.2], &[0.001]),
            group("0102", None, &[0.03, 0.9], &[0.04, 0.04]),
            group("0101", Some("年代"), &[0.01, 0.02], &[0.01]),
            group(ALL, Some("年代"), &[0.04, 0.5], &[0.5]),
        ];
        adjust_changes(&mut groups);
        // The city's values alone; departments' values together; cuts' values together.
        assert_eq!(qs(&groups[0]).0, bh_adjust(&[0.01, 0.04]));
        let departments = bh_adjust(&[0.01, 0.2, 0.03, 0.9]);
        assert_eq!(qs(&groups[1]).0, departments[..2]);
        assert_eq!(qs(&groups[2]).0, departments[2..]);
        let cuts = bh_adjust(&[0.01, 0.02, 0.04, 0.5]);
        assert_eq!(qs(&groups[3]).0, cuts[..2]);
        assert_eq!(qs(&groups[4]).0, cuts[2..]);
        // Each group's items alone.
        assert_eq!(qs(&groups[0]).1, bh_adjust(&[0.02, 0.03, 0.5]));
        assert_eq!(qs(&groups[1]).1, [0.001]);
        assert_eq!(qs(&groups[2]).1, bh_adjust(&[0.04, 0.04]));
        // ＊ means q < 0.05: 0.04 alone in its family stays marked, 0.04 among two of 0.04 too.
        let marked = |g: &Group| {
            g.shown().expect("shown").items[0]
                .visibility
                .shown()
                .expect("items")
                .iter()
                .map(|i| i.change.expect("change").fdr_significant)
                .collect::<Vec<_>>()
        };
        assert_eq!(marked(&groups[2]), [true, true]);
        assert_eq!(marked(&groups[0]), [true, true, false]);
        // The city's 0.04 among its two values: q = 0.04, marked; the departments' 0.03 of four: q = 0.06, not.
        let value_marks = |g: &Group| {
            g.shown()
                .expect("shown")
                .scores
                .iter()
                .map(|s| s.visibility.shown().and_then(|v| v.change).is_some_and(|c| c.fdr_significant))
                .collect::<Vec<_>>()
        };
        assert_eq!(value_marks(&groups[0]), [true, true]);
        assert_eq!(value_marks(&groups[2]), [false, false]);
        // The raw decision is untouched.
        assert!(
            groups[2].shown().expect("shown").scores[0]
                .visibility
                .shown()
                .and_then(|v| v.change)
                .is_some_and(|c| c.significant)
        );
    }

    #[test]
    fn a_departments_item_comparisons_share_the_family_of_its_item_changes() {
        let mut g = group("0101", None, &[0.5], &[0.001, 0.3]);
        if let Published::Shown(f) = &mut g.visibility
            && let Published::Shown(items) = &mut f.items[0].visibility
        {
            for (item, p) in items.iter_mut().zip([0.04, 0.02]) {
                item.versus_city = Some(CityComparison {
                    difference: -3.0,
                    rest: 53.0,
                    p_value: Some(p),
                    q_value: None,
                    significant: false,
                });
            }
        }
        let mut groups = vec![g];
        adjust_changes(&mut groups);
        let want = bh_adjust(&[0.001, 0.04, 0.3, 0.02]);
        let items = groups[0].shown().expect("shown").items[0].visibility.shown().expect("items").clone();
        assert_eq!(items[0].change.and_then(|c| c.q_value), Some(want[0]));
        assert_eq!(items[0].versus_city.and_then(|c| c.q_value), Some(want[1]));
        assert_eq!(items[1].change.and_then(|c| c.q_value), Some(want[2]));
        assert_eq!(items[1].versus_city.and_then(|c| c.q_value), Some(want[3]));
        // 0.04 of four tests: q = 0.053, no longer significant; 0.02: q = 0.04.
        assert_eq!(
            items.iter().map(|i| i.versus_city.is_some_and(|c| c.significant)).collect::<Vec<_>>(),
            [false, true]
        );
    }

    #[test]
    fn a_change_without_a_p_value_has_no_q_value() {
        let mut g = group("0101", None, &[0.01], &[]);
        if let Published::Shown(f) = &mut g.visibility
            && let Published::Shown(s) = &mut f.scores[0].visibility
            && let Some(c) = s.change.as_mut()
        {
            c.p_value = None;
        }
        let mut groups = vec![g];
        adjust_changes(&mut groups);
        let c = groups[0].score(0).and_then(|s| s.change).expect("change");
        assert_eq!((c.q_value, c.fdr_significant), (None, false));
    }

    #[test]
    fn bh_matches_a_known_answer() {
        // scipy.stats.false_discovery_control([0.01, 0.04, 0.03, 0.005, 0.2]).
        let q = bh_adjust(&[0.01, 0.04, 0.03, 0.005, 0.2]);
        let want = [0.025, 0.05, 0.05, 0.025, 0.2];
        for (a, b) in q.iter().zip(want) {
            assert!((a - b).abs() < 1e-12, "{q:?}");
        }
        assert!(bh_adjust(&[]).is_empty());
    }

    #[test]
    fn bh_is_monotone_and_at_most_one() {
        let p = [0.9, 0.5, 0.001, 0.3, 0.3, 0.04];
        let q = bh_adjust(&p);
        let mut pairs: Vec<(f64, f64)> = p.iter().copied().zip(q.iter().copied()).collect();
        pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
        assert!(pairs.windows(2).all(|w| w[0].1 <= w[1].1));
        assert!(q.iter().all(|&x| (0.0..=1.0).contains(&x)) && q.iter().zip(&p).all(|(q, p)| q >= p));
    }
}
