//! Property tests of confidentiality (DESIGN §5) on random organisations:
//! random department trees, demographic cuts and group sizes. Whatever the
//! shape, every group under k is hidden, and no split — enumerated here
//! independently of `hide` — ends with 1..k−1 respondents hidden while a
//! shown printable part remains that could have been hidden.

use std::collections::HashMap;

use proptest::prelude::*;

use crate::aggregate::model::ALL;
use crate::aggregate::scores::{GroupStats, Key, Summed};
use crate::aggregate::{group_keys, hide};
use crate::config::org::{Department, OrgYear};
use crate::config::survey::{Demographic, Scale, Survey, UNANSWERED};
use crate::config::year::FiscalYear;

const YEAR: i32 = 2025;

/// A random organisation: parents (each department's parent is an earlier one
/// or none), demographics' value counts, and respondents per department per
/// combination of demographic values (index 0 of each is 未回答).
#[derive(Debug, Clone)]
struct Shape {
    k: usize,
    parents: Vec<Option<usize>>,
    values: Vec<usize>,
    cells: Vec<Vec<usize>>,
}

fn shape() -> impl Strategy<Value = Shape> {
    (2usize..=6, 1usize..=9, prop::collection::vec(1usize..=3, 0..=2)).prop_flat_map(|(k, n, values)| {
        let combos: usize = values.iter().map(|v| v + 1).product();
        let parents = (0..n)
            .map(|i| if i == 0 { Just(None).boxed() } else { prop::option::weighted(0.7, 0..i).boxed() })
            .collect::<Vec<_>>();
        // Mostly small cells, so that hiding happens often.
        let cells =
            prop::collection::vec(prop::collection::vec(prop_oneof![3 => 0usize..3, 2 => 0usize..12], combos), n);
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
        department_column: String::new(),
        year_column: None,
        free_text: Vec::new(),
        sheet: None,
        demographics: shape
            .values
            .iter()
            .enumerate()
            .map(|(d, &n)| Demographic {
                name: format!("d{d}"),
                column: format!("d{d}"),
                values: (1..=n).map(|v| format!("v{v}")).collect(),
            })
            .collect(),
        categories: Vec::new(),
        items: Vec::new(),
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

fn summed(shape: &Shape, org: &OrgYear) -> Summed {
    let mut groups: HashMap<Key, GroupStats> = HashMap::new();
    let mut own: HashMap<Key, GroupStats> = HashMap::new();
    let add = |map: &mut HashMap<Key, GroupStats>, key: Key, n: usize| map.entry(key).or_default().rows += n as u64;
    for (i, cells) in shape.cells.iter().enumerate() {
        for (combo, &n) in cells.iter().enumerate() {
            if n == 0 {
                continue;
            }
            let code = org.departments[i].code.clone();
            let mut cuts = vec![None];
            for d in 0..shape.values.len() {
                cuts.push(Some((d, value_of(shape, combo, d))));
            }
            for cut in cuts {
                add(&mut own, Key { year: YEAR, group: code.clone(), cut: cut.clone() }, n);
                let targets =
                    org.ancestors(i).into_iter().map(|a| org.departments[a].code.clone()).chain([ALL.to_string()]);
                for g in targets {
                    add(&mut groups, Key { year: YEAR, group: g, cut: cut.clone() }, n);
                }
            }
        }
    }
    Summed { groups, own, previous: HashMap::new() }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn no_split_leaves_fewer_than_k_hidden(shape in shape()) {
        let survey = survey(&shape);
        let org = org(&shape);
        let summed = summed(&shape, &org);
        let keys = group_keys(FiscalYear(YEAR), &org, &survey, &summed);
        let reasons = hide(FiscalYear(YEAR), &org, &survey, &summed, &keys);
        let k = shape.k;
        let rows = |key: &Key| summed.groups.get(key).map(|s| s.rows as usize).unwrap_or(0);
        let hidden: HashMap<&Key, bool> = keys.iter().zip(&reasons).map(|(key, r)| (key, r.is_some())).collect();

        // Every group under k is hidden; every group shown has at least k.
        for key in &keys {
            if rows(key) < k {
                prop_assert!(hidden[key], "{:?} has {} < k = {}", key, rows(key), k);
            }
        }

        // The splits, enumerated afresh: (part rows, hidden, printable).
        let mut splits: Vec<Vec<(usize, bool, bool)>> = Vec::new();
        let part = |key: Key| -> Option<(usize, bool, bool)> {
            let n = rows(&key);
            (n > 0).then(|| (n, hidden.get(&key).copied().unwrap_or(false), true))
        };
        let mut cuts: Vec<Option<(usize, String)>> = vec![None];
        for (d, demo) in survey.demographics.iter().enumerate() {
            for v in demo.values_with_unanswered() {
                cuts.push(Some((d, v)));
            }
        }
        for cut in &cuts {
            let key = |code: &str| Key { year: YEAR, group: code.to_string(), cut: cut.clone() };
            splits.push(org.roots().into_iter().filter_map(|r| part(key(&org.departments[r].code))).collect());
            for (i, d) in org.departments.iter().enumerate() {
                let mut split: Vec<(usize, bool, bool)> =
                    org.children[i].iter().filter_map(|&c| part(key(&org.departments[c].code))).collect();
                let own = summed.own.get(&key(&d.code)).map(|s| s.rows as usize).unwrap_or(0);
                if own > 0 {
                    split.push((own, own < k, false));
                }
                splits.push(split);
            }
        }
        let codes: Vec<String> = std::iter::once(ALL.to_string()).chain(org.departments.iter().map(|d| d.code.clone())).collect();
        for code in &codes {
            for (d, demo) in survey.demographics.iter().enumerate() {
                splits.push(
                    demo.values_with_unanswered()
                        .into_iter()
                        .filter_map(|v| part(Key { year: YEAR, group: code.clone(), cut: Some((d, v)) }))
                        .collect(),
                );
            }
        }
        for split in &splits {
            let hidden_rows: usize = split.iter().filter(|p| p.1).map(|p| p.0).sum();
            let could_hide_more = split.iter().any(|p| !p.1 && p.2);
            prop_assert!(
                hidden_rows == 0 || hidden_rows >= k || !could_hide_more,
                "split {:?} hides {} (k = {})", split, hidden_rows, k
            );
        }
    }
}
