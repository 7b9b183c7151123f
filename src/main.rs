//! The `ishiki` binary: parses the command line, runs it, prints an error once.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = match ishiki::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return ishiki::usage_error(err),
    };
    ishiki::run(cli)
}
