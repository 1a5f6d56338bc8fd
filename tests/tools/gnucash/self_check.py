"""Self-check of the GnuCash test tools (make_book.py --self-check).

Generates every profile in every format with GnuCash, reads them back with
expected_figures.py, and checks: formats agree, --from-book keeps GUIDs and
figures, inputs are never modified, the SQLite rows link invoices, lots and
payments, and the figures make accounting sense. Each tool runs in its own
process, as the tests use them. Ends with "N passed, N failed"; exit 0 only
if nothing failed, 77 if GnuCash is not installed.
"""

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
PY = "/usr/bin/python3"
MAKE = os.path.join(HERE, "make_book.py")
FIGS = os.path.join(HERE, "expected_figures.py")
FORMATS = ("sqlite", "xml", "xml-plain")


class Checker:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
            print(f"[ PASS ] {name}")
        else:
            self.failed += 1
            print(f"[ FAIL ] {name}{': ' + str(detail) if detail else ''}")
        return ok


def run_cmd(cmd, timeout=600):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


def make(out, fmt, *extra):
    r = run_cmd([PY, MAKE, "--out", out, "--format", fmt, *extra])
    info = None
    if r.returncode == 0:
        info = json.loads(r.stdout.strip().splitlines()[-1])
    return r, info


def figures(book, *extra):
    r = run_cmd([PY, FIGS, book, "--compact", *extra])
    return r, (json.loads(r.stdout) if r.returncode == 0 else None)


def md5(path):
    with open(path, "rb") as f:
        return hashlib.md5(f.read()).hexdigest()


def side_files(path):
    d, base = os.path.split(path)
    return sorted(n for n in os.listdir(d) if n.startswith(base + "."))


def normalize(fig):
    """Figures with GUIDs replaced by stable business keys (account full
    names, owner/document ids), to compare books generated separately."""
    acc = {g: a["fullName"] for g, a in fig["accounts"].items()}
    owners = {g: "C:" + o["id"] for g, o in fig["customers"].items()}
    owners.update({g: "V:" + o["id"] for g, o in fig["vendors"].items()})
    out = {"baseCurrency": fig["baseCurrency"], "company": fig["company"],
           "counts": fig["counts"]}
    out["accounts"] = {a["fullName"]: dict(a, parent=acc.get(a["parent"]))
                       for a in fig["accounts"].values()}
    out["customers"] = {o["id"]: o for o in fig["customers"].values()}
    out["vendors"] = {o["id"]: o for o in fig["vendors"].values()}
    for group in ("invoices", "bills", "creditNotes", "billCreditNotes"):
        docs = {}
        for d in fig[group].values():
            d = dict(d, owner=owners.get(d["owner"]), postAccount=acc.get(d["postAccount"]),
                     postLot=None, postTransaction=None)
            d["settlements"] = [dict(s, transaction=None) for s in d["settlements"]]
            d["lines"] = [dict(l, account=acc.get(l["account"])) for l in d["lines"]]
            docs[d["id"]] = d
        out[group] = docs
    out["taxTables"] = {t["name"]: [dict(e, account=acc.get(e["account"]))
                                    for e in t["entries"]]
                        for t in fig["taxTables"].values()}
    return out


def strip_location(fig):
    return {k: v for k, v in fig.items() if k not in ("book", "format")}


