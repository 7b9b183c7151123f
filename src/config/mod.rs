//! Configuration of a workspace: the questionnaire (survey.toml, its
//! free-text questions in `comments`), the plan (plan.toml), the organisation
//! (org.csv) and fiscal years.

pub mod comments;
pub mod defaults;
pub mod headers;
pub mod org;
pub mod plan;
pub mod survey;
pub mod toml_errors;
pub mod year;
