#!/usr/bin/env bash
# Benchmark of the GnuCash reader (not a test): generates a book with N extra transactions
# (default 100,000) with GnuCash itself, then per data type measures wall time, records per second
# and peak RSS (/usr/bin/time -v) of
#   1. `bookbridge-agent read --summary` (fetch + map + validate, the agent's dry run), when the
#      agent in BUILD_DIR has its runtime,
#   2. bookbridge_read_bench (fetch + map through the reader, records serialised, no validation),
#   3. the baseline in the same script: `sqlite3 -json` dumping the same tables of the same book.
# Writes the table into docs/benchmarks.md (between the BENCHMARK markers) and prints it.
#
# usage: bench/read_benchmark.sh [BUILD_DIR] [TRANSACTIONS]
#   BOOKBRIDGE_BENCH_BOOK=PATH reuses a SQLite book made earlier with the same command line.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
transactions=${2:-100000}
work=$(mktemp -d /tmp/bookbridge-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

cmake --build "$build" --target bookbridge_read_bench >/dev/null
# The agent column needs bookbridge-agent already built in BUILD_DIR (with its runtime).
bench_bin=$build/agent/readers/bookbridge_read_bench
agent_bin=$build/agent/bookbridge-agent

book=$work/book.gnucash
echo "generating a book with $transactions transactions (GnuCash itself; takes minutes)..." >&2
gen_start=$(date +%s)
generated="reused from an earlier run"
if [ -n "${BOOKBRIDGE_BENCH_BOOK:-}" ]; then
  cp "$BOOKBRIDGE_BENCH_BOOK" "$book"
else
  generated="generated in SECONDS s"
  /usr/bin/python3 "$root/tests/tools/gnucash/make_book.py" --out "$book" --format sqlite \
    --profile full --transactions "$transactions" >/dev/null 2>"$work/gen.err"
fi
gen_seconds=$(($(date +%s) - gen_start))
generated=${generated/SECONDS/$gen_seconds}
/usr/bin/python3 "$root/tests/tools/gnucash/make_book.py" --out "$work/book-xml.gnucash" \
  --format xml --from-book "$book" >/dev/null 2>>"$work/gen.err"

cat >"$work/agent.json" <<JSON
{
  "stateDir": "$work/state",
  "log": { "level": "warn", "file": "$work/agent.log" },
  "sources": [ { "name": "bench", "reader": "gnucash", "path": "$book" } ]
}
JSON
agent_ok=0
if [ -x "$agent_bin" ] && "$agent_bin" --config "$work/agent.json" read --source bench --data-type company --summary \
  >/dev/null 2>&1; then
  agent_ok=1
fi

# The tables a person would dump to get the same information, as JSON.
baseline_sql() {
  case $1 in
    company) echo "SELECT * FROM slots WHERE name LIKE 'options/%';" ;;
    chartOfAccounts) echo "SELECT a.*, (SELECT sum(quantity_num) FROM splits s WHERE s.account_guid = a.guid) AS q FROM accounts a;" ;;
    customers) echo "SELECT * FROM customers;" ;;
    suppliers) echo "SELECT * FROM vendors;" ;;
    invoices|bills|creditNotes) echo "SELECT * FROM invoices i LEFT JOIN entries e ON e.invoice = i.guid OR e.bill = i.guid;" ;;
    payments|billPayments) echo "SELECT * FROM transactions t JOIN slots k ON k.obj_guid = t.guid AND k.name = 'trans-txn-type' AND k.string_val = 'P' JOIN splits s ON s.tx_guid = t.guid;" ;;
    journalEntries|balanceSheet|profitAndLoss) echo "SELECT * FROM transactions t JOIN splits s ON s.tx_guid = t.guid;" ;;
    taxRates) echo "SELECT * FROM taxtables t LEFT JOIN taxtable_entries e ON e.taxtable = t.guid;" ;;
  esac
}

# measure OUT_PREFIX command...: wall seconds and peak RSS (MiB) into $work/OUT_PREFIX.{sec,rss}
measure() {
  local name=$1
  shift
  /usr/bin/time -v -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.err" || {
    echo "failed: $*" >&2
    cat "$work/$name.err" >&2
    return 1
  }
  awk -F': ' '/Elapsed \(wall clock\)/ {
      n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' \
    "$work/$name.time" >"$work/$name.sec"
  awk -F': ' '/Maximum resident set size/ { printf "%.1f\n", $2 / 1024 }' \
    "$work/$name.time" >"$work/$name.rss"
}

