//! Printing to the terminal: problems and messages in Japanese, where a
//! closed pipe (`ishiki check ws | head`) is not an error.

use std::io::Write;

use crate::problem::Problems;

/// Prints a line to stdout, ignoring a closed pipe.
pub fn println(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
}

/// Prints a line to stderr.
pub fn eprintln(line: &str) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{line}");
}

/// Prints every error (file by file, row by row) and note, each with its place, to stderr.
pub fn print_problems(problems: &Problems) {
    for p in problems.errors_in_reading_order() {
        eprintln(&format!("エラー: {p}"));
    }
    for n in &problems.notes {
        eprintln(&format!("注意: {n}"));
    }
}

/// Prints how long a stage took when `ISHIKI_TRACE` is set (for benchmarking).
pub fn trace(stage: &str, since: std::time::Instant) {
    if std::env::var_os("ISHIKI_TRACE").is_some() {
        eprintln(&format!("[trace] {stage}: {:.3}s", since.elapsed().as_secs_f64()));
    }
}