def first_difference(a, b, path=""):
    if type(a) is not type(b):
        return f"{path}: {a!r} != {b!r}"
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return f"{path}/{k}: only in one"
            diff = first_difference(a[k], b[k], f"{path}/{k}")
            if diff:
                return diff
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items != {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            diff = first_difference(x, y, f"{path}[{i}]")
            if diff:
                return diff
        return None
    return None if a == b else f"{path}: {a!r} != {b!r}"


def by_id(fig, group, ident):
    return next((d for d in fig[group].values() if d["id"] == ident), None)


def check_accounting(c, fig, label):
    F = Fraction
    docs = [(g, d) for g in ("invoices", "creditNotes", "bills", "billCreditNotes")
            for d in fig[g].values()]
    bad = [d["id"] for _, d in docs if F(d["total"]) != F(d["totalSubtotal"]) + F(d["totalTax"])]
    c.check(f"{label}: total = subtotal + tax on every document", not bad, bad)
    bad = [d["id"] for _, d in docs if F(d["total"]) != sum(
        (F(l["subtotal"]) + F(l["tax"]) for l in d["lines"]), F(0))]
    c.check(f"{label}: total = sum of line subtotals and taxes", not bad, bad)
    posted = [d for _, d in docs if d["posted"]]
    bad = [d["id"] for d in posted if F(d["total"]) - sum(
        (F(s["amount"]) for s in d["settlements"]), F(0)) != F(d["amountDue"])]
    c.check(f"{label}: amountDue = total - settlements (lot balance)", not bad, bad)
    bad = [d["id"] for d in posted if d["isPaid"] != (F(d["amountDue"]) == 0)]
    c.check(f"{label}: isPaid <=> amountDue == 0", not bad, bad)
    bad = [d["id"] for _, d in docs if not d["posted"] and
           (d["amountDue"] is not None or d["datePosted"] is not None)]
    c.check(f"{label}: drafts have no amountDue/datePosted", not bad, bad)
    # Each A/R and A/P account holds exactly the open documents posted to it.
    for g, a in fig["accounts"].items():
        if a["type"] not in ("RECEIVABLE", "PAYABLE"):
            continue
        expected = F(0)
        for group, d in docs:
            if d["postAccount"] != g:
                continue
            sign = 1 if group in ("invoices", "billCreditNotes") else -1
            expected += sign * F(d["amountDue"])
        c.check(f"{label}: {a['fullName']} balance {a['balance']} = signed sum of "
                f"open documents", F(a["balance"]) == expected, str(expected))
    total_ar = sum((F(a["balance"]) for a in fig["accounts"].values()
                    if a["type"] == "RECEIVABLE"), F(0))
    total_cust = sum((F(o["openBalance"]) for o in fig["customers"].values()), F(0))
    c.check(f"{label}: sum of A/R balances = sum of customers' open balances",
            total_ar == total_cust, f"{total_ar} vs {total_cust}")
    total_ap = -sum((F(a["balance"]) for a in fig["accounts"].values()
                     if a["type"] == "PAYABLE"), F(0))
    total_vend = sum((F(o["openBalance"]) for o in fig["vendors"].values()), F(0))
    c.check(f"{label}: -(A/P balances) = sum of vendors' open balances",
            total_ap == total_vend, f"{total_ap} vs {total_vend}")
    if "transactions" in fig:
        bad = [g for g, t in fig["transactions"].items()
               if sum((F(s["value"]) for s in t["splits"]), F(0)) != 0]
        c.check(f"{label}: every transaction's split values sum to zero", not bad, bad[:3])
        per_acc = {}
        for t in fig["transactions"].values():
            for s in t["splits"]:
                per_acc[s["account"]] = per_acc.get(s["account"], F(0)) + F(s["amount"])
        bad = [a["fullName"] for g, a in fig["accounts"].items()
               if per_acc.get(g, F(0)) != F(a["balance"])]
        c.check(f"{label}: account balance = sum of its split amounts", not bad, bad)


def check_full_content(c, fig, label):
    n = fig["counts"]
    want = {"accounts": 20, "customers": 4, "vendors": 3, "invoices": 7, "bills": 3,
            "creditNotes": 1, "taxTables": 2, "transactions": 28, "splits": 70}
    c.check(f"{label}: counts", all(n[k] == v for k, v in want.items()),
            {k: n[k] for k in want})
    c.check(f"{label}: transaction types", n["transactionsByType"] ==
            {"I": 10, "L": 1, "N": 11, "P": 6}, n["transactionsByType"])
    comp = fig["company"]
    c.check(f"{label}: company details", comp["name"] == "Bookbridge Sample Trading LLC"
            and comp["taxId"] == "US-EIN 12-3456789" and "Springfield" in comp["address"],
            comp)
    c.check(f"{label}: base currency USD", fig["baseCurrency"] == "USD")
    accs = {a["fullName"]: a for a in fig["accounts"].values()}
    c.check(f"{label}: account types", accs["Assets:Current Assets:Checking Account"]["type"]
            == "BANK" and accs["Liabilities:Credit Card"]["type"] == "CREDIT" and
            accs["Assets:Current Assets:Accounts Receivable"]["type"] == "RECEIVABLE" and
            accs["Liabilities:Accounts Payable"]["type"] == "PAYABLE")
    c.check(f"{label}: placeholder/hidden/EUR accounts", accs["Assets"]["placeholder"] and
            accs["Assets:Current Assets:Old Cash Box"]["hidden"] and
            accs["Assets:Current Assets:EUR Bank Account"]["commodity"] == "EUR")
    expect = {  # id: (group, total, amountDue)
        "INV-0001": ("invoices", "600.00", "0.00"),
        "INV-0002": ("invoices", "2016.00", "0.00"),
        "INV-0003": ("invoices", "1597.50", "797.50"),
        "INV-0004": ("invoices", "2352.00", "2124.00"),
        "INV-0005": ("invoices", "1920.00", "920.00"),
        "INV-0006": ("invoices", "900.00", "900.00"),
        "INV-0007": ("invoices", "720.00", None),
        "CN-0001": ("creditNotes", "228.00", "0.00"),
        "BILL-0001": ("bills", "300.00", "0.00"),
        "BILL-0002": ("bills", "297.00", "147.00"),
        "BILL-0003": ("bills", "1656.00", "1656.00"),
    }
    for ident, (group, total, due) in expect.items():
        d = by_id(fig, group, ident)
        c.check(f"{label}: {ident} total {total}, due {due}",
                d is not None and d["total"] == total and d["amountDue"] == due,
                d and (d["total"], d["amountDue"]))
    inv5 = by_id(fig, "invoices", "INV-0005")
    c.check(f"{label}: EUR invoice in EUR", inv5 and inv5["currency"] == "EUR")
    inv4 = by_id(fig, "invoices", "INV-0004")
    c.check(f"{label}: credit note applied to INV-0004 by a lot link",
            inv4 and [s["type"] for s in inv4["settlements"]] == ["L"])
    cust = {o["id"]: o for o in fig["customers"].values()}
    c.check(f"{label}: inactive customer and EUR customer",
            not cust["C004"]["active"] and cust["C003"]["currency"] == "EUR")


def check_sqlite_rows(c, path, label):
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    q = lambda sql: db.execute(sql).fetchall()
    try:
        bad = q("""SELECT i.id FROM invoices i WHERE i.post_txn IS NOT NULL AND (
                     i.post_lot IS NULL OR NOT EXISTS (SELECT 1 FROM lots l WHERE l.guid = i.post_lot)
                     OR NOT EXISTS (SELECT 1 FROM splits s WHERE s.tx_guid = i.post_txn
                                    AND s.account_guid = i.post_acc AND s.lot_guid = i.post_lot))""")
        c.check(f"{label}: posted documents have post_lot holding the posting split", not bad, bad)
        drafts = q("SELECT id FROM invoices WHERE post_txn IS NULL")
        c.check(f"{label}: exactly one draft (INV-0007) without post_txn",
                drafts == [("INV-0007",)], drafts)
        bad = q("""SELECT t.num FROM transactions t JOIN slots s ON s.obj_guid = t.guid
                    AND s.name = 'trans-txn-type' AND s.string_val = 'P'
                   WHERE NOT EXISTS (SELECT 1 FROM splits sp JOIN invoices i
                                       ON i.post_lot = sp.lot_guid WHERE sp.tx_guid = t.guid)""")
        c.check(f"{label}: every payment transaction has a split in a document lot", not bad, bad)
        n_pay = q("""SELECT count(*) FROM slots WHERE name = 'trans-txn-type'
                     AND string_val = 'P'""")[0][0]
        c.check(f"{label}: 6 payment transactions", n_pay == 6, n_pay)
        cn = q("""SELECT i.id FROM invoices i JOIN slots s ON s.obj_guid = i.guid
                  WHERE s.name = 'credit-note' AND s.int64_val = 1""")
        c.check(f"{label}: credit note flagged in slots", cn == [("CN-0001",)], cn)
        feat = q("""SELECT count(*) FROM slots WHERE name =
                    'features/ISO-8601 formatted date strings in SQLite3 databases.'""")[0][0]
        c.check(f"{label}: ISO-8601 dates feature flag present", feat == 1)
        opt = q("""SELECT string_val FROM slots
                   WHERE name = 'options/Business/Company Name'""")
        c.check(f"{label}: company name stored as book option",
                opt == [("Bookbridge Sample Trading LLC",)], opt)
        lots = q("""SELECT i.id, (SELECT sum(sp.quantity_num * 100 / sp.quantity_denom)
                     FROM splits sp WHERE sp.lot_guid = i.post_lot)
                    FROM invoices i WHERE i.id IN ('INV-0003', 'BILL-0002')""")
        c.check(f"{label}: lot sums in cents (INV-0003 79750, BILL-0002 -14700)",
                sorted(lots) == [("BILL-0002", -14700), ("INV-0003", 79750)], lots)
    finally:
        db.close()


def run_checks(c, tmp):
    books = {}
    for profile in ("small", "full"):
        for fmt in FORMATS:
            path = os.path.join(tmp, f"{profile}-{fmt}.gnucash")
            r, info = make(path, fmt, "--profile", profile, "--seed", "7")
            ok = c.check(f"make {profile} {fmt}", r.returncode == 0 and info and
                         info["format"] == fmt and os.path.isfile(path), r.stderr[-500:])
            if ok:
                c.check(f"make {profile} {fmt}: no side files", side_files(path) == [],
                        side_files(path))
                books[(profile, fmt)] = path
    figs = {}
    for key, path in books.items():
        before = md5(path)
        r, fig = figures(path, "--transactions-detail")
        label = f"figures {key[0]} {key[1]}"
        if c.check(label, r.returncode == 0, r.stderr[-500:]):
            figs[key] = fig
            c.check(f"{label}: input unchanged, no side files",
                    md5(path) == before and side_files(path) == [])
            check_accounting(c, fig, label)
    for profile in ("small", "full"):
        ref = figs.get((profile, "sqlite"))
        for fmt in ("xml", "xml-plain"):
            other = figs.get((profile, fmt))
            if ref and other:
                a, b = normalize(ref), normalize(other)
                c.check(f"{profile}: sqlite and {fmt} books have the same figures",
                        a == b, first_difference(a, b))
    if ("full", "sqlite") in figs:
        check_full_content(c, figs[("full", "sqlite")], "full sqlite")
        check_sqlite_rows(c, books[("full", "sqlite")], "full sqlite rows")
    if ("full", "xml") in figs:
        check_full_content(c, figs[("full", "xml")], "full xml")

    # --from-book: the same book (same GUIDs) in every storage.
    src = books.get(("full", "sqlite"))
    if src:
        ref = strip_location(figs[("full", "sqlite")])
        chain = [("xml", src), ("xml-plain", None), ("sqlite", None)]
        prev = src
        for fmt, _ in chain:
            out = os.path.join(tmp, f"converted-{fmt}.gnucash")
            before = md5(prev)
            r, info = make(out, fmt, "--from-book", prev)
            label = f"--from-book {os.path.basename(prev)} -> {fmt}"
            if not c.check(label, r.returncode == 0 and info["format"] == fmt,
                           r.stderr[-500:]):
                break
            c.check(f"{label}: source unchanged", md5(prev) == before)
            r, fig = figures(out, "--transactions-detail")
            if c.check(f"{label}: figures", r.returncode == 0, r.stderr[-500:]):
                got = strip_location(fig)
                c.check(f"{label}: identical figures and GUIDs", got == ref,
                        first_difference(ref, got))
            prev = out
        check_sqlite_rows(c, prev, "converted back to sqlite rows")

    # Bulk transactions: counted, deterministic per seed.
    base = figs.get(("small", "sqlite"))
    bulk = []
    for seed in ("7", "7", "8"):
        path = os.path.join(tmp, f"bulk-{len(bulk)}.gnucash")
        r, info = make(path, "xml", "--profile", "small", "--transactions", "500",
                       "--seed", seed)
        r2, fig = figures(path) if r.returncode == 0 else (r, None)
        c.check(f"bulk 500 seed {seed}", fig is not None, (r.stderr + r2.stderr)[-500:])
        bulk.append(fig)
    if base and all(bulk):
        c.check("bulk: +500 transactions, +1000 splits",
                bulk[0]["counts"]["transactions"] == base["counts"]["transactions"] + 500
                and bulk[0]["counts"]["splits"] == base["counts"]["splits"] + 1000,
                bulk[0]["counts"])
        n0, n1, n2 = (normalize(b) for b in bulk)
        c.check("bulk: same seed gives the same figures", n0 == n1, first_difference(n0, n1))
        c.check("bulk: another seed gives other figures", n0 != n2)
        check_accounting(c, bulk[0], "bulk seed 7")

    # Clear errors.
    r, _ = make(os.path.join(tmp, "no-such-dir", "x.gnucash"), "xml")
    c.check("make: missing output folder is a clear error",
            r.returncode != 0 and "error:" in r.stderr and "does not exist" in r.stderr,
            r.stderr[-300:])
    junk = os.path.join(tmp, "junk.gnucash")
    with open(junk, "w") as f:
        f.write("not a book\n")
    r, _ = figures(junk)
    c.check("figures: non-book input is a clear error",
            r.returncode != 0 and "not a GnuCash book" in r.stderr, r.stderr[-300:])
    r, _ = make(os.path.join(tmp, "y.gnucash"), "sqlite", "--from-book", junk)
    c.check("make --from-book: non-book input is a clear error",
            r.returncode != 0 and "error:" in r.stderr, r.stderr[-300:])


def run():
    try:
        import gnucash  # noqa: F401
    except ImportError as exc:
        print(f"skipped: GnuCash bindings not available ({exc})")
        return 77
    c = Checker()
    with tempfile.TemporaryDirectory(prefix="bookbridge-gnc-check-") as tmp:
        try:
            run_checks(c, tmp)
        except Exception as exc:  # a crash is a failure, never a silent pass
            import traceback
            traceback.print_exc()
            c.check("self-check ran to the end", False, repr(exc))
    print(f"{c.passed} passed, {c.failed} failed")
    return 0 if c.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(run())
