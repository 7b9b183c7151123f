//! What the scale benchmarks share: where a synthesised workspace is cached
//! and the peak memory of the running process.

use std::path::PathBuf;

/// The folder under the target directory where a benchmark caches its workspace.
pub fn cached_workspace(name: &str) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("target"));
    target.join(name)
}

/// The process's peak resident memory so far, in KB (`VmHWM`).
pub fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
