// GnuCash reader pieces that need no GnuCash installation: format sniffing and the errors for
// missing, empty, corrupt and truncated files; GnuCash's line arithmetic; timestamps.

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <zlib.h>

#include <fstream>

#include "book_fixture.h"
#include "readers/gnucash/book_format.h"
#include "readers/gnucash/entry_math.h"
#include "readers/gnucash/gnc_time.h"

namespace bookbridge::readers::gnucash {
namespace {

using model::Decimal;
using testing::ScratchDir;

Decimal d(std::string_view text) {
  return Decimal::parse(text).value();
}

void write_file(const std::filesystem::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

void write_gzip(const std::filesystem::path& path, std::string_view text, std::size_t keep) {
  const auto gz = path.string() + ".full";
  gzFile file = gzopen(gz.c_str(), "wb");
  gzwrite(file, text.data(), static_cast<unsigned>(text.size()));
  gzclose(file);
  std::ifstream in(gz, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  write_file(path, bytes.substr(0, std::min(keep, bytes.size())));
}

constexpr std::string_view kTinyBook = R"(<?xml version="1.0" encoding="utf-8" ?>
<gnc-v2 xmlns:gnc="http://www.gnucash.org/XML/gnc" xmlns:act="http://www.gnucash.org/XML/act"
  xmlns:book="http://www.gnucash.org/XML/book" xmlns:cmdty="http://www.gnucash.org/XML/cmdty">
<gnc:book version="2.0.0">
<book:id type="guid">0123456789abcdef0123456789abcdef</book:id>
<gnc:account version="2.0.0">
  <act:name>Root Account</act:name>
  <act:id type="guid">aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</act:id>
  <act:type>ROOT</act:type>
</gnc:account>
<gnc:account version="2.0.0">
  <act:name>Cash &amp; Bank</act:name>
  <act:id type="guid">bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb</act:id>
  <act:type>BANK</act:type>
  <act:commodity><cmdty:space>CURRENCY</cmdty:space><cmdty:id>JPY</cmdty:id></act:commodity>
  <act:parent type="guid">aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</act:parent>
</gnc:account>
</gnc:book>
</gnc-v2>
)";

TEST(BookFormat, DetectsByContentNotExtension) {
  ScratchDir dir;
  write_file(dir.path() / "book.txt", kTinyBook);
  EXPECT_EQ(detect_format(dir.path() / "book.txt").value(), BookFormat::xml_plain);
  write_gzip(dir.path() / "book.sqlite", kTinyBook, 1u << 20);
  EXPECT_EQ(detect_format(dir.path() / "book.sqlite").value(), BookFormat::xml_gzip);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir.path() / "book.xml").c_str(), &db), SQLITE_OK);
  sqlite3_exec(db, "CREATE TABLE t(x)", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  EXPECT_EQ(detect_format(dir.path() / "book.xml").value(), BookFormat::sqlite);
}

TEST(BookFormat, MissingEmptyAndForeignFilesAreNamedErrors) {
  ScratchDir dir;
  const auto missing = detect_format(dir.path() / "nope.gnucash");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ReadErrc::source_unavailable);
  EXPECT_NE(missing.error().message.find("nope.gnucash"), std::string::npos);
  EXPECT_EQ(detect_format(dir.path()).error().code, ReadErrc::source_unavailable);

  write_file(dir.path() / "empty.gnucash", "");
  const auto empty = detect_format(dir.path() / "empty.gnucash");
  EXPECT_EQ(empty.error().code, ReadErrc::source_corrupt);
  EXPECT_NE(empty.error().message.find("empty.gnucash"), std::string::npos);
  EXPECT_NE(empty.error().message.find("empty"), std::string::npos);

  write_file(dir.path() / "pdf.gnucash", "%PDF-1.7 not a book");
  EXPECT_EQ(detect_format(dir.path() / "pdf.gnucash").error().code, ReadErrc::source_corrupt);
}

TEST(GnuCashReader, ReadsAHandWrittenXmlBookInBothCompressions) {
  ScratchDir dir;
  write_file(dir.path() / "plain.gnucash", kTinyBook);
  write_gzip(dir.path() / "gz.gnucash", kTinyBook, 1u << 20);
  for (const char* name : {"plain.gnucash", "gz.gnucash"}) {
    const auto accounts = testing::read_type(dir.path() / name, model::DataType::chart_of_accounts);
    ASSERT_TRUE(accounts.has_value()) << accounts.error().message;
    ASSERT_EQ(accounts->size(), 1u);
    EXPECT_EQ((*accounts)[0]["name"], "Cash & Bank");
    EXPECT_EQ((*accounts)[0]["currency"], "JPY");
    EXPECT_EQ((*accounts)[0]["isBankAccount"], true);
  }
}

