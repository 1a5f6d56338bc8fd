"""Shared plumbing for the GnuCash test tools (make_book.py, expected_figures.py).

Everything here is about *running GnuCash's own engine* through the Debian
python3-gnucash bindings (GnuCash 4.13) and working around what those
bindings do not wrap (see README.md, "Pitfalls").
"""

import ctypes
import datetime
import json
import os
import sys
import time
from fractions import Fraction

# GnuCash turns dates into instants with the process time zone; pin it before
# the engine is loaded so dates (and date_opened/payment instants) are stable.
os.environ["TZ"] = "UTC"
time.tzset()

GNC_LIB_DIR = "/usr/lib/x86_64-linux-gnu/gnucash"
ISO_DATES_FEATURE = b"ISO-8601 formatted date strings in SQLite3 databases."

# Exit codes shared by the tools (77 = "skip" for CTest's SKIP_RETURN_CODE).
EXIT_FAIL = 1
EXIT_USAGE = 2
EXIT_NO_GNUCASH = 77


class ToolError(Exception):
    """A failure with a message that tells the user what to do."""


def die(message, code=EXIT_FAIL):
    print(f"error: {message}", file=sys.stderr)
    sys.exit(code)


def import_gnucash():
    """Imports the bindings or exits 77 with a message naming the fix."""
    try:
        import gnucash  # noqa: F401
        return gnucash
    except ImportError as exc:
        hint = ""
        if not sys.executable.startswith("/usr/bin/"):
            hint = (f" You are running {sys.executable}; the Debian bindings only"
                    " exist for the system interpreter: use /usr/bin/python3.")
        die(f"cannot import the GnuCash Python bindings ({exc}). Install them with"
            " 'apt-get install gnucash python3-gnucash libdbd-sqlite3' (the"
            " python3-gnucash package alone lacks the engine libraries)." + hint,
            EXIT_NO_GNUCASH)


class GList(ctypes.Structure):
    pass


GList._fields_ = [("data", ctypes.c_void_p), ("next", ctypes.POINTER(GList)),
                  ("prev", ctypes.POINTER(GList))]


class CNumeric(ctypes.Structure):
    _fields_ = [("num", ctypes.c_int64), ("denom", ctypes.c_int64)]


class Engine:
    """ctypes handles on engine functions the 4.13 bindings do not expose."""

    def __init__(self):
        try:
            self.eng = ctypes.CDLL(os.path.join(GNC_LIB_DIR, "libgnc-engine.so"))
            self.core = ctypes.CDLL(os.path.join(GNC_LIB_DIR, "libgnc-core-utils.so"))
        except OSError as exc:
            die(f"cannot load the GnuCash engine libraries from {GNC_LIB_DIR} ({exc});"
                " install the 'gnucash' package", EXIT_NO_GNUCASH)
        e = self.eng
        e.xaccLogDisable.argtypes = []
        e.gnc_features_set_used.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
        e.qof_book_set_string_option.argtypes = [ctypes.c_void_p, ctypes.c_char_p,
                                                 ctypes.c_char_p]
        e.qof_book_get_string_option.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
        e.qof_book_get_string_option.restype = ctypes.c_char_p
        e.qof_book_mark_session_dirty.argtypes = [ctypes.c_void_p]
        e.qof_event_suspend.argtypes = []
        e.qof_event_resume.argtypes = []
        e.qof_instance_get_guid.argtypes = [ctypes.c_void_p]
        e.qof_instance_get_guid.restype = ctypes.c_void_p
        e.guid_to_string_buff.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
        e.guid_to_string_buff.restype = ctypes.c_char_p
        e.gncTaxTableGetEntries.argtypes = [ctypes.c_void_p]
        e.gncTaxTableGetEntries.restype = ctypes.POINTER(GList)
        e.gncTaxTableEntryGetAccount.argtypes = [ctypes.c_void_p]
        e.gncTaxTableEntryGetAccount.restype = ctypes.c_void_p
        e.gncTaxTableEntryGetType.argtypes = [ctypes.c_void_p]
        e.gncTaxTableEntryGetType.restype = ctypes.c_int
        e.gncTaxTableEntryGetAmount.argtypes = [ctypes.c_void_p]
        e.gncTaxTableEntryGetAmount.restype = CNumeric
        e.gncTaxTableGetInvisible.argtypes = [ctypes.c_void_p]
        e.gncTaxTableGetInvisible.restype = ctypes.c_int
        self.core.gnc_prefs_set_file_save_compressed.argtypes = [ctypes.c_int]
        # No .log journal files next to the books we write or read.
        e.xaccLogDisable()

    @staticmethod
    def ptr(obj):
        """Raw C pointer of a bindings object (or of a SWIG proxy)."""
        inst = getattr(obj, "instance", obj)
        return ctypes.c_void_p(int(inst))

    def instance_guid(self, obj):
        """GUID string of any QofInstance (e.g. a GNCLot, which the bindings
        give no GetGUID)."""
        buf = ctypes.create_string_buffer(33)
        self.eng.guid_to_string_buff(self.eng.qof_instance_get_guid(self.ptr(obj)), buf)
        return buf.value.decode()

    def tax_table_entries(self, table):
        """[(account GUID, amount type (1 value, 2 percent), Fraction)]; the
        bindings return these GList items as untyped pointers."""
        out = []
        node = self.eng.gncTaxTableGetEntries(self.ptr(table))
        while node:
            entry = node.contents.data
            acc = self.eng.gncTaxTableEntryGetAccount(entry)
            amount = self.eng.gncTaxTableEntryGetAmount(entry)
            out.append((self.instance_guid(acc) if acc else None,
                        self.eng.gncTaxTableEntryGetType(entry),
                        Fraction(amount.num, amount.denom)))
            node = node.contents.next
        return out

    def tax_table_invisible(self, table):
        return bool(self.eng.gncTaxTableGetInvisible(self.ptr(table)))

    def set_option(self, book, path, value):
        self.eng.qof_book_set_string_option(self.ptr(book), path.encode(),
                                            value.encode())

    def get_option(self, book, path):
        raw = self.eng.qof_book_get_string_option(self.ptr(book), path.encode())
        return raw.decode() if raw is not None else None

    def set_iso_dates_feature(self, book):
        # Without this flag GnuCash rewrites every date of a SQLite book the
        # first time it loads it, even read-only (readers.md 1.9).
        self.eng.gnc_features_set_used(self.ptr(book), ISO_DATES_FEATURE)

    def set_xml_compression(self, compressed):
        self.core.gnc_prefs_set_file_save_compressed(1 if compressed else 0)

    def suspend_events(self):
        self.eng.qof_event_suspend()

    def resume_events(self):
        self.eng.qof_event_resume()

    def mark_dirty(self, book):
        self.eng.qof_book_mark_session_dirty(self.ptr(book))


