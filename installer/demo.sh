#!/usr/bin/env bash
# Bookbridge end to end on this machine:
#   installs what is missing, builds, makes a real GnuCash book with GnuCash itself, starts the hub
#   (loopback, self-signed TLS, SQLite), creates a company and a gnucash connection through the
#   client API, links an agent with the connection's linkUrl, runs it, and shows every dataset
#   moving through its states. Ctrl-C stops everything it started.
#
# Usage: installer/demo.sh [--keep-running] [--dir DIR] [--format sqlite|xml]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

keep_running=0
work="$root/demo-run"
format=sqlite
while (($#)); do
  case "$1" in
    --keep-running) keep_running=1 ;;
    --dir) work="$2"; shift ;;
    --format) format="$2"; shift ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "demo: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

say "Installing missing packages (Debian)"
installer/install-deps.sh

say "Building (build/)"
if [[ ! -f build/CMakeCache.txt ]]; then  # reuse an existing build dir (e.g. from tests/run.sh)
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build build -j "$(nproc)" --target bookbridge-hub bookbridge-agent
hub_bin="$root/build/hub/bookbridge-hub"
agent_bin="$root/build/agent/bookbridge-agent"
"$hub_bin" --version
"$agent_bin" --version

# A fresh run every time: the demo is repeatable.
rm -rf "$work"
mkdir -p "$work"
pids=()
cleanup() {
  local code=$?
  if ((${#pids[@]})); then
    say "Stopping hub and agent"
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  fi
  exit $code
}
trap cleanup EXIT
trap 'exit 130' INT TERM

book="$work/acme.gnucash"
say "Creating a GnuCash book with GnuCash's own Python bindings ($format)"
# (GnuCash prints a few GLib warnings from its own payment auto-apply; the book is correct.)
/usr/bin/python3 tests/tools/gnucash/make_book.py --out "$book" --format "$format" --profile full \
  >/dev/null 2>"$work/make_book.log" || { cat "$work/make_book.log" >&2; exit 1; }
echo "book: $book"

say "Starting bookbridge-hub on 127.0.0.1 (self-signed TLS, SQLite in $work/hub)"
"$hub_bin" serve --data-dir "$work/hub" --listen 127.0.0.1:0 >"$work/hub.out" 2>"$work/hub.log" &
pids+=($!)
hub_url=""
for _ in $(seq 1 300); do
  hub_url=$(sed -n 's/^listening on \(https:[^ ]*\).*/\1/p' "$work/hub.out" | head -n1)
  [[ -n "$hub_url" ]] && break
  kill -0 "${pids[0]}" 2>/dev/null || { cat "$work/hub.log" >&2; exit 1; }
  sleep 0.1
done
[[ -n "$hub_url" ]] || { echo "hub did not start; see $work/hub.log" >&2; exit 1; }
api_key=$(cat "$work/hub/api-key")
ca="$work/hub/tls/cert.pem"
auth="Authorization: Basic $(printf '%s' "$api_key" | base64 -w0)"
echo "hub: $hub_url"

api() {  # api METHOD PATH [JSON]
  local args=(-sS --fail-with-body --cacert "$ca" -H "$auth" -X "$1" "$hub_url$2")
  if (($# > 2)); then args+=(-H 'Content-Type: application/json' -d "$3"); fi
  curl "${args[@]}"
}
json() { /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

say "Creating a company and a gnucash connection through the client API"
company_id=$(api POST /companies '{"name":"Acme Widgets Ltd","description":"Bookbridge demo"}' | json "['id']")
connection=$(api POST "/companies/$company_id/connections" '{"platformKey":"gnucash"}')
connection_id=$(json "['id']" <<<"$connection")
link_url=$(json "['linkUrl']" <<<"$connection")
echo "company:    $company_id"
echo "connection: $connection_id (status $(json "['status']" <<<"$connection"))"

say "Writing the agent config ($work/agent.json)"
cat >"$work/agent.json" <<JSON
{
  // Written by installer/demo.sh
  "hub": { "url": "$hub_url", "caFile": "$ca" },
  "stateDir": "$work/agent-state",
  "log": { "level": "info", "file": "$work/agent.log" },
  "sources": [
    { "name": "acme-books", "reader": "gnucash", "path": "$book" }
  ]
}
JSON
"$agent_bin" --config "$work/agent.json" check-config

say "Linking the agent with the connection's linkUrl"
"$agent_bin" --config "$work/agent.json" link "$link_url" --source acme-books

say "Datasets queued on first link, before the agent runs:"
api GET "/companies/$company_id/data/history?pageSize=3&orderBy=requested" |
  /usr/bin/python3 -c '
import json, sys
for d in json.load(sys.stdin)["results"]:
    print("  %-16s %-10s %s" % (d["dataType"], d["status"], d.get("statusDescription") or ""))
print("  ...")'

say "Starting bookbridge-agent run; watching every dataset move (from the hub's transition log)"
"$agent_bin" --config "$work/agent.json" run >"$work/agent.out" 2>&1 &
pids+=($!)

# The hub logs every dataset transition; follow them until no dataset is in progress.
/usr/bin/python3 installer/demo_watch.py --hub-url "$hub_url" --ca "$ca" --api-key-file "$work/hub/api-key" \
  --company "$company_id" --hub-log "$work/hub.log" --timeout 300

say "dataStatus of the company"
api GET "/companies/$company_id/dataStatus" | /usr/bin/python3 -m json.tool

say "A few synced invoices"
api GET "/companies/$company_id/data/invoices?pageSize=3&orderBy=issueDate" |
  /usr/bin/python3 -c '
import json, sys
page = json.load(sys.stdin)
print("%d invoices; the first %d:" % (page["totalResults"], len(page["results"])))
for inv in page["results"]:
    customer = (inv.get("customerRef") or {}).get("companyName", "")
    print("  %-9s %-14s total %10s %s  due %10s  %s" % (inv.get("invoiceNumber"), customer,
          inv["totalAmount"], inv.get("currency", ""), inv["amountDue"], inv["status"]))'

cat <<EOF

Look further (the API key is in $work/hub/api-key):
  export BB_AUTH="Authorization: Basic \$(base64 -w0 < $work/hub/api-key)"
  curl --cacert $ca -H "\$BB_AUTH" $hub_url/companies/$company_id/dataStatus
  curl --cacert $ca -H "\$BB_AUTH" "$hub_url/companies/$company_id/data/accounts?pageSize=5"
  curl --cacert $ca -H "\$BB_AUTH" -X POST $hub_url/companies/$company_id/data/queue/invoices
  $agent_bin --config $work/agent.json status
  $agent_bin --config $work/agent.json read --source acme-books --data-type customers
Logs: $work/hub.log, $work/agent.log
EOF

if ((keep_running)); then
  say "Hub and agent keep running (--keep-running); Ctrl-C stops them"
  wait
fi
