"""What goes into a generated book: the `full` and `small` profiles and the
bulk transactions of --transactions N. Everything is created through GnuCash's
own engine (python3-gnucash 4.13), so postings, lots and totals are GnuCash's.

All amounts are exact (GncNumeric from decimal strings), all dates are in 2026.
"""

import datetime
import random
from decimal import Decimal

import gnucash
from gnucash import (Account, GncNumeric, GncPrice, Split, Transaction)
from gnucash import gnucash_core_c as C
from gnucash.gnucash_business import (Bill, Customer, Entry, Invoice, TaxTable,
                                      TaxTableEntry, Vendor)

# Vendor has no ApplyPayment in the 4.13 bindings (readers.md 1.8 pitfall 5).
if not hasattr(Vendor, "ApplyPayment"):
    Vendor.add_method("gncOwnerApplyPaymentSecs", "ApplyPayment")

ACCT_TYPES = {
    "ASSET": gnucash.ACCT_TYPE_ASSET, "BANK": gnucash.ACCT_TYPE_BANK,
    "CASH": gnucash.ACCT_TYPE_CASH, "RECEIVABLE": gnucash.ACCT_TYPE_RECEIVABLE,
    "LIABILITY": gnucash.ACCT_TYPE_LIABILITY, "PAYABLE": gnucash.ACCT_TYPE_PAYABLE,
    "CREDIT": gnucash.ACCT_TYPE_CREDIT, "EQUITY": gnucash.ACCT_TYPE_EQUITY,
    "INCOME": gnucash.ACCT_TYPE_INCOME, "EXPENSE": gnucash.ACCT_TYPE_EXPENSE,
}

COMPANY = {
    "Company Name": "Bookbridge Sample Trading LLC",
    "Company Address": "100 Market Street\nSuite 200\nSpringfield, IL 62701\nUSA",
    "Company ID": "US-EIN 12-3456789",
    "Company Phone Number": "+1 217 555 0199",
    "Company Email Address": "accounts@bookbridge-sample.example",
    "Company Website URL": "https://bookbridge-sample.example",
    "Company Contact Person": "Pat Ledger",
}


def num(text):
    """GncNumeric from a decimal string, exactly (no float)."""
    d = Decimal(text)
    exp = -d.as_tuple().exponent if d.as_tuple().exponent < 0 else 0
    return GncNumeric(int(d.scaleb(exp)), 10 ** exp)


def day(y, m, d):
    return datetime.date(y, m, d)


def instant(y, m, d):
    """Midnight (UTC, the pinned zone) of a day, for APIs taking a time64."""
    return datetime.datetime(y, m, d, 0, 0, 0)


