#!/usr/bin/env bash
# CTest fixture: generates the GnuCash books of the reader tests once per ctest run, with GnuCash
# itself, into DIR (the tests find them through BOOKBRIDGE_TEST_BOOKS=DIR; run directly, the test
# binary generates its own). Exit 77 (skip) when GnuCash is not installed.
set -euo pipefail
dir=$1
tools=$2
mkdir -p "$dir"
rm -f "$dir"/*.gnucash "$dir"/expected.json
make_book() {
  local code=0
  /usr/bin/python3 "$tools/make_book.py" "$@" >/dev/null 2>"$dir/make_book.log" || code=$?
  if [ "$code" -ne 0 ]; then
    cat "$dir/make_book.log" >&2
    exit "$code"
  fi
}
make_book --out "$dir/full.gnucash" --format sqlite --profile full
make_book --out "$dir/full-xml.gnucash" --format xml --from-book "$dir/full.gnucash"
make_book --out "$dir/full-plain.gnucash" --format xml-plain --from-book "$dir/full.gnucash"
make_book --out "$dir/bulk-sqlite.gnucash" --format sqlite --profile small --transactions 2500
make_book --out "$dir/bulk-xml.gnucash" --format xml --profile small --transactions 2500
/usr/bin/python3 "$tools/expected_figures.py" "$dir/full.gnucash" --compact \
  >"$dir/expected.json.tmp" 2>"$dir/expected.log"
mv "$dir/expected.json.tmp" "$dir/expected.json"
echo "books ready in $dir"
