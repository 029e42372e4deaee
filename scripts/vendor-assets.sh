#!/usr/bin/env bash
# Re-fetches the pinned front-end assets from the npm registry into static/vendor/.
# Run it after changing a version below; commit what it writes.
set -euo pipefail
BOOTSTRAP_VERSION=5.3.9
ECHARTS_VERSION=5.6.0

root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/static/vendor"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cd "$work"
npm pack --silent "bootstrap@$BOOTSTRAP_VERSION" "echarts@$ECHARTS_VERSION" >/dev/null
mkdir bootstrap echarts
tar -xzf "bootstrap-$BOOTSTRAP_VERSION.tgz" -C bootstrap --strip-components=1
tar -xzf "echarts-$ECHARTS_VERSION.tgz" -C echarts --strip-components=1

rm -rf "$dest/bootstrap" "$dest/echarts"
mkdir -p "$dest/bootstrap/css" "$dest/bootstrap/js" "$dest/echarts"
cp bootstrap/dist/css/bootstrap.min.css bootstrap/dist/css/bootstrap.min.css.map "$dest/bootstrap/css/"
cp bootstrap/dist/js/bootstrap.bundle.min.js bootstrap/dist/js/bootstrap.bundle.min.js.map "$dest/bootstrap/js/"
cp bootstrap/LICENSE "$dest/bootstrap/LICENSE"
cp echarts/dist/echarts.min.js "$dest/echarts/"
cp echarts/LICENSE "$dest/echarts/LICENSE"
printf 'bootstrap %s\necharts %s\n' "$BOOTSTRAP_VERSION" "$ECHARTS_VERSION" > "$dest/VERSIONS"
echo "vendored bootstrap $BOOTSTRAP_VERSION and echarts $ECHARTS_VERSION into $dest"
