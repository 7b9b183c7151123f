//! What a run that writes outputs leaves behind when it is stopped: nothing
//! but its finished outputs, and after a hard kill only what the next run
//! removes at once.
//!
//! A run holds its output folder while it writes there ([`FolderLock`]): an
//! operating-system lock (`File::try_lock`) on `.ishiki.lock` in that folder,
//! which the system lets go of however the run ends, even when it is killed.
//! The next run therefore knows that every temporary file (`.ishiki-XXXXXX.tmp`)
//! it finds there is a finished run's, and removes it at once; a run that
//! finds the folder held by a live one stops before touching anything in it.
//!
//! On Ctrl+C (SIGINT) or SIGTERM ([`stop_cleanly_on_signals`]) the run removes
//! its temporary files, its lock file and the folders it made, says so in one
//! Japanese line and exits 130 or 143 (128 and the signal's number, as a shell
//! reports a run the signal ended). Every temporary file is noted as it is
//! created ([`temporary`]), under the lock the stop takes, so none is missed;
//! the moves into place hold that lock too ([`moving`]), so a stop during them
//! waits the milliseconds until they end rather than leaving some outputs
//! replaced and others not. A second signal ends the run at once.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Once, PoisonError};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::flag;

use super::{TEMP_PREFIX, TEMP_SUFFIX};
use crate::output::eprintln;

/// The file a run holds in its output folder while it writes there.
pub const LOCK_FILE: &str = ".ishiki.lock";

/// What the run would have to remove if stopped now.
struct Pending {
    /// Temporary files not yet moved into place (or since removed).
    temporaries: Vec<PathBuf>,
    /// Lock files of the folders held, each with its locked file.
    held: Vec<(PathBuf, same_file::Handle)>,
    /// Folders the run made, in the order made.
    made: Vec<PathBuf>,
    /// How far the run got, for the line a stop prints.
    progress: Progress,
}

#[derive(Debug, Clone, Copy)]
enum Progress {
    /// No temporary file yet.
    Preparing,
    /// Writing temporary files.
    Writing,
    /// Every output moved into place.
    Written,
}

static PENDING: Mutex<Pending> =
    Mutex::new(Pending { temporaries: Vec::new(), held: Vec::new(), made: Vec::new(), progress: Progress::Preparing });

/// The run's pending clean-up, locked (a stop waits while it is held).
fn pending() -> MutexGuard<'static, Pending> {
    PENDING.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Pending {
    /// Removes the folders the run made for `dir` (it, those above it and
    /// those in it; all with `None`), last made first, where they are empty.
    fn remove_made_folders(&mut self, dir: Option<&Path>) {
        let (made, others) =
            self.made.drain(..).partition(|m| dir.is_none_or(|dir| m.starts_with(dir) || dir.starts_with(m)));
        self.made = others;
        for folder in made.into_iter().rev() {
            let _ = std::fs::remove_dir(folder);
        }
    }
}

/// Creates `dir` and any folder above it that is missing, noting those it made.
pub(super) fn make_folder(dir: &Path) -> std::io::Result<()> {
    let mut pending = pending();
    let missing: Vec<PathBuf> =
        dir.ancestors().take_while(|a| !a.as_os_str().is_empty() && !a.exists()).map(Path::to_path_buf).collect();
    if missing.is_empty() {
        return Ok(());
    }
    std::fs::create_dir_all(dir)?;
    pending.made.extend(missing.into_iter().rev());
    Ok(())
}

/// Creates a temporary file in `dir`, noted for removal should the run be stopped.
pub(super) fn temporary(builder: &tempfile::Builder, dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let mut pending = pending();
    let tmp = builder.tempfile_in(dir)?;
    pending.temporaries.push(tmp.path().to_path_buf());
    pending.progress = Progress::Writing;
    Ok(tmp)
}

/// Runs the moves of `temporaries` into place with a stop held off until they end.
pub(super) fn moving(temporaries: &[PathBuf], moves: impl FnOnce() -> Result<()>) -> Result<()> {
    let mut pending = pending();
    let result = moves();
    // Moved, or removed when the moves failed and were undone.
    pending.temporaries.retain(|t| !temporaries.contains(t));
    if result.is_ok() {
        pending.progress = Progress::Written;
    }
    result
}