class BookBuilder:
    def __init__(self, book, engine):
        self.book = book
        self.engine = engine
        table = book.get_table()
        self.usd = table.lookup("CURRENCY", "USD")
        self.eur = table.lookup("CURRENCY", "EUR")
        self.root = book.get_root_account()
        self.accounts = {}
        self.customers = {}
        self.vendors = {}
        self.tax_tables = {}
        self.docs = {}

    # --- book level -------------------------------------------------------
    def company(self, info=COMPANY):
        for key, value in info.items():
            self.engine.set_option(self.book, "options/Business/" + key, value)
        # No book property names the base currency in 4.13 (reports use the
        # user's preference); we mark it on the root account, see README.
        self.root.BeginEdit()
        self.root.SetCommodity(self.usd)
        self.root.CommitEdit()

    def account(self, full_name, type_name, commodity=None, placeholder=False,
                hidden=False, code=None, description=None):
        parent_name, _, name = full_name.rpartition(":")
        parent = self.accounts[parent_name] if parent_name else self.root
        acc = Account(self.book)
        acc.BeginEdit()
        acc.SetName(name)
        acc.SetType(ACCT_TYPES[type_name])
        acc.SetCommodity(commodity or self.usd)
        if placeholder:
            acc.SetPlaceholder(True)
        if hidden:
            acc.SetHidden(True)
        if code:
            acc.SetCode(code)
        if description:
            acc.SetDescription(description)
        parent.append_child(acc)
        acc.CommitEdit()
        self.accounts[full_name] = acc
        return acc

    def txn(self, date, description, splits, number=None, currency=None, notes=None):
        """splits: (account full name, value[, amount[, memo]]); value in the
        transaction currency, amount in the account's commodity."""
        t = Transaction(self.book)
        t.BeginEdit()
        t.SetCurrency(currency or self.usd)
        t.SetDate(date.day, date.month, date.year)
        t.SetDescription(description)
        if number:
            t.SetNum(number)
        if notes:
            t.SetNotes(notes)
        for spec in splits:
            acct, value = spec[0], spec[1]
            amount = spec[2] if len(spec) > 2 and spec[2] is not None else value
            memo = spec[3] if len(spec) > 3 else None
            s = Split(self.book)
            s.SetParent(t)
            s.SetAccount(self.accounts[acct])
            s.SetValue(num(value))
            s.SetAmount(num(amount))
            if memo:
                s.SetMemo(memo)
        t.CommitEdit()
        return t

    def price(self, commodity, currency, when, value):
        p = GncPrice(self.book)
        p.begin_edit()
        p.set_commodity(commodity)
        p.set_currency(currency)
        p.set_time64(when)
        p.set_source_string("user:price")
        p.set_typestr("last")
        p.set_value(num(value))
        p.commit_edit()
        self.book.get_price_db().add_price(p)
        return p

    def tax_table(self, name, account, percent):
        tt = TaxTable(self.book, name,
                      TaxTableEntry(self.accounts[account], True, num(percent)))
        self.tax_tables[name] = tt
        return tt

    # --- owners -----------------------------------------------------------
    def _owner(self, cls, registry, ident, name, currency, addr, active, notes):
        owner = cls(self.book, ident, currency or self.usd, name)
        owner.BeginEdit()
        a = owner.GetAddr()
        lines = addr.get("lines", [])
        a.SetName(addr.get("name", name))
        for i, setter in enumerate((a.SetAddr1, a.SetAddr2, a.SetAddr3, a.SetAddr4)):
            if i < len(lines):
                setter(lines[i])
        if addr.get("phone"):
            a.SetPhone(addr["phone"])
        if addr.get("fax"):
            a.SetFax(addr["fax"])
        if addr.get("email"):
            a.SetEmail(addr["email"])
        if notes:
            owner.SetNotes(notes)
        owner.SetActive(bool(active))
        owner.CommitEdit()
        registry[ident] = owner
        return owner

    def customer(self, ident, name, currency=None, addr=None, active=True, notes=None):
        return self._owner(Customer, self.customers, ident, name, currency,
                           addr or {}, active, notes)

    def vendor(self, ident, name, currency=None, addr=None, active=True, notes=None):
        return self._owner(Vendor, self.vendors, ident, name, currency,
                           addr or {}, active, notes)

    # --- documents --------------------------------------------------------
    def document(self, ident, owner, opened, lines, currency=None, credit_note=False,
                 notes=None, billing_id=None):
        """A customer invoice/credit note (owner = Customer) or a vendor bill
        (owner = Vendor). lines: dicts with desc, qty, price, account and
        optional tax (table name), disc (percent, customer docs only), action."""
        is_bill = isinstance(owner, Vendor)
        cls = Bill if is_bill else Invoice
        doc = cls(self.book, ident, currency or owner.GetCurrency(), owner,
                  instant(opened.year, opened.month, opened.day))
        doc.BeginEdit()
        if credit_note:
            # Must be set before entries are added (readers.md 1.9).
            doc.SetIsCreditNote(True)
        if notes:
            doc.SetNotes(notes)
        if billing_id:
            doc.SetBillingID(billing_id)
        for line in lines:
            e = Entry(self.book, doc, instant(opened.year, opened.month, opened.day))
            e.BeginEdit()
            e.SetDescription(line["desc"])
            if line.get("action"):
                e.SetAction(line["action"])
            # SetDocQuantity flips the sign for credit notes as the GUI does.
            e.SetDocQuantity(num(line["qty"]), bool(credit_note))
            acct = self.accounts[line["account"]]
            tax = self.tax_tables.get(line.get("tax")) if line.get("tax") else None
            if is_bill:
                e.SetBillAccount(acct)
                e.SetBillPrice(num(line["price"]))
                e.SetBillTaxIncluded(False)
                e.SetBillTaxable(tax is not None)
                if tax is not None:
                    e.SetBillTaxTable(tax)
            else:
                e.SetInvAccount(acct)
                e.SetInvPrice(num(line["price"]))
                e.SetInvTaxIncluded(False)
                e.SetInvTaxable(tax is not None)
                if tax is not None:
                    e.SetInvTaxTable(tax)
                if line.get("disc"):
                    e.SetInvDiscountType(gnucash.gnucash_business.GNC_AMT_TYPE_PERCENT)
                    e.SetInvDiscountHow(gnucash.gnucash_business.GNC_DISC_PRETAX)
                    e.SetInvDiscount(num(line["disc"]))
            e.CommitEdit()
        doc.CommitEdit()
        self.docs[ident] = doc
        return doc

    def post(self, ident, account, posted, due_days=30, memo=None, autopay=False):
        doc = self.docs[ident]
        due = posted + datetime.timedelta(days=due_days)
        txn = doc.PostToAccount(self.accounts[account],
                                instant(posted.year, posted.month, posted.day),
                                instant(due.year, due.month, due.day),
                                memo or "", True, autopay)
        if txn is None or not doc.IsPosted():
            raise RuntimeError(f"GnuCash refused to post {ident}")
        return txn

    def pay_document(self, ident, xfer_account, amount, when, memo, number):
        """Invoice.ApplyPayment: pays that one document. amount is the bank
        side: positive = money received, negative = money paid (vendors)."""
        self.docs[ident].ApplyPayment(None, self.accounts[xfer_account], num(amount),
                                      GncNumeric(1, 1),
                                      instant(when.year, when.month, when.day),
                                      memo, number)

    def pay_owner(self, owner, posted_account, xfer_account, amount, when, memo, number):
        """Owner-level payment with auto-pay: GnuCash allocates it to the
        owner's oldest open documents (gncOwnerApplyPaymentSecs)."""
        owner.ApplyPayment(None, None, self.accounts[posted_account],
                           self.accounts[xfer_account], num(amount), GncNumeric(1, 1),
                           instant(when.year, when.month, when.day), memo, number, True)


