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
    let mut tmp = tempfile::Builder::new()
        .prefix(".ishiki-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(|| format!("{} に一時ファイルを作れません", dir.display()))?;
    std::io::Write::write_all(&mut tmp, bytes).with_context(|| format!("{} に書き込めません", path.display()))?;
    tmp.as_file().sync_all().ok();
    Ok(Staged { tmp, path: path.to_path_buf() })
}

/// Moves staged outputs into place, each by a rename. Everything was written
/// before the first rename, so a failed run replaces nothing.
pub fn commit(staged: Vec<Staged>) -> Result<()> {
    for s in staged {
        let path = s.path;
        s.tmp.persist(&path).map_err(|e| e.error).with_context(|| format!("{} を保存できません", path.display()))?;
    }
    Ok(())
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, then a rename.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    commit(vec![stage(path, bytes)?])
}
