//! One module per subcommand, each with an `execute` taking checked options.

pub mod check;
pub mod init;
pub mod report;
pub mod scores;
pub mod synth;
