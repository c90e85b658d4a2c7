#!/usr/bin/env bash
# `npm start` as the README runs it: on a fresh database (builds dist/ if needed, migrates, fills the
# demo park) and again on the now existing one, each until /login answers 200. Prints the times;
# fails if a start fails or a start on the existing database takes more than START_LIMIT_MS (default 5000).
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=$(mktemp -d /tmp/ilo-start-XXXXXX)
pid=
cleanup() { [ -n "$pid" ] && kill -- "-$pid" 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT
port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
up() { node -e 'fetch(process.argv[1]).then((r) => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1))' "http://127.0.0.1:$port/login"; }

# start <label> <command…>: runs it in its own process group until /login answers, then stops it.
start() {
  local label=$1; shift
  local t0; t0=$(date +%s%N)
  PORT=$port DATABASE_URL="$dir/ilo.sqlite" setsid "$@" >"$dir/out" 2>&1 &
  pid=$!
  until up; do
    if ! kill -0 "$pid" 2>/dev/null; then echo "start-check: $label failed:"; cat "$dir/out"; exit 1; fi
    sleep 0.05
  done
  ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  kill -- "-$pid"; wait "$pid" 2>/dev/null || true; pid=
  echo "start-check: $label: /login answered after $ms ms"
}

start "npm start, new database (build if stale, migrations, demo park)" npm start --silent
grep -q "Parque Industrial de Ilo: http://localhost:$port" "$dir/out" || { echo "start-check: no URL printed"; cat "$dir/out"; exit 1; }
start "npm start, existing database" npm start --silent
start "node dist/src/main.js, existing database" node dist/src/main.js
limit=${START_LIMIT_MS:-5000}
if [ "$ms" -gt "$limit" ]; then echo "start-check: a start on an existing database took $ms ms (limit $limit ms)"; exit 1; fi
