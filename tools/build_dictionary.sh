#!/usr/bin/env bash
# Rebuilds assets/ipadic/ipadic.vibrato.zst, the Japanese dictionary that
# src/comments/ embeds, from Debian's mecab-ipadic package:
#   download (apt-get download) → unpack (dpkg-deb) → EUC-JP to UTF-8 (iconv)
#   → compile with vibrato (examples/build_dictionary.rs) → zstd -19.
# Also copies the package's licence notice to assets/ipadic/COPYING and
# records the package version and checksums in assets/ipadic/SOURCE.
# Needs apt-get, dpkg-deb, iconv, zstd and cargo. Running it twice gives the
# same bytes (the compiler has no hash-ordered output; zstd runs on one thread).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/assets/ipadic"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

cd "$work"
if ! apt-get download mecab-ipadic >/dev/null 2>&1; then
    apt-get update >/dev/null
    apt-get download mecab-ipadic >/dev/null
fi
deb="$(ls mecab-ipadic_*.deb)"
dpkg-deb -x "$deb" unpacked
src="unpacked/usr/share/mecab/dic/ipadic"

mkdir utf8
# Lexicon files in a fixed (byte) order, so the compiled dictionary is too.
LC_ALL=C find "$src" -maxdepth 1 -name '*.csv' -print0 | LC_ALL=C sort -z |
    while IFS= read -r -d '' csv; do
        iconv -f EUC-JP -t UTF-8 "$csv"
    done > utf8/lex.csv
for def in matrix.def char.def unk.def; do
    iconv -f EUC-JP -t UTF-8 "$src/$def" > "utf8/$def"
done

(cd "$root" && cargo run --release --offline --quiet --example build_dictionary -- "$work/utf8" "$work/ipadic.vibrato")
zstd -19 -T1 -q -f "$work/ipadic.vibrato" -o "$out/ipadic.vibrato.zst"
cp unpacked/usr/share/doc/mecab-ipadic/copyright "$out/COPYING"

{
    echo "Built by tools/build_dictionary.sh from Debian's package:"
    echo "  $(dpkg-deb -f "$deb" Package) $(dpkg-deb -f "$deb" Version)"
    echo "  sha256 $(sha256sum "$deb" | cut -d' ' -f1)  $deb"
    echo "Compiled with vibrato $(grep -A1 '^name = "vibrato"' "$root/Cargo.lock" | sed -n 's/^version = "\(.*\)"/\1/p'), compressed with $(zstd -V | sed 's/^\*\** *//; s/ *\**$//') -19:"
    echo "  entries $(wc -l < utf8/lex.csv)"
    echo "  sha256 $(sha256sum "$work/ipadic.vibrato" | cut -d' ' -f1)  ipadic.vibrato ($(stat -c %s "$work/ipadic.vibrato") bytes)"
    echo "  sha256 $(sha256sum "$out/ipadic.vibrato.zst" | cut -d' ' -f1)  ipadic.vibrato.zst ($(stat -c %s "$out/ipadic.vibrato.zst") bytes)"
} > "$out/SOURCE"
cat "$out/SOURCE"
