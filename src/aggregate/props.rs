//! Property tests of confidentiality (DESIGN §5) on random organisations:
//! random department trees, demographic cuts, group sizes and respondents who
//! stop part-way (so every value has its own count). Whatever the shape:
//! every shown group has at least k rows, every shown value at least k
//! respondents behind it, item blocks are shown only with their category and
//! only when every item in them has k answers, and no split — enumerated here
//! independently of `year_layout` — leaves 1..k−1 hidden of any measure while
//! a shown printable part remains. The rule itself is checked against a plain
//! transcription of §5's global order, and shown not to depend on the order
//! of splits or of the parts inside them. The harassment shares' rule is
//! checked on random department trees: no department's shown share rests on
//! fewer than 5 who chose its answer or 5 who did not, directly or by
//! subtraction.

use std::collections::HashMap;

use proptest::prelude::*;

use crate::aggregate::group_keys;
use crate::aggregate::harassment::share_rule;
use crate::aggregate::model::{ALL, HiddenReason};
use crate::aggregate::scores::{CategorySums, GroupStats, ItemSums, Key, Summed};
use crate::aggregate::suppression::Layout;
use crate::aggregate::withholding::{withhold, year_layout};
use crate::config::org::{Department, OrgYear};
use crate::config::survey::{Category, Demographic, Item, Scale, Survey, UNANSWERED};
use crate::config::year::FiscalYear;

const YEAR: i32 = 2025;
/// Two categories of two items each: values 0, 1 and overall (2); items 0–3.
const CATEGORIES: usize = 2;
const ITEMS: usize = 4;
const VALUES: usize = CATEGORIES + 1;

/// A random organisation: parents (each department's parent is an earlier one
/// or none), demographics' value counts, and per department per combination of
/// demographic values (index 0 of each is 未回答) its respondents and, per
/// value then per item, how many of them did not answer it.
#[derive(Debug, Clone)]
struct Shape {
    k: usize,
    parents: Vec<Option<usize>>,
    values: Vec<usize>,
    cells: Vec<Vec<(usize, Vec<usize>)>>,
}

fn shape() -> impl Strategy<Value = Shape> {
    (2usize..=6, 1usize..=9, prop::collection::vec(1usize..=3, 0..=2)).prop_flat_map(|(k, n, values)| {
        let combos: usize = values.iter().map(|v| v + 1).product();
        let parents = (0..n)
            .map(|i| if i == 0 { Just(None).boxed() } else { prop::option::weighted(0.7, 0..i).boxed() })
            .collect::<Vec<_>>();
        // Mostly small cells, so that hiding happens often; drop-outs per value and per item.
        let cell = (
            prop_oneof![3 => 0usize..3, 2 => 0usize..12],
            prop::collection::vec(prop_oneof![1 => Just(0usize), 1 => 1usize..=4], VALUES + ITEMS),
        );
        let cells = prop::collection::vec(prop::collection::vec(cell, combos), n);
        (Just(k), parents, Just(values), cells).prop_map(|(k, parents, values, cells)| Shape {
            k,
            parents,
            values,
            cells,
        })
    })
}

fn survey(shape: &Shape) -> Survey {
    Survey {
        title: String::new(),
        scale: Scale { min: 1, max: 5, favorable: 4, labels: vec![String::new(); 5] },
        min_group_size: shape.k,
        department_column: Vec::new(),
        year_column: Vec::new(),
        parent_department_column: Vec::new(),
        free_text: Vec::new(),
        free_text_place: None,
        sheet: None,
        outcomes: Vec::new(),
        comments: Vec::new(),
        comment_settings: crate::config::comments::CommentSettings::default_for(&[]),
        year_scales: Vec::new(),
        demographics: shape
            .values
            .iter()
            .enumerate()
            .map(|(d, &n)| Demographic {
                name: format!("d{d}"),
                column: vec![format!("d{d}")],
                values: (1..=n).map(|v| format!("v{v}")).collect(),
                aliases: Vec::new(),
            })
            .collect(),
        categories: (0..CATEGORIES)
            .map(|c| Category {
                id: format!("c{c}"),
                name: format!("c{c}"),
                items: vec![2 * c, 2 * c + 1],
                discussion: Vec::new(),
            })
            .collect(),
        items: (0..ITEMS)
            .map(|i| Item {
                id: format!("Q{i}"),
                text: String::new(),
                reverse: false,
                label: String::new(),
                header: None,
                category: i / 2,
            })
            .collect(),
        harassment: None,
    }
}