def sniff_format(path):
    """Returns 'sqlite', 'xml' (gzip) or 'xml-plain' from the first bytes."""
    with open(path, "rb") as f:
        head = f.read(512)
    if head.startswith(b"SQLite format 3\0"):
        return "sqlite"
    if head.startswith(b"\x1f\x8b"):
        return "xml"
    if head.lstrip().startswith(b"<?xml") or b"<gnc-v2" in head:
        return "xml-plain"
    raise ToolError(f"{path} is not a GnuCash book (neither SQLite, gzip nor XML)")


def book_uri(path, fmt):
    scheme = "sqlite3" if fmt == "sqlite" else "xml"
    return f"{scheme}://{os.path.abspath(path)}"


def remove_side_files(path):
    """Deletes GnuCash's .log / .LCK / .LNK / timestamped backups of PATH."""
    d = os.path.dirname(os.path.abspath(path)) or "."
    base = os.path.basename(path)
    for name in os.listdir(d):
        if name == base or not name.startswith(base + "."):
            continue
        rest = name[len(base) + 1:]
        if rest in ("LCK", "LNK") or rest.endswith(".log") or rest.endswith(".gnucash"):
            try:
                os.remove(os.path.join(d, name))
            except OSError:
                pass


def dec(numeric_or_fraction, min_places=2):
    """Exact decimal string of a GncNumeric (num/denom) or Fraction, never via float.

    Uses as many fraction digits as needed, at least MIN_PLACES. A value whose
    denominator has a prime factor other than 2 and 5 has no finite decimal
    form; it is returned as "num/denom" (never seen for stored amounts)."""
    fr = frac(numeric_or_fraction)
    d = fr.denominator
    twos = fives = 0
    while d % 2 == 0:
        d //= 2
        twos += 1
    while d % 5 == 0:
        d //= 5
        fives += 1
    if d != 1:
        return f"{fr.numerator}/{fr.denominator}"
    places = max(twos, fives, min_places)
    scaled = fr * (10 ** places)
    assert scaled.denominator == 1
    n = scaled.numerator
    sign = "-" if n < 0 else ""
    digits = str(abs(n)).rjust(places + 1, "0")
    return f"{sign}{digits[:-places]}.{digits[-places:]}" if places else f"{sign}{digits}"


def frac(numeric):
    """Fraction of a GncNumeric wrapper, a raw SWIG gnc_numeric or a Fraction."""
    if isinstance(numeric, Fraction):
        return numeric
    n, d = numeric.num, numeric.denom
    n = n() if callable(n) else n
    d = d() if callable(d) else d
    if d == 0:
        raise ToolError("GncNumeric with denominator 0 (an error value)")
    return Fraction(n, d)


def iso_date(value):
    """Date part (UTC, the pinned zone) of a datetime/date returned by the bindings."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return datetime.datetime.fromtimestamp(value, datetime.timezone.utc).date().isoformat()
    return str(value)


def print_json_line(obj):
    sys.stdout.write(json.dumps(obj, sort_keys=False) + "\n")
    sys.stdout.flush()
