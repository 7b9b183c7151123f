//! Each department against the rest of the organisation, per category and
//! overall: Welch's t-test on the respondents' scores, with the false
//! discovery rate over all departments × values of the year controlled by
//! Benjamini–Hochberg, so the heatmap marks only differences that are
//! unlikely to be noise.
//!
//! The test compares the department's respondents with everyone else's (the
//! organisation's sums minus the department's): the two samples share nobody.
//! Only values shown on both sides enter (DESIGN §5).

use crate::aggregate::model::{ALL, CityComparison, Group, Published};
use crate::aggregate::scores::{Key, Summed};
use crate::aggregate::stats::{Moments, welch_p};

/// The false discovery rate the heatmap marks differences at.
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

fn minus(a: &Moments, b: &Moments) -> Moments {
    Moments { n: a.n.saturating_sub(b.n), sum: a.sum - b.sum, sum_sq: a.sum_sq - b.sum_sq }
}

/// Adds to every shown department value its comparison with the rest of the
/// organisation; `keys` are the year's group keys in `groups` order.
pub fn compare_with_city(groups: &mut [Group], keys: &[Key], summed: &Summed) {
    let Some(city_index) = keys.iter().position(|k| k.group == ALL && k.cut.is_none()) else { return };
    let Some(city_stats) = summed.groups.get(&keys[city_index]) else { return };
    let city_shown: Vec<Option<f64>> = match groups[city_index].shown() {
        Some(f) => f.scores.iter().map(|s| s.visibility.shown().map(|v| v.score)).collect(),
        None => return,
    };
    // (group, value, p-value) of every test that can be made.
    let mut tests: Vec<(usize, usize, Option<f64>, f64)> = Vec::new();
    for (g, key) in keys.iter().enumerate() {
        if key.cut.is_some() || key.group == ALL {
            continue;
        }
        let (Some(figures), Some(stats)) = (groups[g].shown(), summed.groups.get(key)) else { continue };
        for (v, score) in figures.scores.iter().enumerate() {
            let (Some(value), Some(Some(city))) = (score.visibility.shown(), city_shown.get(v)) else { continue };
            let (Some(dept), Some(all)) = (stats.categories.get(v), city_stats.categories.get(v)) else { continue };
            let rest = minus(&all.moments, &dept.moments);
            tests.push((g, v, welch_p(&dept.moments, &rest), value.score - city));
        }
    }
    let ps: Vec<f64> = tests.iter().filter_map(|t| t.2).collect();
    let qs = bh_adjust(&ps);
    let mut q_of = qs.into_iter();
    for (g, v, p, difference) in tests {
        let q = p.and_then(|_| q_of.next());
        if let Published::Shown(figures) = &mut groups[g].visibility
            && let Published::Shown(value) = &mut figures.scores[v].visibility
        {
            value.versus_city =
                Some(CityComparison { difference, p_value: p, q_value: q, significant: q.is_some_and(|q| q <= FDR) });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
