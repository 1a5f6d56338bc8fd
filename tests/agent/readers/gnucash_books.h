#pragma once

// The books of the GnuCash integration tests, generated once per test binary with GnuCash itself:
// the `full` profile as SQLite, converted by GnuCash to gzip XML and plain XML (same GUIDs), and
// GnuCash's own figures for it.

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "book_fixture.h"

namespace bookbridge::readers::testing {

struct GeneratedBooks {
  ScratchDir dir;
  std::filesystem::path sqlite;
  std::filesystem::path xml_gzip;
  std::filesystem::path xml_plain;
  std::filesystem::path bulk_sqlite;  ///< `small` + 2,500 transactions (progress, cancel)
  std::filesystem::path bulk_xml;
  nlohmann::json expected;
  std::string skip_reason;  ///< non-empty when GnuCash is not installed
};

/// Generated on first use; the same instance for the whole test binary. Under ctest the
/// agent_readers_gnucash_books fixture makes them once for all test processes
/// (BOOKBRIDGE_TEST_BOOKS names its folder).
const GeneratedBooks& generated_books();

#define BOOKBRIDGE_REQUIRE_BOOKS(books)                                  \
  const auto& books = ::bookbridge::readers::testing::generated_books(); \
  if (!books.skip_reason.empty()) {                                      \
    GTEST_SKIP() << books.skip_reason;                                   \
  }

}  // namespace bookbridge::readers::testing
