//! `ishiki init DIR`: writes a new workspace with Osaki's plan and the default
//! questionnaire, an org.csv template and empty `responses/` and `harassment/`.
//! It refuses to overwrite anything that exists. With `--from FILE` it drafts
//! survey.toml and org.csv from one real export instead ([`execute_from`]).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::cli::InitArgs;
use crate::cmd::UsageError;
use crate::config::defaults::{ORG_CSV_TEMPLATE, PLAN_TOML, SURVEY_TOML};
use crate::config::survey::Survey;
use crate::ingest::draft::{Draft, Kind, draft};
use crate::output::println;

/// The files and folders `init` creates, relative to the workspace.
pub const FILES: [(&str, &str); 3] =
    [("survey.toml", SURVEY_TOML), ("plan.toml", PLAN_TOML), ("org.csv", ORG_CSV_TEMPLATE)];
/// The folders `init` creates.
pub const FOLDERS: [&str; 2] = ["responses", "harassment"];

/// Refuses when any of the workspace files or folders exists.
fn refuse_to_overwrite(dir: &Path) -> Result<()> {
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
    Ok(())
}

/// Creates the folders and writes the files, never replacing one.
fn create(dir: &Path, folders: &[&str], files: &[(&str, &str)]) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("フォルダ {} を作れません", dir.display()))?;
    for folder in folders {
        let path = dir.join(folder);
        std::fs::create_dir(&path).with_context(|| format!("フォルダ {} を作れません", path.display()))?;
    }
    for (name, contents) in files {
        let path = dir.join(name);
        // create_new: never replace a file that appeared since the check.
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .with_context(|| format!("{} を作れません", path.display()))?;
        std::io::Write::write_all(&mut file, contents.as_bytes())
            .with_context(|| format!("{} に書き込めません", path.display()))?;
    }
    Ok(())
}

/// Checked options of `init`.
#[derive(Debug, Clone)]
pub struct Options {
    /// The workspace folder to create.
    pub dir: PathBuf,
    /// An export to draft survey.toml and org.csv from (`--from`).
    pub from: Option<PathBuf>,
}

impl TryFrom<InitArgs> for Options {
    type Error = UsageError;

    fn try_from(a: InitArgs) -> Result<Options, UsageError> {
        Ok(Options { dir: a.dir, from: a.from })
    }
}

/// Runs `init`: the default workspace, or one drafted from an export.
pub fn execute(opts: Options) -> Result<()> {
    match &opts.from {
        Some(export) => execute_from(&opts.dir, export),
        None => create_default(&opts.dir),
    }
}

/// Creates the default workspace at `dir`.
fn create_default(dir: &Path) -> Result<()> {
    refuse_to_overwrite(dir)?;
    create(dir, &FOLDERS, &FILES)?;
    println(&format!("ワークスペースを作りました: {}", dir.display()));
    println("  survey.toml   設問と集計の設定（大崎市の既定の設問）");
    println("  plan.toml     人財育成アクションプランの目標と施策（大崎市の計画）");
    println("  org.csv       所属の一覧（年度ごとに所属を書き足してください）");
    println("  responses/    職員意識調査の回答ファイル（年度ごとに1ファイル）");
    println("  harassment/   ハラスメント調査の回答ファイル（任意）");
    println(&format!("次に org.csv と回答ファイルを置き、ishiki check {} で確かめてください。", dir.display()));
    Ok(())
}

/// Quotes a string as TOML writes it.
fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// A TOML array of strings.
fn list(items: &[String]) -> String {
    format!("[{}]", items.iter().map(|s| quoted(s)).collect::<Vec<_>>().join(", "))
}

