//! Exports of the scores model for analysts and outside tools: the scores CSV
//! of DESIGN §7 (the machine contract), JSON with everything, and an Excel
//! workbook for people. Each writes to a temporary file and renames it into
//! place, so a failure never leaves half a file.

pub mod csv;
pub mod json;
pub mod xlsx;

use std::path::Path;

use anyhow::{Context, Result};

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, then a rename.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("フォルダ {} を作れません", dir.display()))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".ishiki-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(|| format!("{} に一時ファイルを作れません", dir.display()))?;
    std::io::Write::write_all(&mut tmp, bytes).with_context(|| format!("{} に書き込めません", path.display()))?;
    tmp.as_file().sync_all().ok();
    tmp.persist(path).map_err(|e| e.error).with_context(|| format!("{} を保存できません", path.display()))?;
    Ok(())
}