ADDR = {
    "C001": {"name": "Acme Corp", "lines": ["Attn: Accounts Payable", "1 Main St",
                                           "Springfield, IL 62701", "USA"],
             "phone": "+1 217 555 0100", "email": "ap@acme.example"},
    "C002": {"name": "Globex Ltd", "lines": ["9 Side Rd", "Shelbyville, IL 62565", "USA"],
             "phone": "+1 217 555 0101", "fax": "+1 217 555 0102",
             "email": "billing@globex.example"},
    "C003": {"name": "Europa GmbH", "lines": ["Hauptstrasse 5", "10115 Berlin",
                                             "Germany"],
             "phone": "+49 30 1234567", "email": "buchhaltung@europa.example"},
    "C004": {"name": "Initech Inc", "lines": ["4120 Freidrich Ln", "Austin, TX 78744",
                                             "USA"],
             "phone": "+1 512 555 0104", "email": "finance@initech.example"},
    "V001": {"name": "Paper Supply Co", "lines": ["5 Mill Ln", "Springfield, IL 62702",
                                                 "USA"],
             "phone": "+1 217 555 0200", "email": "sales@paper.example"},
    "V002": {"name": "Cloud Hosting Inc", "lines": ["7 Server Way", "Seattle, WA 98101",
                                                   "USA"],
             "phone": "+1 206 555 0201", "email": "invoices@cloud.example"},
    "V003": {"name": "Office Furniture Ltd", "lines": ["22 Oak Ave", "Chicago, IL 60601",
                                                     "USA"],
             "phone": "+1 312 555 0202", "email": "ar@furniture.example"},
}