/// Writes survey.toml for a drafted export: the scale it uses, its column
/// headers, the default questions it holds (by their own headers) in their
/// categories, and the questions left to place, commented.
fn drafted_survey(draft: &Draft, survey: &Survey) -> String {
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    line(format!("# {} から作った survey.toml の下書きです。内容を確かめてから使ってください。", draft.file));
    line(format!("title = {}", quoted(&survey.title)));
    line(format!("min_group_size = {}", survey.min_group_size));
    line(String::new());
    if let Some(scale) = &draft.scale {
        let n = scale.max - scale.min + 1;
        line("# 回答の尺度（回答ファイルの回答から読み取りました）。".into());
        line("[scale]".into());
        line(format!("min = {}", scale.min));
        line(format!("max = {}", scale.max));
        line("# この値以上を肯定的回答として数えます（尺度の上半分）。".into());
        line(format!("favorable_threshold = {}", scale.max - n / 2 + 1));
        line(String::new());
        line("[scale.labels]".into());
        for v in scale.min..=scale.max {
            let label = scale.labels.get((v - scale.min) as usize).cloned().unwrap_or_else(|| v.to_string());
            line(format!("{v} = {}", quoted(&label)));
        }
        line(String::new());
    }
    let headers = |pick: &dyn Fn(&Kind) -> bool| -> Vec<String> {
        draft.columns.iter().filter(|c| pick(&c.kind)).map(|c| c.header.clone()).collect()
    };
    line("[columns]".into());
    line(format!("department = {}", list(&headers(&|k| matches!(k, Kind::Department(_))))));
    let parent = headers(&|k| matches!(k, Kind::Parent));
    if !parent.is_empty() {
        line(format!("parent_department = {}", list(&parent)));
    }
    let year = headers(&|k| matches!(k, Kind::Year));
    if !year.is_empty() {
        line(format!("year = {}", list(&year)));
    }
    line(String::new());
    for c in &draft.columns {
        if let Kind::Demographic { name, values } = &c.kind {
            let default = survey.demographics.iter().find(|d| &d.name == name);
            line("[[demographics]]".into());
            line(format!("name = {}", quoted(name)));
            line(format!("column = {}", list(std::slice::from_ref(&c.header))));
            line(format!("values = {}", list(values)));
            if let Some(d) = default.filter(|d| &d.values == values && !d.aliases.is_empty()) {
                let aliases: Vec<String> =
                    d.aliases.iter().map(|(a, v)| format!("{} = {}", quoted(a), quoted(v))).collect();
                line(format!("aliases = {{ {} }}", aliases.join(", ")));
            }
            line(String::new());
        }
    }
    // The default questions found, in their categories.
    let found: Vec<(&str, &str)> = draft
        .columns
        .iter()
        .filter_map(|c| match &c.kind {
            Kind::Item(id) => Some((id.as_str(), c.header.as_str())),
            _ => None,
        })
        .collect();
    for cat in &survey.categories {
        let ids: Vec<String> = cat
            .items
            .iter()
            .map(|&i| survey.items[i].id.clone())
            .filter(|id| found.iter().any(|(f, _)| f == id))
            .collect();
        if ids.is_empty() {
            continue;
        }
        line("[[categories]]".into());
        line(format!("id = {}", quoted(&cat.id)));
        line(format!("name = {}", quoted(&cat.name)));
        line(format!("items = {}", list(&ids)));
        line(format!("discussion = {}", list(&cat.discussion)));
        line(String::new());
    }
    for item in &survey.items {
        let Some((_, header)) = found.iter().find(|(id, _)| *id == item.id) else { continue };
        line("[[items]]".into());
        line(format!("id = {}", quoted(&item.id)));
        line(format!("text = {}", quoted(&item.text)));
        if item.reverse {
            line("reverse = true".into());
            line(format!("label = {}", quoted(&item.label)));
        }
        line(format!("header = {}", quoted(header)));
        line(String::new());
    }
    // The default outcome questions found (the driver analysis needs them).
    for outcome in &survey.outcomes {
        let Some(c) = draft.columns.iter().find(|c| c.kind == Kind::Outcome(outcome.id.clone())) else { continue };
        line("[[outcomes]]".into());
        line(format!("id = {}", quoted(&outcome.id)));
        line(format!("text = {}", quoted(&outcome.text)));
        line(format!("header = {}", quoted(&c.header)));
        line(String::new());
    }
    // Free-text columns become questions of [[comments]], C01 on.
    let free: Vec<&str> =
        draft.columns.iter().filter(|c| c.kind == Kind::FreeText).map(|c| c.header.as_str()).collect();
    if !free.is_empty() {
        line(
            "# 自由記述の設問です。text には設問文を書いてください（見出しが設問文でなければ直してください）。".into(),
        );
    }
    for (k, header) in free.iter().enumerate() {
        // The default question keeps its own text when the header holds it.
        let text = survey
            .comments
            .iter()
            .find(|q| crate::text::normalize(header).contains(&crate::text::normalize(&q.text)))
            .map_or(*header, |q| q.text.as_str());
        line("[[comments]]".into());
        line(format!("id = \"C{:02}\"", k + 1));
        line(format!("text = {}", quoted(text)));
        line(format!("header = {}", list(&[header.to_string()])));
        line(String::new());
    }
    let new_items: Vec<&str> =
        draft.columns.iter().filter(|c| c.kind == Kind::NewItem).map(|c| c.header.as_str()).collect();
    if !new_items.is_empty() {
        line("# 既定の設問と一致しなかった設問です。id を付け、どれかのカテゴリの items に加えてから、# を外してください。".into());
        for (k, header) in new_items.iter().enumerate() {
            line("# [[items]]".into());
            line(format!("# id = \"X{:02}\"", k + 1));
            line(format!("# text = {}", quoted(header)));
            line(format!("# header = {}", quoted(header)));
            line("#".into());
        }
    }
    out
}

