#!/usr/bin/env bash
# Benchmark of Signpost's search against PostgreSQL full-text search on the
# same generated corpus and the same fixed mix of 200 queries. A person runs
# it; CI does not. Everything runs on this machine and only ever listens on or
# connects to 127.0.0.1; whatever it starts (the server, PostgreSQL) is stopped
# when it ends, also on error or Ctrl-C.
#
#   scripts/bench-search.sh [N]        N services (default 100000)
#
# Needs Go, curl, wrk, /usr/bin/time and PostgreSQL (initdb, pg_ctl); wrk,
# time and postgresql are installed with apt-get when missing. Run as root,
# PostgreSQL runs as the user postgres.
#
# Environment: KEEP=1 keeps the work directory (corpus, data, logs, each
# query's time and results found in signpost-perquery.tsv and pg-perquery.tsv);
# CPUPROFILE=FILE writes a CPU profile of the in-process rounds (see
# go tool pprof); PG_EXPLAIN=1 prints PostgreSQL's plans; BENCH_SECONDS
# changes the 20 s load runs.
set -euo pipefail

n=${1:-100000}
case "$n" in ''|*[!0-9]*) echo "usage: $0 [N services]" >&2; exit 2 ;; esac
seconds=${BENCH_SECONDS:-20}
connections=8
repo=$(cd "$(dirname "$0")/.." && pwd)

work=$(mktemp -d "${TMPDIR:-/tmp}/signpost-bench.XXXXXX")
chmod 755 "$work" # PostgreSQL's user must reach its directory inside
bin=$work/bin
data=$work/data
corpus=$work/corpus.json
queries=$work/queries.jsonl
res=$work/results.txt
: >"$res"

server_pid=""
pg_ctl=""
pgdata=""
pg_started=""

