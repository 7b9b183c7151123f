//! The differencing rule of DESIGN §5 on one measure, in its one global order.
//!
//! Parts are numbered; a *split* divides a whole into disjoint parts. A split
//! is unsafe when its hidden parts together hold 1..k−1 of the measure: their
//! sum could be worked out by subtracting the shown parts from the whole.
//! While some unsafe split still has a shown printable part, every such split
//! offers its shown printable part with the smallest measure, and the
//! smallest of those offers is hidden — ties broken by the part's number,
//! which callers give in the scores CSV's row order. Hiding only grows, so
//! this ends, and the result does not depend on how splits are listed.
//!
//! Each split keeps a running sum of its hidden measure and its printable
//! parts sorted once by (measure, number); a heap holds the offer of every
//! unsafe split. Hiding a part updates only the splits it belongs to, so a
//! year of thousands of groups and splits is settled in O((parts + splits)
//! log splits) per measure, not by rescanning every split after each hide.
//!
//! This module knows nothing of departments, cuts or values: it takes parts
//! and splits, so the rule is tested on its own.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::aggregate::model::HiddenReason;

/// The parts and splits of one year (the same for groups and for every value).
#[derive(Debug, Clone)]
pub struct Layout {
    /// False for a department's own direct respondents, which are never printed.
    printable: Vec<bool>,
    /// Each split's parts.
    splits: Vec<Vec<usize>>,
    /// Each part's splits.
    splits_of: Vec<Vec<usize>>,
}

impl Layout {
    /// Returns the layout of `printable.len()` parts divided by `splits`.
    /// Parts are numbered in the order that breaks ties (the scores CSV's row order).
    pub fn new(printable: Vec<bool>, splits: Vec<Vec<usize>>) -> Layout {
        let mut splits_of = vec![Vec::new(); printable.len()];
        for (s, parts) in splits.iter().enumerate() {
            for &p in parts {
                splits_of[p].push(s);
            }
        }
        Layout { printable, splits, splits_of }
    }

    /// Returns whether a part may be printed (a department's own direct
    /// respondents may not).
    pub fn printable(&self, part: usize) -> bool {
        self.printable[part]
    }

    /// Starts a measure: a part under k is hidden (`TooFew`), the rest shown.
    /// Parts with a measure of 0 are hidden too when printable (nothing can be
    /// published about nobody) and add nothing to any split.
    pub fn below_k(&self, k: usize, measure: &[u64]) -> Vec<Option<HiddenReason>> {
        measure.iter().map(|&m| (m < k as u64).then_some(HiddenReason::TooFew)).collect()
    }

    /// Starts a value's measure inside settled groups: a part is hidden with
    /// its group (and its reason), else under k as in [`Layout::below_k`].
    pub fn below_k_within(
        &self,
        k: usize,
        measure: &[u64],
        groups: &[Option<HiddenReason>],
    ) -> Vec<Option<HiddenReason>> {
        let mut hidden = self.below_k(k, measure);
        for (h, g) in hidden.iter_mut().zip(groups) {
            if g.is_some() {
                *h = *g;
            }
        }
        hidden
    }

    /// Applies the differencing rule to `hidden` for `measure`, hiding parts
    /// (`Differencing`) until no split with a shown printable part is unsafe.
    /// Returns how many parts it hid.
    pub fn difference(&self, k: usize, measure: &[u64], hidden: &mut [Option<HiddenReason>]) -> usize {
        let k = k as u64;
        let is_unsafe = |sum: u64| sum > 0 && sum < k;
        let mut hidden_sum: Vec<u64> = self
            .splits
            .iter()
            .map(|parts| parts.iter().filter(|&&p| hidden[p].is_some()).map(|&p| measure[p]).sum())
            .collect();
        // Each split's printable parts in the order offers are made; `next` skips the hidden ones.
        let offers: Vec<Vec<usize>> = self
            .splits
            .iter()
            .map(|parts| {
                let mut v: Vec<usize> =
                    parts.iter().copied().filter(|&p| self.printable[p] && measure[p] > 0).collect();
                v.sort_unstable_by_key(|&p| (measure[p], p));
                v
            })
            .collect();
        let mut next = vec![0usize; self.splits.len()];
        let mut heap: BinaryHeap<Reverse<(u64, usize, usize)>> = BinaryHeap::new();
        let offer = |s: usize, next: &mut [usize], hidden: &[Option<HiddenReason>]| -> Option<usize> {
            while next[s] < offers[s].len() && hidden[offers[s][next[s]]].is_some() {
                next[s] += 1;
            }
            offers[s].get(next[s]).copied()
        };
        for (s, &sum) in hidden_sum.iter().enumerate() {
            if is_unsafe(sum)
                && let Some(p) = offer(s, &mut next, hidden)
            {
                heap.push(Reverse((measure[p], p, s)));
            }
        }
        let mut hid = 0;
        while let Some(Reverse((m, p, s))) = heap.pop() {
            // Stale offers: the part was hidden meanwhile (its splits offered
            // again then), or the split became safe.
            if hidden[p].is_some() || !is_unsafe(hidden_sum[s]) {
                continue;
            }
            hidden[p] = Some(HiddenReason::Differencing);
            hid += 1;
            for &t in &self.splits_of[p] {
                hidden_sum[t] += m;
                if is_unsafe(hidden_sum[t])
                    && let Some(q) = offer(t, &mut next, hidden)
                {
                    heap.push(Reverse((measure[q], q, t)));
                }
            }
        }
        hid
    }

