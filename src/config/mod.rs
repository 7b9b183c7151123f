//! Configuration of a workspace: the questionnaire (survey.toml), the plan
//! (plan.toml), the organisation (org.csv) and fiscal years.

pub mod defaults;
pub mod org;
pub mod plan;
pub mod survey;
pub mod toml_errors;
pub mod year;