/// A run's hold on its output folder; dropped, it removes the lock file, lets
/// go of the folder, and removes the folders the run made that stayed empty
/// (a failed run leaves no empty output folder behind).
#[derive(Debug)]
pub struct FolderLock {
    dir: PathBuf,
    path: PathBuf,
}

/// How often the lock is tried again when the file locked was removed meanwhile.
const LOCK_ATTEMPTS: usize = 100;

/// What a run does when another live run holds the folder it writes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhenHeld {
    /// Stops with an error (`report`: two runs writing the same outputs
    /// would replace each other's files, likely by mistake).
    Refuse,
    /// Says so and waits its turn (`scores`: one file, written in an instant,
    /// beside others that scripts may write at the same time).
    Wait,
}

impl FolderLock {
    /// Takes hold of `dir` (making it if missing) and removes the temporary
    /// files that runs no longer holding it left there.
    pub fn hold(dir: &Path, when_held: WhenHeld) -> Result<FolderLock> {
        make_folder(dir).with_context(|| format!("フォルダ {} を作れません", dir.display()))?;
        let path = dir.join(LOCK_FILE);
        let handle = match lock(&path, dir, when_held) {
            Ok(handle) => handle,
            Err(e) => {
                pending().remove_made_folders(Some(dir));
                return Err(e);
            }
        };
        pending().held.push((path.clone(), handle));
        let held = FolderLock { dir: dir.to_path_buf(), path };
        held.remove_temporaries_left_in(dir);
        Ok(held)
    }

    /// Removes the temporary files in `dir` (the held folder or one inside
    /// it): none is a live run's, as no other run holds the folder.
    pub fn remove_temporaries_left_in(&self, dir: &Path) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with(TEMP_PREFIX)
                && name.ends_with(TEMP_SUFFIX)
                && entry.file_type().is_ok_and(|t| t.is_file())
            {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

impl Drop for FolderLock {
    fn drop(&mut self) {
        let mut pending = pending();
        if let Some(at) = pending.held.iter().position(|(p, _)| *p == self.path) {
            let (path, locked) = pending.held.remove(at);
            // Removed before it is let go of: see `lock`.
            let _ = std::fs::remove_file(&path);
            drop(locked);
        }
        pending.remove_made_folders(Some(&self.dir));
    }
}

/// Opens and locks the lock file at `path`.
///
/// A run removes its lock file before it lets go of it, so the file this run
/// locks may be one just removed, which no other run can open any more; then
/// this run opens the file at `path` anew (or creates it) and tries again.
fn lock(path: &Path, dir: &Path, when_held: WhenHeld) -> Result<same_file::Handle> {
    let cannot = || format!("{} を、ほかの実行と同時に書き出さないよう押さえられません", dir.display());
    let mut told = false;
    for _ in 0..LOCK_ATTEMPTS {
        let file: File =
            OpenOptions::new().read(true).write(true).create(true).truncate(false).open(path).with_context(cannot)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) if when_held == WhenHeld::Wait => {
                if !told {
                    eprintln(&format!("別の ishiki が {} に書き出しています。終わるのを待っています。", dir.display()));
                    told = true;
                }
                file.lock().with_context(cannot)?;
            }
            Err(TryLockError::WouldBlock) => bail!(
                "別の ishiki が {} に書き出している最中です。その実行が終わってから、もう一度実行してください（この実行は何も書き出していません）",
                dir.display()
            ),
            Err(TryLockError::Error(e)) => return Err(e).with_context(cannot),
        }
        let locked = same_file::Handle::from_file(file).with_context(cannot)?;
        if same_file::Handle::from_path(path).is_ok_and(|at_path| at_path == locked) {
            return Ok(locked);
        }
    }
    bail!("{}（{} が作られては消されています）", cannot(), path.display())
}

/// How often the watcher looks whether a signal came.
const WATCH_EVERY: Duration = Duration::from_millis(20);

