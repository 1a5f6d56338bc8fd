#!/usr/bin/python3
"""Prints GnuCash's OWN figures for a book as JSON, read back through GnuCash's
engine (python3-gnucash 4.13) from a temporary read-only copy of the book.

  /usr/bin/python3 expected_figures.py BOOK [--transactions-detail] [--compact]
  /usr/bin/python3 expected_figures.py --self-check

The input book is never opened in place (GnuCash can rewrite a SQLite book
while loading it, and leaves .LCK/.log files). Amounts are exact decimal
strings built from GncNumeric num/denom, never floats. See README.md.
"""

import argparse
import ctypes
import datetime
import json
import os
import shutil
import sys
import tempfile
from fractions import Fraction

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gnc_common as gc  # noqa: E402  (pins TZ=UTC before GnuCash loads)
from gnc_common import dec, frac, iso_date  # noqa: E402


def parse_args(argv):
    p = argparse.ArgumentParser(description="GnuCash's own figures of a book, as JSON.")
    p.add_argument("book", nargs="?")
    p.add_argument("--transactions-detail", action="store_true",
                   help="also list every transaction with its splits")
    p.add_argument("--compact", action="store_true", help="one-line JSON")
    p.add_argument("--self-check", action="store_true",
                   help="run the tools' self-check (same as make_book.py --self-check)")
    args = p.parse_args(argv)
    if not args.self_check and not args.book:
        p.error("BOOK is required")
    return args


