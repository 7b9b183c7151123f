//! Integration tests of the `ishiki` binary, one test binary for all of them
//! (see tests/README.md): [`harness`] copies a fixture workspace into a
//! temporary folder and runs the real binary on it.

mod architecture;
mod bad_inputs;
mod check;
mod comments;
mod comments_report;
mod comments_workbook;
mod departments;
mod drivers;
mod explorer;
mod feed;
mod formats;
mod harassment;
mod harness;
mod init_synth;
mod kill;
mod null_city;
mod packet_pages;
mod recompute;
mod report;
mod robustness;
mod scores;
mod snapshots;
mod workbook;
