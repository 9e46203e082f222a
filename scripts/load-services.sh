#!/usr/bin/env bash
# Load test of GET /api/v1/services against a running Signpost, with wrk.
# A person runs it; CI does not. It only ever targets this machine.
#
#   scripts/load-services.sh [BASE_URL] [SECONDS] [CONNECTIONS]
#   e.g. go run ./cmd/corpusgen -n 100000 -o /tmp/corpus.json
#        go run ./cmd/signpost import -data /tmp/big /tmp/corpus.json
#        go run ./cmd/signpost -data /tmp/big &
#        scripts/load-services.sh http://127.0.0.1:8080 20 8
set -euo pipefail
base=${1:-http://127.0.0.1:8080}
seconds=${2:-20}
connections=${3:-8}
case "$base" in
  http://127.0.0.1:*|http://localhost:*|http://\[::1\]:*) ;;
  *) echo "refusing $base: load tests only target this machine (127.0.0.1, localhost, [::1])" >&2; exit 2 ;;
esac
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install wrk" >&2; exit 2; }

total=$(curl -fsS "$base/api/v1/services?per_page=1" | sed -E 's/.*"totalElements":([0-9]+).*/\1/')
pages=$(( (total + 49) / 50 ))
echo "load: $total services, $pages pages of 50, ${seconds}s, $connections connections"

lua=$(mktemp)
trap 'rm -f "$lua"' EXIT
cat > "$lua" <<LUA
math.randomseed(1)
request = function()
  return wrk.format("GET", "/api/v1/services?page=" .. math.random(1, $pages))
end
LUA
wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$lua" "$base"
