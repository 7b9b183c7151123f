#!/usr/bin/env bash
# Refreshes the charting library the explorer embeds (DESIGN §9):
# Apache ECharts from the npm registry at a pinned version, checked against
# the registry's integrity hash, with its licence and notice.
#
#   tools/vendor_echarts.sh            # the pinned version below
#   tools/vendor_echarts.sh 6.2.0 sha512-…   # another version and its integrity
#
# Writes report-templates/explorer/vendor/{echarts.min.js,LICENSE,NOTICE,VERSION}.
# VERSION records the version, the npm integrity of the package and the
# sha256 of echarts.min.js; src/export/explorer checks that sha256 in a test,
# so a library changed by hand fails `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION="${1:-6.1.0}"
# `npm view echarts@6.1.0 dist.integrity`
INTEGRITY="${2:-sha512-q0yaFPggC9FUdsWH4blavRWFmxdrIodbkoKNAjJudAI6CA9gNPxHtV2RcZNEepZVlk4yvBYkOkbk6HIVpIyHZA==}"
DEST=report-templates/explorer/vendor

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "echarts@$VERSION" >/dev/null)
tarball="$work/echarts-$VERSION.tgz"
got="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
if [ "$got" != "$INTEGRITY" ]; then
  echo "integrity mismatch for echarts@$VERSION: expected $INTEGRITY, got $got" >&2
  exit 1
fi
tar -xzf "$tarball" -C "$work" package/dist/echarts.min.js package/LICENSE package/NOTICE
mkdir -p "$DEST"
cp "$work/package/dist/echarts.min.js" "$work/package/LICENSE" "$work/package/NOTICE" "$DEST/"
sha="$(sha256sum "$DEST/echarts.min.js" | cut -d' ' -f1)"
cat > "$DEST/VERSION" <<END
echarts $VERSION
npm-integrity $INTEGRITY
sha256 $sha  echarts.min.js
END
echo "echarts $VERSION -> $DEST ($(wc -c < "$DEST/echarts.min.js") bytes, sha256 $sha)"
