//! Compiles IPADIC's sources (already converted to UTF-8) into vibrato's
//! binary dictionary. Run by `tools/build_dictionary.sh`, which fetches the
//! sources from Debian's `mecab-ipadic` package and compresses the output;
//! not part of the `ishiki` binary.
//!
//! Usage: `build_dictionary SOURCE_DIR OUTPUT` where SOURCE_DIR holds
//! `lex.csv` (every lexicon file concatenated), `matrix.def`, `char.def` and
//! `unk.def`.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use vibrato::SystemDictionaryBuilder;

fn main() -> Result<()> {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [source, output] = args.as_slice() else {
        bail!("usage: build_dictionary SOURCE_DIR OUTPUT");
    };
    let open = |name: &str| {
        let path = source.join(name);
        File::open(&path).with_context(|| format!("{}", path.display()))
    };
    let dictionary = SystemDictionaryBuilder::from_readers(
        open("lex.csv")?,
        open("matrix.def")?,
        open("char.def")?,
        open("unk.def")?,
    )
    .context("compiling the dictionary")?;
    let file = File::create(output).with_context(|| format!("{}", output.display()))?;
    let mut writer = BufWriter::new(file);
    let bytes = dictionary.write(&mut writer).context("writing the dictionary")?;
    writer.flush()?;
    eprintln!("{} bytes written to {}", bytes, output.display());
    Ok(())
}
