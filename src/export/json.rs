//! The JSON export: the whole scores model — groups, categories, items, α,
//! response rates, plan progress, harassment results, and which groups are
//! hidden and why. Hidden groups hold only their reason.

use anyhow::Result;

use crate::aggregate::model::ScoresModel;

/// Renders the model as pretty-printed JSON.
pub fn render(model: &ScoresModel) -> Result<Vec<u8>> {
    let mut out = serde_json::to_vec_pretty(model)?;
    out.push(b'\n');
    Ok(out)
}
