//! Times the rendering of every packet of sample-data on one thread, with the
//! embedded templates or, given a folder, with templates from there:
//! `cargo bench --bench packets [-- TEMPLATES_DIR]`.

use std::time::Instant;

use ishiki::report::department::{self, PacketContext};
use ishiki::report::engine::{Engine, PdfMeta};

fn main() -> anyhow::Result<()> {
    let (ws, _) = ishiki::ingest::load(std::path::Path::new("sample-data"));
    let ws = ws.ok_or_else(|| anyhow::anyhow!("sample-data does not load"))?;
    let model = ishiki::aggregate::aggregate(&ws, ishiki::aggregate::Detail::FULL)?;
    let date = ishiki::clock::Date { year: 2025, month: 11, day: 25 };
    let ctx = PacketContext { survey: &ws.survey, plan: &ws.plan, date };
    let year = ishiki::config::year::FiscalYear(2025);
    // cargo bench passes `--bench`; the first other argument is a templates folder.
    let dir = std::env::args().skip(1).find(|a| !a.starts_with("--")).map(std::path::PathBuf::from);
    let engine = Engine::new(dir.as_deref())?;
    let codes: Vec<String> =
        department::departments_with_respondents(&model, year).into_iter().map(|(c, _)| c).collect();
    let mut built = Vec::new();
    for code in &codes {
        if let Some((doc, data)) = department::build(&model, &ctx, year, code) {
            let images = department::charts(&doc, &data)?;
            built.push((doc, images));
        }
    }
    let meta = PdfMeta { title: "t".into(), author: "a".into(), date, ident: "x".into() };
    for round in 0..2 {
        let started = Instant::now();
        for (doc, images) in &built {
            engine.render_pdf("department", doc, images.clone(), &meta)?;
        }
        println!("round {round}: {:.1} ms per packet", started.elapsed().as_secs_f64() * 1000.0 / built.len() as f64);
    }
    Ok(())
}
