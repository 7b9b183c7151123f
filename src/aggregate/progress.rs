//! Plan progress (DESIGN §6): a value of a year measured against its goal.
//!
//! A goal to reach (`reach_at_least`, `reach_at_most`) has a trajectory from
//! its baseline to its target, 進捗率 when the target lies ahead of the
//! baseline, and a status of 達成, 順調, 遅れ or 悪化 — 未達 in and after its
//! target year, when no time is left. A floor (`every_year_at_least`,
//! `keep_at_least`) is a level to hold every year, not a journey: it is 達成
//! or 未達, with its margin (value − floor) and no trajectory or 進捗率. A
//! tracked KPI has no status but the trend. Hands on a [`Progress`] per goal
//! and year; `check` also asks [`baseline_disagrees`] of each survey goal.

use crate::aggregate::model::{Progress, Status};
use crate::config::plan::{Direction, Goal, GoalKind};
use crate::config::year::FiscalYear;

/// How far, in points, plan.toml's baseline of a survey goal may lie from the
/// score computed for its baseline year before `check` warns that the plan
/// and the data disagree.
pub const BASELINE_TOLERANCE: f64 = 0.5;

/// Returns whether `a` is at least as good as `b` in the goal's direction.
fn at_least_as_good(goal: &Goal, a: f64, b: f64) -> bool {
    match goal.direction {
        Direction::Higher => a >= b,
        Direction::Lower => a <= b,
    }
}

/// Returns where a goal to reach should stand in `year`: the baseline plus
/// the share of the way the years have gone, held at the baseline before the
/// baseline year and at the target from the target year on. Floors and
/// tracked KPIs have none.
pub fn trajectory(goal: &Goal, year: FiscalYear) -> Option<f64> {
    match goal.kind {
        GoalKind::ReachAtLeast | GoalKind::ReachAtMost => {
            let ((by, b), (ty, t)) = (goal.baseline?, goal.target?);
            let span = f64::from(ty?.0 - by.0);
            if span <= 0.0 {
                return None;
            }
            let share = (f64::from(year.0 - by.0) / span).clamp(0.0, 1.0);
            Some(b + (t - b) * share)
        }
        GoalKind::EveryYearAtLeast | GoalKind::KeepAtLeast | GoalKind::Track => None,
    }
}

/// Returns 進捗率, (value − baseline) / (target − baseline), of a goal to
/// reach whose target lies ahead of its baseline in the goal's direction;
/// none for floors, tracked KPIs and a target that is no step forward.
pub fn achievement(goal: &Goal, value: f64) -> Option<f64> {
    if !matches!(goal.kind, GoalKind::ReachAtLeast | GoalKind::ReachAtMost) {
        return None;
    }
    let ((_, b), (_, t)) = (goal.baseline?, goal.target?);
    let ahead = match goal.direction {
        Direction::Higher => t > b,
        Direction::Lower => t < b,
    };
    ahead.then(|| (value - b) / (t - b))
}

/// Measures `value` of `year` against `goal`; `previous` is last year's value.
pub fn progress(goal: &Goal, year: FiscalYear, value: Option<f64>, previous: Option<f64>) -> Progress {
    let target = goal.target.map(|t| t.1);
    let trajectory = trajectory(goal, year);
    let floor = goal.kind.is_floor();
    let status = match (value, target) {
        (None, _) => Status::NoData,
        (Some(_), _) if goal.kind == GoalKind::Track => Status::Tracked,
        (Some(_), None) => Status::NoData,
        (Some(v), Some(t)) if at_least_as_good(goal, v, t) => Status::Achieved,
        // A floor is held or not; there is no way along to be on.
        (Some(_), Some(_)) if floor => Status::Missed,
        // In and after the target year no time is left to be on the way.
        (Some(_), Some(_)) if goal.target.and_then(|t| t.0).is_some_and(|ty| year >= ty) => Status::Missed,
        (Some(v), Some(_)) => {
            if trajectory.is_some_and(|tr| at_least_as_good(goal, v, tr)) {
                Status::OnTrack
            } else if goal.baseline.is_some_and(|(_, b)| !at_least_as_good(goal, v, b)) {
                Status::Worse
            } else {
                Status::Behind
            }
        }
    };
    Progress {
        id: goal.id.clone(),
        name: goal.name.clone(),
        unit: goal.unit.clone(),
        kind: goal.kind,
        year,
        baseline_year: goal.baseline.map(|b| b.0),
        baseline: goal.baseline.map(|b| b.1),
        target_year: goal.target.and_then(|t| t.0),
        target,
        value,
        previous,
        trajectory,
        achievement: value.and_then(|v| achievement(goal, v)),
        margin: if floor { value.zip(target).map(|(v, t)| v - t) } else { None },
        status,
    }
}