/// Writes the org.csv draft: one row per department value found, with the
/// code where the export gave one; parents and headcounts are left to fill in.
fn drafted_org(draft: &Draft) -> String {
    let mut out = String::from(ORG_CSV_TEMPLATE);
    let year = draft.year.map(|y| y.0.to_string()).unwrap_or_default();
    for c in &draft.columns {
        let Kind::Department(values) = &c.kind else { continue };
        for v in values {
            let folded = crate::text::fold_width(v.trim());
            let (code, name) = match folded.split_once(|ch: char| ch.is_whitespace() || ch == ':' || ch == '：') {
                Some((code, name)) if code.chars().all(|ch| ch.is_ascii_digit()) => (code.to_string(), name.trim()),
                _ if folded.chars().all(|ch| ch.is_ascii_digit()) => (folded.clone(), ""),
                _ => (String::new(), v.trim()),
            };
            let field = |s: &str| {
                if s.contains([',', '"']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
            };
            out.push_str(&format!("{year},{},{},,,\n", field(&code), field(name)));
        }
    }
    out
}

/// Drafts a workspace at `dir` from one export: survey.toml, the default plan.toml,
/// an org.csv draft and empty folders. It refuses to overwrite anything.
fn execute_from(dir: &Path, export: &Path) -> Result<()> {
    refuse_to_overwrite(dir)?;
    let survey = Survey::from_toml("survey.toml", SURVEY_TOML)
        .map_err(|_| anyhow::anyhow!("既定の survey.toml が読めません（プログラムの誤りです）"))?;
    let file = export.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
    let draft = draft(export, &file, &survey).map_err(|p| anyhow::anyhow!("{p}"))?;
    if !draft.columns.iter().any(|c| matches!(c.kind, Kind::Department(_))) {
        bail!(
            "{file} に所属の列が見つかりません（見出しが {} のどれかの列が必要です）",
            survey.department_column.join("・")
        );
    }
    let survey_toml = drafted_survey(&draft, &survey);
    let org_csv = drafted_org(&draft);
    // No harassment/: the draft describes the attitude survey's export only.
    create(
        dir,
        &["responses"],
        &[("survey.toml", survey_toml.as_str()), ("plan.toml", PLAN_TOML), ("org.csv", org_csv.as_str())],
    )?;
    summarize(dir, &draft);
    Ok(())
}

/// Says what was drafted and what is left to the user.
fn summarize(dir: &Path, draft: &Draft) {
    let of = |pick: &dyn Fn(&Kind) -> bool| -> Vec<&str> {
        draft.columns.iter().filter(|c| pick(&c.kind)).map(|c| c.header.as_str()).collect()
    };
    println(&format!("{} から下書きのワークスペースを作りました: {}", draft.file, dir.display()));
    for c in &draft.columns {
        if let Kind::Department(values) = &c.kind {
            println(&format!("  所属: 列「{}」（{}種類）", c.header, values.len()));
        }
    }
    let year = of(&|k| matches!(k, Kind::Year));
    if !year.is_empty() {
        println(&format!("  年度: 列「{}」", year.join("」「")));
    }
    for c in &draft.columns {
        if let Kind::Demographic { name, values } = &c.kind {
            println(&format!("  属性: {name}（列「{}」、{}）", c.header, values.join("・")));
        }
    }
    if let Some(s) = &draft.scale {
        let labels = if s.labels.is_empty() { format!("{}～{}", s.min, s.max) } else { s.labels.join("・") };
        println(&format!("  回答の尺度: {}段階（{labels}）", s.max - s.min + 1));
    }
    let matched = of(&|k| matches!(k, Kind::Item(_))).len();
    let new_items = of(&|k| *k == Kind::NewItem);
    println(&format!("  設問: 既定の設問と一致 {matched}、一致しない設問 {}", new_items.len()));
    let outcomes = of(&|k| matches!(k, Kind::Outcome(_)));
    if outcomes.is_empty() {
        println(
            "  結果の設問（職場への満足・働き続けたい気持ち）: 見つかりません。重要度の分析は行いません（ほかの集計はできます）",
        );
    } else {
        println(&format!("  結果の設問（重要度の分析に使います）: {}", outcomes.join("、")));
    }
    let free = of(&|k| matches!(k, Kind::FreeText));
    if !free.is_empty() {
        println(&format!(
            "  自由記述の設問（[[comments]]。ishiki comments で人事担当課の確認用の一覧を作れます。ほかの出力には載りません）: {}",
            free.join("、")
        ));
    }
    let ignored = of(&|k| matches!(k, Kind::Ignored(_)));
    if !ignored.is_empty() {
        println(&format!("  読み飛ばす列: {}", ignored.join("、")));
    }
    println("残っている作業:");
    println("  org.csv: 所属ごとのコード・親の所属（部）・職員数を書き入れてください");
    if !new_items.is_empty() {
        println("  survey.toml: 一致しなかった設問（# で始まる行）をカテゴリに入れてください");
    }
    println("  plan.toml: 大崎市の計画が入っています。自分の市の計画の目標と施策に書き換えてください");
    println(&format!("  回答ファイルを responses/ に置き、ishiki check {} で確かめてください。", dir.display()));
}
