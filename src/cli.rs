//! The command line as clap sees it. [`crate::run`] turns these structs into
//! each command's checked options; nothing below `cmd` sees clap types.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::year::FiscalYear;

const HELP_TEMPLATE: &str = "\
{before-help}{name} {version}
{about-with-newline}
使い方: {usage}

{all-args}{after-help}";

/// Subcommands print no name and version line of their own.
const SUB_HELP_TEMPLATE: &str = "\
{about-with-newline}
使い方: {usage}

{all-args}{after-help}";

/// 職員意識調査・ハラスメント調査を集計し、人財育成アクションプランの目標に対する進み具合を報告します。
#[derive(Debug, Parser)]
#[command(
    name = "ishiki",
    version,
    help_template = HELP_TEMPLATE,
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    subcommand_help_heading = "コマンド",
    after_help = "例:\n  ishiki init 令和7年度調査\n  ishiki check 令和7年度調査\n  ishiki report 令和7年度調査 --year R7 --out 報告書"
)]
pub struct Cli {
    /// 実行するコマンド
    #[command(subcommand)]
    pub command: Command,
    /// ヘルプを表示します
    #[arg(short = 'h', long = "help", action = clap::ArgAction::Help, global = true, help_heading = "オプション")]
    help: Option<bool>,
    /// バージョンを表示します
    #[arg(short = 'V', long = "version", action = clap::ArgAction::Version, help_heading = "オプション")]
    version: Option<bool>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// 新しいワークスペース（設定ファイルの雛形と空のフォルダ）を作ります
    #[command(help_template = SUB_HELP_TEMPLATE)]
    Init(InitArgs),
    /// 架空の職員による合成データのワークスペースを作ります（試用・性能測定用）
    #[command(help_template = SUB_HELP_TEMPLATE)]
    Synth(SynthArgs),
    /// ワークスペースの入力をすべて確かめ、問題を場所つきで一覧にします
    #[command(help_template = SUB_HELP_TEMPLATE)]
    Check(CheckArgs),
    /// カテゴリ・所属・属性ごとの点数を CSV・JSON・Excel に書き出します
    #[command(help_template = SUB_HELP_TEMPLATE)]
    Scores(ScoresArgs),
    /// 委員会向け報告書（PDF）、所属長向けフィードバック（PDF）、集計表（Excel）を作ります
    #[command(help_template = SUB_HELP_TEMPLATE)]
    Report(ReportArgs),
    /// 人事担当課が自由記述を読んで確かめるための一覧（Excel。伏せ字案・テーマ・要確認つき）を作ります
    #[command(help_template = SUB_HELP_TEMPLATE)]
    Comments(CommentsArgs),
}

/// `ishiki init`.
#[derive(Debug, Args)]
#[command(next_help_heading = "引数とオプション")]
pub struct InitArgs {
    /// 作るワークスペースのフォルダ
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// 実際の回答ファイル（フォームツールやExcelの書き出し）から survey.toml と org.csv の下書きを作る
    #[arg(long, value_name = "FILE")]
    pub from: Option<PathBuf>,
}

/// `ishiki synth`.
#[derive(Debug, Args)]
#[command(next_help_heading = "引数とオプション")]
pub struct SynthArgs {
    /// 作るワークスペースのフォルダ
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// 1年度あたりの回答者数
    #[arg(long, default_value_t = 1000, value_name = "N")]
    pub respondents: usize,
    /// 所属（部と課）の数
    #[arg(long, default_value_t = 60, value_name = "N")]
    pub departments: usize,
    /// 年度の範囲（例: 2022..2025、R4..R7）
    #[arg(long, default_value = "2022..2025", value_parser = parse_year_range, value_name = "FROM..TO")]
    pub years: (FiscalYear, FiscalYear),
    /// 乱数の種（同じ種なら同じデータになります）
    #[arg(long, default_value_t = 1, value_name = "S")]
    pub seed: u64,
    /// 途中で回答をやめる人の割合（%、0〜100）
    #[arg(long, default_value_t = 10, value_name = "PERCENT", value_parser = clap::value_parser!(u8).range(0..=100))]
    pub dropouts: u8,
}

