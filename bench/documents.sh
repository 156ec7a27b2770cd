#!/usr/bin/env bash
# Document upload and download: 10 clients at once each upload one file of S MB
# (default 50) to a request, then each downloads it back; bench/documents.mjs prints the
# throughput both ways, and this script the server's resident memory at its peak
# (VmHWM) — once with 5 MB files and once with S MB files, side by side, so that what
# grows with the file's size shows. SQLite, the release build.
#
#   bench/documents.sh [S]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=target/release/rogatory
S=${1:-50}
PORT=${PORT:-3175}
dir=$(mktemp -d)
cleanup() {
  kill $(jobs -p) 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
run() {
  local mb=$1 db="sqlite://$dir/d$1.db"
  "$BIN" --database-url "$db" demo --requests 20 >/dev/null
  echo 'bench passphrase one two' | "$BIN" --database-url "$db" user add --role clerk --name Bench benchclerk >/dev/null
  "$BIN" --database-url "$db" serve --port "$PORT" --site-root target/site >"$dir/serve.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 200); do (echo >/dev/tcp/127.0.0.1/"$PORT") 2>/dev/null && break; sleep 0.05; done
  local idle
  idle=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
  PORT=$PORT MB=$mb CLIENTS=10 node bench/documents.mjs
  echo "  server memory: $((idle / 1024)) MB idle, peak $(( $(awk '/VmHWM/ {print $2}' /proc/$pid/status) / 1024 )) MB"
  kill $pid
  wait $pid 2>/dev/null || true
}
echo "10 clients × 5 MB:"
run 5
echo "10 clients × $S MB:"
run "$S"