/// Returns whether plan.toml's baseline of a survey goal lies more than
/// [`BASELINE_TOLERANCE`] from `computed`, the organisation's score for the
/// goal's baseline year (the plan and the data then disagree, and statuses
/// near a line cannot be trusted).
pub fn baseline_disagrees(goal: &Goal, computed: f64) -> bool {
    goal.baseline.is_some_and(|(_, b)| (b - computed).abs() > BASELINE_TOLERANCE)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn goal(
        kind: GoalKind,
        direction: Direction,
        baseline: Option<(i32, f64)>,
        target: Option<(Option<i32>, f64)>,
    ) -> Goal {
        Goal {
            id: "g".into(),
            name: "g".into(),
            kind,
            direction,
            unit: "点".into(),
            baseline: baseline.map(|(y, v)| (FiscalYear(y), v)),
            target: target.map(|(y, v)| (y.map(FiscalYear), v)),
            section: String::new(),
            note: String::new(),
            focus: None,
        }
    }

    fn close(a: Option<f64>, b: f64) {
        let a = a.expect("a value");
        assert!((a - b).abs() < 1e-12, "{a} != {b}");
    }

    #[test]
    fn reach_at_least_follows_the_trajectory() {
        // 健康 54 (R4) -> 57 (R7): in R6 the trajectory is 56.
        let g = goal(GoalKind::ReachAtLeast, Direction::Higher, Some((2022, 54.0)), Some((Some(2025), 57.0)));
        let y = FiscalYear(2024);
        assert_eq!(trajectory(&g, y), Some(56.0));
        assert_eq!(progress(&g, y, Some(57.2), None).status, Status::Achieved);
        assert_eq!(progress(&g, y, Some(56.0), None).status, Status::OnTrack);
        assert_eq!(progress(&g, y, Some(55.0), None).status, Status::Behind);
        assert_eq!(progress(&g, y, Some(53.9), None).status, Status::Worse);
        assert_eq!(progress(&g, y, None, None).status, Status::NoData);
        let p = progress(&g, y, Some(55.5), None);
        close(p.achievement, 0.5);
        assert_eq!(p.margin, None, "a goal to reach has no margin");
    }

    #[test]
    fn reach_at_most_is_mirrored() {
        // 時間外勤務240時間超 10.7% (R3) -> 7% (R7).
        let g = goal(GoalKind::ReachAtMost, Direction::Lower, Some((2021, 10.7)), Some((Some(2025), 7.0)));
        let y = FiscalYear(2023);
        close(trajectory(&g, y), 8.85);
        assert_eq!(progress(&g, y, Some(6.9), None).status, Status::Achieved);
        assert_eq!(progress(&g, y, Some(8.5), None).status, Status::OnTrack);
        assert_eq!(progress(&g, y, Some(9.9), None).status, Status::Behind);
        assert_eq!(progress(&g, y, Some(11.0), None).status, Status::Worse);
        // 9.0% is (10.7 − 9.0) / (10.7 − 7.0) of the way.
        close(progress(&g, y, Some(9.0), None).achievement, 1.7 / 3.7);
    }

    #[test]
    fn a_goal_to_reach_not_reached_in_its_target_year_is_missed() {
        let g = goal(GoalKind::ReachAtLeast, Direction::Higher, Some((2022, 59.0)), Some((Some(2025), 65.0)));
        for year in [2025, 2026] {
            let y = FiscalYear(year);
            // On the trajectory (which is the target now) is only where the target is met.
            assert_eq!(progress(&g, y, Some(65.0), None).status, Status::Achieved);
            assert_eq!(progress(&g, y, Some(64.96), None).status, Status::Missed, "{year}: no time is left");
            assert_eq!(progress(&g, y, Some(58.0), None).status, Status::Missed, "{year}: below baseline too");
        }
        // The year before, the same values were behind and worse.
        let y = FiscalYear(2024);
        assert_eq!(progress(&g, y, Some(62.0), None).status, Status::Behind);
        assert_eq!(progress(&g, y, Some(58.0), None).status, Status::Worse);
        let g = goal(GoalKind::ReachAtMost, Direction::Lower, Some((2021, 10.7)), Some((Some(2025), 7.0)));
        assert_eq!(progress(&g, FiscalYear(2025), Some(7.04), None).status, Status::Missed);
        assert_eq!(progress(&g, FiscalYear(2025), Some(7.0), None).status, Status::Achieved);
    }

    #[test]
    fn a_floor_is_met_or_missed_with_its_margin() {
        // 総合 65 every year, 63 in R4.
        let g = goal(GoalKind::EveryYearAtLeast, Direction::Higher, Some((2022, 63.0)), Some((None, 65.0)));
        let y = FiscalYear(2024);
        let met = progress(&g, y, Some(65.0), None);
        assert_eq!(met.status, Status::Achieved);
        close(met.margin, 0.0);
        let missed = progress(&g, y, Some(64.0), None);
        assert_eq!(missed.status, Status::Missed, "above the baseline but below the floor");
        close(missed.margin, -1.0);
        assert_eq!(progress(&g, y, Some(62.0), None).status, Status::Missed, "below the baseline: still 未達");
        for p in [&met, &missed] {
            assert_eq!((p.trajectory, p.achievement), (None, None), "a floor has no trajectory or 進捗率");
        }
        // 育児休業 10% every year with a baseline of 50%: 11.1% is met by 1.1 points, never 「進捗率 97.2%」.
        let g = goal(GoalKind::EveryYearAtLeast, Direction::Higher, Some((2021, 50.0)), Some((None, 10.0)));
        let p = progress(&g, y, Some(11.1), None);
        assert_eq!(p.status, Status::Achieved);
        close(p.margin, 1.1);
        assert_eq!(p.achievement, None);
        let p = progress(&g, y, Some(8.0), None);
        assert_eq!(p.status, Status::Missed);
        close(p.margin, -2.0);
        // 法定雇用率 2.6% kept.
        let g = goal(GoalKind::KeepAtLeast, Direction::Higher, None, Some((None, 2.6)));
        assert_eq!(progress(&g, y, Some(2.7), None).status, Status::Achieved);
        let p = progress(&g, y, Some(2.5), None);
        assert_eq!(p.status, Status::Missed);
        close(p.margin, 2.5 - 2.6);
        assert_eq!(progress(&g, y, None, None).margin, None, "no value, no margin");
    }

    #[test]
    fn tracked_goals_get_no_status() {
        let g = goal(GoalKind::Track, Direction::Higher, Some((2022, 10.0)), None);
        let y = FiscalYear(2024);
        let p = progress(&g, y, Some(12.0), None);
        assert_eq!(p.status, Status::Tracked);
        assert_eq!((p.trajectory, p.achievement, p.margin), (None, None, None));
        assert_eq!(progress(&g, y, None, None).status, Status::NoData);
    }

    #[test]
    fn achievement_only_where_the_target_lies_ahead() {
        let y = FiscalYear(2024);
        let ahead = goal(GoalKind::ReachAtLeast, Direction::Higher, Some((2022, 59.0)), Some((Some(2025), 65.0)));
        close(progress(&ahead, y, Some(62.0), None).achievement, 0.5);
        // plan.toml refuses these, but the rule does not rely on it: a target
        // behind or at the baseline has no way to measure.
        let behind = goal(GoalKind::ReachAtLeast, Direction::Higher, Some((2022, 65.0)), Some((Some(2025), 59.0)));
        assert_eq!(progress(&behind, y, Some(62.0), None).achievement, None);
        let level = goal(GoalKind::ReachAtLeast, Direction::Higher, Some((2022, 65.0)), Some((Some(2025), 65.0)));
        assert_eq!(progress(&level, y, Some(62.0), None).achievement, None);
        let lower = goal(GoalKind::ReachAtMost, Direction::Lower, Some((2021, 7.0)), Some((Some(2025), 10.7)));
        assert_eq!(progress(&lower, y, Some(8.0), None).achievement, None);
    }

    #[test]
    fn a_value_that_reads_as_the_line_it_missed_gets_two_decimals() {
        let reach = goal(GoalKind::ReachAtLeast, Direction::Higher, Some((2022, 59.0)), Some((Some(2025), 65.0)));
        let floor = goal(GoalKind::EveryYearAtLeast, Direction::Higher, Some((2022, 63.0)), Some((None, 65.0)));
        // 未達 at 64.96, in the target year and below a floor: 65.0 would read as met.
        assert_eq!(progress(&reach, FiscalYear(2025), Some(64.96), None).value_decimals(), 2);
        assert_eq!(progress(&floor, FiscalYear(2024), Some(64.96), None).value_decimals(), 2);
        // Clearly short, met, or exactly on the line: one decimal.
        assert_eq!(progress(&reach, FiscalYear(2025), Some(64.4), None).value_decimals(), 1);
        assert_eq!(progress(&reach, FiscalYear(2025), Some(65.0), None).value_decimals(), 1);
        assert_eq!(progress(&floor, FiscalYear(2024), Some(65.04), None).value_decimals(), 1);
        // 遅れ just under the trajectory (63 in R6), 悪化 just under the baseline.
        assert_eq!(progress(&reach, FiscalYear(2024), Some(62.97), None).value_decimals(), 2);
        assert_eq!(progress(&reach, FiscalYear(2024), Some(58.98), None).value_decimals(), 2);
        // reach_at_most: 7.04 above a target of 7.0 in the target year.
        let most = goal(GoalKind::ReachAtMost, Direction::Lower, Some((2021, 10.7)), Some((Some(2025), 7.0)));
        assert_eq!(progress(&most, FiscalYear(2025), Some(7.04), None).value_decimals(), 2);
    }

    #[test]
    fn a_baseline_disagrees_beyond_half_a_point() {
        let g = goal(GoalKind::ReachAtLeast, Direction::Higher, Some((2022, 59.0)), Some((Some(2025), 65.0)));
        assert!(!baseline_disagrees(&g, 59.0));
        assert!(!baseline_disagrees(&g, 58.5), "exactly half a point is within");
        assert!(!baseline_disagrees(&g, 59.49));
        assert!(baseline_disagrees(&g, 58.49));
        assert!(baseline_disagrees(&g, 59.51));
        let no_baseline = goal(GoalKind::EveryYearAtLeast, Direction::Higher, None, Some((None, 65.0)));
        assert!(!baseline_disagrees(&no_baseline, 40.0));
    }
}
