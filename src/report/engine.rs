//! The Typst engine the reports are rendered with: fonts and templates are
//! loaded once into an [`Engine`], which is `Send + Sync` and shared by every
//! render, also from rayon threads.
//!
//! A render takes a template name, a serde model (it becomes
//! `sys.inputs.data` as structured Typst values, never pasted into markup),
//! charts (`sys.inputs.images.<name>`: a dictionary of the chart's `svg`
//! bytes, `width` and `height` in points and its text `labels`, drawn by
//! `chart-image` in style.typ) and a [`PdfMeta`] (`sys.inputs.meta`), and
//! hands back the bytes of a PDF/A-2b file with the title, author and a fixed
//! timestamp from the metadata, so identical inputs give identical bytes.
//!
//! Fonts: BIZ UDPGothic Regular and Bold, embedded in the binary; no system
//! font is ever looked up. Templates: `report-templates/*.typ`, embedded; a
//! folder given with `--templates DIR` replaces any of them by a file of the
//! same name and can hold further files (helpers, a logo) the templates use.
//!
//! Anything Typst warns about (an unknown font family, say) is treated as an
//! error, and PDF/A-2b turns a glyph missing from the font into an error too:
//! a tofu box in a report is a bug, not a cosmetic issue.
//!
//! Threads: Typst itself lays out and exports with rayon, so every render
//! runs on the engine's own rayon pool (64 MB stacks). Callers may render
//! many reports at once from rayon (`par_iter`) or from plain threads; a
//! rayon worker is parked on a plain thread while its render runs, so it
//! cannot start other renders on top of it (see [`Engine::render_pdf`]).
//! Measured in release on 2 cores (`timing::render_timing`): a three-page
//! packet with two charts takes about 12 ms on one core, 9–10 ms with
//! Typst's own parallelism, and 7–8 ms per packet when rendering many at
//! once with rayon (about 7 ms with plain threads).

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::Serialize;
use typst::diag::{Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Dict, IntoValue, Smart, Value};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::{World, WorldExt};
use typst_as_lib::{TypstEngine, TypstTemplateCollection};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::clock::Date;
use crate::report::charts::Chart;

/// Family name of the embedded font, as the templates name it and as the charts measure text with it.
pub const FONT_FAMILY: &str = "BIZ UDPGothic";

/// BIZ UDPGothic Regular (SIL Open Font License 1.1, report-templates/fonts/OFL.txt).
pub static FONT_REGULAR: &[u8] = include_bytes!("../../report-templates/fonts/BIZUDPGothic-Regular.ttf");

/// BIZ UDPGothic Bold (SIL Open Font License 1.1, report-templates/fonts/OFL.txt).
pub static FONT_BOLD: &[u8] = include_bytes!("../../report-templates/fonts/BIZUDPGothic-Bold.ttf");

/// The templates built into the binary: file name and source. Adding a
/// template to the reports is one line here.
const EMBEDDED_TEMPLATES: &[(&str, &str)] = &[
    ("style.typ", include_str!("../../report-templates/style.typ")),
    ("committee.typ", include_str!("../../report-templates/committee.typ")),
    ("department.typ", include_str!("../../report-templates/department.typ")),
];

/// How many renders a cached Typst result may go unused before comemo drops
/// it (comemo's cache is process-wide). Reports differ in their data, which
/// is injected into Typst's library, so little carries over from one report
/// to the next; what matters is that a render's own entries survive while
/// it runs (Typst lays out a document several times and reuses them) even
/// when another thread evicts, and that memory stays flat over hundreds of
/// packets. Measured on 200 three-page packets with two charts (release,
/// 2 cores; `timing::render_timing`): ages 0, 4 and no eviction all take
/// 9–11 ms per packet on one thread and 7–9 ms with rayon, but without
/// eviction memory grows by about 2 MB per packet (740 MB peak for 400
/// packets) while age 4 stays at 77 MB.
const EVICT_MAX_AGE: usize = 4;