AR, AP = "Assets:Current Assets:Accounts Receivable", "Liabilities:Accounts Payable"
AR_EUR = "Assets:Current Assets:Accounts Receivable EUR"
CHK, SAV = "Assets:Current Assets:Checking Account", "Assets:Current Assets:Savings Account"
EUR_BANK, CASH_BOX = "Assets:Current Assets:EUR Bank Account", "Assets:Current Assets:Old Cash Box"
SALES, SERVICES = "Income:Sales", "Income:Services"
OFFICE, RENT = "Expenses:Office", "Expenses:Rent"
TAX, CARD, OPENING = "Liabilities:Tax Payable", "Liabilities:Credit Card", "Equity:Opening Balances"


def build_full(b):
    """Every entity the Bookbridge GnuCash reader maps (see README.md)."""
    b.company()
    for name, kind, extra in [
        ("Assets", "ASSET", {"placeholder": True, "code": "1000"}),
        ("Assets:Current Assets", "ASSET", {"placeholder": True, "code": "1100"}),
        (CHK, "BANK", {"code": "1110", "description": "Main operating account"}),
        (SAV, "BANK", {"code": "1120"}),
        (EUR_BANK, "BANK", {"code": "1130", "commodity": b.eur}),
        (CASH_BOX, "CASH", {"code": "1140", "hidden": True}),
        (AR, "RECEIVABLE", {"code": "1200"}),
        (AR_EUR, "RECEIVABLE", {"code": "1210", "commodity": b.eur}),
        ("Liabilities", "LIABILITY", {"placeholder": True, "code": "2000"}),
        (AP, "PAYABLE", {"code": "2100"}),
        (CARD, "CREDIT", {"code": "2200"}),
        (TAX, "LIABILITY", {"code": "2300", "description": "VAT collected and paid"}),
        ("Equity", "EQUITY", {"placeholder": True, "code": "3000"}),
        (OPENING, "EQUITY", {"code": "3100"}),
        ("Income", "INCOME", {"placeholder": True, "code": "4000"}),
        (SALES, "INCOME", {"code": "4100"}),
        (SERVICES, "INCOME", {"code": "4200"}),
        ("Expenses", "EXPENSE", {"placeholder": True, "code": "5000"}),
        (OFFICE, "EXPENSE", {"code": "5100"}),
        (RENT, "EXPENSE", {"code": "5200"}),
    ]:
        b.account(name, kind, **extra)

    b.tax_table("VAT 20%", TAX, "20")
    b.tax_table("Reduced VAT 5%", TAX, "5")

    for ident, name, cur in [("C001", "Acme Corp", None), ("C002", "Globex Ltd", None),
                             ("C003", "Europa GmbH", b.eur), ("C004", "Initech Inc", None)]:
        b.customer(ident, name, cur, ADDR[ident])
    for ident, name in [("V001", "Paper Supply Co"), ("V002", "Cloud Hosting Inc"),
                        ("V003", "Office Furniture Ltd")]:
        b.vendor(ident, name, None, ADDR[ident])

    # Plain journal entries.
    b.txn(day(2026, 1, 1), "Opening balance", [
        (CHK, "25000.00"), (SAV, "10000.00"), (CASH_BOX, "25.00"),
        (OPENING, "-35025.00")], number="OB-1")
    for month in range(1, 7):
        b.txn(day(2026, month, 1), f"Office rent 2026-{month:02d}",
              [(RENT, "1500.00", None, "Rent"), (CHK, "-1500.00")],
              number=f"RENT-{month:02d}")
    # Cross-currency transfer: USD transaction, EUR account (value USD, amount EUR).
    b.txn(day(2026, 1, 12), "Buy EUR for European expenses",
          [(EUR_BANK, "1100.00", "1000.00", "1000 EUR at 1.10"), (CHK, "-1100.00")],
          number="FX-1")
    b.price(b.eur, b.usd, instant(2026, 1, 12), "1.10")
    b.txn(day(2026, 2, 18), "Office supplies on card (3 splits)",
          [(OFFICE, "80.00", None, "Toner"), (TAX, "16.00", None, "Input VAT 20%"),
           (CARD, "-96.00")], number="CC-1")
    b.txn(day(2026, 3, 5), "Credit card payment", [(CARD, "96.00"), (CHK, "-96.00")],
          number="CC-PAY-1")
    b.txn(day(2026, 4, 30), "Transfer to savings", [(SAV, "2000.00"), (CHK, "-2000.00")],
          number="TR-1")

    # Customer documents, created and settled in date order (auto-pay looks
    # at the documents open at that moment).
    b.document("INV-0001", b.customers["C004"], day(2026, 1, 5), [
        {"desc": "Setup fee", "qty": "1", "price": "500.00", "account": SERVICES,
         "tax": "VAT 20%", "action": "Hours"}])
    b.post("INV-0001", AR, day(2026, 1, 5), memo="Initech setup")
    b.document("INV-0002", b.customers["C001"], day(2026, 1, 10), [
        {"desc": "Consulting hours", "qty": "10", "price": "150.00", "account": SERVICES,
         "tax": "VAT 20%", "action": "Hours"},
        {"desc": "Widgets", "qty": "5", "price": "40.00", "account": SALES,
         "tax": "VAT 20%", "disc": "10", "action": "Material"}])
    b.post("INV-0002", AR, day(2026, 1, 10))
    b.document("BILL-0001", b.vendors["V001"], day(2026, 1, 15), [
        {"desc": "Printer paper, 10 boxes", "qty": "10", "price": "25.00",
         "account": OFFICE, "tax": "VAT 20%"}], billing_id="PS-7781")
    b.post("BILL-0001", AP, day(2026, 1, 15))
    b.pay_document("INV-0001", CHK, "600.00", day(2026, 1, 20),
                   "Initech pays INV-0001", "DEP-1001")
    b.pay_document("BILL-0001", CHK, "-300.00", day(2026, 1, 30),
                   "Pay BILL-0001", "CHK-2001")
    b.customers["C004"].BeginEdit()
    b.customers["C004"].SetActive(False)  # Initech: no more business.
    b.customers["C004"].CommitEdit()
    b.document("BILL-0002", b.vendors["V002"], day(2026, 2, 1), [
        {"desc": "Hosting Feb-Apr", "qty": "3", "price": "99.00", "account": OFFICE}])
    b.post("BILL-0002", AP, day(2026, 2, 1))
    b.document("INV-0003", b.customers["C002"], day(2026, 2, 3), [
        {"desc": "Workshop", "qty": "1", "price": "1200.00", "account": SERVICES,
         "tax": "VAT 20%"},
        {"desc": "Training materials", "qty": "12", "price": "12.50", "account": SALES,
         "tax": "Reduced VAT 5%"}])
    b.post("INV-0003", AR, day(2026, 2, 3))
    b.pay_owner(b.customers["C001"], AR, CHK, "2016.00", day(2026, 2, 5),
                "Acme payment (auto-applied)", "DEP-1002")
    b.pay_owner(b.vendors["V002"], AP, CHK, "-150.00", day(2026, 2, 20),
                "Cloud Hosting part payment (auto-applied)", "CHK-2002")
    b.pay_document("INV-0003", CHK, "800.00", day(2026, 3, 1),
                   "Globex part payment", "DEP-1003")
    b.document("BILL-0003", b.vendors["V003"], day(2026, 3, 10), [
        {"desc": "Desk", "qty": "2", "price": "450.00", "account": OFFICE, "tax": "VAT 20%"},
        {"desc": "Chair", "qty": "4", "price": "120.00", "account": OFFICE,
         "tax": "VAT 20%"}], billing_id="OF-2026-031")
    b.post("BILL-0003", AP, day(2026, 3, 10))
    b.document("INV-0004", b.customers["C001"], day(2026, 3, 15), [
        {"desc": "Consulting hours", "qty": "8", "price": "150.00", "account": SERVICES,
         "tax": "VAT 20%", "action": "Hours"},
        {"desc": "Widgets", "qty": "20", "price": "40.00", "account": SALES,
         "tax": "VAT 20%", "disc": "5", "action": "Material"}])
    b.post("INV-0004", AR, day(2026, 3, 15))
    # Credit note, posted with auto-pay: GnuCash offsets it against Acme's
    # open INV-0004 and writes a lot-link transaction.
    b.document("CN-0001", b.customers["C001"], day(2026, 3, 20), [
        {"desc": "Returned widgets", "qty": "5", "price": "38.00", "account": SALES,
         "tax": "VAT 20%", "action": "Material"}], credit_note=True,
        notes="Credit for 5 returned widgets from INV-0004")
    b.post("CN-0001", AR, day(2026, 3, 20), memo="Returned widgets", autopay=True)
    # EUR invoice for the EUR customer; income accounts are USD, so GnuCash
    # needs an invoice price (USD expressed in EUR) to post it.
    b.document("INV-0005", b.customers["C003"], day(2026, 4, 2), [
        {"desc": "Consulting (reverse charge)", "qty": "16", "price": "120.00",
         "account": SERVICES, "action": "Hours"}], currency=b.eur)
    usd_in_eur = b.price(b.usd, b.eur, instant(2026, 4, 2), "0.80")
    b.docs["INV-0005"].BeginEdit()
    b.docs["INV-0005"].AddPrice(usd_in_eur)
    b.docs["INV-0005"].CommitEdit()
    b.post("INV-0005", AR_EUR, day(2026, 4, 2))
    b.pay_document("INV-0005", EUR_BANK, "1000.00", day(2026, 5, 10),
                   "Europa part payment", "SEPA-1")
    b.document("INV-0006", b.customers["C002"], day(2026, 5, 20), [
        {"desc": "Support plan (3 months)", "qty": "3", "price": "250.00",
         "account": SERVICES, "tax": "VAT 20%"}])
    b.post("INV-0006", AR, day(2026, 5, 20))
    b.document("INV-0007", b.customers["C001"], day(2026, 6, 1), [
        {"desc": "Consulting hours (draft)", "qty": "4", "price": "150.00",
         "account": SERVICES, "tax": "VAT 20%"}], notes="Draft, not posted")
    return b


