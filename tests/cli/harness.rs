//! The test harness: a fixture workspace copied into a temporary folder, the
//! real `ishiki` binary run on it, and its exit code, stdout and stderr.
//!
//! Every test gets its own temporary folder `<tmp>/`, with the workspace in
//! `<tmp>/ws`. The binary runs with `<tmp>` as its working directory and is
//! given the workspace as `ws`, so messages that name the folder are the same
//! on every machine. Bad inputs are made from the valid fixture by editing one
//! file ([`Sandbox::edit`], [`Sandbox::edit_csv`]) or copying in a binary
//! fixture ([`Sandbox::copy_fixture`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace folder name inside the sandbox.
pub const WS: &str = "ws";

/// Returns the folder of the fixtures.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("fixtures")
}

/// Returns the path of a fixture file or folder.
pub fn fixture(rel: &str) -> PathBuf {
    fixtures().join(rel)
}

/// A temporary folder holding one workspace, deleted when dropped.
pub struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    /// Creates an empty sandbox with no workspace in it (for `init` and `synth`).
    pub fn empty() -> Sandbox {
        Sandbox { dir: tempfile::Builder::new().prefix("ishiki-test-").tempdir().expect("create temp dir") }
    }

    /// Creates a sandbox with `tests/fixtures/<name>/` copied to `ws`.
    pub fn with_fixture(name: &str) -> Sandbox {
        let sandbox = Sandbox::empty();
        copy_dir(&fixture(name), &sandbox.ws()).expect("copy fixture");
        sandbox
    }

    /// Creates a sandbox with the minimal valid workspace.
    pub fn valid() -> Sandbox {
        Sandbox::with_fixture("valid")
    }

    /// Returns the sandbox folder (the binary's working directory).
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Returns the workspace folder.
    pub fn ws(&self) -> PathBuf {
        self.root().join(WS)
    }

    /// Returns a path inside the workspace.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.ws().join(rel)
    }

    /// Reads a workspace file as UTF-8.
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    /// Writes a workspace file, creating its folder.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let path = self.path(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create folder");
        }
        std::fs::write(&path, contents).unwrap_or_else(|e| panic!("write {rel}: {e}"));
    }

    /// Removes a workspace file.
    pub fn remove(&self, rel: &str) {
        std::fs::remove_file(self.path(rel)).unwrap_or_else(|e| panic!("remove {rel}: {e}"));
    }

    /// Renames a workspace file.
    pub fn rename(&self, from: &str, to: &str) {
        std::fs::rename(self.path(from), self.path(to)).unwrap_or_else(|e| panic!("rename {from}: {e}"));
    }

    /// Copies a fixture file (relative to `tests/fixtures/`) into the workspace.
    pub fn copy_fixture(&self, from: &str, to: &str) {
        let bytes = std::fs::read(fixture(from)).unwrap_or_else(|e| panic!("read fixture {from}: {e}"));
        self.write(to, bytes);
    }

    /// Replaces exactly one occurrence of `from` by `to` in a workspace text file.
    pub fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert_eq!(text.matches(from).count(), 1, "{rel} should hold {from:?} exactly once");
        self.write(rel, text.replacen(from, to, 1));
    }

    /// Rewrites a simple CSV (no quoted fields) of the workspace as rows of fields.
    pub fn edit_csv(&self, rel: &str, change: impl FnOnce(&mut Vec<Vec<String>>)) {
        let text = self.read(rel);
        let mut rows: Vec<Vec<String>> =
            text.lines().map(|line| line.split(',').map(str::to_string).collect()).collect();
        change(&mut rows);
        let out: String = rows.iter().map(|r| r.join(",") + "\n").collect();
        self.write(rel, out);
    }

    /// Returns every file under the sandbox with its bytes (to show nothing was written).
    pub fn snapshot(&self) -> BTreeMap<String, Vec<u8>> {
        snapshot(self.root())
    }

    /// Runs `ishiki` with these arguments in the sandbox.
    pub fn run(&self, args: &[&str]) -> Run {
        let out = Command::new(env!("CARGO_BIN_EXE_ishiki"))
            .args(args)
            .current_dir(self.root())
            .env_remove("ISHIKI_TRACE")
            .output()
            .expect("run ishiki");
        Run {
            code: out.status.code().expect("ishiki ended by a signal"),
            stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
        }
    }

    /// Runs `ishiki check ws`.
    pub fn check(&self) -> Run {
        self.run(&["check", WS])
    }

    /// Runs `ishiki check ws` and asserts it failed with exactly these problem lines
    /// (each without the leading `エラー: `), in order, and that nothing was written.
    pub fn check_fails_with(&self, expected: &[&str]) -> Run {
        let before = self.snapshot();
        let run = self.check();
        run.assert_problems(expected);
        assert_eq!(self.snapshot(), before, "check must not write anything");
        run
    }
}

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    /// Exit code.
    pub code: i32,
    /// Everything printed to stdout.
    pub stdout: String,
    /// Everything printed to stderr.
    pub stderr: String,
}

/// The last line of a run that found problems.
pub fn summary_line(errors: usize) -> String {
    format!("エラー: 入力に{errors}件の問題があります。何も書き出していません。")
}

impl Run {
    /// Returns the problems printed as errors, without `エラー: ` and without the closing summary.
    pub fn errors(&self) -> Vec<&str> {
        let mut lines: Vec<&str> = self.stderr.lines().filter_map(|l| l.strip_prefix("エラー: ")).collect();
        if lines.last().is_some_and(|l| l.starts_with("入力に") && l.ends_with("何も書き出していません。"))
        {
            lines.pop();
        }
        lines
    }

    /// Returns the notes (`注意: `) without their prefix.
    pub fn notes(&self) -> Vec<&str> {
        self.stderr.lines().filter_map(|l| l.strip_prefix("注意: ")).collect()
    }

    /// Asserts exit code 1, nothing on stdout, exactly these problems and the closing summary line.
    pub fn assert_problems(&self, expected: &[&str]) {
        assert_eq!(self.code, 1, "exit code\n{self}");
        assert_eq!(self.errors(), expected, "problems\n{self}");
        assert_eq!(self.stderr.lines().last(), Some(summary_line(expected.len()).as_str()), "summary\n{self}");
        assert_eq!(self.stdout, "", "nothing on stdout when the inputs have problems\n{self}");
    }

    /// Asserts exit code 0 and no error line.
    pub fn assert_success(&self) {
        assert_eq!(self.code, 0, "exit code\n{self}");
        assert!(self.errors().is_empty(), "no errors expected\n{self}");
    }
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "--- exit {}\n--- stdout\n{}--- stderr\n{}", self.code, self.stdout, self.stderr)
    }
}

/// Copies a folder recursively.
pub fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

/// Returns every file under `dir` (relative path with `/`) with its bytes; folders appear with a trailing `/`.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir).expect("read dir").map(|e| e.expect("dir entry")).collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let path = entry.path();
            let rel = path
                .strip_prefix(base)
                .expect("inside base")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            if path.is_dir() {
                out.insert(format!("{rel}/"), Vec::new());
                walk(base, &path, out);
            } else {
                out.insert(rel, std::fs::read(&path).expect("read file"));
            }
        }
    }
    let mut out = BTreeMap::new();
    if dir.exists() {
        walk(dir, dir, &mut out);
    }
    out
}