rate() { awk -v n="$1" -v s="$2" 'BEGIN { if (s <= 0) s = 0.01; printf "%.0f", n / s }'; }

types="company chartOfAccounts customers suppliers invoices bills creditNotes payments billPayments journalEntries taxRates balanceSheet profitAndLoss"
table="| data type | records | reader s (fetch + map) | map s | map rec/s | reader peak MiB |"
table+=" agent read --summary s | agent peak MiB | sqlite3 -json s | sqlite3 rows | sqlite3 peak MiB | reader / sqlite3 time |"$'\n'
table+="|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"$'\n'
for type in $types; do
  measure reader "$bench_bin" "$book" "$type" "$work/reader-work"
  records=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['records'])" "$work/reader.out")
  r_sec=$(cat "$work/reader.sec")
  m_sec=$(python3 -c "import json,sys; print(round(json.load(open(sys.argv[1]))['mapSeconds'], 2))" "$work/reader.out")
  r_rss=$(cat "$work/reader.rss")
  a_sec="n/a"
  a_rss="n/a"
  if [ "$agent_ok" = 1 ]; then
    measure agent "$agent_bin" --config "$work/agent.json" read --source bench --data-type "$type" --summary
    a_sec=$(cat "$work/agent.sec")
    a_rss=$(cat "$work/agent.rss")
  fi
  measure sqlite sqlite3 -json "$book" "$(baseline_sql "$type")"
  s_sec=$(cat "$work/sqlite.sec")
  s_rss=$(cat "$work/sqlite.rss")
  rows=$(python3 -c "import json,sys; t=open(sys.argv[1]).read().strip(); print(len(json.loads(t)) if t else 0)" "$work/sqlite.out")
  ratio=$(awk -v a="$r_sec" -v b="$s_sec" 'BEGIN { if (b <= 0) b = 0.01; printf "%.1f", a / b }')
  table+="| $type | $records | $r_sec | $m_sec | $(rate "$records" "$m_sec") | $r_rss | $a_sec | $a_rss | $s_sec | $rows | $s_rss | ${ratio}x |"$'\n'
  echo "$type done" >&2
done

# Fetch alone, per storage kind (the XML book is the same book converted by GnuCash).
measure fetch_sqlite "$bench_bin" "$book" company "$work/reader-work"
measure fetch_xml "$bench_bin" "$work/book-xml.gnucash" company "$work/reader-work"
fetch_line="Fetch (snapshot + staging indexes) alone: SQLite book $(cat "$work/fetch_sqlite.sec") s"
fetch_line+=" (peak $(cat "$work/fetch_sqlite.rss") MiB), gzip XML book $(cat "$work/fetch_xml.sec") s"
fetch_line+=" (peak $(cat "$work/fetch_xml.rss") MiB)."

size=$(du -h "$book" | cut -f1)
xml_size=$(du -h "$work/book-xml.gnucash" | cut -f1)
report="Book: \`make_book.py --profile full --transactions $transactions\` (SQLite $size, gzip XML"
report+=" $xml_size; $generated). Machine: $(nproc) cores, $(date -u +%Y-%m-%d)."$'\n\n'
report+="$table"$'\n'"$fetch_line"$'\n'
if [ "$agent_ok" != 1 ]; then
  report+=$'\n'"\`bookbridge-agent read --summary\` was not available in this build (no agent runtime);"
  report+=" the reader columns come from bookbridge_read_bench, which drives the same reader."$'\n'
fi

doc=$root/docs/benchmarks.md
python3 - "$doc" "$report" <<'PY'
import sys, re
path, report = sys.argv[1], sys.argv[2]
text = open(path).read()
begin, end = "<!-- BENCHMARK:BEGIN -->", "<!-- BENCHMARK:END -->"
new = begin + "\n" + report + end
text = re.sub(re.escape(begin) + ".*?" + re.escape(end), lambda m: new, text, flags=re.S)
open(path, "w").write(text)
PY
printf '%s' "$report"