log() { printf '\n== %s\n' "$*"; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
put() { echo "$1 $2" >>"$res"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}
apt_install() {
  echo "installing $* with apt-get" >&2
  as_root apt-get update -qq >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
# as_pg runs a PostgreSQL command as the user that owns the cluster: postgres
# when this script runs as root (PostgreSQL refuses root), else the caller.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    if command -v runuser >/dev/null; then runuser -u postgres -- "$@"
    else su postgres -s /bin/sh -c "$(printf '%q ' "$@")"; fi
  else
    "$@"
  fi
}

cleanup() {
  local status=$?
  set +e
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    echo "stopping the Signpost server (pid $server_pid)" >&2
    kill -TERM "$server_pid"
    wait "$server_pid" 2>/dev/null
  fi
  if [ -n "$pg_started" ]; then
    echo "stopping PostgreSQL" >&2
    as_pg "$pg_ctl" -D "$pgdata" -m fast -w stop >/dev/null 2>&1
  fi
  if [ -n "${KEEP:-}" ]; then
    echo "kept $work" >&2
  else
    rm -rf "$work"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- tools -------------------------------------------------------------------
command -v go >/dev/null || { echo "go is not installed" >&2; exit 2; }
command -v curl >/dev/null || { echo "curl is not installed" >&2; exit 2; }
command -v wrk >/dev/null || apt_install wrk
[ -x /usr/bin/time ] || apt_install time
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$pgbin" ] && command -v pg_ctl >/dev/null && command -v initdb >/dev/null; then
  pgbin=$(dirname "$(readlink -f "$(command -v pg_ctl)")")
fi
if [ -z "$pgbin" ] || [ ! -x "$pgbin/initdb" ]; then
  apt_install postgresql
  pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi
pg_ctl=$pgbin/pg_ctl
if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
  useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin postgres
fi

# --- 1. build, corpus, import ----------------------------------------------------
log "building signpost, corpusgen and searchbench"
(cd "$repo" && go build -o "$bin/" ./cmd/signpost ./cmd/corpusgen ./cmd/searchbench)

log "generating $n services (seed 1)"
start=$(now)
"$bin/corpusgen" -n "$n" -seed 1 -o "$corpus"
echo "corpus: $(du -h "$corpus" | cut -f1) in $(since "$start") s"
"$bin/searchbench" queries -o "$queries"

log "importing it: signpost import"
start=$(now)
"$bin/signpost" import -data "$data" "$corpus" >"$work/import.log" 2>&1 || { tail -n 30 "$work/import.log" >&2; exit 1; }
import_s=$(since "$start")
grep -E '^Imported' "$work/import.log" || true
echo "import wall time: $import_s s"
put import_s "$import_s"

# --- 2. index build ----------------------------------------------------------------
log "building the search index: signpost reindex"
start=$(now)
/usr/bin/time -v -o "$work/reindex.time" "$bin/signpost" reindex -data "$data" >"$work/reindex.log" 2>&1 ||
  { tail -n 30 "$work/reindex.log" >&2; exit 1; }
reindex_wall=$(since "$start")
cat "$work/reindex.log" | grep -v ' level=INFO ' || true
reindex_self=$(sed -nE 's/^Rebuilt the search index of [0-9]+ services in ([0-9.]+) s\.$/\1/p' "$work/reindex.log")
reindex_hwm=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/reindex.time")
echo "reindex wall time $reindex_wall s, peak RSS $((reindex_hwm / 1024)) MiB"
put reindex_wall_s "$reindex_wall"
put reindex_self_s "${reindex_self:-nan}"
put reindex_hwm_kb "$reindex_hwm"
put index_bytes "$(du -sb "$data/index" | cut -f1)"
put store_bytes "$(du -sb "$data/signpost.db" | cut -f1)"

# --- 3. in-process -------------------------------------------------------------------
log "Signpost in-process: searchbench inprocess"
"$bin/searchbench" inprocess -data "$data" -queries "$queries" -results "$res" -perquery "$work/signpost-perquery.tsv" \
  -duration "${seconds}s" -concurrency "$connections" ${CPUPROFILE:+-cpuprofile "$CPUPROFILE"}

# --- 4. HTTP ---------------------------------------------------------------------------
"$bin/searchbench" urls -queries "$queries" >"$work/urls-api.txt"
"$bin/searchbench" urls -pages -queries "$queries" >"$work/urls-pages.txt"

# wrk_script URLS LUA: a wrk script that requests the paths of URLS in turn,
# each thread from its own place, and prints "bench KEY VALUE" lines.
wrk_script() {
  {
    echo 'local paths = {'
    sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/  "/' -e 's/$/",/' "$1"
    cat <<'LUA'
}
local threads = 0
function setup(thread)
  thread:set("first", threads * 100)
  threads = threads + 1
end
local i
function init(args)
  i = first or 0
end
function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("bench rps %.2f\n", summary.requests / (summary.duration / 1e6)))
  io.write(string.format("bench requests %d\n", summary.requests))
  io.write(string.format("bench errors %d\n", e.connect + e.read + e.write + e.timeout + e.status))
  io.write(string.format("bench p50_ms %.3f\n", latency:percentile(50) / 1000))
  io.write(string.format("bench p99_ms %.3f\n", latency:percentile(99) / 1000))
end
LUA
  } >"$2"
}
wrk_script "$work/urls-api.txt" "$work/api.lua"
wrk_script "$work/urls-pages.txt" "$work/pages.lua"

# serve CACHE: start the server on the index with -search-cache CACHE.
serve() {
  local port
  port=$("$bin/searchbench" freeport)
  base=http://127.0.0.1:$port
  "$bin/signpost" -data "$data" -addr "127.0.0.1:$port" -search-cache "$1" 2>"$work/server-$1.log" &
  server_pid=$!
  for i in $(seq 1 600); do
    if curl -fsS "$base/healthz" 2>/dev/null | grep -q '"index":"ready"'; then break; fi
    kill -0 "$server_pid" 2>/dev/null || { tail -n 30 "$work/server-$1.log" >&2; echo "the server exited" >&2; exit 1; }
    [ "$i" -lt 600 ] || { echo "the server's index was not ready after 60 s" >&2; exit 1; }
    sleep 0.1
  done
  echo "server pid $server_pid on $base, -search-cache $1"
}

