//! `ishiki init DIR`: writes a new workspace with Osaki's plan and the default
//! questionnaire, an org.csv template and empty `responses/` and `harassment/`.
//! It refuses to overwrite anything that exists.

use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::config::defaults::{ORG_CSV_TEMPLATE, PLAN_TOML, SURVEY_TOML};
use crate::output::println;

/// The files and folders `init` creates, relative to the workspace.
pub const FILES: [(&str, &str); 3] =
    [("survey.toml", SURVEY_TOML), ("plan.toml", PLAN_TOML), ("org.csv", ORG_CSV_TEMPLATE)];
/// The folders `init` creates.
pub const FOLDERS: [&str; 2] = ["responses", "harassment"];

/// Creates the workspace at `dir`.
pub fn execute(dir: &Path) -> Result<()> {
    let existing: Vec<String> = FILES
        .iter()
        .map(|(name, _)| *name)
        .chain(FOLDERS)
        .filter(|name| dir.join(name).exists())
        .map(|name| dir.join(name).display().to_string())
        .collect();
    if !existing.is_empty() {
        bail!("すでにあるファイルは上書きしません: {}", existing.join("、"));
    }
    std::fs::create_dir_all(dir).with_context(|| format!("フォルダ {} を作れません", dir.display()))?;
    for folder in FOLDERS {
        let path = dir.join(folder);
        std::fs::create_dir(&path).with_context(|| format!("フォルダ {} を作れません", path.display()))?;
    }
    for (name, contents) in FILES {
        let path = dir.join(name);
        // create_new: never replace a file that appeared since the check above.
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .with_context(|| format!("{} を作れません", path.display()))?;
        std::io::Write::write_all(&mut file, contents.as_bytes())
            .with_context(|| format!("{} に書き込めません", path.display()))?;
    }
    println(&format!("ワークスペースを作りました: {}", dir.display()));
    println("  survey.toml   設問と集計の設定（大崎市の既定の設問）");
    println("  plan.toml     人財育成アクションプランの目標と施策（大崎市の計画）");
    println("  org.csv       所属の一覧（年度ごとに所属を書き足してください）");
    println("  responses/    職員意識調査の回答ファイル（年度ごとに1ファイル）");
    println("  harassment/   ハラスメント調査の回答ファイル（任意）");
    println(&format!("次に org.csv と回答ファイルを置き、ishiki check {} で確かめてください。", dir.display()));
    Ok(())
}