TEST(GnuCashReader, TruncatedXmlIsCorruptWithFileAndLine) {
  ScratchDir dir;
  write_file(dir.path() / "cut.gnucash", kTinyBook.substr(0, kTinyBook.size() / 2));
  const auto cut = testing::fetch_only(dir.path() / "cut.gnucash");
  ASSERT_FALSE(cut.has_value());
  EXPECT_EQ(cut.error().code, ReadErrc::source_corrupt);
  EXPECT_NE(cut.error().message.find("cut.gnucash"), std::string::npos) << cut.error().message;
  EXPECT_NE(cut.error().message.find("line"), std::string::npos) << cut.error().message;

  write_file(dir.path() / "bad.gnucash", "<?xml version=\"1.0\"?><gnc-v2><a></b></gnc-v2>");
  EXPECT_EQ(testing::fetch_only(dir.path() / "bad.gnucash").error().code, ReadErrc::source_corrupt);
}

TEST(GnuCashReader, TruncatedGzipIsCorrupt) {
  ScratchDir dir;
  std::string big(kTinyBook);
  for (int i = 0; i < 200; ++i) {
    big.insert(big.find("</gnc:book>"), "<!-- padding " + std::to_string(i) + " -->\n");
  }
  write_gzip(dir.path() / "cut.gnucash", big, 300);
  const auto cut = testing::fetch_only(dir.path() / "cut.gnucash");
  ASSERT_FALSE(cut.has_value());
  EXPECT_EQ(cut.error().code, ReadErrc::source_corrupt) << cut.error().message;
  EXPECT_NE(cut.error().message.find("cut.gnucash"), std::string::npos) << cut.error().message;
}

TEST(GnuCashReader, SqliteThatIsNotABookIsCorrupt) {
  ScratchDir dir;
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir.path() / "other.gnucash").c_str(), &db), SQLITE_OK);
  sqlite3_exec(db, "CREATE TABLE notes(x); INSERT INTO notes VALUES (1)", nullptr, nullptr,
               nullptr);
  sqlite3_close(db);
  const auto result = testing::fetch_only(dir.path() / "other.gnucash");
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ReadErrc::source_corrupt);
  EXPECT_NE(result.error().message.find("not a GnuCash book"), std::string::npos);
}

TEST(GnuCashReader, ItemsAreNotSupported) {
  ScratchDir dir;
  write_file(dir.path() / "plain.gnucash", kTinyBook);
  const auto items = testing::read_type(dir.path() / "plain.gnucash", model::DataType::items);
  ASSERT_FALSE(items.has_value());
  EXPECT_EQ(items.error().code, ReadErrc::not_supported);
}

TEST(EntryMath, FollowsGnuCashDiscountAndTaxOrder) {
  EntryInput input;
  input.quantity = d("1");
  input.price = d("100");
  input.discount = d("5");
  input.taxable = true;
  input.taxes = {{true, d("10")}};
  input.discount_how = "PRETAX";
  auto pretax = compute_entry(input);
  EXPECT_EQ(pretax.value, d("95"));
  EXPECT_EQ(pretax.tax, d("9.50"));
  input.discount_how = "SAMETIME";
  auto sametime = compute_entry(input);
  EXPECT_EQ(sametime.value, d("95"));
  EXPECT_EQ(sametime.tax, d("10"));
  input.discount_how = "POSTTAX";
  auto posttax = compute_entry(input);
  EXPECT_EQ(posttax.discount, d("5.50"));
  EXPECT_EQ(posttax.value, d("94.50"));
  EXPECT_EQ(posttax.tax, d("10"));
}

TEST(EntryMath, BacksOutIncludedTaxAndRoundsHalfUpPerLine) {
  EntryInput input;
  input.quantity = d("1");
  input.price = d("10.00");
  input.taxable = true;
  input.taxes = {{true, d("8.25")}};
  EXPECT_EQ(compute_entry(input).tax, d("0.83"));  // 0.825 rounds up
  input.tax_included = true;
  input.price = d("110");
  input.taxes = {{true, d("10")}};
  const auto included = compute_entry(input);
  EXPECT_EQ(included.value, d("100"));
  EXPECT_EQ(included.tax, d("10"));
  input.tax_included = false;
  input.taxable = false;
  input.discount = d("3");
  input.discount_percent = false;
  EXPECT_EQ(compute_entry(input).value, d("107"));
  EXPECT_EQ(compute_entry(input).tax, d("0"));
}

TEST(GncTime, ParsesAllThreeStorageForms) {
  const auto sql = parse_timestamp("2024-01-10 10:59:00");
  ASSERT_TRUE(sql);
  EXPECT_EQ(to_sql_text(*sql), "2024-01-10 10:59:00");
  const auto old = parse_timestamp("20240110105900");
  ASSERT_TRUE(old);
  EXPECT_EQ(to_sql_text(*old), "2024-01-10 10:59:00");
  const auto xml = parse_timestamp("2024-01-01 01:00:00 +0200");
  ASSERT_TRUE(xml);
  EXPECT_EQ(to_sql_text(*xml), "2023-12-31 23:00:00");
  EXPECT_FALSE(parse_timestamp("2024-13-01 00:00:00"));
  EXPECT_FALSE(parse_timestamp("yesterday"));
  EXPECT_EQ(date_field("2024-01-10 10:59:00"), "2024-01-10T00:00:00Z");
  EXPECT_EQ(instant_field("2026-11-28 12:06:33"), "2026-11-28T12:06:33Z");
  EXPECT_EQ(date_field(""), "");
}

}  // namespace
}  // namespace bookbridge::readers::gnucash
