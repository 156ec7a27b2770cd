#!/usr/bin/env bash
# Crash test: kills the server with SIGKILL 10 times while 16 writers create requests
# through the `create_request` server function; after each kill, checks that every
# creation the server acknowledged (HTTP 200) is in the database, that SQLite's integrity
# check passes and that the dashboards' totals equal a recount (`rogatory check`), and
# that the server starts again. Needs the release build (`cargo leptos build --release`).
#
#   bench/crash.sh                 # 10 rounds
#   ROUNDS=3 PORT=3160 bench/crash.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=target/release/rogatory
ROUNDS=${ROUNDS:-10}
PORT=${PORT:-3150}
dir=$(mktemp -d)
trap 'kill -9 $(jobs -p) 2>/dev/null || true; rm -rf "$dir"' EXIT
db="sqlite://$dir/crash.db"
acked="$dir/acked.txt"
: >"$acked"
"$BIN" --database-url "$db" demo --requests 200 >/dev/null

up() { for _ in $(seq 1 200); do (echo >/dev/tcp/127.0.0.1/"$PORT") 2>/dev/null && return 0; sleep 0.05; done; return 1; }

for round in $(seq 1 "$ROUNDS"); do
  "$BIN" --database-url "$db" serve --port "$PORT" --site-root target/site >>"$dir/server.log" 2>&1 &
  server=$!
  up || { echo "round $round: the server did not start"; tail -20 "$dir/server.log"; exit 1; }
  node bench/writers.mjs --url "http://127.0.0.1:$PORT" --writers 16 --seconds 60 --acked "$acked" --tag "crash$round" >"$dir/writers.json" &
  writers=$!
  sleep "$((2 + RANDOM % 3)).$((RANDOM % 10))"
  kill -9 "$server"
  wait "$server" 2>/dev/null || true
  kill "$writers" 2>/dev/null || true
  wait "$writers" || true

  "$BIN" --database-url "$db" check >"$dir/check.txt" 2>&1 || { echo "round $round: check failed"; cat "$dir/check.txt"; exit 1; }
  "$BIN" --database-url "$db" export "$dir/export.csv" >/dev/null
  result=$(node -e '
    const fs = require("fs");
    const acked = fs.readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean);
    const stored = new Set(fs.readFileSync(process.argv[2], "utf8").split("\n").slice(1).map((l) => l.split(",")[0]));
    const missing = acked.filter((r) => !stored.has(r));
    console.log(JSON.stringify({ acked: acked.length, stored: stored.size, missing: missing.length, first_missing: missing.slice(0, 5) }));
    process.exit(missing.length ? 1 : 0);
  ' "$acked" "$dir/export.csv") || { echo "round $round: acknowledged creations are missing: $result"; exit 1; }
  echo "round $round: killed during $(cat "$dir/writers.json" 2>/dev/null || echo '{}') — $result; $(tr '\n' ' ' <"$dir/check.txt")"
done
echo "crash test passed: $ROUNDS kills, every acknowledged creation kept, integrity and totals ok"