S_CHK, S_AR, S_AP = "Assets:Checking Account", "Assets:Accounts Receivable", \
    "Liabilities:Accounts Payable"


def build_small(b):
    b.company()
    for name, kind, extra in [
        ("Assets", "ASSET", {"placeholder": True}), (S_CHK, "BANK", {}),
        (S_AR, "RECEIVABLE", {}), ("Liabilities", "LIABILITY", {"placeholder": True}),
        (S_AP, "PAYABLE", {}), ("Equity", "EQUITY", {"placeholder": True}),
        (OPENING, "EQUITY", {}), ("Income", "INCOME", {"placeholder": True}),
        (SALES, "INCOME", {}), ("Expenses", "EXPENSE", {"placeholder": True}),
        (OFFICE, "EXPENSE", {})]:
        b.account(name, kind, **extra)
    for ident, name in [("C001", "Acme Corp"), ("C002", "Globex Ltd")]:
        b.customer(ident, name, None, ADDR[ident])
    for ident, name in [("V001", "Paper Supply Co"), ("V002", "Cloud Hosting Inc")]:
        b.vendor(ident, name, None, ADDR[ident])
    b.txn(day(2026, 1, 1), "Opening balance", [(S_CHK, "5000.00"), (OPENING, "-5000.00")],
          number="OB-1")
    b.txn(day(2026, 1, 8), "Stationery", [(OFFICE, "42.50"), (S_CHK, "-42.50")],
          number="CHK-0001")
    b.document("INV-0001", b.customers["C001"], day(2026, 1, 10), [
        {"desc": "Widgets", "qty": "10", "price": "25.00", "account": SALES}])
    b.post("INV-0001", S_AR, day(2026, 1, 10))
    b.document("BILL-0001", b.vendors["V001"], day(2026, 1, 15), [
        {"desc": "Printer paper", "qty": "4", "price": "30.00", "account": OFFICE}])
    b.post("BILL-0001", S_AP, day(2026, 1, 15))
    b.pay_document("INV-0001", S_CHK, "250.00", day(2026, 2, 1), "Acme pays INV-0001",
                   "DEP-0001")
    b.document("INV-0002", b.customers["C002"], day(2026, 2, 10), [
        {"desc": "Consulting", "qty": "3", "price": "120.00", "account": SALES}])
    b.post("INV-0002", S_AR, day(2026, 2, 10))
    b.txn(day(2026, 2, 28), "Bank fee", [(OFFICE, "5.00"), (S_CHK, "-5.00")],
          number="FEE-02")
    return b