class Extractor:
    def __init__(self, gnucash, engine, book):
        self.g = gnucash
        self.C = gnucash.gnucash_core_c
        self.engine = engine
        self.book = book
        self.root = book.get_root_account()
        self.acct_names = {}

    def guid(self, obj):
        return self.engine.instance_guid(obj)

    def query(self, type_name):
        q = self.g.Query()
        q.search_for(type_name)
        q.set_book(self.book)
        try:
            return list(q.run())
        finally:
            q.destroy()

    # --- book -------------------------------------------------------------
    def company(self):
        get = lambda key: self.engine.get_option(self.book, "options/Business/" + key)
        return {"name": get("Company Name"), "address": get("Company Address"),
                "taxId": get("Company ID"), "phone": get("Company Phone Number"),
                "fax": get("Company Fax Number"), "email": get("Company Email Address"),
                "website": get("Company Website URL"),
                "contact": get("Company Contact Person")}

    def base_currency(self, accounts):
        """4.13 stores no book currency (reports use the user's preference).
        Rule shared with the reader: the root account's commodity when it is a
        currency (make_book.py sets it), else the most used account currency."""
        cm = self.root.GetCommodity()
        if cm is not None and cm.get_instance() is not None and cm.is_currency():
            return cm.get_mnemonic(), "rootAccountCommodity"
        counts = {}
        for a in accounts.values():
            counts[a["commodity"]] = counts.get(a["commodity"], 0) + 1
        if not counts:
            return None, "none"
        return max(sorted(counts), key=lambda k: counts[k]), "mostUsedAccountCommodity"

    # --- accounts ---------------------------------------------------------
    def full_name(self, acc):
        names = []
        root = self.root.get_instance()
        while acc is not None and acc.get_instance() is not None and \
                acc.get_instance() != root:
            names.append(acc.GetName())
            acc = acc.get_parent()
        return ":".join(reversed(names))

    def accounts(self, month_ends):
        out = {}
        self.real_accounts = self.root.get_descendants()
        for acc in self.real_accounts:
            g = self.guid(acc)
            cm = acc.GetCommodity()
            # get_full_name() joins with the user's separator preference ("."
            # in a session without GnuCash prefs); the reader reports ":".
            full = self.full_name(acc)
            self.acct_names[g] = full
            by_cm = {}
            for sub in [acc] + list(acc.get_descendants()):
                m = sub.GetCommodity().get_mnemonic()
                by_cm[m] = by_cm.get(m, Fraction(0)) + frac(sub.GetBalance())
            entry = {
                "fullName": full, "name": acc.GetName(),
                "parent": (self.guid(acc.get_parent())
                           if acc.get_parent().get_instance() != self.root.get_instance()
                           else None),
                "type": self.C.xaccAccountTypeEnumAsString(acc.GetType()),
                "commodity": cm.get_mnemonic(),
                "commodityNamespace": cm.get_namespace(),
                "code": acc.GetCode() or None, "description": acc.GetDescription() or None,
                "placeholder": bool(acc.GetPlaceholder()), "hidden": bool(acc.GetHidden()),
                "balance": dec(acc.GetBalance()),
                # GnuCash's own figure: children in other commodities converted
                # at the price DB's latest price, rounded to this commodity.
                "balanceWithSubaccounts": dec(acc.GetBalanceInCurrency(cm, True)),
                "balanceWithSubaccountsByCommodity": {k: dec(v) for k, v in
                                                      sorted(by_cm.items())},
                "splitCount": self.split_counts.get(g, 0),
            }
            if month_ends:
                entry["monthEndBalances"] = {
                    d.date().isoformat(): dec(acc.GetBalanceAsOfDate(d)) for d in month_ends}
            out[g] = entry
        return out

    # --- owners -----------------------------------------------------------
    def owner_dict(self, owner, is_customer):
        a = owner.GetAddr()
        cur = owner.GetCurrency()
        d = {
            "id": owner.GetID(), "name": owner.GetName(),
            "currency": cur.get_mnemonic(), "active": bool(owner.GetActive()),
            "notes": owner.GetNotes() or None,
            "address": {"name": a.GetName() or None,
                        "lines": [x for x in (a.GetAddr1(), a.GetAddr2(), a.GetAddr3(),
                                              a.GetAddr4()) if x],
                        "phone": a.GetPhone() or None, "fax": a.GetFax() or None,
                        "email": a.GetEmail() or None},
            # "openBalance" is filled in from the documents' lot balances;
            # gncOwnerGetBalanceInCurrency corrupts the heap in 4.13 (README).
        }
        return d

    def owners(self, type_name, cls, is_customer):
        out = {}
        for inst in self.query(type_name):
            o = cls(instance=inst)
            out[self.guid(o)] = self.owner_dict(o, is_customer)
        return out

    # --- documents --------------------------------------------------------
    def tax_table_name(self, tt):
        if tt is None or tt.get_instance() is None:
            return None
        parent = tt.GetParent()
        if parent is not None and parent.get_instance() is not None:
            return parent.GetName()
        return tt.GetName()

    def lines(self, inv, is_cust, is_cn):
        from gnucash.gnucash_business import Entry
        out = []
        for e in inv.GetEntries():
            if not isinstance(e, Entry):
                e = Entry(instance=e)
            acct = e.GetInvAccount() if is_cust else e.GetBillAccount()
            price = e.GetInvPrice() if is_cust else e.GetBillPrice()
            tt = e.GetInvTaxTable() if is_cust else e.GetBillTaxTable()
            taxable = e.GetInvTaxable() if is_cust else e.GetBillTaxable()
            line = {
                "description": e.GetDescription(), "action": e.GetAction() or None,
                "date": iso_date(e.GetDate()),
                "quantity": dec(e.GetDocQuantity(is_cn), 0),
                "unitPrice": dec(price),
                "account": self.guid(acct) if acct is not None and acct.get_instance()
                else None,
                "taxable": bool(taxable),
                "taxTable": self.tax_table_name(tt) if taxable else None,
                "subtotal": dec(self.C.gncEntryGetDocValue(e.instance, True, is_cust, is_cn)),
                "tax": dec(self.C.gncEntryGetDocTaxValue(e.instance, True, is_cust, is_cn)),
                "discount": dec(self.C.gncEntryGetDocDiscountValue(e.instance, True, is_cust, is_cn)),
            }
            if is_cust:
                disc = e.GetInvDiscount()
                line["discountInput"] = dec(disc, 0) if disc.num() else None
                line["discountType"] = ("PERCENT" if e.GetInvDiscountType() ==
                                        self.C.GNC_AMT_TYPE_PERCENT else "VALUE")
            out.append(line)
        return out

    def documents(self):
        from gnucash.gnucash_business import Invoice
        groups = {"invoices": {}, "creditNotes": {}, "bills": {}, "billCreditNotes": {},
                  "expenseVouchers": {}}
        for inst in self.query("gncInvoice"):
            inv = Invoice(instance=inst)
            owner = inv.GetOwner()
            end_owner_type = self.C.gncInvoiceGetOwnerType(inv.instance)
            is_cust = end_owner_type == self.C.GNC_OWNER_CUSTOMER
            is_cn = bool(inv.GetIsCreditNote())
            if end_owner_type == self.C.GNC_OWNER_EMPLOYEE:
                group = "expenseVouchers"
            elif is_cust:
                group = "creditNotes" if is_cn else "invoices"
            else:
                group = "billCreditNotes" if is_cn else "bills"
            posted = bool(inv.IsPosted())
            # Lot balance is in the A/R / A/P account: + for what a customer
            # owes, - for what we owe a vendor; credit notes are the reverse.
            sign = (1 if is_cust else -1) * (-1 if is_cn else 1)
            d = {
                "id": inv.GetID(),
                "owner": self.guid(owner) if owner is not None else None,
                "ownerKind": {self.C.GNC_OWNER_CUSTOMER: "customer",
                              self.C.GNC_OWNER_VENDOR: "vendor",
                              self.C.GNC_OWNER_EMPLOYEE: "employee"}.get(end_owner_type),
                "currency": inv.GetCurrency().get_mnemonic(),
                "isCreditNote": is_cn,
                "posted": posted, "active": bool(inv.GetActive()),
                "billingId": inv.GetBillingID() or None, "notes": inv.GetNotes() or None,
                "total": dec(inv.GetTotal()),
                "totalSubtotal": dec(inv.GetTotalSubtotal()),
                "totalTax": dec(inv.GetTotalTax()),
                "dateOpened": iso_date(inv.GetDateOpened()),
                "datePosted": iso_date(inv.GetDatePosted()) if posted else None,
                "dateDue": iso_date(inv.GetDateDue()) if posted else None,
                "isPaid": bool(inv.IsPaid()) if posted else False,
                "amountDue": None, "postAccount": None, "postTransaction": None,
                "postLot": None, "settlements": [],
                "lines": self.lines(inv, is_cust, is_cn),
            }
            if posted:
                lot = inv.GetPostedLot()
                txn = inv.GetPostedTxn()
                d["postAccount"] = self.guid(inv.GetPostedAcc())
                d["postTransaction"] = txn.GetGUID().to_string()
                d["postLot"] = self.engine.instance_guid(lot)
                d["amountDue"] = dec(frac(lot.get_balance()) * sign)
                d["lotClosed"] = bool(lot.is_closed())
                post_guid = d["postTransaction"]
                for raw in lot.get_split_list():
                    sp = raw if isinstance(raw, self.g.Split) else self.g.Split(instance=raw)
                    t = sp.GetParent()
                    tg = t.GetGUID().to_string()
                    if tg == post_guid:
                        continue
                    d["settlements"].append({
                        "transaction": tg, "date": iso_date(t.GetDate()),
                        "type": txn_type(t), "num": t.GetNum() or None,
                        # Sign-normalised: positive reduces the amount due.
                        "amount": dec(-frac(sp.GetAmount()) * sign),
                    })
                d["settlements"].sort(key=lambda s: (s["date"], s["transaction"]))
            groups[group][self.guid(inv)] = d
        return groups

    def tax_tables(self):
        out, invisible = {}, 0
        for tt in self.book.TaxTableGetTables():
            if self.engine.tax_table_invisible(tt):
                invisible += 1
                continue  # per-use copies GnuCash makes; parent holds the user's table
            entries = []
            for acc_guid, kind, amount in self.engine.tax_table_entries(tt):
                is_pct = kind == self.C.GNC_AMT_TYPE_PERCENT
                entries.append({"account": acc_guid, "type": "PERCENT" if is_pct else "VALUE",
                                "percent" if is_pct else "value": dec(amount, 0)})
            # (refcount is left out: the XML loader recomputes it on load.)
            out[self.guid(tt)] = {"name": tt.GetName(), "entries": entries}
        return out, invisible

    # --- transactions -----------------------------------------------------
    def transactions(self, detail):
        seen = {}
        splits = 0
        by_type = {}
        self.split_counts = {}
        for acc in self.real_accounts:
            acc_splits = acc.GetSplitList()
            self.split_counts[self.guid(acc)] = len(acc_splits)
            for sp in acc_splits:
                splits += 1
                t = sp.GetParent()
                key = t.GetGUID().to_string()
                if key in seen:
                    continue
                seen[key] = t
        dates = []
        out = {}
        for key, t in seen.items():
            kind = txn_type(t)
            by_type[kind] = by_type.get(kind, 0) + 1
            when = t.GetDate()
            dates.append(when)
            if detail:
                out[key] = {
                    "date": iso_date(when), "num": t.GetNum() or None,
                    "description": t.GetDescription() or None,
                    "currency": t.GetCurrency().get_mnemonic(), "type": txn_type(t),
                    "splits": [{"account": self.guid(s.GetAccount()),
                                "value": dec(s.GetValue()), "amount": dec(s.GetAmount()),
                                "memo": s.GetMemo() or None, "action": s.GetAction() or None}
                               for s in t.GetSplitList()]}
        return len(seen), splits, by_type, dates, out


