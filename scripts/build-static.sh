#!/usr/bin/env bash
# Builds static/assets from the npm packages named in package.json: the
# NHS.UK frontend styles compiled with Signpost's own (static/scss), its
# JavaScript and the images its styles use. The built files are committed,
# so running Signpost needs no npm; run this after changing static/scss or
# the nhsuk-frontend version.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v npm >/dev/null || { echo "npm is not installed" >&2; exit 2; }
npm ci --no-audit --no-fund --ignore-scripts >/dev/null
nhs=node_modules/nhsuk-frontend/dist/nhsuk
out=static/assets
mkdir -p "$out/nhsuk/images"
npx --no-install sass --load-path=node_modules --style=compressed --no-source-map \
  static/scss/signpost.scss "$out/signpost.css"
# Only the images the compiled styles refer to.
grep -o '/static/nhsuk/images/[^")]*' "$out/signpost.css" | sed 's|.*/images/||' | sort -u |
  while read -r img; do cp "$nhs/assets/images/$img" "$out/nhsuk/images/$img"; done
cp "$nhs/assets/images/favicon.ico" "$nhs/assets/images/favicon.svg" "$out/nhsuk/images/"
v=$(node -p 'require("./node_modules/nhsuk-frontend/package.json").version')
cat >"$out/ATTRIBUTION.md" <<MD
# Third-party assets

- \`signpost.css\` contains the compiled styles of **NHS.UK frontend** $v
  and \`nhsuk/images/\` are copied from the same package.
MD
ls -la "$out" "$out/nhsuk/images"
