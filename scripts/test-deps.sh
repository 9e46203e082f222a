#!/usr/bin/env bash
# Installs what the browser tests need beyond Go, when it is missing:
# Debian's chromium, and the npm packages of package.json (axe-core) in
# node_modules. The tests run it themselves (cmd/signpost/browser_test.go),
# so `go test ./...` works on a fresh machine; it is quick when all is there.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
  echo "test-deps: installing chromium with apt-get" >&2
  as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
  as_root apt-get update -qq >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
fi
if [ ! -f node_modules/axe-core/axe.min.js ]; then
  command -v npm >/dev/null || { echo "test-deps: npm is not installed" >&2; exit 2; }
  echo "test-deps: installing the npm packages of package.json" >&2
  npm ci --no-audit --no-fund --ignore-scripts >/dev/null
fi
