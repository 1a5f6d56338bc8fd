#!/usr/bin/python3
"""Creates a real GnuCash book with GnuCash's own engine (python3-gnucash 4.13).

  /usr/bin/python3 make_book.py --out PATH --format sqlite|xml|xml-plain
      [--profile full|small] [--transactions N] [--seed S]
  /usr/bin/python3 make_book.py --out PATH --format F --from-book OTHER
  /usr/bin/python3 make_book.py --self-check

Prints one JSON line {"book", "format", "seconds", ...} on success; exits
non-zero with "error: ..." on stderr otherwise (77 = GnuCash not installed).
See README.md next to this file.
"""

import argparse
import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gnc_common as gc  # noqa: E402  (pins TZ=UTC before GnuCash loads)

FORMATS = ("sqlite", "xml", "xml-plain")


def parse_args(argv):
    p = argparse.ArgumentParser(description="Generate a GnuCash book with GnuCash itself.")
    p.add_argument("--out", help="path of the book to write (replaced if it exists)")
    p.add_argument("--format", choices=FORMATS, help="storage: sqlite, xml (gzip), xml-plain")
    p.add_argument("--profile", choices=("full", "small"), default="full")
    p.add_argument("--transactions", type=int, default=0, metavar="N",
                   help="add N extra 2-split transactions spread over 2026")
    p.add_argument("--seed", type=int, default=1, help="seed of the extra transactions")
    p.add_argument("--from-book", metavar="OTHER",
                   help="convert OTHER (any format) instead of generating; GUIDs are kept")
    p.add_argument("--self-check", action="store_true",
                   help="generate every profile/format, verify, print 'N passed, N failed'")
    args = p.parse_args(argv)
    if args.self_check:
        return args
    if not args.out or not args.format:
        p.error("--out and --format are required")
    if args.transactions < 0:
        p.error("--transactions must be >= 0")
    if args.from_book and (args.transactions or args.profile != "full"):
        p.error("--from-book copies a book as it is; it takes no --profile/--transactions")
    return args


def prepare_target(out):
    out = os.path.abspath(out)
    parent = os.path.dirname(out)
    if not os.path.isdir(parent):
        raise gc.ToolError(f"output folder {parent} does not exist")
    if os.path.isdir(out):
        raise gc.ToolError(f"{out} is a folder")
    # GnuCash backs up an existing XML target with a second-resolution name
    # and fails (ERR_FILEIO_BACKUP_ERROR) on a second save within one second.
    if os.path.exists(out):
        os.remove(out)
    gc.remove_side_files(out)
    return out


def new_session(gnucash, out, fmt):
    """Session() + begin(NEW_OVERWRITE) without load(): the only way that
    works for new SQLite books in 4.13 (readers.md 1.8 pitfall 3)."""
    session = gnucash.Session()
    session.begin(gc.book_uri(out, fmt), gnucash.SessionOpenMode.SESSION_NEW_OVERWRITE)
    return session


def finish(engine, session, out, fmt):
    if fmt == "sqlite":
        engine.set_iso_dates_feature(session.book)
    engine.set_xml_compression(fmt == "xml")
    session.save()
    # end() releases the lock; no destroy(): tearing the book down removes
    # every split from its account list (a linear search each) and the
    # process is about to exit anyway.
    session.end()
    gc.remove_side_files(out)


def generate(gnucash, engine, args, out):
    import book_content
    session = new_session(gnucash, out, args.format)
    try:
        builder = book_content.BookBuilder(session.book, engine)
        t0 = time.monotonic()
        book_content.PROFILES[args.profile](builder)
        if args.transactions:
            book_content.add_bulk(builder, args.transactions, args.seed)
        build_seconds = time.monotonic() - t0
        t1 = time.monotonic()
        finish(engine, session, out, args.format)
        return {"buildSeconds": round(build_seconds, 3),
                "saveSeconds": round(time.monotonic() - t1, 3)}
    except BaseException:
        try:
            session.end()
        except Exception:
            pass
        raise


def convert(gnucash, engine, args, out):
    """GnuCash's own "Save As": load OTHER, swap its data into a new session
    on the target URI, mark it dirty, save (as gnc_file_do_save_as does)."""
    src = os.path.abspath(args.from_book)
    if not os.path.isfile(src):
        raise gc.ToolError(f"--from-book {src} does not exist")
    if src == out:
        raise gc.ToolError("--from-book and --out are the same file")
    src_fmt = gc.sniff_format(src)
    with tempfile.TemporaryDirectory(prefix="bookbridge-gnc-") as tmp:
        # Work on a copy: GnuCash may write to a SQLite book while loading it
        # (readers.md 1.9) and leaves lock/log files next to it.
        copy = os.path.join(tmp, "source.gnucash")
        shutil.copyfile(src, copy)
        old = gnucash.Session(gc.book_uri(copy, src_fmt),
                              gnucash.SessionOpenMode.SESSION_READ_ONLY)
        try:
            gnucash.gnucash_core_c.qof_session_ensure_all_data_loaded(old.instance)
            new = new_session(gnucash, out, args.format)
            engine.suspend_events()
            try:
                new.swap_data(old)
                engine.mark_dirty(new.book)
            finally:
                engine.resume_events()
            finish(engine, new, out, args.format)
        finally:
            old.end()
    return {"from": src, "fromFormat": src_fmt}


def discard(out):
    """No half-written book survives a failure (SQLite creates the file at begin())."""
    if out and os.path.exists(out):
        os.remove(out)
    if out:
        gc.remove_side_files(out)


def main(argv):
    args = parse_args(argv)
    if args.self_check:
        import self_check
        return self_check.run()
    gnucash = gc.import_gnucash()
    engine = gc.Engine()
    t0 = time.monotonic()
    out = None
    try:
        out = prepare_target(args.out)
        if args.from_book:
            extra = convert(gnucash, engine, args, out)
        else:
            extra = generate(gnucash, engine, args, out)
            extra.update({"profile": args.profile, "transactionsAdded": args.transactions,
                          "seed": args.seed})
        if not os.path.isfile(out) or os.path.getsize(out) == 0:
            raise gc.ToolError(f"GnuCash reported success but wrote no {out}")
        got = gc.sniff_format(out)
        if got != args.format:
            raise gc.ToolError(f"GnuCash wrote a {got} book, expected {args.format}")
    except (gnucash.GnuCashBackendException, gc.ToolError, RuntimeError) as exc:
        discard(out)
        if isinstance(exc, gnucash.GnuCashBackendException):
            gc.die(f"GnuCash backend error while writing {args.out}: {exc}"
                   + (" (is libdbd-sqlite3 installed?)" if args.format == "sqlite" else ""))
        gc.die(str(exc))
    except BaseException:
        discard(out)
        raise
    result = {"book": out, "format": args.format,
              "seconds": round(time.monotonic() - t0, 3)}
    result.update(extra)
    gc.print_json_line(result)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