/// `ishiki check`.
#[derive(Debug, Args)]
#[command(next_help_heading = "引数とオプション")]
pub struct CheckArgs {
    /// 確かめるワークスペースのフォルダ
    #[arg(value_name = "WORKSPACE")]
    pub workspace: PathBuf,
}

/// `ishiki scores`.
#[derive(Debug, Args)]
#[command(next_help_heading = "引数とオプション")]
pub struct ScoresArgs {
    /// ワークスペースのフォルダ
    #[arg(value_name = "WORKSPACE")]
    pub workspace: PathBuf,
    /// 年度（省略するとすべての年度）
    #[arg(long, value_parser = parse_year, value_name = "Y")]
    pub year: Option<FiscalYear>,
    /// 書き出すファイル（拡張子 .csv .json .xlsx で形式を選びます）
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

/// Which reports `report` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Only {
    /// 委員会向け報告書だけ
    Committee,
    /// 所属長向けフィードバックだけ
    Departments,
    /// 結果の閲覧用ファイル（explorer_<年度>.html）だけ
    Explorer,
}

/// `ishiki report`.
#[derive(Debug, Args)]
#[command(next_help_heading = "引数とオプション")]
pub struct ReportArgs {
    /// ワークスペースのフォルダ
    #[arg(value_name = "WORKSPACE")]
    pub workspace: PathBuf,
    /// 報告する年度（例: R7、令和7年度、2025）
    #[arg(long, value_parser = parse_year, value_name = "Y")]
    pub year: FiscalYear,
    /// 書き出すフォルダ
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// 一部だけを作ります（committee: 委員会向け報告書だけ、departments: 所属長向けフィードバックだけ、explorer: 結果の閲覧用ファイルだけ）
    #[arg(long, value_enum, value_name = "committee|departments|explorer", hide_possible_values = true)]
    pub only: Option<Only>,
    /// この所属のフィードバックだけを作ります（所属コードか所属名）
    #[arg(long, value_name = "CODE")]
    pub department: Option<String>,
    /// 自作のテンプレート（*.typ）を置いたフォルダ
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// 報告書の作成日（YYYY-MM-DD。省略時は SOURCE_DATE_EPOCH、なければ今日）
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// 人事担当課が確かめた自由記述の一覧（ishiki comments で作り、掲載に ○ を入力したもの）。○ の行の伏せ字案を委員会向け報告書に載せます
    #[arg(long, value_name = "FILE.xlsx")]
    pub comments: Option<PathBuf>,
}

/// `ishiki comments`.
#[derive(Debug, Args)]
#[command(
    next_help_heading = "引数とオプション",
    after_help = "一覧には自由記述の原文が入ります。人事担当課の中だけで扱ってください。\n例:\n  ishiki comments 令和7年度調査 --year R7 --out 自由記述_R7.xlsx"
)]
pub struct CommentsArgs {
    /// ワークスペースのフォルダ
    #[arg(value_name = "WORKSPACE")]
    pub workspace: PathBuf,
    /// 自由記述を読む年度（例: R7、令和7年度、2025）
    #[arg(long, value_parser = parse_year, value_name = "Y")]
    pub year: FiscalYear,
    /// 書き出す Excel ファイル（.xlsx）
    #[arg(long, value_name = "FILE.xlsx")]
    pub out: PathBuf,
}

fn parse_year(s: &str) -> Result<FiscalYear, String> {
    s.parse::<FiscalYear>().map_err(|e| e.to_string())
}

fn parse_year_range(s: &str) -> Result<(FiscalYear, FiscalYear), String> {
    let (from, to) = s
        .split_once("..")
        .ok_or_else(|| format!("「{s}」は年度の範囲として読めません（2022..2025 のように書いてください）"))?;
    let from = parse_year(from)?;
    let to = parse_year(to.trim_start_matches('='))?;
    if to < from {
        return Err(format!("「{s}」は終わりの年度が始まりより前です"));
    }
    if to.0 - from.0 > 30 {
        return Err(format!("「{s}」は範囲が広すぎます（30年度まで）"));
    }
    Ok((from, to))
}
