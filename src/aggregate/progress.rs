//! Plan progress (DESIGN §6): a value of a year measured against its goal —
//! the trajectory from baseline to target, achievement (進捗率) and status.

use crate::aggregate::model::{Progress, Status};
use crate::config::plan::{Direction, Goal, GoalKind};
use crate::config::year::FiscalYear;

/// Returns where a goal should stand in `year`.
pub fn trajectory(goal: &Goal, year: FiscalYear) -> Option<f64> {
    match goal.kind {
        GoalKind::ReachAtLeast | GoalKind::ReachAtMost => {
            let ((by, b), (ty, t)) = (goal.baseline?, goal.target?);
            let ty = ty?;
            let span = f64::from(ty.0 - by.0);
            if span == 0.0 {
                return None;
            }
            let share = (f64::from(year.0 - by.0) / span).clamp(0.0, 1.0);
            Some(b + (t - b) * share)
        }
        GoalKind::EveryYearAtLeast | GoalKind::KeepAtLeast => goal.target.map(|t| t.1),
        GoalKind::Track => None,
    }
}

/// Measures `value` of `year` against `goal`.
pub fn progress(goal: &Goal, year: FiscalYear, value: Option<f64>, previous: Option<f64>) -> Progress {
    let traj = trajectory(goal, year);
    let target = goal.target.map(|t| t.1);
    let baseline = goal.baseline.map(|b| b.1);
    let achievement = match (value, baseline, target) {
        (Some(v), Some(b), Some(t)) if t != b => Some((v - b) / (t - b)),
        _ => None,
    };
    // `better(a, b)`: a is at least as good as b in the goal's direction.
    let better = |a: f64, b: f64| match goal.direction {
        Direction::Higher => a >= b,
        Direction::Lower => a <= b,
    };
    let status = match (value, goal.kind) {
        (None, _) => Status::NoData,
        (Some(_), GoalKind::Track) => Status::Tracked,
        (Some(v), _) => match target {
            None => Status::NoData,
            Some(t) if better(v, t) => Status::Achieved,
            Some(_) => {
                let worse_than_baseline = baseline.is_some_and(|b| !better(v, b));
                let on_trajectory = traj.is_some_and(|tr| better(v, tr));
                match goal.kind {
                    // Every-year goals have the target as their trajectory: missing it
                    // is 遅れ unless the value fell below the baseline.
                    GoalKind::EveryYearAtLeast | GoalKind::KeepAtLeast => {
                        if worse_than_baseline {
                            Status::Worse
                        } else {
                            Status::Behind
                        }
                    }
                    _ if on_trajectory => Status::OnTrack,
                    _ if worse_than_baseline => Status::Worse,
                    _ => Status::Behind,
                }
            }
        },
    };
    Progress {
        id: goal.id.clone(),
        name: goal.name.clone(),
        unit: goal.unit.clone(),
        kind: goal.kind,
        year,
        baseline_year: goal.baseline.map(|b| b.0),
        baseline,
        target_year: goal.target.and_then(|t| t.0),
        target,
        value,
        previous,
        trajectory: traj,
        achievement,
        status,
    }
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
        assert!((p.achievement.unwrap() - 0.5).abs() < 1e-12);
    }

    #[test]
    fn reach_at_most_is_mirrored() {
        // 時間外勤務240時間超 10.7% (R3) -> 7% (R7).
        let g = goal(GoalKind::ReachAtMost, Direction::Lower, Some((2021, 10.7)), Some((Some(2025), 7.0)));
        let y = FiscalYear(2023);
        let traj = trajectory(&g, y).unwrap();
        assert!((traj - 8.85).abs() < 1e-12);
        assert_eq!(progress(&g, y, Some(6.9), None).status, Status::Achieved);
        assert_eq!(progress(&g, y, Some(8.5), None).status, Status::OnTrack);
        assert_eq!(progress(&g, y, Some(9.9), None).status, Status::Behind);
        assert_eq!(progress(&g, y, Some(11.0), None).status, Status::Worse);
    }

    #[test]
    fn every_year_goals_are_met_or_not() {
        // 総合 65 every year, 63 in R4.
        let g = goal(GoalKind::EveryYearAtLeast, Direction::Higher, Some((2022, 63.0)), Some((None, 65.0)));
        let y = FiscalYear(2024);
        assert_eq!(progress(&g, y, Some(65.0), None).status, Status::Achieved);
        assert_eq!(progress(&g, y, Some(64.0), None).status, Status::Behind);
        assert_eq!(progress(&g, y, Some(62.0), None).status, Status::Worse);
        // 育児休業 10% every year with a baseline of 50% above it: below target is also below baseline.
        let g = goal(GoalKind::EveryYearAtLeast, Direction::Higher, Some((2021, 50.0)), Some((None, 10.0)));
        assert_eq!(progress(&g, y, Some(30.0), None).status, Status::Achieved);
        assert_eq!(progress(&g, y, Some(8.0), None).status, Status::Worse);
        let g = goal(GoalKind::KeepAtLeast, Direction::Higher, None, Some((None, 2.6)));
        assert_eq!(progress(&g, y, Some(2.7), None).status, Status::Achieved);
        assert_eq!(progress(&g, y, Some(2.5), None).status, Status::Behind);
        let g = goal(GoalKind::Track, Direction::Higher, None, None);
        assert_eq!(progress(&g, y, Some(12.0), None).status, Status::Tracked);
        assert_eq!(progress(&g, y, None, None).status, Status::NoData);
    }
}
