//! ishiki turns a Japanese city's staff attitude survey (職員意識調査) and
//! harassment survey into scores, Excel tables and PDF reports measured
//! against the targets of its 人財育成アクションプラン.
//!
//! The pipeline (DESIGN §1): [`ingest`] reads and checks a workspace into a
//! validated polars DataFrame of respondents; [`aggregate`] computes the
//! scores model with confidentiality applied; [`export`] and [`report`] write
//! it out. [`cmd`] holds one module per subcommand; [`run`] dispatches to them.

pub mod aggregate;
pub mod cli;
pub mod clock;
pub mod cmd;
pub mod comments;
pub mod config;
pub mod export;
pub mod ingest;
pub mod output;
pub mod palette;
pub mod problem;
pub mod report;
pub mod synth;
pub mod text;

use std::error::Error as _;
use std::process::ExitCode;

use crate::problem::InputError;

/// Exit status when the inputs have problems.
pub const EXIT_INPUT: u8 = 1;
/// Exit status of a usage error.
pub const EXIT_USAGE: u8 = 2;

/// Runs a parsed command line and returns the exit status: each command's
/// options are built from its arguments, then run. A usage error exits 2,
/// whether the arguments alone show it or the workspace does
/// (`report --department 9999`).
pub fn run(cli: cli::Cli) -> ExitCode {
    fn options<A, O: TryFrom<A, Error = cmd::UsageError>>(args: A) -> anyhow::Result<O> {
        Ok(O::try_from(args)?)
    }
    let result = match cli.command {
        cli::Command::Init(args) => options(args).and_then(cmd::init::execute),
        cli::Command::Synth(args) => options(args).and_then(cmd::synth::execute),
        cli::Command::Check(args) => options(args).and_then(cmd::check::execute),
        cli::Command::Scores(args) => options(args).and_then(cmd::scores::execute),
        cli::Command::Report(args) => options(args).and_then(cmd::report::execute),
        cli::Command::Comments(args) => options(args).and_then(cmd::comments::execute),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            if let Some(usage) = err.downcast_ref::<cmd::UsageError>() {
                output::eprintln(&format!("エラー: {usage}"));
                return ExitCode::from(EXIT_USAGE);
            }
            if let Some(input) = err.downcast_ref::<InputError>() {
                output::print_problems(&input.0);
                output::eprintln(&format!("エラー: {err}。何も書き出していません。"));
            } else {
                output::eprintln(&format!("エラー: {}", japanese_chain(&err)));
            }
            ExitCode::from(EXIT_INPUT)
        }
    }
}

/// The error with its causes, `：`-joined, the operating system's English
/// words for a file error replaced by Japanese (the OS text kept in brackets
/// for the rare kinds without a translation).
fn japanese_chain(err: &anyhow::Error) -> String {
    err.chain()
        .map(|cause| match cause.downcast_ref::<std::io::Error>() {
            Some(io) => io_in_japanese(io),
            None => cause.to_string(),
        })
        .collect::<Vec<_>>()
        .join(": ")
}

/// Says in Japanese what a file operation ran into.
pub fn io_in_japanese(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::PermissionDenied => "書き込み（読み込み）の権限がありません".into(),
        K::NotFound => "見つかりません".into(),
        K::AlreadyExists => "同じ名前のものがすでにあります".into(),
        K::IsADirectory => "ファイルではなくフォルダです".into(),
        K::NotADirectory => "途中にフォルダでないものがあります".into(),
        K::ReadOnlyFilesystem => "読み取り専用の場所です".into(),
        K::StorageFull | K::QuotaExceeded => "ディスクの空きが足りません".into(),
        K::DirectoryNotEmpty => "フォルダが空ではありません".into(),
        K::InvalidFilename => "使えない文字を含む名前です".into(),
        _ => format!("ファイルの操作に失敗しました（{e}）"),
    }
}

/// Prints a command-line parse error in Japanese and returns its exit status.
pub fn usage_error(err: clap::Error) -> ExitCode {
    use clap::error::{ContextKind, ErrorKind};
    match err.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = err.print();
            return ExitCode::SUCCESS;
        }
        _ => {}
    }
    let context = |kind: ContextKind| -> String {
        match err.get(kind) {
            Some(clap::error::ContextValue::String(s)) => s.clone(),
            Some(clap::error::ContextValue::Strings(v)) => v.join("、"),
            Some(other) => other.to_string(),
            None => String::new(),
        }
    };
    let message = match err.kind() {
        ErrorKind::MissingRequiredArgument => format!("必須の引数がありません: {}", context(ContextKind::InvalidArg)),
        ErrorKind::MissingSubcommand => {
            "コマンドを指定してください（init, synth, check, scores, report, comments）".to_string()
        }
        ErrorKind::InvalidSubcommand => format!(
            "コマンド「{}」はありません（init, synth, check, scores, report, comments）",
            context(ContextKind::InvalidSubcommand)
        ),
        ErrorKind::UnknownArgument => format!("知らないオプションです: {}", context(ContextKind::InvalidArg)),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            // The parser's own reason names the value already (and may hold
            // parentheses of its own): after a colon, not inside more of them.
            match err.source() {
                Some(reason) => format!("{} の値が正しくありません: {reason}", context(ContextKind::InvalidArg)),
                None => format!(
                    "{} の値「{}」が正しくありません",
                    context(ContextKind::InvalidArg),
                    context(ContextKind::InvalidValue)
                ),
            }
        }
        ErrorKind::ArgumentConflict => {
            format!("同時に指定できないオプションです: {}", context(ContextKind::InvalidArg))
        }
        ErrorKind::TooManyValues => {
            format!("引数が多すぎます: {}", context(ContextKind::InvalidArg))
        }
        _ => format!("コマンドラインが正しくありません（{}）", err.kind()),
    };
    output::eprintln(&format!("エラー: {message}"));
    output::eprintln("使い方は ishiki --help で確かめてください。");
    ExitCode::from(EXIT_USAGE)
}