fn org(shape: &Shape) -> OrgYear {
    let departments = shape
        .parents
        .iter()
        .enumerate()
        .map(|(i, p)| Department {
            code: format!("{:02}", i + 1),
            name: format!("課{i}"),
            parent: *p,
            headcount: 1,
            previous_codes: Vec::new(),
        })
        .collect();
    OrgYear::new(FiscalYear(YEAR), departments)
}

/// The value of demographic `d` in combination `combo` (index 0 = 未回答).
fn value_of(shape: &Shape, combo: usize, d: usize) -> String {
    let mut rest = combo;
    for (j, n) in shape.values.iter().enumerate() {
        let v = rest % (n + 1);
        rest /= n + 1;
        if j == d {
            return if v == 0 { UNANSWERED.to_string() } else { format!("v{v}") };
        }
    }
    unreachable!("demographic index in range")
}

fn add(into: &mut GroupStats, rows: usize, missing: &[usize]) {
    if into.categories.is_empty() {
        into.categories = vec![CategorySums::default(); VALUES];
        into.items = vec![ItemSums::default(); ITEMS];
    }
    into.rows += rows as u64;
    for (c, m) in into.categories.iter_mut().zip(&missing[..VALUES]) {
        c.moments.n += rows.saturating_sub(*m) as u64;
    }
    for (item, m) in into.items.iter_mut().zip(&missing[VALUES..]) {
        item.n += rows.saturating_sub(*m) as f64;
    }
}

fn summed(shape: &Shape, org: &OrgYear) -> Summed {
    let mut groups: HashMap<Key, GroupStats> = HashMap::new();
    let mut own: HashMap<Key, GroupStats> = HashMap::new();
    for (i, cells) in shape.cells.iter().enumerate() {
        for (combo, (rows, missing)) in cells.iter().enumerate() {
            if *rows == 0 {
                continue;
            }
            let code = org.departments[i].code.clone();
            let mut cuts = vec![None];
            for d in 0..shape.values.len() {
                cuts.push(Some((d, value_of(shape, combo, d))));
            }
            for cut in cuts {
                add(own.entry(Key { year: YEAR, group: code.clone(), cut: cut.clone() }).or_default(), *rows, missing);
                let targets =
                    org.ancestors(i).into_iter().map(|a| org.departments[a].code.clone()).chain([ALL.to_string()]);
                for g in targets {
                    add(groups.entry(Key { year: YEAR, group: g, cut: cut.clone() }).or_default(), *rows, missing);
                }
            }
        }
    }
    Summed { groups, own, previous: HashMap::new() }
}

