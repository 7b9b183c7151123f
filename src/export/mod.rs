//! Exports of the scores model for analysts and outside tools: the scores CSV
//! of DESIGN §7 (the machine contract), JSON with everything, and an Excel
//! workbook for people; and, apart from them, the HR division's comments
//! workbook ([`comments_xlsx`]), rendered from the comments' review only.
//! Each is written to a temporary file ([`stage`]) and
//! renamed into place ([`commit`]), so a failure never leaves half a file, and
//! a run with several outputs moves none of them until all are written. A run
//! holds its output folder meanwhile, and a stopped run leaves nothing behind
//! ([`cleanup`]).

pub mod cleanup;
pub mod comments_xlsx;
pub mod csv;
pub mod explorer;
pub mod json;
pub mod xlsx;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::aggregate::model::ScoresModel;
use crate::clock::Date;

pub use cleanup::{FolderLock, LOCK_FILE, WhenHeld, stop_cleanly_on_signals};

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
        Format::Xlsx => xlsx::render(model, workbook_date(date)?)?,
    })
}

/// A workbook's creation date: the outputs' date, so the same inputs on the
/// same date give the same bytes.
pub fn workbook_date(date: Date) -> Result<rust_xlsxwriter::ExcelDateTime> {
    rust_xlsxwriter::ExcelDateTime::from_ymd(date.year as u16, date.month as u8, date.day as u8)
        .map_err(|e| anyhow::anyhow!("{e}"))
}

/// How ishiki's temporary files are named: `.ishiki-XXXXXX.tmp`.
const TEMP_PREFIX: &str = ".ishiki-";
const TEMP_SUFFIX: &str = ".tmp";

/// An output written in full to a temporary file beside its place, not yet
/// moved there. Dropped without [`commit`], the temporary file is removed.
pub struct Staged {
    tmp: tempfile::NamedTempFile,
    path: PathBuf,
}

impl Staged {
    /// Where the output goes.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Writes `bytes` to a temporary file in `path`'s folder (creating the folder).
pub fn stage(path: &Path, bytes: &[u8]) -> Result<Staged> {
    let dir = &folder_of(path);
    cleanup::make_folder(dir).with_context(|| format!("フォルダ {} を作れません", dir.display()))?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX).suffix(TEMP_SUFFIX);
    // The mode a normal save gives (0666 less the umask), not a temporary file's 0600,
    // so a committee on a shared folder can open what is written.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut tmp =
        cleanup::temporary(&builder, dir).with_context(|| format!("{} に一時ファイルを作れません", dir.display()))?;
    std::io::Write::write_all(&mut tmp, bytes).with_context(|| format!("{} に書き込めません", path.display()))?;
    tmp.as_file().sync_all().ok();
    Ok(Staged { tmp, path: path.to_path_buf() })
}

/// Moves staged outputs into place, each by a rename. Everything was written
/// before the first rename, and a place that cannot take a file (a folder of
/// that name) stops the run before anything moves. Should a rename still
/// fail, the outputs already moved are put back as they were (their old
/// files were kept under a second name until the end), so a failed run
/// replaces nothing.
///
/// Each temporary file was flushed to disk before the first rename, and each
/// folder is flushed after its renames, so that if the machine stops during
/// the moves every output is afterwards either its old or its new whole file.
/// Ctrl+C during the moves takes effect when they end.
pub fn commit(staged: Vec<Staged>) -> Result<()> {
    if let Some(s) = staged.iter().find(|s| s.path.is_dir()) {
        anyhow::bail!(
            "{} を保存できません: 同じ名前のフォルダがあります（別のファイル名を指定するか、そのフォルダを移してください）",
            s.path.display()
        );
    }
    let temporaries: Vec<PathBuf> = staged.iter().map(|s| s.tmp.path().to_path_buf()).collect();
    cleanup::moving(&temporaries, || move_into_place(staged))
}

/// An output moved into place, with its old file kept until the run ends.
struct Moved {
    path: PathBuf,
    old: Option<PathBuf>,
}

/// The folder a path is in (`.` for a bare file name).
pub fn folder_of(path: &Path) -> PathBuf {
    path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf()
}