    /// Returns the first split left unsafe with a shown printable part, if any
    /// (after [`Layout::difference`] there is none).
    #[cfg(test)]
    pub fn unsafe_split(&self, k: usize, measure: &[u64], hidden: &[Option<HiddenReason>]) -> Option<usize> {
        let k = k as u64;
        self.splits.iter().position(|parts| {
            let sum: u64 = parts.iter().filter(|&&p| hidden[p].is_some()).map(|&p| measure[p]).sum();
            sum > 0 && sum < k && parts.iter().any(|&p| hidden[p].is_none() && self.printable[p] && measure[p] > 0)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(k: usize, measure: &[u64], printable: &[bool], splits: &[&[usize]]) -> Vec<Option<HiddenReason>> {
        let layout = Layout::new(printable.to_vec(), splits.iter().map(|s| s.to_vec()).collect());
        let mut hidden = layout.below_k(k, measure);
        layout.difference(k, measure, &mut hidden);
        assert_eq!(layout.unsafe_split(k, measure, &hidden), None);
        hidden
    }

    const T: Option<HiddenReason> = Some(HiddenReason::TooFew);
    const D: Option<HiddenReason> = Some(HiddenReason::Differencing);

    #[test]
    fn hides_parts_under_k() {
        assert_eq!(run(5, &[4, 5, 9], &[true; 3], &[]), vec![T, None, None]);
    }

    #[test]
    fn hides_the_next_smallest_part_of_a_split() {
        // Whole 30 = a 3 (hidden) + b 12 + c 15: b is hidden too.
        assert_eq!(run(5, &[30, 3, 12, 15], &[true; 4], &[&[1, 2, 3]]), vec![None, T, D, None]);
    }

    #[test]
    fn ties_go_to_the_earlier_part_and_own_parts_are_never_chosen() {
        // Own part (2, never printed) hidden; two parts of 9: the earlier one goes.
        assert_eq!(run(5, &[2, 9, 9], &[false, true, true], &[&[0, 2, 1]]), vec![T, D, None]);
    }

    #[test]
    fn the_smallest_offer_of_all_unsafe_splits_goes_first() {
        // Split A: x(2) hidden, offers y(7). Split B: z(3) hidden, offers w(6) and y(7).
        // w (6) is hidden first; then split A is still unsafe and offers y.
        // Had A been handled first, y would have gone first and settled B (3 + 7 ≥ 5)
        // without w: the global order decides.
        let measure = [2, 7, 3, 6, 20];
        let got = run(5, &measure, &[true; 5], &[&[0, 1, 4], &[2, 3, 1]]);
        assert_eq!(got, vec![T, D, T, D, None]);
        // The same with the splits listed the other way round.
        let again = run(5, &measure, &[true; 5], &[&[2, 3, 1], &[0, 1, 4]]);
        assert_eq!(got, again);
    }

    #[test]
    fn a_split_made_safe_by_another_hide_is_left_alone() {
        // Split A: x(2) hidden, offers y(6). Split B: v(4) hidden, offers y(6) then w(9).
        // Hiding y settles both (2 + 6 and 4 + 6 are ≥ 5).
        let got = run(5, &[2, 6, 4, 9, 30], &[true; 5], &[&[0, 1, 4], &[2, 1, 3]]);
        assert_eq!(got, vec![T, D, T, None, None]);
    }

    #[test]
    fn repeats_until_no_split_changes() {
        // Split 1: x(2) hidden, y(3) hidden: 5 ≥ k, safe. Split 2: y(3), w(7): hide w.
        let got = run(5, &[2, 3, 20, 7], &[true; 4], &[&[0, 1, 2], &[1, 3]]);
        assert_eq!(got, vec![T, T, None, D]);
        // A chain: hiding one part makes the next split unsafe.
        let got = run(5, &[3, 6, 6, 8, 30], &[true; 5], &[&[0, 1, 4], &[1, 3]]);
        assert_eq!(got, vec![T, D, None, None, None], "6 hidden in split 2 is ≥ k");
        let got = run(10, &[3, 12, 12, 15, 60], &[true; 5], &[&[0, 1, 4], &[1, 3], &[3, 2]]);
        // 3 hidden: hide 1 (12); split 2: 12 ≥ 10 safe. Nothing else.
        assert_eq!(got, vec![T, D, None, None, None]);
    }

    #[test]
    fn a_split_without_a_shown_printable_part_stays_as_it_is() {
        assert_eq!(run(5, &[2, 1], &[true, false], &[&[0, 1]]), vec![T, T]);
    }
}