/// Stack size of the threads Typst runs on: layout recurses deeply.
const TYPST_STACK: usize = 64 << 20;

/// The threads every render runs on, one per core. Typst parallelises its
/// own layout and export with rayon; inside this pool that work stays apart
/// from whatever rayon pool the caller renders many reports with. `None`
/// if the threads cannot be started; renders then run on the caller's thread.
fn typst_pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .thread_name(|i| format!("ishiki-typst-{i}"))
            .stack_size(TYPST_STACK)
            .build()
            .ok()
    })
    .as_ref()
}

/// The Japan Standard Time offset of the PDF timestamp, in minutes.
const JST_MINUTES: i32 = 9 * 60;

/// Metadata of a rendered PDF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfMeta {
    /// Document title (PDF metadata and `sys.inputs.meta.title`).
    pub title: String,
    /// Author, e.g. the organisation (PDF metadata and `sys.inputs.meta.author`).
    pub author: String,
    /// The document date: the PDF's creation timestamp (00:00 JST that day)
    /// and `sys.inputs.meta.date` for the cover.
    pub date: Date,
    /// A stable identifier of the document, e.g. `committee-2025` or
    /// `department-2025-A010`; the PDF's document ID is derived from it.
    pub ident: String,
}

/// One problem Typst reported, with its place in a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// `file:line:column`; the file is a path for a template read from the
    /// override folder, else the embedded template's name. `None` when Typst
    /// gives no place (most PDF export errors).
    pub place: Option<String>,
    /// Whether Typst only warned (treated as an error all the same).
    pub warning: bool,
    /// Typst's message (in English).
    pub message: String,
    /// Typst's hints.
    pub hints: Vec<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(place) = &self.place {
            write!(f, "{place}: ")?;
        }
        if self.warning {
            write!(f, "警告（エラーとして扱います）: ")?;
        }
        write!(f, "{}", self.message)?;
        for hint in &self.hints {
            write!(f, "（ヒント: {hint}）")?;
        }
        Ok(())
    }
}

/// Why the engine could not be built or a report not rendered.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The `--templates` folder cannot be read.
    #[error("テンプレートのフォルダ「{}」を開けません: {source}", path.display())]
    TemplateDir {
        /// The folder.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A template file in the `--templates` folder cannot be read.
    #[error("テンプレート「{}」を読めません: {source}", path.display())]
    TemplateRead {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A template file is not UTF-8 text.
    #[error("テンプレート「{}」は UTF-8 のテキストではありません。UTF-8 で保存し直してください", path.display())]
    TemplateEncoding {
        /// The file.
        path: PathBuf,
    },
    /// A render asked for a template the engine does not have.
    #[error("テンプレート「{name}」はありません（あるのは {available}）")]
    UnknownTemplate {
        /// The name asked for.
        name: String,
        /// The names there are, joined for the message.
        available: String,
    },
    /// A template name that is not a plain file name ending in `.typ`.
    #[error("テンプレート名「{name}」は使えません（フォルダを含まない「名前.typ」にしてください）")]
    BadTemplateName {
        /// The name given.
        name: String,
    },
    /// The data or images could not be turned into Typst values.
    #[error("レポートのデータを Typst に渡せません: {0}")]
    Data(String),
    /// Typst could not compile the template, or warned.
    #[error("テンプレート「{template}」を組版できません:\n{}", list(diagnostics))]
    Compile {
        /// The template rendered.
        template: String,
        /// What Typst reported.
        diagnostics: Vec<Diagnostic>,
    },
    /// The PDF/A-2b export failed, e.g. a character the font lacks.
    #[error("テンプレート「{template}」から PDF/A-2b を書き出せません:\n{}", list(diagnostics))]
    Pdf {
        /// The template rendered.
        template: String,
        /// What Typst reported.
        diagnostics: Vec<Diagnostic>,
    },
}

fn list(diagnostics: &[Diagnostic]) -> String {
    diagnostics.iter().map(|d| format!("  {d}")).collect::<Vec<_>>().join("\n")
}

/// Where a template's source came from, for messages.
#[derive(Debug, Clone)]
enum Origin {
    Embedded,
    File(PathBuf),
    Extra,
}

/// The Typst engine: fonts, templates and PDF settings, built once.
pub struct Engine {
    typst: TypstEngine<TypstTemplateCollection>,
    templates: BTreeMap<String, (FileId, Origin)>,
    standards: PdfStandards,
    /// comemo's eviction age after each render, [`EVICT_MAX_AGE`] but in
    /// the timing test.
    evict_max_age: Option<usize>,
}

// The engine is shared by reference across rayon threads.
const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Engine>();
};