# load PREFIX URLS LUA THREADS CONNECTIONS: check every path answers 200
# (which also warms the server), then wrk; results go under PREFIX_.
load() {
  local prefix=$1 urls=$2 lua=$3 threads=$4 conns=$5 bad=0 code
  while read -r path; do
    code=$(curl -s -o /dev/null -w '%{http_code}' "$base$path")
    if [ "$code" != 200 ]; then echo "GET $path: $code" >&2; bad=$((bad + 1)); fi
  done <"$urls"
  [ "$bad" -eq 0 ] || { echo "$bad requests failed over HTTP" >&2; exit 1; }
  wrk -t"$threads" -c"$conns" -d"${seconds}s" --latency -s "$lua" "$base" | tee "$work/wrk-$prefix.out" | grep -v '^bench '
  awk -v p="$prefix" '/^bench / { print p "_" $2, $3 }' "$work/wrk-$prefix.out" >>"$res"
}

memory() {
  local prefix=$1 rss hwm anon file
  rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$server_pid/status")
  hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$server_pid/status")
  anon=$(awk '/^RssAnon:/ { print $2 }' "/proc/$server_pid/status")
  file=$(awk '/^RssFile:/ { print $2 }' "/proc/$server_pid/status")
  echo "server memory: VmRSS $((rss / 1024)) MiB (anonymous $((anon / 1024)) MiB," \
    "file-backed $((file / 1024)) MiB: mostly the bbolt store's mmap), VmHWM $((hwm / 1024)) MiB"
  put "${prefix}_server_rss_kb" "$rss"
  put "${prefix}_server_hwm_kb" "$hwm"
  put "${prefix}_server_anon_kb" "$anon"
  put "${prefix}_server_file_kb" "$file"
}

stop() {
  kill -TERM "$server_pid"
  wait "$server_pid" || true
  server_pid=""
}

log "Signpost over HTTP: wrk against GET /api/search, with the search cache (the default)"
serve 2000
load http "$work/urls-api.txt" "$work/api.lua" 2 "$connections"
memory http
stop

log "Signpost over HTTP: GET /api/search and the search page, every search worked out afresh (-search-cache 0)"
serve 0
load httpnc "$work/urls-api.txt" "$work/api.lua" 2 "$connections"
memory httpnc
echo "the search page, one client at a time (render latency):"
load page1 "$work/urls-pages.txt" "$work/pages.lua" 1 1
echo "the search page, 8 connections:"
load page "$work/urls-pages.txt" "$work/pages.lua" 2 "$connections"
stop

# --- 5. PostgreSQL ------------------------------------------------------------------------
log "PostgreSQL $("$pgbin/postgres" --version | awk '{ print $3 }'): initdb and start on 127.0.0.1"
pgdir=$work/pg
pgdata=$pgdir/data
mkdir -p "$pgdir"
[ "$(id -u)" -ne 0 ] || chown postgres "$pgdir"
as_pg "$pgbin/initdb" -D "$pgdata" -U postgres --auth=trust -E UTF8 --no-locale >"$work/initdb.log" 2>&1 ||
  { cat "$work/initdb.log" >&2; exit 1; }
pgport=$("$bin/searchbench" freeport)
pg_started=1
as_pg "$pg_ctl" -D "$pgdata" -l "$pgdir/postgres.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $pgport -k $pgdir -c max_connections=20 -c shared_buffers=256MB -c jit=off" \
  start >/dev/null || { cat "$pgdir/postgres.log" >&2; exit 1; }
dsn="postgres://postgres@127.0.0.1:$pgport/postgres?sslmode=disable"
echo "PostgreSQL on 127.0.0.1:$pgport (shared_buffers=256MB, jit=off, otherwise defaults)"

log "PostgreSQL load: searchbench pgload"
"$bin/searchbench" pgload -dsn "$dsn" -corpus "$corpus" -results "$res"

# --- 6. PostgreSQL queries ------------------------------------------------------------------
log "PostgreSQL queries: searchbench pgquery"
pmpid=$(head -n 1 "$pgdata/postmaster.pid")
"$bin/searchbench" pgquery -dsn "$dsn" -queries "$queries" -results "$res" -pgpid "$pmpid" -perquery "$work/pg-perquery.tsv" \
  -duration "${seconds}s" -concurrency "$connections" ${PG_EXPLAIN:+-explain}

# --- 7. the table ----------------------------------------------------------------------------
log "results: scripts/bench-search.sh $n on $(nproc) CPUs, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM"
echo
"$bin/searchbench" report -results "$res"
