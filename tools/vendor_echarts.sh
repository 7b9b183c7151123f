#!/usr/bin/env bash
# Builds the charting library the explorer embeds (DESIGN §9): a custom
# build of Apache ECharts holding only what the page uses, with the licences
# of everything inside it.
#
#   tools/vendor_echarts.sh
#
# tools/echarts-build/ holds the build: package.json and package-lock.json
# pin echarts (with zrender and tslib, which it depends on) and esbuild to
# exact versions with their integrity hashes; entry.js registers the charts,
# components and features the page uses (add one there before the page uses
# it); build.mjs bundles entry.js into one minified IIFE that defines the
# global `echarts`, as the full dist file did; check.mjs draws a chart of
# each kind with the result, without a browser.
#
# The build runs in a temporary copy: `npm ci --ignore-scripts` installs
# exactly the lockfile's packages and fails on an integrity mismatch, and
# esbuild's binary comes from its platform package, so no install script
# runs. The same lockfile gives the same bytes; run the script twice and
# compare the sha256 it prints.
#
# To move to another version: change the versions in package.json, run
# `npm install --ignore-scripts --package-lock-only` in tools/echarts-build,
# then this script, and look at the explorer in a browser
# (tests/browser/explorer.py).
#
# Writes report-templates/explorer/vendor/: echarts.min.js; ECharts' LICENSE
# and NOTICE; LICENSE-zrender, LICENSE-tslib and LICENSE-d3 (the d3.js code
# that ECharts' LICENSE names); VERSION, which records the versions, the
# bundler, the npm integrity of the echarts package
# and the sha256 of echarts.min.js. src/export/explorer checks that
# sha256 in a test, so a library changed by hand fails `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=tools/echarts-build
DEST=report-templates/explorer/vendor

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$BUILD"/{package.json,package-lock.json,entry.js,build.mjs,check.mjs,header.js} "$work/"
(
  cd "$work"
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
  node build.mjs echarts.min.js
  node check.mjs echarts.min.js
)

version() { node -p "require('$work/node_modules/$1/package.json').version"; }
echarts_version="$(version echarts)"
zrender_version="$(version zrender)"
tslib_version="$(version tslib)"
esbuild_version="$(version esbuild)"
integrity="$(node -p "require('$work/package-lock.json').packages['node_modules/echarts'].integrity")"

mkdir -p "$DEST"
cp "$work/echarts.min.js" "$DEST/echarts.min.js"
cp "$work/node_modules/echarts/LICENSE" "$DEST/LICENSE"
cp "$work/node_modules/echarts/NOTICE" "$DEST/NOTICE"
cp "$work/node_modules/echarts/licenses/LICENSE-d3" "$DEST/LICENSE-d3"
cp "$work/node_modules/zrender/LICENSE" "$DEST/LICENSE-zrender"
cp "$work/node_modules/tslib/LICENSE.txt" "$DEST/LICENSE-tslib"
sha="$(sha256sum "$DEST/echarts.min.js" | cut -d' ' -f1)"
cat > "$DEST/VERSION" <<END
echarts $echarts_version
npm-integrity $integrity
zrender $zrender_version
tslib $tslib_version
bundler esbuild $esbuild_version
build custom: $BUILD/entry.js (npm ci --ignore-scripts from its package-lock.json)
sha256 $sha  echarts.min.js
END
echo "echarts $echarts_version (custom build, esbuild $esbuild_version) -> $DEST ($(wc -c < "$DEST/echarts.min.js") bytes, sha256 $sha)"