impl fmt::Debug for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Engine").field("templates", &self.templates.keys().collect::<Vec<_>>()).finish()
    }
}

impl Engine {
    /// Builds the engine from the embedded fonts and templates; a template
    /// of the same name in `override_dir` replaces the embedded one, and
    /// other files there can be used by the templates.
    pub fn new(override_dir: Option<&Path>) -> Result<Engine, EngineError> {
        Engine::with_extra_templates(override_dir, std::iter::empty::<(String, String)>())
    }

    /// Builds the engine like [`Engine::new`] and adds templates given as
    /// (name, source) pairs, e.g. a test's or an example's own template.
    /// An extra template replaces an embedded or overriding one of the same name.
    pub fn with_extra_templates<I, N, S>(override_dir: Option<&Path>, extra: I) -> Result<Engine, EngineError>
    where
        I: IntoIterator<Item = (N, S)>,
        N: Into<String>,
        S: Into<String>,
    {
        let mut sources: BTreeMap<String, (String, Origin)> = EMBEDDED_TEMPLATES
            .iter()
            .map(|(name, source)| (name.to_string(), (source.to_string(), Origin::Embedded)))
            .collect();
        if let Some(dir) = override_dir {
            read_overrides(dir, &mut sources)?;
        }
        for (name, source) in extra {
            sources.insert(name.into(), (source.into(), Origin::Extra));
        }

        let mut templates = BTreeMap::new();
        let mut typst_sources = Vec::with_capacity(sources.len());
        for (name, (source, origin)) in sources {
            let id = file_id(&name).ok_or_else(|| EngineError::BadTemplateName { name: name.clone() })?;
            typst_sources.push(Source::new(id, source));
            templates.insert(name, (id, origin));
        }

        let mut builder = TypstEngine::builder()
            // All faces in one call: a second `.fonts()` replaces the first.
            .fonts([FONT_REGULAR, FONT_BOLD])
            .with_static_source_file_resolver(typst_sources)
            .comemo_evict_max_age(None);
        if let Some(dir) = override_dir {
            builder = builder.with_file_system_resolver(dir);
        }
        let standards = PdfStandards::new(&[PdfStandard::A_2b])
            .map_err(|e| EngineError::Data(format!("PDF/A-2b を設定できません: {}", e.message())))?;
        Ok(Engine { typst: builder.build(), templates, standards, evict_max_age: Some(EVICT_MAX_AGE) })
    }

    /// Returns the names of the templates the engine has, sorted.
    pub fn templates(&self) -> Vec<&str> {
        self.templates.keys().map(String::as_str).collect()
    }

    /// Renders `template` (e.g. `committee.typ`; `.typ` may be left off)
    /// with `data` as `sys.inputs.data`, the SVG charts as
    /// `sys.inputs.images.<name>` and the metadata as `sys.inputs.meta`
    /// (`title`, `author`, `date` as a Typst datetime, `date_ja` such as
    /// 令和7年11月25日, `ident`), and returns the PDF/A-2b bytes.
    pub fn render_pdf<T: Serialize + ?Sized>(
        &self,
        template: &str,
        data: &T,
        images: Vec<(String, Chart)>,
        meta: &PdfMeta,
    ) -> Result<Vec<u8>, EngineError> {
        let name = if template.ends_with(".typ") { template.to_string() } else { format!("{template}.typ") };
        let Some((id, _)) = self.templates.get(&name) else {
            return Err(EngineError::UnknownTemplate { name, available: self.templates().join("、") });
        };
        let inputs = inputs(data, images, meta)?;
        let timestamp = timestamp(meta)?;
        let id = *id;
        let work = move || self.render(id, &name, inputs, timestamp, meta);
        match typst_pool() {
            None => work(),
            // A rayon worker that waits for another pool keeps taking jobs
            // from its own pool meanwhile, and would start further renders
            // on top of this one: deep stacks (a stack overflow with one
            // rayon thread) and many documents in memory at once. A plain
            // thread waits for it without taking anything.
            Some(pool) if rayon::current_thread_index().is_some() => std::thread::scope(|s| {
                s.spawn(|| pool.install(work)).join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            }),
            Some(pool) => pool.install(work),
        }
    }