/// From now on, SIGINT (Ctrl+C) and SIGTERM stop the run cleanly: its
/// temporary files, lock file and made folders removed, one line on stderr,
/// exit status 130 or 143. A second signal ends the run at once.
///
/// signal-hook's handlers only set flags (on Windows too, where Ctrl+C
/// arrives as SIGINT); a thread watches them.
pub fn stop_cleanly_on_signals() {
    static INSTALLED: Once = Once::new();
    INSTALLED.call_once(|| {
        let caught = Arc::new(AtomicUsize::new(0));
        let seen = Arc::clone(&caught);
        let watcher = std::thread::Builder::new().name("ishiki-signals".into()).spawn(move || {
            loop {
                match seen.load(Ordering::SeqCst) {
                    0 => std::thread::sleep(WATCH_EVERY),
                    signal => stop(signal),
                }
            }
        });
        if watcher.is_err() {
            // Signals keep their default action; the next run removes what this one leaves.
            return;
        }
        let stopping = Arc::new(AtomicBool::new(false));
        for signal in [SIGINT, SIGTERM] {
            // The shutdown first: it acts only when a stop is already under way.
            let _ = flag::register_conditional_shutdown(signal, 128 + signal, Arc::clone(&stopping))
                .and_then(|_| flag::register(signal, Arc::clone(&stopping)))
                .and_then(|_| flag::register_usize(signal, Arc::clone(&caught), signal as usize));
        }
    });
}

/// Removes what the run has pending, says so and exits with 128 + `signal`.
fn stop(signal: usize) -> ! {
    let mut pending = pending();
    for tmp in &pending.temporaries {
        let _ = std::fs::remove_file(tmp);
    }
    for (path, _) in &pending.held {
        let _ = std::fs::remove_file(path);
    }
    pending.held.clear();
    pending.remove_made_folders(None);
    // On its own line, not after a progress bar or the echoed ^C.
    if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        eprintln("");
    }
    eprintln(match pending.progress {
        Progress::Preparing => "中断しました。何も書き出していません。",
        Progress::Writing => "中断しました。作成途中のファイルは削除し、出力先は実行前のままです。",
        Progress::Written => "中断しました。出力はすべて書き終えていました。",
    });
    std::process::exit(128 + signal as i32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("list")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// A held folder cannot be held again (the OS lock is per open file, so
    /// this holds within one process too); let go of, it has no lock file left
    /// and can be held again.
    #[test]
    fn a_held_folder_is_refused_until_let_go_of() {
        let dir = tempfile::tempdir().expect("temp dir");
        let held = FolderLock::hold(dir.path(), WhenHeld::Refuse).expect("hold");
        assert_eq!(names(dir.path()), [LOCK_FILE]);
        let err = FolderLock::hold(dir.path(), WhenHeld::Refuse).expect_err("held already");
        assert!(err.to_string().starts_with("別の ishiki が "), "{err}");
        assert_eq!(names(dir.path()), [LOCK_FILE], "the refused run touches nothing");
        drop(held);
        assert_eq!(names(dir.path()), Vec::<String>::new());
        drop(FolderLock::hold(dir.path(), WhenHeld::Refuse).expect("hold again"));
    }

    /// Holding a folder removes every temporary file in it, however new,
    /// and nothing else; a folder the hold made is removed again when empty.
    #[test]
    fn holding_removes_temporary_files_and_letting_go_the_folders_made() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join(".ishiki-AbC123.tmp"), "a killed run's").expect("write");
        std::fs::write(dir.path().join("committee_2025.pdf"), "an output").expect("write");
        drop(FolderLock::hold(dir.path(), WhenHeld::Refuse).expect("hold"));
        assert_eq!(names(dir.path()), ["committee_2025.pdf"]);

        let new = dir.path().join("new").join("out");
        drop(FolderLock::hold(&new, WhenHeld::Refuse).expect("hold"));
        assert!(!dir.path().join("new").exists(), "empty folders the hold made are removed");
    }

    /// A run that waits takes hold once the holder lets go, not before.
    #[test]
    fn a_waiting_run_takes_hold_when_the_holder_lets_go() {
        let dir = tempfile::tempdir().expect("temp dir");
        let held = FolderLock::hold(dir.path(), WhenHeld::Refuse).expect("hold");
        let (sent, got) = std::sync::mpsc::channel();
        let path = dir.path().to_path_buf();
        let waiter = std::thread::spawn(move || {
            let lock = FolderLock::hold(&path, WhenHeld::Wait);
            sent.send(()).expect("send");
            lock.map(drop)
        });
        assert!(got.recv_timeout(Duration::from_millis(300)).is_err(), "it waits while the folder is held");
        drop(held);
        assert!(got.recv_timeout(Duration::from_secs(10)).is_ok(), "it takes hold once let go");
        waiter.join().expect("join").expect("held in turn");
        assert_eq!(names(dir.path()), Vec::<String>::new());
    }
}
