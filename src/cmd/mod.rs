//! One module per subcommand: each builds its checked `Options` from the
//! parsed arguments (`TryFrom<Args>`, a [`UsageError`] when they cannot run as
//! given) and has an `execute` taking them.

pub mod check;
pub mod comments;
pub mod init;
pub mod report;
pub mod scores;
pub mod synth;

use std::path::Path;

/// Arguments that parsed but cannot run as given: exit status 2 (DESIGN §7),
/// like a command line clap refuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// Refuses `--out` inside the workspace's input folders (responses/ or
/// harassment/): the next run would read the output as an export.
pub fn out_outside_inputs(workspace: &Path, out: &Path) -> Result<(), UsageError> {
    // Compare existing ancestors in their canonical form (the output itself may not exist yet).
    let canonical = |p: &Path| {
        p.ancestors().find_map(|a| {
            let c = std::fs::canonicalize(if a.as_os_str().is_empty() { Path::new(".") } else { a }).ok()?;
            Some(c.join(p.strip_prefix(a).ok()?))
        })
    };
    let Some(out) = canonical(out) else { return Ok(()) };
    for folder in ["responses", "harassment"] {
        if let Ok(inputs) = std::fs::canonicalize(workspace.join(folder))
            && out.starts_with(&inputs)
        {
            return Err(UsageError(format!(
                "--out の「{}」はワークスペースの {folder}/ の中です。次に読み込むときに回答ファイルとして読まれてしまうので、別の場所を指定してください",
                out.display()
            )));
        }
    }
    Ok(())
}

/// The date printed on outputs: `--date`, else `SOURCE_DATE_EPOCH`, else today;
/// a malformed one is a usage error.
pub fn output_date(explicit: Option<&str>) -> Result<crate::clock::Date, UsageError> {
    crate::clock::output_date(explicit).map_err(UsageError)
}