PROFILES = {"full": build_full, "small": build_small}

BULK_REGISTERS = 100
BULK_CATEGORIES = 100  # the first 40 are income, the rest expenses
BULK_INCOME = 40


def add_bulk_accounts(b):
    """Accounts that carry the --transactions N load. GnuCash 4.13 checks for
    duplicates with a linear g_list_find on every split it adds to an account
    (gnc_account_insert_split), so one account with 100,000 splits costs
    O(n^2) both when writing and when loading the book, and each step of that
    walk is a cache miss. Spreading the load over 200 accounts keeps each list
    at ~1,000 splits for 100,000 transactions."""
    regs, cats = [], []
    b.account("Assets:Bulk Registers", "ASSET", placeholder=True)
    for i in range(1, BULK_REGISTERS + 1):
        regs.append(b.account(f"Assets:Bulk Registers:Register {i:03d}", "BANK"))
    b.account("Income:Bulk Income", "INCOME", placeholder=True)
    b.account("Expenses:Bulk Expenses", "EXPENSE", placeholder=True)
    for i in range(1, BULK_CATEGORIES + 1):
        if i <= BULK_INCOME:
            cats.append((b.account(f"Income:Bulk Income:Category {i:03d}", "INCOME"), True))
        else:
            cats.append((b.account(f"Expenses:Bulk Expenses:Category {i:03d}", "EXPENSE"),
                         False))
    return regs, cats


