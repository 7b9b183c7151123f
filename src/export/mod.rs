//! Exports of the scores model for analysts and outside tools: the scores CSV
//! of DESIGN §7 (the machine contract), JSON with everything, and an Excel
//! workbook for people. Each is written to a temporary file ([`stage`]) and
//! renamed into place ([`commit`]), so a failure never leaves half a file, and
//! a run with several outputs moves none of them until all are written.

pub mod csv;
pub mod json;
pub mod xlsx;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::aggregate::model::ScoresModel;
use crate::clock::Date;

/// The format of the output file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The scores CSV.
    Csv,
    /// The whole model as JSON.
    Json,
    /// The workbook for analysts.
    Xlsx,
}

impl Format {
    /// Picks the format from a file name's extension.
    pub fn from_path(path: &std::path::Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            "xlsx" => Some(Format::Xlsx),
            _ => None,
        }
    }
}

/// Renders the model in a format.
pub fn render(model: &ScoresModel, format: Format, date: Date) -> Result<Vec<u8>> {
    Ok(match format {
        Format::Csv => csv::render(model),
        Format::Json => json::render(model)?,
        Format::Xlsx => {
            let created = rust_xlsxwriter::ExcelDateTime::from_ymd(date.year as u16, date.month as u8, date.day as u8)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            xlsx::render(model, created)?
        }
    })
}

/// How ishiki's temporary files are named: `.ishiki-XXXXXX.tmp`.
const TEMP_PREFIX: &str = ".ishiki-";
const TEMP_SUFFIX: &str = ".tmp";
/// A temporary file older than this was left by a run that was killed.
const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(3600);

/// Removes ishiki's temporary files in `dir` that a killed run left behind
/// (older than an hour, so another run writing there now keeps its own).
pub fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let now = std::time::SystemTime::now();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX)) {
            continue;
        }
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| now.duration_since(t).ok())
            .is_some_and(|age| age > STALE_AFTER);
        if old && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// An output written in full to a temporary file beside its place, not yet
/// moved there. Dropped without [`commit`], the temporary file is removed.
pub struct Staged {
    tmp: tempfile::NamedTempFile,
    path: PathBuf,
}

/// Writes `bytes` to a temporary file in `path`'s folder (creating the folder).
pub fn stage(path: &Path, bytes: &[u8]) -> Result<Staged> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("フォルダ {} を作れません", dir.display()))?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX).suffix(TEMP_SUFFIX);
    // The mode a normal save gives (0666 less the umask), not a temporary file's 0600,
    // so a committee on a shared folder can open what is written.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut tmp = builder.tempfile_in(dir).with_context(|| format!("{} に一時ファイルを作れません", dir.display()))?;
    std::io::Write::write_all(&mut tmp, bytes).with_context(|| format!("{} に書き込めません", path.display()))?;
    tmp.as_file().sync_all().ok();
    Ok(Staged { tmp, path: path.to_path_buf() })
}

/// Moves staged outputs into place, each by a rename. Everything was written
/// before the first rename, so a failed run replaces nothing.
///
/// Each temporary file was flushed to disk before the first rename, and each
/// folder is flushed after its renames, so that if the machine stops during
/// the moves every output is afterwards either its old or its new whole file.
pub fn commit(staged: Vec<Staged>) -> Result<()> {
    let mut folders: Vec<PathBuf> = Vec::new();
    for s in staged {
        let path = s.path;
        s.tmp.persist(&path).map_err(|e| e.error).with_context(|| format!("{} を保存できません", path.display()))?;
        let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf();
        if !folders.contains(&folder) {
            folders.push(folder);
        }
    }
    // A folder's entries reach the disk with the folder itself (unix; elsewhere this is a no-op).
    #[cfg(unix)]
    for folder in folders {
        if let Ok(f) = std::fs::File::open(&folder) {
            let _ = f.sync_all();
        }
    }
    Ok(())
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, then a rename.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    commit(vec![stage(path, bytes)?])
}