def txn_type(t):
    """'I' invoice posting, 'P' payment, 'L' lot link, 'N' plain transaction."""
    kind = t.GetTxnType()
    return kind if kind in ("I", "P", "L") else "N"


def month_ends(dates):
    if not dates:
        return []
    first, last = min(dates), max(dates)
    y, m = first.year, first.month
    res = []
    while (y, m) <= (last.year, last.month) and len(res) < 36:
        ny, nm = (y + 1, 1) if m == 12 else (y, m + 1)
        res.append(datetime.datetime(ny, nm, 1) - datetime.timedelta(seconds=1))
        y, m = ny, nm
    return res


def extract(gnucash, engine, path, detail=False):
    path = os.path.abspath(path)
    if not os.path.isfile(path):
        raise gc.ToolError(f"{path} does not exist")
    fmt = gc.sniff_format(path)
    with tempfile.TemporaryDirectory(prefix="bookbridge-gnc-") as tmp:
        copy = os.path.join(tmp, "book.gnucash")
        shutil.copyfile(path, copy)
        session = gnucash.Session(gc.book_uri(copy, fmt),
                                  gnucash.SessionOpenMode.SESSION_READ_ONLY)
        try:
            x = Extractor(gnucash, engine, session.book)
            company = x.company()
            x.real_accounts = x.root.get_descendants()
            ntx, nsplits, by_type, dates, tx_detail = x.transactions(detail)
            accounts = x.accounts(month_ends(dates))
            base, base_rule = x.base_currency(accounts)
            from gnucash.gnucash_business import Customer, Vendor
            customers = x.owners("gncCustomer", Customer, True)
            vendors = x.owners("gncVendor", Vendor, False)
            docs = x.documents()
            tax_tables, invisible_tt = x.tax_tables()
        finally:
            session.end()  # no destroy(): see make_book.finish()
    # Per owner: what is still open on its posted documents, positive = owed
    # to us (customers) / owed by us (vendors); credit notes count negative.
    for group, owners in (("invoices", customers), ("creditNotes", customers),
                          ("bills", vendors), ("billCreditNotes", vendors)):
        for o in owners.values():
            o.setdefault("openBalance", Fraction(0))
        for d in docs[group].values():
            if d["amountDue"] is None or d["owner"] not in owners:
                continue
            amount = Fraction(d["amountDue"])
            owners[d["owner"]]["openBalance"] += -amount if d["isCreditNote"] else amount
    for owners in (customers, vendors):
        for o in owners.values():
            o["openBalance"] = dec(o.get("openBalance", Fraction(0)))
    result = {
        "book": path, "format": fmt,
        "baseCurrency": base, "baseCurrencyRule": base_rule,
        "company": company, "accounts": accounts,
        "customers": customers, "vendors": vendors,
        "invoices": docs["invoices"], "bills": docs["bills"],
        "creditNotes": docs["creditNotes"], "billCreditNotes": docs["billCreditNotes"],
        "taxTables": tax_tables,
        "counts": {"accounts": len(accounts), "customers": len(customers),
                   "vendors": len(vendors), "invoices": len(docs["invoices"]),
                   "bills": len(docs["bills"]), "creditNotes": len(docs["creditNotes"]),
                   "billCreditNotes": len(docs["billCreditNotes"]),
                   "expenseVouchers": len(docs["expenseVouchers"]),
                   "transactions": ntx, "splits": nsplits,
                   "transactionsByType": dict(sorted(by_type.items())),
                   "taxTables": len(tax_tables), "taxTableCopies": invisible_tt},
    }
    if detail:
        result["transactions"] = tx_detail
    return result


def main(argv):
    args = parse_args(argv)
    if args.self_check:
        import self_check
        return self_check.run()
    gnucash = gc.import_gnucash()
    engine = gc.Engine()
    try:
        result = extract(gnucash, engine, args.book, args.transactions_detail)
    except gnucash.GnuCashBackendException as exc:
        gc.die(f"GnuCash could not open {args.book}: {exc}")
    except gc.ToolError as exc:
        gc.die(str(exc))
    json.dump(result, sys.stdout, indent=None if args.compact else 2, sort_keys=True)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
