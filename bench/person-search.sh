#!/usr/bin/env bash
# A search of persons by name among N persons (default 100,000): a persons file is
# generated and imported (`rogatory import --persons`, timed), then bench/person-search.mjs
# times 20 searches of each of four names through the server (`search_persons`). SQLite,
# the release build.
#
#   bench/person-search.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=target/release/rogatory
N=${1:-100000}
PORT=${PORT:-3174}
dir=$(mktemp -d)
cleanup() {
  kill $(jobs -p) 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
python3 - "$N" "$dir/persons.csv" <<'PY'
import random, sys
n, path = int(sys.argv[1]), sys.argv[2]
random.seed(5)
first = ["Иван", "Пётр", "Алексей", "Дмитрий", "Сергей", "Андрей", "Олег", "Виктор", "Ирина", "Анна", "Uladzimir", "Piotr", "Jan", "Tomas"]
last = ["Иванов", "Петров", "Сидоров", "Кузнецов", "Смирнов", "Попов", "Васильев", "Соколов", "Михайлов", "Новиков",
        "Фёдоров", "Морозов", "Волков", "Лебедев", "Козлов", "Kowalski", "Nowak", "Wiśniewski", "Kazlauskas", "Ozols"]
with open(path, "w") as f:
    f.write("name,other_names,birth,citizenship\n")
    for i in range(n):
        f.write(f"{random.choice(last)}{random.choice(['', 'a', 'ko', 'enko'])} {random.choice(first)} {i},,{random.randint(1940, 2005)},BY\n")
PY
db="sqlite://$dir/p.db"
"$BIN" --database-url "$db" migrate >/dev/null
echo "import of $N persons:"
/usr/bin/time -f "  %e s, %M KB peak" "$BIN" --database-url "$db" import --persons "$dir/persons.csv" | tail -1
echo 'bench passphrase one two' | "$BIN" --database-url "$db" user add --admin --name Bench benchadmin >/dev/null
"$BIN" --database-url "$db" serve --port "$PORT" --site-root target/site >"$dir/serve.log" 2>&1 &
for _ in $(seq 1 200); do (echo >/dev/tcp/127.0.0.1/"$PORT") 2>/dev/null && break; sleep 0.05; done
PORT=$PORT node bench/person-search.mjs
