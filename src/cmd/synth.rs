//! `ishiki synth DIR`: writes a synthetic workspace and says what it wrote.

use std::time::Instant;

use anyhow::Result;

use crate::cli::SynthArgs;
use crate::cmd::UsageError;
use crate::output::println;
use crate::synth;

/// Checked options of `synth`.
pub type Options = synth::Options;

impl TryFrom<SynthArgs> for synth::Options {
    type Error = UsageError;

    fn try_from(a: SynthArgs) -> Result<Self, UsageError> {
        Ok(synth::Options {
            dir: a.dir,
            respondents: a.respondents,
            departments: a.departments,
            years: a.years,
            seed: a.seed,
            dropouts: f64::from(a.dropouts) / 100.0,
        })
    }
}

/// Runs `synth`.
pub fn execute(opts: Options) -> Result<()> {
    let started = Instant::now();
    let written = synth::generate(&opts)?;
    println(&format!(
        "合成データのワークスペースを作りました: {}（{:.1}秒）",
        opts.dir.display(),
        started.elapsed().as_secs_f64()
    ));
    println(&format!("  所属: {}（最終年度）", written.departments));
    for (year, file, n) in &written.years {
        println(&format!("  {year}: {file}（{n}人）"));
    }
    println("  すべて架空のデータです。実在の職員の回答ではありません。");
    Ok(())
}
