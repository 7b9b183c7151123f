//! Rendering of the PDF reports: the committee report and the department
//! packets both stand on the same two parts.
//!
//! [`engine`] holds the Typst engine, built once with the embedded fonts and
//! templates and shared by every render (also across rayon threads); it turns
//! a serde model, SVG charts and document metadata into PDF/A-2b bytes.
//! [`charts`] draws the charts as SVG strings with plotters, in the same font,
//! for the templates to place.

pub mod charts;
pub mod committee;
pub mod department;
pub mod engine;
pub mod format;
pub mod importance;
pub mod improvements;

use anyhow::Result;

use crate::aggregate::model::ScoresModel;
use crate::clock::Date;
use crate::comments::summary::QuestionSummary;
use crate::config::year::FiscalYear;
use crate::report::department::PacketContext;
use crate::report::engine::{Engine, PdfMeta};

/// Renders the committee report of `year` to PDF bytes, with the section on
/// the staff's comments when `comments` is given.
pub fn render_committee(
    engine: &Engine,
    model: &ScoresModel,
    year: FiscalYear,
    date: Date,
    comments: Option<&[QuestionSummary]>,
) -> Result<Vec<u8>> {
    let doc = committee::build(model, year, date, comments)?;
    let mut images = committee::charts(model, year)?;
    if let Some(summaries) = comments {
        images.extend(committee::comment_charts(summaries)?);
    }
    let meta = PdfMeta {
        title: doc.title.clone(),
        author: doc.organization.clone(),
        date,
        ident: format!("committee-{}", year.0),
    };
    Ok(engine.render_pdf("committee", &doc, images, &meta)?)
}

/// Renders the packet of department `code` for `year` to PDF bytes.
pub fn render_packet(
    engine: &Engine,
    model: &ScoresModel,
    ctx: &PacketContext<'_>,
    year: FiscalYear,
    code: &str,
) -> Result<Vec<u8>> {
    let Some((doc, data)) = department::build(model, ctx, year, code) else {
        anyhow::bail!("所属「{code}」は{}の回答がある所属にありません", year.era());
    };
    let images = department::charts(&doc, &data)?;
    let meta = PdfMeta {
        title: format!("{}（{}）", doc.title, doc.name),
        author: doc.organization.clone(),
        date: ctx.date,
        ident: format!("department-{}-{code}", year.0),
    };
    Ok(engine.render_pdf("department", &doc, images, &meta)?)
}
