//! The `ishiki` binary: parses the command line, runs it, prints an error once.

use std::process::ExitCode;

use clap::Parser;

// Typst and polars allocate heavily across threads; mimalloc renders packets
// and aggregates noticeably faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match ishiki::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return ishiki::usage_error(err),
    };
    ishiki::run(cli)
}