/// The renames of [`commit`], undone when one fails.
fn move_into_place(staged: Vec<Staged>) -> Result<()> {
    let mut moved: Vec<Moved> = Vec::with_capacity(staged.len());
    for s in staged {
        match move_one(s) {
            Ok(m) => moved.push(m),
            Err(e) => {
                let restored = put_back(moved);
                return Err(if restored {
                    e
                } else {
                    e.context("（途中まで置き換えたファイルを元に戻せませんでした）")
                });
            }
        }
    }
    let mut folders: Vec<PathBuf> = Vec::new();
    for m in moved {
        if let Some(old) = m.old {
            let _ = std::fs::remove_file(old);
        }
        let folder = folder_of(&m.path);
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

/// Keeps the file at `path` (if any) under a temporary second name, then
/// renames the staged file over it.
fn move_one(s: Staged) -> Result<Moved> {
    let path = s.path;
    let old = if path.is_file() { Some(keep_old(&path)?) } else { None };
    if let Err(e) = s.tmp.persist(&path) {
        if let Some(old) = &old {
            let _ = std::fs::remove_file(old);
        }
        return Err(e.error).with_context(|| format!("{} を保存できません", path.display()));
    }
    Ok(Moved { path, old })
}

/// A second name for the file at `path` (a hard link, or a copy where the
/// folder cannot hold links), named like ishiki's temporary files so that a
/// run killed before the end leaves nothing the next run does not remove.
fn keep_old(path: &Path) -> Result<PathBuf> {
    let folder = folder_of(path);
    let name = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(TEMP_SUFFIX)
        .tempfile_in(&folder)
        .and_then(|t| t.into_temp_path().keep().map_err(|e| e.error))
        .with_context(|| format!("{} に一時ファイルを作れません", folder.display()))?;
    let kept = std::fs::remove_file(&name)
        .and_then(|()| std::fs::hard_link(path, &name).or_else(|_| std::fs::copy(path, &name).map(|_| ())));
    if let Err(e) = kept {
        let _ = std::fs::remove_file(&name);
        return Err(e).with_context(|| format!("{} の前の版を残せません", path.display()));
    }
    Ok(name)
}

/// Undoes moves, last first: each old file back at its place, and a file
/// that had no old one removed. Returns whether everything was put back.
fn put_back(moved: Vec<Moved>) -> bool {
    let mut all = true;
    for m in moved.into_iter().rev() {
        let undone = match m.old {
            Some(old) => std::fs::rename(&old, &m.path),
            None => std::fs::remove_file(&m.path),
        };
        all &= undone.is_ok();
    }
    all
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, then a rename.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    commit(vec![stage(path, bytes)?])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A rename that fails after others succeeded (here: a folder where the
    /// third file goes, which `commit` itself would refuse before moving):
    /// the files already moved are put back, and no temporary file is left.
    #[test]
    fn a_failed_move_puts_back_what_was_already_moved() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (a, b, c) = (dir.path().join("a.pdf"), dir.path().join("b.pdf"), dir.path().join("c.pdf"));
        std::fs::write(&a, "old a").expect("write");
        std::fs::create_dir(&c).expect("folder in the way");
        let staged = vec![
            stage(&a, b"new a").expect("stage"),
            stage(&b, b"new b").expect("stage"),
            stage(&c, b"new c").expect("stage"),
        ];
        assert!(move_into_place(staged).is_err());
        assert_eq!(std::fs::read_to_string(&a).expect("a"), "old a");
        assert!(!b.exists(), "a file that was not there before is removed again");
        assert!(c.is_dir());
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["a.pdf", "c.pdf"]);
    }

    /// Moves that all succeed replace the old files and leave no second names.
    #[test]
    fn moves_that_succeed_replace_the_old_files() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (a, b) = (dir.path().join("a.pdf"), dir.path().join("b.pdf"));
        std::fs::write(&a, "old a").expect("write");
        commit(vec![stage(&a, b"new a").expect("stage"), stage(&b, b"new b").expect("stage")]).expect("commit");
        assert_eq!(std::fs::read_to_string(&a).expect("a"), "new a");
        assert_eq!(std::fs::read_to_string(&b).expect("b"), "new b");
        assert_eq!(std::fs::read_dir(dir.path()).expect("list").count(), 2);
    }

    /// A folder where an output goes stops the run before anything moves.
    #[test]
    fn a_folder_in_an_outputs_place_stops_the_run_before_any_move() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (a, b) = (dir.path().join("a.pdf"), dir.path().join("b.pdf"));
        std::fs::write(&a, "old a").expect("write");
        std::fs::create_dir(&b).expect("folder in the way");
        let err = commit(vec![stage(&a, b"new a").expect("stage"), stage(&b, b"new b").expect("stage")])
            .expect_err("a folder is in the way");
        assert!(err.to_string().contains("同じ名前のフォルダがあります"), "{err}");
        assert_eq!(std::fs::read_to_string(&a).expect("a"), "old a");
        assert_eq!(std::fs::read_dir(dir.path()).expect("list").count(), 2);
    }
}