/// The splits of §5, enumerated afresh from the organisation: each a list of
/// parts (key, printable); an unprintable part is a department's own respondents.
fn splits(org: &OrgYear, survey: &Survey, summed: &Summed) -> Vec<Vec<(Key, bool)>> {
    let mut out: Vec<Vec<(Key, bool)>> = Vec::new();
    let exists = |key: &Key| summed.groups.get(key).is_some_and(|s| s.rows > 0);
    let mut cuts: Vec<Option<(usize, String)>> = vec![None];
    for (d, demo) in survey.demographics.iter().enumerate() {
        for v in demo.values_with_unanswered() {
            cuts.push(Some((d, v)));
        }
    }
    for cut in &cuts {
        let key = |code: &str| Key { year: YEAR, group: code.to_string(), cut: cut.clone() };
        out.push(
            org.roots().into_iter().map(|r| key(&org.departments[r].code)).filter(exists).map(|k| (k, true)).collect(),
        );
        for (i, d) in org.departments.iter().enumerate() {
            let mut split: Vec<(Key, bool)> = org.children[i]
                .iter()
                .map(|&c| key(&org.departments[c].code))
                .filter(exists)
                .map(|k| (k, true))
                .collect();
            if summed.own.get(&key(&d.code)).is_some_and(|s| s.rows > 0) {
                split.push((key(&d.code), false));
            }
            out.push(split);
        }
    }
    let codes = std::iter::once(ALL.to_string()).chain(org.departments.iter().map(|d| d.code.clone()));
    for code in codes {
        for (d, demo) in survey.demographics.iter().enumerate() {
            out.push(
                demo.values_with_unanswered()
                    .into_iter()
                    .map(|v| Key { year: YEAR, group: code.clone(), cut: Some((d, v)) })
                    .filter(exists)
                    .map(|k| (k, true))
                    .collect(),
            );
        }
    }
    out
}

/// Which measure a check is about.
#[derive(Debug, Clone, Copy)]
enum Measure {
    Rows,
    Value(usize),
    Item(usize),
}

