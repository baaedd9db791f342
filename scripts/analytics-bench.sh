#!/usr/bin/env bash
# Unit analytics at city-to-province size: `Unit.dimensions` (own, sibling and agency means) and
# `Unit.predikatBreakdown` for every perangkat daerah through GraphQL as an HR administrator, beside
# the same SQL statements (mirrored from crates/store/src/analytics.rs) run by psql. Warm-up pass first;
# every response is checked for errors. Prints a Markdown table.
#
# Usage: scripts/analytics-bench.sh [EMPLOYEES] [UNITS]   (defaults 1000000 and every perangkat daerah;
# UNITS takes the first ones by code, for a quicker run at a large size)
# The database kinerja_analytics is kept for reruns; drop it to load a new city.
# Needs: PostgreSQL on 127.0.0.1:5432, psql, curl, python3.
set -euo pipefail
employees=${1:-1000000}
unit_limit=${2:-ALL}
here=$(cd "$(dirname "$0")/.." && pwd)
kinerja="$here/target/release/kinerja"
db=kinerja_analytics
url="postgres://postgres@127.0.0.1:5432/$db"
psql() { command psql -qAt -h 127.0.0.1 -U postgres "$@"; }
export KINERJA__LOG__FILTER=warn

(cd "$here" && cargo build --release -q)
if [ -z "$(psql -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]; then
  psql -d postgres -c "CREATE DATABASE $db"
  /usr/bin/time -f "demo city of $employees loaded in %e s (peak RSS %M KiB)" \
    "$kinerja" demo --database "$url" --employees "$employees" --year 2025 --quarters 4
fi
psql -d $db -c "ANALYZE"

work=$(mktemp -d /tmp/kinerja-analytics.XXXXXX)
server_pid=
trap '[ -n "$server_pid" ] && kill $server_pid 2>/dev/null; rm -rf "$work"' EXIT
KINERJA__LOG__FILTER=info KINERJA__GRAPHQL__REQUESTS_PER_SECOND=100000 KINERJA__GRAPHQL__REQUEST_BURST=100000 \
  "$kinerja" serve --database "$url" --listen 127.0.0.1:0 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 100); do grep -q "listening" "$work/server.log" && break; sleep 0.2; done
address=$(grep -o "127.0.0.1:[0-9]*" "$work/server.log" | head -1)
token=$("$kinerja" token issue --database "$url" --head-of BKPSDM --role hr-admin)

codes=$(psql -d $db -c "SELECT u.code FROM units u JOIN units p ON p.id = u.parent_id WHERE p.parent_id IS NULL ORDER BY u.code LIMIT $unit_limit")
units=$(echo "$codes" | wc -l)

# The statements kinerja runs per unit, with the unit's path and its parent's path filled in.
means() { # prefix group_length
  echo "SELECT substr(u.path, 1, $2) AS grp, a.aspect, CAST(AVG(a.achievement) AS DOUBLE PRECISION), COUNT(DISTINCT a.employee_id), COUNT(*)
        FROM indicator_achievements a JOIN employees e ON e.id = a.employee_id JOIN units u ON u.id = e.unit_id
        WHERE a.period = '2025' AND a.achievement IS NOT NULL AND u.path LIKE '$1%' AND length(u.path) >= $2
        GROUP BY substr(u.path, 1, $2), a.aspect ORDER BY 1, 2;"
}
: > "$work/same.sql"
for code in $codes; do
  path=$(psql -d $db -c "SELECT path FROM units WHERE code = '$code'")
  parent=${path:0:$(( ${#path} - 37 ))}
  root=${path:0:38}
  {
    echo "SELECT path FROM units WHERE code = '$code';"
    means "$path" ${#path}
    means "$parent" ${#path}
    means "$root" 38
    echo "SELECT positions.kind AS grp, evaluations.predikat, COUNT(evaluations.id) FROM evaluations
          JOIN plans ON plans.id = evaluations.plan_id JOIN employees ON employees.id = plans.employee_id
          JOIN positions ON positions.id = employees.position_id
          WHERE evaluations.period = '2025' AND employees.unit_id IN (SELECT id FROM units WHERE path LIKE '$path%')
          GROUP BY positions.kind, evaluations.predikat;"
  } >> "$work/same.sql"
done

graphql_pass() {
  for code in $codes; do
    query="{ unit(code: \\\"$code\\\") { dimensions(period: \\\"2025\\\") { aspect mean people standing rank verdict agencyMean } predikatBreakdown(period: \\\"2025\\\", by: POSITION_KIND) { group counts { headcount } } } }"
    curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
      -d "{\"query\": \"$query\"}" "http://$address/graphql" > "$work/response.json"
    if grep -q '"errors"' "$work/response.json"; then echo "error for $code: $(cat "$work/response.json")" >&2; exit 1; fi
  done
}
seconds() { local start=$(date +%s.%N); "$@" >/dev/null; echo "$(date +%s.%N) - $start" | bc; }

graphql_pass; psql -d $db -f "$work/same.sql" >/dev/null   # warm-up
ours=$(seconds graphql_pass)
raw=$(seconds psql -d $db -f "$work/same.sql")
people=$(psql -d $db -c "SELECT COUNT(*) FROM employees")
achievements=$(psql -d $db -c "SELECT COUNT(*) FROM indicator_achievements")
echo "| employees | indicator achievements | units | GraphQL (dimensions + breakdown) | same SQL in psql | GraphQL / psql |"
echo "|---|---|---|---|---|---|"
printf "| %d | %d | %d | %.2f s | %.2f s | %.2f |\n" "$people" "$achievements" "$units" "$ours" "$raw" "$(echo "$ours / $raw" | bc -l)"
