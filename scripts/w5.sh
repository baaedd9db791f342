#!/usr/bin/env bash
# W5: bulk import through `kinerja import` beside the raw tools (psql \copy, sqlite3 .import) loading the
# same CSV files into bare tables, on PostgreSQL and SQLite. Prints a Markdown table of rows/s and ratios.
#
# Usage: scripts/w5.sh [EMPLOYEES] [INDICATORS]   (defaults 1000000 and 1: 1 M employees, 12 M realisations)
# Needs: a release build (cargo build --release), python3, psql, sqlite3, PostgreSQL on 127.0.0.1:5432.
set -euo pipefail
employees=${1:-1000000}
indicators=${2:-1}
here=$(cd "$(dirname "$0")/.." && pwd)
kinerja="$here/target/release/kinerja"
work=$(mktemp -d /tmp/kinerja-w5.XXXXXX)
trap 'rm -rf "$work"; psql -qh 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS kinerja_w5" >/dev/null 2>&1 || true' EXIT
export KINERJA__LOG__FILTER=warn

python3 "$here/scripts/w5-generate.py" "$work/data" "$employees" "$indicators"
psql -qh 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS kinerja_w5" -c "CREATE DATABASE kinerja_w5" >/dev/null
pg="postgres://postgres@127.0.0.1:5432/kinerja_w5"
lite="sqlite://$work/kinerja.db?mode=rwc"

seconds() { local start=$(date +%s.%N); "$@" >/dev/null; echo "$(date +%s.%N) - $start" | bc; }
rows() { echo $(( $(wc -l < "$1") - 1 )); }

declare -A columns=(
  [employees]="nip text, name text, employment_type text, rank text, position_code text, unit_code text, superior_nip text"
  [realisations]="nip text, year int, result_code text, indicator_code text, period text, value numeric, evidence_note text"
)

echo "| database | kind | rows | kinerja import | rows/s | raw tool | rows/s | kinerja / raw |"
echo "|---|---|---|---|---|---|---|---|"
for database in postgresql sqlite; do
  url=$pg; [ $database = sqlite ] && url=$lite
  for kind in units positions; do "$kinerja" import $kind "$work/data/$kind.csv" --database "$url" >/dev/null; done
  for kind in employees plans realisations; do
    file="$work/data/$kind.csv"
    n=$(rows "$file")
    ours=$(seconds "$kinerja" import $kind "$file" --database "$url")
    if [ -n "${columns[$kind]:-}" ]; then
      if [ $database = postgresql ]; then
        psql -qh 127.0.0.1 -U postgres -d kinerja_w5 -c "CREATE TABLE bare_$kind (${columns[$kind]})" >/dev/null
        raw=$(seconds psql -qh 127.0.0.1 -U postgres -d kinerja_w5 -c "\\copy bare_$kind FROM '$file' CSV HEADER")
      else
        sqlite3 "$work/bare.db" "CREATE TABLE bare_$kind (${columns[$kind]})"
        raw=$(seconds sqlite3 "$work/bare.db" ".import --csv --skip 1 $file bare_$kind")
      fi
      printf "| %s | %s | %d | %.1f s | %.0f | %.1f s | %.0f | %.2f |\n" $database $kind $n $ours \
        "$(echo "$n / $ours" | bc -l)" $raw "$(echo "$n / $raw" | bc -l)" "$(echo "$raw / $ours" | bc -l)"
    else
      printf "| %s | %s | %d | %.1f s | %.0f | — | — | — |\n" $database $kind $n $ours "$(echo "$n / $ours" | bc -l)"
    fi
  done
  again=$(seconds "$kinerja" import realisations "$work/data/realisations.csv" --database "$url")
  printf "| %s | realisations again (all unchanged) | %d | %.1f s | %.0f | — | — | — |\n" $database \
    "$(rows "$work/data/realisations.csv")" $again "$(echo "$(rows "$work/data/realisations.csv") / $again" | bc -l)"
done
