//! Confidentiality (DESIGN §5): which groups are hidden, and why.
//!
//! Every group below k respondents is hidden. Then, for differencing, a
//! *split* — a group divided into disjoint parts — must never leave its hidden
//! parts holding 1..k−1 respondents together, or the hidden parts could be
//! worked out by subtraction. Where a split does, its smallest shown printable
//! part is hidden too (ties: the smaller code or value), and all splits are
//! checked again, in their fixed order, until nothing changes. Hiding only
//! grows, so this ends.
//!
//! This module knows nothing of departments or cuts: it takes parts with
//! sizes and splits as lists of parts, so the rule is tested on its own.

/// Why a group is hidden.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HiddenReason {
    /// Fewer than k respondents.
    TooFew,
    /// Hidden so that another hidden group cannot be worked out by subtraction.
    Differencing,
}

impl HiddenReason {
    /// Returns the sentence printed in reports (DESIGN §5).
    pub fn message(self, k: usize) -> String {
        match self {
            HiddenReason::TooFew => format!("回答者が{k}人未満のため非表示"),
            HiddenReason::Differencing => "他の区分の推計を防ぐため非表示".to_string(),
        }
    }
}

/// One part of one or more splits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// Respondents (rows in the files).
    pub rows: usize,
    /// False for a department's own direct respondents, which are never printed.
    pub printable: bool,
}

/// A split: its parts, each with the key that decides ties between parts of
/// equal size (a department code or a cut value; the smaller is hidden first).
pub type Split = Vec<(usize, String)>;

/// Returns the hidden reason of every part; `splits` are checked in order.
pub fn suppress(k: usize, parts: &[Part], splits: &[Split]) -> Vec<Option<HiddenReason>> {
    let mut hidden: Vec<Option<HiddenReason>> =
        parts.iter().map(|p| (p.rows > 0 && p.rows < k).then_some(HiddenReason::TooFew)).collect();
    loop {
        let mut changed = false;
        for split in splits {
            let hidden_rows: usize =
                split.iter().filter(|(i, _)| hidden[*i].is_some()).map(|(i, _)| parts[*i].rows).sum();
            if hidden_rows == 0 || hidden_rows >= k {
                continue;
            }
            let smallest = split
                .iter()
                .filter(|(i, _)| hidden[*i].is_none() && parts[*i].printable && parts[*i].rows > 0)
                .min_by(|(a, ta), (b, tb)| parts[*a].rows.cmp(&parts[*b].rows).then_with(|| ta.cmp(tb)));
            if let Some(&(i, _)) = smallest {
                hidden[i] = Some(HiddenReason::Differencing);
                changed = true;
            }
        }
        if !changed {
            return hidden;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(rows: usize) -> Part {
        Part { rows, printable: true }
    }

    fn split(parts: &[usize]) -> Split {
        parts.iter().map(|&i| (i, format!("{i:04}"))).collect()
    }

    #[test]
    fn hides_groups_under_k() {
        let parts = vec![part(4), part(5), part(0)];
        let got = suppress(5, &parts, &[]);
        assert_eq!(got, vec![Some(HiddenReason::TooFew), None, None]);
    }

    #[test]
    fn hides_the_next_smallest_part_of_a_split() {
        // Whole 30 = a 3 (hidden) + b 12 + c 15: b is hidden too.
        let parts = vec![part(30), part(3), part(12), part(15)];
        let got = suppress(5, &parts, &[split(&[1, 2, 3])]);
        assert_eq!(got, vec![None, Some(HiddenReason::TooFew), Some(HiddenReason::Differencing), None]);
    }

    #[test]
    fn ties_go_to_the_smaller_key_and_own_parts_are_never_chosen() {
        let own = Part { rows: 2, printable: false };
        let parts = vec![own, part(9), part(9)];
        let ties: Split = vec![(0, String::new()), (1, "0202".into()), (2, "0201".into())];
        let got = suppress(5, &parts, &[ties]);
        assert_eq!(got, vec![Some(HiddenReason::TooFew), None, Some(HiddenReason::Differencing)]);
    }

    #[test]
    fn repeats_until_no_split_changes() {
        // Split 1: x(2) hidden, y(6), z(20) -> hide y. Split 2: y(6), w(7) -> now y hidden, hide w.
        let parts = vec![part(2), part(6), part(20), part(7)];
        let got = suppress(5, &parts, &[split(&[1, 3]), split(&[0, 1, 2])]);
        assert_eq!(got[1], Some(HiddenReason::Differencing));
        assert_eq!(got[3], None, "6 + 0 hidden in split 1 is >= k");
        let parts = vec![part(2), part(3), part(20), part(7)];
        // y(3) hidden by k; split [y, w]: 3 hidden -> hide w; split [x, y, z]: 5 hidden -> fine.
        let got = suppress(5, &parts, &[split(&[0, 1, 2]), split(&[1, 3])]);
        assert_eq!(
            got,
            vec![Some(HiddenReason::TooFew), Some(HiddenReason::TooFew), None, Some(HiddenReason::Differencing)]
        );
    }
}