    /// Compiles and exports on the current thread, then evicts comemo's cache.
    fn render(
        &self,
        id: FileId,
        name: &str,
        inputs: Dict,
        timestamp: Timestamp,
        meta: &PdfMeta,
    ) -> Result<Vec<u8>, EngineError> {
        let world = self.typst.world_builder(id).with_inputs(inputs).build().map_err(|e| EngineError::Compile {
            template: name.to_string(),
            diagnostics: vec![Diagnostic { place: None, warning: false, message: e.to_string(), hints: vec![] }],
        })?;
        let result = self.compile_and_export(&world, name, timestamp, meta);
        drop(world);
        // Eviction is process-wide; under threads one render's eviction also
        // ages the others' entries, which costs speed, never correctness.
        if let Some(max_age) = self.evict_max_age {
            typst::comemo::evict(max_age);
        }
        result
    }

    fn compile_and_export(
        &self,
        world: &dyn World,
        name: &str,
        timestamp: Timestamp,
        meta: &PdfMeta,
    ) -> Result<Vec<u8>, EngineError> {
        let warned = typst::compile::<PagedDocument>(world);
        let mut document = warned.output.map_err(|errors| EngineError::Compile {
            template: name.to_string(),
            diagnostics: errors.iter().chain(&warned.warnings).map(|d| self.diagnostic(world, d)).collect(),
        })?;
        if !warned.warnings.is_empty() {
            return Err(EngineError::Compile {
                template: name.to_string(),
                diagnostics: warned.warnings.iter().map(|d| self.diagnostic(world, d)).collect(),
            });
        }

        // The metadata comes from the caller, whatever the template sets, so
        // every report carries title, author and the fixed date.
        let info = document.info_mut();
        info.title = Some(meta.title.as_str().into());
        info.author = vec![meta.author.as_str().into()];
        info.date = Smart::Auto;

        let options = PdfOptions {
            ident: Smart::Custom(meta.ident.clone()),
            creator: Smart::Custom(Some(format!("ishiki {}", env!("CARGO_PKG_VERSION")))),
            timestamp: Some(timestamp),
            page_ranges: None,
            standards: self.standards.clone(),
            tagged: true,
            pretty: false,
        };
        typst_pdf::pdf(&document, &options).map_err(|errors| EngineError::Pdf {
            template: name.to_string(),
            diagnostics: errors.iter().map(|d| self.diagnostic(world, d)).collect(),
        })
    }

    /// Turns a Typst diagnostic into one with `file:line:column`.
    fn diagnostic(&self, world: &dyn World, d: &SourceDiagnostic) -> Diagnostic {
        let place = d.span.id().zip(world.range(d.span)).and_then(|(id, range)| {
            let source = world.source(id).ok()?;
            let (line, column) = source.lines().byte_to_line_column(range.start)?;
            let path = id.vpath().get_without_slash().to_string();
            let shown = match self.templates.get(&path) {
                Some((_, Origin::File(file))) => file.display().to_string(),
                _ => path,
            };
            Some(format!("{shown}:{}:{}", line + 1, column + 1))
        });
        Diagnostic {
            place,
            warning: d.severity == Severity::Warning,
            message: d.message.to_string(),
            hints: d.hints.iter().map(|h| h.v.to_string()).collect(),
        }
    }
}