def add_bulk(b, count, seed):
    """COUNT extra 2-split USD transactions spread over 2026 (register <->
    income/expense category), deterministic for a seed. Uses the raw SWIG
    functions (no wrapper objects) and keeps the accounts open for edit so
    GnuCash sorts splits and recomputes balances once, at the end."""
    if count <= 0:
        return
    regs, cats = add_bulk_accounts(b)
    rng = random.Random(seed)
    book = b.book.instance
    usd = b.usd.instance
    reg_inst = [r.instance for r in regs]
    cat_inst = [(c.instance, is_income, c.GetName()) for c, is_income in cats]
    for acc in reg_inst + [c[0] for c in cat_inst]:
        C.xaccAccountBeginEdit(acc)
    start = datetime.date(2026, 1, 1)
    for i in range(count):
        reg = reg_inst[rng.randrange(len(reg_inst))]
        cat, is_income, cat_name = cat_inst[rng.randrange(len(cat_inst))]
        cents = rng.randrange(100, 100000)
        d = start + datetime.timedelta(days=(i * 365) // count)
        pos = C.gnc_numeric_create(cents, 100)
        neg = C.gnc_numeric_create(-cents, 100)
        t = C.xaccMallocTransaction(book)
        C.xaccTransBeginEdit(t)
        C.xaccTransSetCurrency(t, usd)
        C.xaccTransSetDate(t, d.day, d.month, d.year)
        C.xaccTransSetNum(t, f"B{i + 1:06d}")
        C.xaccTransSetDescription(t, f"Bulk {cat_name} {i + 1}")
        # Income: money into the register; expense: money out of it.
        for acc, v in ((reg, pos if is_income else neg), (cat, neg if is_income else pos)):
            s = C.xaccMallocSplit(book)
            C.xaccSplitSetParent(s, t)
            C.xaccSplitSetAccount(s, acc)
            C.xaccSplitSetValue(s, v)
            C.xaccSplitSetAmount(s, v)
        C.xaccTransCommitEdit(t)
    for acc in reg_inst + [c[0] for c in cat_inst]:
        C.xaccAccountCommitEdit(acc)