fn measure(stats: &GroupStats, m: Measure) -> u64 {
    match m {
        Measure::Rows => stats.rows,
        Measure::Value(v) => stats.categories[v].moments.n,
        Measure::Item(i) => stats.items[i].n as u64,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn no_split_and_no_value_can_be_differenced(shape in shape()) {
        let survey = survey(&shape);
        let org = org(&shape);
        let summed = summed(&shape, &org);
        let k = shape.k as u64;
        let keys = group_keys(FiscalYear(YEAR), &org, &survey, &summed);
        let layout = year_layout(FiscalYear(YEAR), &org, &survey, &summed, &keys);
        let w = withhold(&survey, &summed, &keys, &layout, true);
        let index: HashMap<&Key, usize> = keys.iter().enumerate().map(|(i, k)| (k, i)).collect();
        let stats = |key: &Key| summed.groups.get(key).cloned().unwrap_or_default();

        // Is the part hidden for this measure? Own parts: exactly when under k.
        // An item is published only in its block, so the block decides.
        let hidden = |key: &Key, printable: bool, m: Measure| -> bool {
            if !printable {
                return measure(&summed.own[key], m) < k;
            }
            let g = index[key];
            match m {
                Measure::Rows => w.groups[g].is_some(),
                Measure::Value(v) => w.scores[v][g].is_some(),
                Measure::Item(i) => w.blocks[survey.items[i].category][g].is_some(),
            }
        };

        // Every shown group, value and item has at least k behind it.
        for (g, key) in keys.iter().enumerate() {
            let s = stats(key);
            if w.groups[g].is_none() {
                prop_assert!(s.rows >= k, "{:?} shown with {} rows", key, s.rows);
            }
            for v in 0..VALUES {
                if w.scores[v][g].is_none() {
                    prop_assert!(w.groups[g].is_none() && s.categories[v].moments.n >= k, "{:?} value {} shown", key, v);
                }
            }
            for (c, cat) in survey.categories.iter().enumerate() {
                if w.blocks[c][g].is_none() {
                    prop_assert!(w.scores[c][g].is_none(), "{:?} block {} shown without its category", key, c);
                    for &i in &cat.items {
                        prop_assert!(s.items[i].n as u64 >= k, "{:?} item {} shown with {}", key, i, s.items[i].n);
                    }
                }
            }
        }

        // No split leaves 1..k−1 hidden of any measure while a shown printable part remains.
        let measures = std::iter::once(Measure::Rows)
            .chain((0..VALUES).map(Measure::Value))
            .chain((0..ITEMS).map(Measure::Item));
        let all_splits = splits(&org, &survey, &summed);
        for m in measures {
            for split in &all_splits {
                let part_measure = |key: &Key, printable: bool| {
                    if printable { measure(&stats(key), m) } else { measure(&summed.own[key], m) }
                };
                let hidden_sum: u64 = split
                    .iter()
                    .filter(|(key, p)| hidden(key, *p, m))
                    .map(|(key, p)| part_measure(key, *p))
                    .sum();
                let shown_printable =
                    split.iter().any(|(key, p)| *p && !hidden(key, *p, m) && part_measure(key, *p) > 0);
                prop_assert!(
                    hidden_sum == 0 || hidden_sum >= k || !shown_printable,
                    "{:?}: split {:?} hides {} (k = {})", m, split, hidden_sum, k
                );
            }
        }
    }
}

/// A random layout for the rule alone: parts with measures, some unprintable,
/// and splits over them.
fn layout_case() -> impl Strategy<Value = (usize, Vec<u64>, Vec<bool>, Vec<Vec<usize>>)> {
    (2usize..=6, 2usize..=24).prop_flat_map(|(k, n)| {
        (
            Just(k),
            prop::collection::vec(prop_oneof![2 => 1u64..5, 3 => 1u64..15], n),
            prop::collection::vec(prop::bool::weighted(0.85), n),
            prop::collection::vec(prop::sample::subsequence((0..n).collect::<Vec<_>>(), 1..=n.min(5)), 1..12),
        )
    })
}

/// §5's rule written out as it reads: while some unsafe split has a shown
/// printable part, take each such split's smallest, hide the smallest of those.
fn plain_rule(k: usize, measure: &[u64], printable: &[bool], splits: &[Vec<usize>]) -> Vec<bool> {
    let k = k as u64;
    let mut hidden: Vec<bool> = measure.iter().map(|&m| m < k).collect();
    loop {
        let mut offers: Vec<(u64, usize)> = Vec::new();
        for split in splits {
            let sum: u64 = split.iter().filter(|&&p| hidden[p]).map(|&p| measure[p]).sum();
            if sum == 0 || sum >= k {
                continue;
            }
            if let Some(p) =
                split.iter().copied().filter(|&p| !hidden[p] && printable[p]).min_by_key(|&p| (measure[p], p))
            {
                offers.push((measure[p], p));
            }
        }
        match offers.into_iter().min() {
            Some((_, p)) => hidden[p] = true,
            None => return hidden,
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn the_rule_follows_the_global_order_whatever_the_order_of_splits(
        (k, measure, printable, splits) in layout_case(),
        seed in any::<u64>(),
    ) {
        let run = |splits: Vec<Vec<usize>>| {
            let layout = Layout::new(printable.clone(), splits);
            let mut hidden = layout.below_k(k, &measure);
            layout.difference(k, &measure, &mut hidden);
            prop_assert_eq!(layout.unsafe_split(k, &measure, &hidden), None);
            Ok(hidden)
        };
        let got = run(splits.clone())?;
        let expected = plain_rule(k, &measure, &printable, &splits);
        prop_assert_eq!(got.iter().map(Option::is_some).collect::<Vec<_>>(), expected);
        // Reasons: under k is TooFew, the rest Differencing.
        for (h, &m) in got.iter().zip(&measure) {
            if m < k as u64 {
                prop_assert_eq!(*h, Some(HiddenReason::TooFew));
            }
        }
        // The same with the splits and their parts in another order.
        let mut shuffled = splits.clone();
        let mut state = seed | 1;
        let mut next = || { state ^= state << 13; state ^= state >> 7; state ^= state << 17; state };
        for i in (1..shuffled.len()).rev() {
            let j = (next() % (i as u64 + 1)) as usize;
            shuffled.swap(i, j);
        }
        for s in &mut shuffled {
            s.reverse();
        }
        prop_assert_eq!(run(shuffled)?, got);
    }
}

/// A department tree for the harassment shares' rule: each department's
/// parent (an earlier one or none), its own respondents who chose an answer
/// and who did not, and whether its question is withheld already (by the
/// survey's k).
type ShareTree = (Vec<Option<usize>>, Vec<(u64, u64)>, Vec<bool>);

/// A random [`ShareTree`].
fn share_case() -> impl Strategy<Value = ShareTree> {
    (1usize..=10).prop_flat_map(|n| {
        let parents = (0..n)
            .map(|i| if i == 0 { Just(None).boxed() } else { prop::option::weighted(0.7, 0..i).boxed() })
            .collect::<Vec<_>>();
        // Mostly a few on each side, so that both counts fall under 5 often.
        let count = || prop_oneof![3 => 0u64..6, 2 => 0u64..20];
        let own = prop::collection::vec((count(), count()), n);
        (parents, own, prop::collection::vec(prop::bool::weighted(0.1), n))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// DESIGN §5 "Harassment answers": below the whole organisation a shown
    /// share has 5 who chose its answer and 5 who did not, and no split of
    /// the tree — enumerated here from the parents — leaves 1..4 of either
    /// count hidden while a shown part remains, a department's own
    /// respondents being hidden for a count exactly when it is under 5.
    #[test]
    fn no_harassment_share_rests_on_fewer_than_five((parents, own, withheld) in share_case()) {
        let n = parents.len();
        // Parts: 0 the whole organisation, 1..=n the departments, n+1..=2n their own respondents.
        let mut totals = own.clone();
        for d in (0..n).rev() {
            if let Some(p) = parents[d] {
                totals[p].0 += totals[d].0;
                totals[p].1 += totals[d].1;
            }
        }
        let all = own.iter().fold((0, 0), |a, o| (a.0 + o.0, a.1 + o.1));
        let side = |s: usize| -> Vec<u64> {
            let pick = |c: &(u64, u64)| if s == 0 { c.0 } else { c.1 };
            std::iter::once(pick(&all)).chain(totals.iter().map(pick)).chain(own.iter().map(pick)).collect()
        };
        let measures = [side(0), side(1)];
        let mut splits: Vec<Vec<usize>> = vec![(0..n).filter(|&d| parents[d].is_none()).map(|d| 1 + d).collect()];
        for d in 0..n {
            let mut split: Vec<usize> = (0..n).filter(|&c| parents[c] == Some(d)).map(|c| 1 + c).collect();
            split.push(1 + n + d);
            splits.push(split);
        }
        let printable: Vec<bool> = (0..=2 * n).map(|p| p <= n).collect();
        let question: Vec<Option<HiddenReason>> = (0..=2 * n)
            .map(|p| (p >= 1 && p <= n && withheld[p - 1]).then_some(HiddenReason::TooFew))
            .collect();
        let layout = Layout::new(printable, splits.clone());
        let hidden = share_rule(&layout, &measures, &question, Some(0));

        prop_assert!(hidden[0].is_none(), "the whole organisation is outside the rule");
        for d in 1..=n {
            if question[d].is_some() {
                prop_assert_eq!(hidden[d], question[d], "a withheld question keeps its reason");
            } else if hidden[d].is_none() {
                prop_assert!(measures.iter().all(|m| m[d] >= 5), "department {} shown on {:?}", d, totals[d - 1]);
            }
        }
        for m in &measures {
            for split in &splits {
                let is_hidden = |p: usize| if p > n { m[p] < 5 } else { hidden[p].is_some() };
                let sum: u64 = split.iter().filter(|&&p| is_hidden(p)).map(|&p| m[p]).sum();
                let shown = split.iter().any(|&p| p <= n && !is_hidden(p));
                prop_assert!(
                    !(sum > 0 && sum < 5 && shown),
                    "split {:?} hides {} of {:?} with a part shown", split, sum, m
                );
            }
        }
    }
}
