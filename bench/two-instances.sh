#!/usr/bin/env bash
# Two `rogatory serve` instances on one PostgreSQL database (the deployment behind a load
# balancer): sessions, sign-in failures, counters and dashboard totals are shared, not
# per process (bench/two-instances.mjs checks each), and 8 writers on each instance at
# once leave every acknowledged creation stored and the totals equal to a recount
# (`rogatory check`). Uses the private server of scripts/postgres and the release build.
#
#   bench/two-instances.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=target/release/rogatory
PORT_A=${PORT_A:-3170}
PORT_B=${PORT_B:-3171}
server=$(scripts/postgres)
name="rogatory_two_$$"
dir=$(mktemp -d)
url="${server%/*}/$name"
cleanup() {
  kill $(jobs -p) 2>/dev/null || true
  wait 2>/dev/null || true
  psql -q "$server" -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
psql -q "$server" -c "CREATE DATABASE $name" >/dev/null
"$BIN" --database-url "$url" demo --requests 300 >/dev/null

up() { for _ in $(seq 1 200); do (echo >/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.05; done; return 1; }
"$BIN" --database-url "$url" serve --port "$PORT_A" --site-root target/site >"$dir/a.log" 2>&1 &
"$BIN" --database-url "$url" serve --port "$PORT_B" --site-root target/site >"$dir/b.log" 2>&1 &
up "$PORT_A" && up "$PORT_B" || { echo "a server did not start"; tail -5 "$dir"/*.log; exit 1; }

node bench/two-instances.mjs --a "http://127.0.0.1:$PORT_A" --b "http://127.0.0.1:$PORT_B"

echo "==> 8 writers on each instance for 10 s"
: >"$dir/acked.txt"
node bench/writers.mjs --url "http://127.0.0.1:$PORT_A" --writers 8 --seconds 10 --acked "$dir/acked.txt" --tag twoA >"$dir/wa.json" &
wa=$!
node bench/writers.mjs --url "http://127.0.0.1:$PORT_B" --writers 8 --seconds 10 --acked "$dir/acked.txt" --tag twoB >"$dir/wb.json" &
wb=$!
wait "$wa" "$wb"
"$BIN" --database-url "$url" check
"$BIN" --database-url "$url" export "$dir/export.csv" >/dev/null
node -e '
  const fs = require("fs");
  const acked = fs.readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean);
  const stored = new Set(fs.readFileSync(process.argv[2], "utf8").split("\n").slice(1).map((l) => l.split(",")[0]));
  const missing = acked.filter((r) => !stored.has(r));
  const a = JSON.parse(fs.readFileSync(process.argv[3], "utf8")), b = JSON.parse(fs.readFileSync(process.argv[4], "utf8"));
  console.log(`A: ${JSON.stringify(a)}\nB: ${JSON.stringify(b)}\n${acked.length} acknowledged, ${missing.length} missing`);
  process.exit(missing.length || acked.length === 0 ? 1 : 0);
' "$dir/acked.txt" "$dir/export.csv" "$dir/wa.json" "$dir/wb.json"
echo "two instances on one PostgreSQL database: passed"
