#include "readers/gnucash/sqlite_snapshot.h"

#include <array>
#include <cstdio>
#include <thread>

namespace bookbridge::readers::gnucash {
namespace {

constexpr int kPagesPerStep = 256;

ReadError classify(int rc, const std::string& book_name, const std::string& detail) {
  switch (rc & 0xff) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_FORMAT:
      return {ReadErrc::source_corrupt, book_name + " is corrupt or truncated: " + detail, ""};
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return {ReadErrc::source_locked,
              book_name + " stayed locked by another program (" + detail +
                  "); it is retried with the next dataset",
              ""};
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_AUTH:
    case SQLITE_IOERR:
      return {ReadErrc::source_unavailable, book_name + " cannot be read: " + detail, ""};
    default:
      return {ReadErrc::internal, book_name + ": " + detail, ""};
  }
}

}  // namespace

std::string sqlite_readonly_uri(const std::filesystem::path& path) {
  const std::string text = std::filesystem::absolute(path).generic_string();
  std::string uri = "file:";
  for (const unsigned char c : text) {
    if (c == '%' || c == '?' || c == '#' || c < 0x20 || c == ' ') {
      std::array<char, 4> escaped{};
      std::snprintf(escaped.data(), escaped.size(), "%%%02X", c);
      uri += escaped.data();
    } else {
      uri += static_cast<char>(c);
    }
  }
  return uri + "?mode=ro";
}

ReadResult<void> copy_sqlite_book(const std::filesystem::path& book, Db& staging,
                                  ReadContext& context, const SqliteCopyOptions& options) {
  const std::string book_name = "GnuCash book " + book.string();
  auto source = Db::open(sqlite_readonly_uri(book), SQLITE_OPEN_READONLY | SQLITE_OPEN_URI);
  if (!source) {
    return ReadError{ReadErrc::source_unavailable,
                     book_name + " cannot be opened: " + source.error().message, ""};
  }
  sqlite3_backup* backup = sqlite3_backup_init(staging.get(), "main", source->get(), "main");
  if (backup == nullptr) {
    return classify(sqlite3_extended_errcode(staging.get()), book_name, staging.last_error());
  }
  const auto deadline = std::chrono::steady_clock::now() + options.busy_deadline;
  int rc = SQLITE_OK;
  auto wait = std::chrono::milliseconds(10);
  while (true) {
    if (context.cancelled()) {
      sqlite3_backup_finish(backup);
      return ReadError{ReadErrc::cancelled, "cancelled while copying " + book_name, ""};
    }
    rc = sqlite3_backup_step(backup, kPagesPerStep);
    const int total = sqlite3_backup_pagecount(backup);
    context.progress({static_cast<std::uint64_t>(total - sqlite3_backup_remaining(backup)),
                      static_cast<std::uint64_t>(total)});
    if (rc == SQLITE_DONE) {
      break;
    }
    if (rc == SQLITE_OK) {
      continue;
    }
    if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) {
      if (std::chrono::steady_clock::now() >= deadline) {
        break;
      }
      // A writer holds the book; back off briefly (bounded by the deadline).
      std::this_thread::sleep_for(wait);
      wait = std::min(wait * 2, std::chrono::milliseconds(200));
      continue;
    }
    break;
  }
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) {
    const std::string detail = sqlite3_errstr(rc);
    return classify(rc, book_name, detail);
  }
  // A truncated or damaged file can copy "successfully"; a quick check finds it.
  auto check = Stmt::prepare(staging, "PRAGMA quick_check(1)");
  if (!check || !check->step() || check->text(0) != "ok") {
    const std::string detail =
        check ? (check->ok() ? check->text(0) : check->error()) : check.error().message;
    return ReadError{ReadErrc::source_corrupt, book_name + " is corrupt or truncated: " + detail,
                     ""};
  }
  return {};
}

}  // namespace bookbridge::readers::gnucash
