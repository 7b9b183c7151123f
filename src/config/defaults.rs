//! The default workspace files `ishiki init` writes: Osaki City's plan and the
//! default questionnaire of DESIGN §3, with a Japanese comment on every field.

/// The default survey.toml.
pub const SURVEY_TOML: &str = include_str!("default_survey.toml");

/// The default plan.toml (大崎市人財育成アクションプラン, 令和5年2月).
pub const PLAN_TOML: &str = include_str!("default_plan.toml");

/// The org.csv template `init` writes: the header and one example row per level.
pub const ORG_CSV_TEMPLATE: &str = "year,code,name,parent,headcount,previous_codes\n";

/// Positive wordings of the default questionnaire's reverse-worded items, for
/// a survey.toml written before items had a `label`: (question text, label).
const POSITIVE_LABELS: [(&str, &str); 2] = [
    ("強いストレスを感じることが多い", "強いストレスを感じることが少ない"),
    ("疲労が翌日まで残ることが多い", "疲労が翌日まで残ることが少ない"),
];

/// Returns the default questionnaire's positive wording of a reverse-worded
/// item, found by its text.
pub fn positive_label(text: &str) -> Option<String> {
    POSITIVE_LABELS.iter().find(|(t, _)| *t == text).map(|(_, l)| l.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::plan::{GoalKind, Plan};
    use crate::config::survey::Survey;
    use crate::config::year::FiscalYear;

    #[test]
    fn default_survey_is_the_design_questionnaire() {
        let survey = Survey::from_toml("survey.toml", SURVEY_TOML).unwrap();
        assert_eq!(survey.items.len(), 35);
        let outcomes: Vec<&str> = survey.outcomes.iter().map(|o| o.id.as_str()).collect();
        assert_eq!(outcomes, ["Q36", "Q37"]);
        let ids: Vec<&str> = survey.categories.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(
            ids,
            ["self_growth", "job", "relationships", "support", "recognition", "health", "environment", "culture"]
        );
        let reversed: Vec<&str> = survey.items.iter().filter(|i| i.reverse).map(|i| i.id.as_str()).collect();
        assert_eq!(reversed, ["Q22", "Q23"]);
        let labels: Vec<&str> = survey.items.iter().filter(|i| i.reverse).map(|i| i.label.as_str()).collect();
        assert_eq!(labels, ["強いストレスを感じることが少ない", "疲労が翌日まで残ることが少ない"]);
        assert_eq!(survey.scale.labels[4], "そう思う");
        assert_eq!(survey.min_group_size, 5);
        assert_eq!(survey.harassment.as_ref().unwrap().min_group_size, 10);
        assert!(survey.categories.iter().all(|c| c.discussion.len() == 3));
    }

    #[test]
    fn default_plan_holds_section_iv() {
        let survey = Survey::from_toml("survey.toml", SURVEY_TOML).unwrap();
        let plan = Plan::from_toml("plan.toml", PLAN_TOML, Some(&survey)).unwrap();
        let health = plan.survey_target("health").unwrap();
        assert_eq!(health.baseline, Some((FiscalYear(2022), 54.0)));
        assert_eq!(health.target, Some((Some(FiscalYear(2025)), 57.0)));
        let overall = plan.survey_target("overall").unwrap();
        assert_eq!(overall.kind, GoalKind::EveryYearAtLeast);
        assert_eq!(overall.target.map(|t| t.1), Some(65.0));
        assert_eq!(plan.measures.len(), 56);
        let health_measures: Vec<&str> = plan.measures_for("health").iter().map(|m| m.number.as_str()).collect();
        assert_eq!(health_measures, ["Ⅲ-3 (1)", "Ⅲ-3 (2)", "Ⅲ-3 (3)", "Ⅲ-3 (4)", "Ⅲ-3 (5)", "Ⅲ-3 (6)"]);
        for cat in &survey.categories {
            assert!(plan.survey_target(&cat.id).is_some(), "{}", cat.id);
            assert!(!plan.measures_for(&cat.id).is_empty(), "{}", cat.id);
        }
        // The plan's own remark on 30代, from plan.toml (not written into the report).
        let (goal, focus) = plan.focus().unwrap();
        assert_eq!(
            (goal.name.as_str(), focus.demographic.as_str(), focus.value.as_str()),
            ("30代職員の構成割合", "年代", "30代")
        );
    }

    #[test]
    fn a_focus_must_name_a_demographic_value_of_the_survey() {
        let survey = Survey::from_toml("survey.toml", SURVEY_TOML).unwrap();
        for (focus, message) in [
            (
                r#"{ demographic = "年齢", value = "30代" }"#,
                "focus の属性「年齢」は survey.toml の demographics にありません",
            ),
            (r#"{ demographic = "年代", value = "35歳" }"#, "focus の値「35歳」は属性「年代」の選択肢"),
        ] {
            let text = PLAN_TOML.replace(r#"{ demographic = "年代", value = "30代" }"#, focus);
            let problems = Plan::from_toml("plan.toml", &text, Some(&survey)).unwrap_err();
            assert_eq!(problems.errors.len(), 1, "{:?}", problems.errors);
            let shown = problems.errors[0].to_string();
            assert!(shown.starts_with("plan.toml:") && shown.contains(message), "{shown}");
        }
        let without = PLAN_TOML.replace("focus = { demographic = \"年代\", value = \"30代\" }\n", "");
        assert!(Plan::from_toml("plan.toml", &without, Some(&survey)).unwrap().focus().is_none());
    }
}
