// How the GnuCash reader treats its source: read-only (bytes and mtime unchanged, no side files),
// GnuCash's locks neither taken nor blocking, a writer mid-transaction, an exclusive lock,
// truncated and missing books, cancellation.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>

#include "gnucash_books.h"
#include "readers/gnucash/sqlite_snapshot.h"

namespace bookbridge::readers::testing {
namespace {

using model::DataType;

std::string file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::set<std::string> listing(const std::filesystem::path& dir) {
  std::set<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    names.insert(entry.path().filename().string());
  }
  return names;
}

void sql(const std::filesystem::path& db_path, const char* statement) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_path.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  EXPECT_EQ(sqlite3_exec(db, statement, nullptr, nullptr, &error), SQLITE_OK)
      << (error ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
}

TEST(GnuCashSource, ReadingChangesNothing) {
  BOOKBRIDGE_REQUIRE_BOOKS(books);
  ScratchDir dir;
  for (const auto& source : {books.sqlite, books.xml_gzip}) {
    const auto book = dir.path() / source.filename();
    std::filesystem::copy_file(source, book);
    std::filesystem::last_write_time(
        book, std::filesystem::file_time_type::clock::now() - std::chrono::hours(1));
    const auto bytes = file_bytes(book);
    const auto mtime = std::filesystem::last_write_time(book);
    const auto files = listing(dir.path());
    for (const auto type : {DataType::journal_entries, DataType::invoices, DataType::company}) {
      ASSERT_TRUE(read_type(book, type).has_value());
    }
    EXPECT_EQ(file_bytes(book), bytes) << book;
    EXPECT_EQ(std::filesystem::last_write_time(book), mtime) << book;
    EXPECT_EQ(listing(dir.path()), files) << "the reader left files next to the book";
  }
}

TEST(GnuCashSource, ReadsWhileGnuCashHoldsItsLock) {
  BOOKBRIDGE_REQUIRE_BOOKS(books);
  ScratchDir dir;
  const auto sqlite = dir.path() / "locked.gnucash";
  std::filesystem::copy_file(books.sqlite, sqlite);
  sql(sqlite, "INSERT INTO gnclock(hostname, pid) VALUES ('accounting-pc', 4242)");
  const auto xml = dir.path() / "locked-xml.gnucash";
  std::filesystem::copy_file(books.xml_gzip, xml);
  std::ofstream(xml.string() + ".LCK") << "locked by GnuCash";
  for (const auto& book : {sqlite, xml}) {
    const auto accounts = read_type(book, DataType::chart_of_accounts);
    ASSERT_TRUE(accounts.has_value()) << accounts.error().message;
    EXPECT_EQ(accounts->size(), books.expected["accounts"].size());
  }
  // The lock is GnuCash's: still there, untouched.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(sqlite.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "SELECT count(*) FROM gnclock WHERE pid = 4242", -1, &stmt, nullptr);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(stmt, 0), 1);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  EXPECT_TRUE(std::filesystem::exists(xml.string() + ".LCK"));
}

TEST(GnuCashSource, SeesTheLastCommitWhileAWriteIsInProgress) {
  BOOKBRIDGE_REQUIRE_BOOKS(books);
  ScratchDir dir;
  const auto book = dir.path() / "busy.gnucash";
  std::filesystem::copy_file(books.sqlite, book);
  sqlite3* writer = nullptr;
  ASSERT_EQ(sqlite3_open(book.c_str(), &writer), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(writer, "BEGIN IMMEDIATE; UPDATE customers SET name = 'Uncommitted Name'",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  const auto customers = read_type(book, DataType::customers);
  ASSERT_TRUE(customers.has_value()) << customers.error().message;
  for (const auto& customer : *customers) {
    EXPECT_NE(customer["customerName"], "Uncommitted Name");
  }
  // An exclusive lock (a commit being written) that outlasts the deadline: source_locked.
  ASSERT_EQ(sqlite3_exec(writer, "COMMIT; BEGIN EXCLUSIVE; UPDATE customers SET notes = 'x'",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  ScratchDir work;
  auto staging = gnucash::Db::open((work.path() / "s.sqlite").string(),
                                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  ASSERT_TRUE(staging.has_value());
  CountingContext context;
  const auto copied =
      gnucash::copy_sqlite_book(book, *staging, context, {std::chrono::milliseconds(300)});
  ASSERT_FALSE(copied.has_value());
  EXPECT_EQ(copied.error().code, ReadErrc::source_locked) << copied.error().message;
  EXPECT_NE(copied.error().message.find("busy.gnucash"), std::string::npos);
  sqlite3_exec(writer, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(writer);
}

TEST(GnuCashSource, TruncatedAndMissingBooksAreFetchErrorsNamingTheFile) {
  BOOKBRIDGE_REQUIRE_BOOKS(books);
  ScratchDir dir;
  for (const auto& source : {books.sqlite, books.xml_gzip, books.xml_plain}) {
    const auto book = dir.path() / ("cut-" + source.filename().string());
    const auto bytes = file_bytes(source);
    std::ofstream(book, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
    const auto result = fetch_only(book);
    ASSERT_FALSE(result.has_value()) << book;
    EXPECT_EQ(result.error().code, ReadErrc::source_corrupt) << result.error().message;
    EXPECT_NE(result.error().message.find(book.filename().string()), std::string::npos)
        << result.error().message;
  }
  const auto missing = fetch_only(dir.path() / "gone.gnucash");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ReadErrc::source_unavailable);
  EXPECT_NE(missing.error().message.find("gone.gnucash"), std::string::npos);
}

TEST(GnuCashSource, MappingReportsProgressAndStopsWhenCancelled) {
  BOOKBRIDGE_REQUIRE_BOOKS(books);
  const auto& book = books.bulk_sqlite;
  ScratchDir work;
  gnucash::GnuCashReader reader({book});
  CountingContext fetch_context;
  auto snapshot = reader.fetch(work.path(), fetch_context);
  ASSERT_TRUE(snapshot.has_value()) << snapshot.error().message;
  EXPECT_GT(fetch_context.progress_calls, 0);

  VectorSink all;
  CountingContext context;
  ASSERT_TRUE(reader.map(**snapshot, DataType::journal_entries, all, context).has_value());
  ASSERT_GT(all.records.size(), 2500u);
  ASSERT_TRUE(context.last.total.has_value());
  EXPECT_EQ(*context.last.total, all.records.size());

  VectorSink partial;
  CountingContext cancelling;
  cancelling.cancel_after_progress = true;
  const auto result = reader.map(**snapshot, DataType::journal_entries, partial, cancelling);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ReadErrc::cancelled);
  EXPECT_EQ(partial.records.size(), 1000u);  // stopped at the first poll
}

TEST(GnuCashSource, XmlFetchStopsWhenCancelled) {
  BOOKBRIDGE_REQUIRE_BOOKS(books);
  const auto& book = books.bulk_xml;
  ScratchDir work;
  gnucash::GnuCashReader reader({book});
  CountingContext cancelling;
  cancelling.cancel_after_progress = true;
  const auto result = reader.fetch(work.path(), cancelling);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ReadErrc::cancelled);
}

}  // namespace
}  // namespace bookbridge::readers::testing
