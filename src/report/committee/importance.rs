//! The committee report's section on what matters most for how staff feel
//! about their workplace: the city's driver analysis and portfolio, and each
//! department's priority categories.

use super::*;
use crate::aggregate::drivers::{LARGE_GROUP, REPLICATES};
use crate::aggregate::model::{GroupDrivers, Quadrant};
use crate::report::importance::{DriverSummary, category_name, in_quadrant, outcome_lines, portfolio_caption, summary};

/// What the section prints.
#[derive(Debug, Clone, Serialize)]
pub struct DriverSection {
    /// Why there is no analysis this year (a sentence), if so.
    pub note: Option<String>,
    /// The outcome questions: `Q36 総合的に見て、…`.
    pub outcomes: Vec<String>,
    /// The city's results on them, one line each.
    pub outcome_results: Vec<String>,
    /// The city's analysis.
    pub city: Option<DriverSummary>,
    /// Departments with an analysis: their priority categories.
    pub departments: Vec<DeptDrivers>,
    /// The city by each demographic value with an analysis: its priorities.
    pub cuts: Vec<DeptDrivers>,
    /// Departments with respondents but no analysis (under 30 who answered everything, or values withheld).
    pub without: usize,
    /// Bootstrap resamples per group, as the methods section says it:
    /// `1,000回`, or with the fewer of the largest groups.
    pub replicates: String,
    /// Whether any group has an analysis (the methods section describes it).
    pub analysed: bool,
    /// The portfolio chart's caption, naming its quadrants as the chart does.
    pub caption: String,
}

/// A department's priorities.
#[derive(Debug, Clone, Serialize)]
pub struct DeptDrivers {
    /// Name with its 部.
    pub name: String,
    /// Respondents in the analysis.
    pub n: String,
    /// The most important category, or the first two joined by 「・」 when
    /// their order is not clear; marked 「※」 for a group under 100 (参考).
    pub top: String,
    /// Its 重点改善 categories, most important first, or 「なし」.
    pub improve: String,
}

pub(super) fn driver_section(model: &ScoresModel, y: &YearResult) -> DriverSection {
    let outcomes = model.outcomes.iter().map(|o| format!("{} {}", o.id, o.text)).collect();
    let outcome_results =
        y.group(ALL, None).and_then(Group::shown).map(|f| outcome_lines(model, f, None)).unwrap_or_default();
    let Some(d) = &y.drivers else {
        return DriverSection {
            note: Some("重要度の分析は行っていません。".into()),
            outcomes,
            outcome_results,
            city: None,
            departments: Vec::new(),
            cuts: Vec::new(),
            without: 0,
            replicates: String::new(),
            analysed: false,
            caption: portfolio_caption(None),
        };
    };
    let name_of = |c: usize| model.categories[c].name.clone();
    let priorities = |g: &GroupDrivers, name: String| {
        // The first is named alone only when its lead over the second is clear.
        let top = g.rank_differences.first().map(|r| {
            let named = if r.clear() {
                category_name(model, &r.higher)
            } else {
                format!("{}・{}", category_name(model, &r.higher), category_name(model, &r.lower))
            };
            if g.reference { format!("{named}※") } else { named }
        });
        let improve: Vec<String> = in_quadrant(g, Quadrant::Improve).iter().map(|&(c, _)| name_of(c)).collect();
        DeptDrivers {
            name,
            n: count(g.n),
            top: top.unwrap_or_default(),
            improve: if improve.is_empty() { "なし".into() } else { improve.join("・") },
        }
    };
    let departments: Vec<DeptDrivers> = d
        .groups
        .iter()
        .filter(|g| g.department != ALL && g.cut.is_none())
        .map(|g| {
            let name = y
                .groups
                .iter()
                .find(|x| x.department == g.department && x.cut.is_none())
                .map(|x| x.path_name.clone())
                .unwrap_or_default();
            priorities(g, name)
        })
        .collect();
    let cuts: Vec<DeptDrivers> = d
        .groups
        .iter()
        .filter(|g| g.department == ALL && g.cut.is_some())
        .map(|g| {
            priorities(g, format!("{}：{}", g.cut.clone().unwrap_or_default(), g.cut_value.clone().unwrap_or_default()))
        })
        .collect();
    let with_respondents = y.groups.iter().filter(|g| g.cut.is_none() && g.department != ALL).count();
    let fewest = d.groups.iter().map(|g| g.replicates).min();
    let replicates = match fewest {
        Some(f) if f < REPLICATES => format!(
            "{}回（ひとつの集団だけで完全な回答者が{}人を超える場合は、その人数に応じて減らし、最も少ない集団で{}回）",
            count(REPLICATES as u64),
            count(LARGE_GROUP as u64),
            count(f as u64)
        ),
        _ => format!("{}回", count(REPLICATES as u64)),
    };
    DriverSection {
        note: d.note.clone(),
        outcomes,
        outcome_results,
        city: d.group(ALL).map(|g| summary(model, &y.progress, g, "市全体")),
        analysed: !d.groups.is_empty(),
        without: with_respondents.saturating_sub(departments.len()),
        departments,
        cuts,
        replicates,
        caption: portfolio_caption(d.group(ALL)),
    }
}