/// Reads the templates of `dir` that replace embedded ones.
fn read_overrides(dir: &Path, sources: &mut BTreeMap<String, (String, Origin)>) -> Result<(), EngineError> {
    let entries = std::fs::read_dir(dir).map_err(|source| EngineError::TemplateDir { path: dir.into(), source })?;
    let mut paths = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| EngineError::TemplateDir { path: dir.into(), source })?;
        paths.push(entry.path());
    }
    paths.sort();
    for path in paths {
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else { continue };
        if !sources.contains_key(name) {
            // Not a built-in template: left to the file-system resolver, so
            // a template can import or show it.
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|source| EngineError::TemplateRead { path: path.clone(), source })?;
        let text = String::from_utf8(bytes).map_err(|_| EngineError::TemplateEncoding { path: path.clone() })?;
        // A BOM (Windows Notepad) would end up as a character in the document.
        let text = text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text);
        sources.insert(name.to_string(), (text, Origin::File(path)));
    }
    Ok(())
}

/// Returns the Typst file id of a template name such as `committee.typ`.
fn file_id(name: &str) -> Option<FileId> {
    if name.is_empty() || name.contains(['/', '\\']) || !name.ends_with(".typ") {
        return None;
    }
    let vpath = VirtualPath::new(name).ok()?;
    Some(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

/// Builds `sys.inputs`: `data`, `images` and `meta`.
fn inputs<T: Serialize + ?Sized>(data: &T, images: Vec<(String, Chart)>, meta: &PdfMeta) -> Result<Dict, EngineError> {
    let data = typst_value(data)?;

    let mut image_dict = Dict::new();
    for (name, chart) in images {
        let key: typst::foundations::Str = name.as_str().into();
        if image_dict.contains(&key) {
            return Err(EngineError::Data(format!("画像「{name}」が二つあります")));
        }
        let mut dict = Dict::new();
        dict.insert("width".into(), chart.width.into_value());
        dict.insert("height".into(), chart.height.into_value());
        dict.insert("labels".into(), typst_value(&chart.labels)?);
        dict.insert("svg".into(), Bytes::new(chart.svg.into_bytes()).into_value());
        image_dict.insert(key, dict.into_value());
    }

    let date = Datetime::from_ymd(meta.date.year, month_day(meta.date.month)?, month_day(meta.date.day)?)
        .ok_or_else(|| EngineError::Data(format!("日付 {} は暦にありません", meta.date)))?;
    let mut meta_dict = Dict::new();
    meta_dict.insert("title".into(), meta.title.as_str().into_value());
    meta_dict.insert("author".into(), meta.author.as_str().into_value());
    meta_dict.insert("date".into(), date.into_value());
    meta_dict.insert("date_ja".into(), meta.date.japanese().into_value());
    meta_dict.insert("ident".into(), meta.ident.as_str().into_value());

    let mut inputs = Dict::new();
    inputs.insert("data".into(), data);
    inputs.insert("images".into(), image_dict.into_value());
    inputs.insert("meta".into(), meta_dict.into_value());
    Ok(inputs)
}

/// A serde value as a Typst value (through JSON: numbers, strings, arrays,
/// dictionaries, `none`).
fn typst_value<T: Serialize + ?Sized>(value: &T) -> Result<Value, EngineError> {
    let json = serde_json::to_value(value).map_err(|e| EngineError::Data(e.to_string()))?;
    serde::Deserialize::deserialize(json).map_err(|e: serde_json::Error| EngineError::Data(e.to_string()))
}

fn month_day(n: u32) -> Result<u8, EngineError> {
    u8::try_from(n).map_err(|_| EngineError::Data(format!("日付の月日 {n} が範囲外です")))
}

/// The PDF timestamp: 00:00 JST of the document date.
fn timestamp(meta: &PdfMeta) -> Result<Timestamp, EngineError> {
    let bad = || EngineError::Data(format!("日付 {} は暦にありません", meta.date));
    let datetime =
        Datetime::from_ymd_hms(meta.date.year, month_day(meta.date.month)?, month_day(meta.date.day)?, 0, 0, 0)
            .ok_or_else(bad)?;
    Timestamp::new_local(datetime, JST_MINUTES).ok_or_else(bad)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::charts::{self, Cell, TrendChart, TrendSeries};
    use std::process::Command;

    /// The templates read from the override folder, sorted.
    fn overridden(engine: &Engine) -> Vec<&Path> {
        engine
            .templates
            .values()
            .filter_map(|(_, origin)| match origin {
                Origin::File(path) => Some(path.as_path()),
                _ => None,
            })
            .collect()
    }

    const TEMPLATE: &str = r#"#import sys: inputs
#import "style.typ": *
#show: house-style
#let d = inputs.data
= #d.title
#d.org の職員意識調査です。総合得点は #d.scores.at(0) 点、前年より #(d.scores.at(0) - d.scores.at(1)) 点の変化です。
#if d.missing == none [欠損値は none として届きます。]
#chart(inputs.images.trend, caption: [人間関係の推移])
発行日 #inputs.meta.date_ja（#inputs.meta.date.display("[year]")年）
"#;

    fn meta() -> PdfMeta {
        PdfMeta {
            title: "職員意識調査 結果報告書".to_string(),
            author: "架空市 総務部 人事課".to_string(),
            date: Date { year: 2025, month: 11, day: 25 },
            ident: "test-report".to_string(),
        }
    }

    #[derive(Serialize)]
    struct Data {
        title: &'static str,
        org: &'static str,
        scores: Vec<f64>,
        missing: Option<f64>,
    }

    fn data() -> Data {
        Data { title: "令和7年度 結果の概要", org: "架空市", scores: vec![62.5, 60.0], missing: None }
    }

    fn chart() -> Chart {
        charts::trend_lines(&TrendChart {
            years: vec!["R4".into(), "R5".into(), "R6".into(), "R7".into()],
            series: vec![TrendSeries {
                name: "人間関係".into(),
                values: vec![Cell::Value(58.0), Cell::Value(59.5), Cell::Hidden, Cell::Value(61.2)],
            }],
            ..TrendChart::default()
        })
        .expect("a trend chart")
    }

    fn engine() -> Engine {
        Engine::with_extra_templates(None, [("test.typ", TEMPLATE)]).unwrap()
    }

    fn pdftotext(pdf: &[u8]) -> String {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.pdf");
        std::fs::write(&path, pdf).unwrap();
        let out = Command::new("pdftotext").arg(&path).arg("-").output().expect("pdftotext (poppler-utils) runs");
        assert!(out.status.success());
        // Typst puts a quarter em between Japanese and Latin letters or
        // digits, which pdftotext shows as spaces; lines break anywhere.
        String::from_utf8(out.stdout).unwrap().split_whitespace().collect()
    }

    fn squeeze(s: &str) -> String {
        s.split_whitespace().collect()
    }

    fn pdfinfo(pdf: &[u8]) -> String {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.pdf");
        std::fs::write(&path, pdf).unwrap();
        let out = Command::new("pdfinfo").arg("-isodates").arg(&path).output().expect("pdfinfo runs");
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    }

    #[test]
    fn renders_japanese_pdf_a_with_structured_data_and_a_chart() {
        let engine = engine();
        let pdf = engine.render_pdf("test", &data(), vec![("trend".into(), chart())], &meta()).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));

        let text = pdftotext(&pdf);
        // Markup text, structured data (arithmetic on numbers, none), metadata
        // and the SVG chart's own labels all come out as text.
        for expected in [
            "令和7年度 結果の概要",
            "架空市 の職員意識調査です。総合得点は 62.5 点、前年より 2.5 点の変化です。",
            "欠損値は none として届きます。",
            "発行日 令和7年11月25日（2025年）",
            "人間関係の推移",
            "人間関係",
            "61.2",
            "非表示",
        ] {
            assert!(text.contains(&squeeze(expected)), "pdftotext lacks {expected:?}:\n{text}");
        }

        let info = pdfinfo(&pdf);
        assert!(info.contains("Title:           職員意識調査 結果報告書"), "{info}");
        assert!(info.contains("Author:          架空市 総務部 人事課"), "{info}");
        assert!(info.contains("CreationDate:    2025-11-25T00:00:00+09"), "{info}");
        let xmp = String::from_utf8_lossy(&pdf);
        assert!(xmp.contains("<pdfaid:part>2</pdfaid:part>"), "no PDF/A-2 identification");
        assert!(xmp.contains("<pdfaid:conformance>B</pdfaid:conformance>"), "no PDF/A-2b conformance");
    }

    #[test]
    fn output_is_byte_identical_across_renders_and_threads() {
        let engine = engine();
        let render = || engine.render_pdf("test.typ", &data(), vec![("trend".into(), chart())], &meta()).unwrap();
        let first = render();
        assert_eq!(first, render(), "two renders in one process differ");
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..4).map(|_| s.spawn(render)).collect();
            for h in handles {
                assert_eq!(first, h.join().unwrap(), "a render on another thread differs");
            }
        });
        // A fresh engine gives the same bytes too.
        assert_eq!(
            first,
            Engine::with_extra_templates(None, [("test.typ", TEMPLATE)])
                .unwrap()
                .render_pdf("test.typ", &data(), vec![("trend".into(), chart())], &meta())
                .unwrap()
        );
    }

    #[test]
    fn rayon_callers_get_identical_bytes_and_no_stack_overflow() {
        use rayon::prelude::*;
        let engine = engine();
        let expected = engine.render_pdf("test.typ", &data(), vec![("trend".into(), chart())], &meta()).unwrap();
        // One rayon thread with a 2 MB stack: before renders moved to their
        // own pool, a waiting worker started render after render on top of
        // each other and overflowed its stack.
        let pool = rayon::ThreadPoolBuilder::new().num_threads(1).stack_size(2 << 20).build().unwrap();
        let pdfs: Vec<Vec<u8>> = pool.install(|| {
            (0..24)
                .into_par_iter()
                .map(|_| engine.render_pdf("test.typ", &data(), vec![("trend".into(), chart())], &meta()).unwrap())
                .collect()
        });
        assert!(pdfs.iter().all(|pdf| *pdf == expected));
    }

    #[test]
    fn a_different_date_changes_the_timestamp_only_where_it_should() {
        let engine = engine();
        let mut later = meta();
        later.date = Date { year: 2026, month: 2, day: 10 };
        let pdf = engine.render_pdf("test.typ", &data(), vec![("trend".into(), chart())], &later).unwrap();
        assert!(pdfinfo(&pdf).contains("CreationDate:    2026-02-10T00:00:00+09"));
        assert!(pdftotext(&pdf).contains("発行日令和8年2月10日（2026年）"));
    }

    fn compile_error(template: &str) -> EngineError {
        let engine = Engine::with_extra_templates(None, [("bad.typ", template)]).unwrap();
        match engine.render_pdf("bad.typ", &data(), vec![], &meta()) {
            Ok(_) => panic!("rendered a broken template"),
            Err(e) => e,
        }
    }

    #[test]
    fn a_template_error_names_file_line_and_column() {
        let err = compile_error("#import sys: inputs\n= 見出し\n本文 #inputs.data.nonexistent\n");
        let message = err.to_string();
        assert!(message.starts_with("テンプレート「bad.typ」を組版できません"), "{message}");
        assert!(message.contains("bad.typ:3:17: dictionary does not contain key \"nonexistent\""), "{message}");
    }

    #[test]
    fn an_error_in_an_imported_template_names_that_file() {
        let engine = Engine::with_extra_templates(
            None,
            [("main.typ", "#import \"lib.typ\": f\n#f()\n"), ("lib.typ", "#let f() = {\n  1 + \"a\"\n}\n")],
        )
        .unwrap();
        let message = engine.render_pdf("main.typ", &data(), vec![], &meta()).unwrap_err().to_string();
        assert!(message.contains("lib.typ:2:3: cannot add integer and string"), "{message}");
    }

    #[test]
    fn an_unknown_font_is_an_error_not_a_warning() {
        let err = compile_error("#set text(font: \"MS Mincho\")\n日本語\n");
        let message = err.to_string();
        assert!(
            message.contains("bad.typ:1:17: 警告（エラーとして扱います）: unknown font family: ms mincho"),
            "{message}"
        );
    }

    #[test]
    fn a_glyph_missing_from_the_font_is_an_error() {
        // An Egyptian hieroglyph is in no embedded font: a tofu box in plain
        // PDF, an error under PDF/A-2b.
        let err = compile_error("#set text(font: \"BIZ UDPGothic\")\n文字 \u{13000}\n");
        assert!(matches!(err, EngineError::Pdf { .. }), "{err}");
        let message = err.to_string();
        assert!(message.contains("could not be displayed"), "{message}");
        assert!(message.contains("bad.typ:2:"), "{message}");
    }

    #[test]
    fn an_unknown_template_is_a_japanese_error() {
        let err = engine().render_pdf("annual", &data(), vec![], &meta()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "テンプレート「annual.typ」はありません（あるのは committee.typ、department.typ、style.typ、test.typ）"
        );
    }

    #[test]
    fn an_override_folder_replaces_templates_of_the_same_name() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("style.typ"),
            "\u{feff}#let house-style(body) = [上書きされた様式 #body]\n#let chart(img, caption: none) = image(img)\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("logo.svg"), b"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\"/></svg>").unwrap();
        let main = "#import \"style.typ\": *\n#show: house-style\n本文\n#image(\"logo.svg\", width: 1cm)\n";
        let engine = Engine::with_extra_templates(Some(dir.path()), [("main.typ", main)]).unwrap();
        assert_eq!(overridden(&engine), vec![dir.path().join("style.typ").as_path()]);
        let pdf = engine.render_pdf("main.typ", &data(), vec![], &meta()).unwrap();
        assert!(pdftotext(&pdf).contains("上書きされた様式本文"));

        // An error in the overriding file is reported with its real path.
        std::fs::write(dir.path().join("style.typ"), "#let house-style(body) = {\n  body + 1\n}\n").unwrap();
        let engine = Engine::with_extra_templates(Some(dir.path()), [("main.typ", main)]).unwrap();
        let message = engine.render_pdf("main.typ", &data(), vec![], &meta()).unwrap_err().to_string();
        let place = format!("{}:2:3:", dir.path().join("style.typ").display());
        assert!(message.contains(&place), "{message}");
    }

    #[test]
    fn override_folder_problems_are_japanese_errors() {
        let missing = Path::new("/nonexistent/templates");
        let message = Engine::new(Some(missing)).unwrap_err().to_string();
        assert!(message.starts_with("テンプレートのフォルダ「/nonexistent/templates」を開けません"), "{message}");

        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("style.typ"), b"\x83\x65\x83\x93\x83\x76\x83\x8c\x81\x5b\x83\x67").unwrap();
        let message = Engine::new(Some(dir.path())).unwrap_err().to_string();
        assert!(message.contains("UTF-8 のテキストではありません"), "{message}");
    }

    #[test]
    fn template_names_must_be_plain_typ_files() {
        let err = Engine::with_extra_templates(None, [("sub/report.typ", "本文")]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "テンプレート名「sub/report.typ」は使えません（フォルダを含まない「名前.typ」にしてください）"
        );
        assert!(Engine::with_extra_templates(None, [("report.txt", "本文")]).is_err());
    }

    #[test]
    fn duplicate_image_names_are_rejected() {
        let images = vec![("a".to_string(), chart()), ("a".to_string(), chart())];
        let err = engine().render_pdf("test.typ", &data(), images, &meta()).unwrap_err();
        assert_eq!(err.to_string(), "レポートのデータを Typst に渡せません: 画像「a」が二つあります");
    }
}
