#include "state/state_db.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "support/temp_dir.h"

namespace bookbridge::agent::state {
namespace {

DatasetRow make_row(const std::string& id, const std::string& source = "acme") {
  DatasetRow row;
  row.id = id;
  row.source = source;
  row.data_type = "invoices";
  row.company_id = "c-1";
  row.lease_id = "lease-" + id;
  row.started = utc_now();
  return row;
}

StateDbPtr open_db(const std::filesystem::path& dir) {
  auto db = StateDb::open(dir);
  EXPECT_TRUE(db.has_value()) << (db ? "" : db.error().message());
  return db ? std::move(*db) : nullptr;
}

TEST(StateDbTest, CreatesSchemaAndReopensWithoutMigratingTwice) {
  testing::TempDir dir;
  {
    auto db = open_db(dir.path());
    ASSERT_TRUE(db);
    EXPECT_EQ(db->schema_version(), 1);
    ASSERT_FALSE(db->begin_dataset(make_row("d1")));
  }
  auto db = open_db(dir.path());
  ASSERT_TRUE(db);
  EXPECT_EQ(db->schema_version(), 1);
  auto rows = db->datasets();
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows->front().id, "d1");
}

TEST(StateDbTest, UsesWriteAheadLogging) {
  testing::TempDir dir;
  auto db = open_db(dir.path());
  ASSERT_TRUE(db);
  Connection raw;
  ASSERT_FALSE(raw.open(StateDb::file_in(dir.path()), false));
  Statement s(raw, "PRAGMA journal_mode");
  ASSERT_TRUE(s.step());
  EXPECT_EQ(s.text(0), "wal");
}

TEST(StateDbTest, DatasetRowRoundTripsAndTracksPhases) {
  testing::TempDir dir;
  auto db = open_db(dir.path());
  ASSERT_TRUE(db);
  auto row = make_row("d1");
  row.attempt = 3;
  ASSERT_FALSE(db->begin_dataset(row));
  ASSERT_FALSE(db->set_phase("d1", Phase::mapping));
  ASSERT_FALSE(db->set_hub_status("d1", "Mapping", 40));
  auto got = db->dataset("d1");
  ASSERT_TRUE(got && got->has_value());
  EXPECT_EQ((*got)->lease_id, "lease-d1");
  EXPECT_EQ((*got)->attempt, 3);
  EXPECT_EQ((*got)->phase, Phase::mapping);
  EXPECT_EQ((*got)->hub_status, "Mapping");
  EXPECT_EQ((*got)->progress, 40);
  EXPECT_FALSE(spool_is_final((*got)->phase));

  ASSERT_FALSE(db->set_spool_final("d1", 3, 2500, R"({"errors":[],"warnings":[]})"));
  got = db->dataset("d1");
  ASSERT_TRUE(got && got->has_value());
  EXPECT_EQ((*got)->phase, Phase::uploading);
  EXPECT_TRUE(spool_is_final((*got)->phase));
  EXPECT_EQ((*got)->page_count, 3);
  EXPECT_EQ((*got)->record_count, 2500);
  EXPECT_EQ((*got)->validation, R"({"errors":[],"warnings":[]})");

  auto missing = db->dataset("nope");
  ASSERT_TRUE(missing);
  EXPECT_FALSE(missing->has_value());
}

TEST(StateDbTest, SpoolPagesRoundTripIncludingBinaryBodies) {
  testing::TempDir dir;
  auto db = open_db(dir.path());
  ASSERT_TRUE(db);
  ASSERT_FALSE(db->begin_dataset(make_row("d1")));
  const std::string binary("\0\x01\xff\x28\xb5\x2f\xfd", 7);
  ASSERT_FALSE(db->put_page("d1", SpoolPage{0, 1000, "aa", binary}));
  ASSERT_FALSE(db->put_page("d1", SpoolPage{1, 7, "bb", "x"}));
  auto page = db->page("d1", 0);
  ASSERT_TRUE(page && page->has_value());
  EXPECT_EQ((*page)->records, 1000);
  EXPECT_EQ((*page)->sha256, "aa");
  EXPECT_EQ((*page)->body, binary);
  auto bytes = db->spool_bytes("d1");
  ASSERT_TRUE(bytes);
  EXPECT_EQ(*bytes, 8);
  auto none = db->page("d1", 2);
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());
}

TEST(StateDbTest, FreshClaimOfSameDatasetForgetsOldSpool) {
  testing::TempDir dir;
  auto db = open_db(dir.path());
  ASSERT_TRUE(db);
  ASSERT_FALSE(db->begin_dataset(make_row("d1")));
  ASSERT_FALSE(db->put_page("d1", SpoolPage{0, 1, "aa", "x"}));
  auto again = make_row("d1");
  again.lease_id = "new-lease";
  ASSERT_FALSE(db->begin_dataset(again));
  auto page = db->page("d1", 0);
  ASSERT_TRUE(page);
  EXPECT_FALSE(page->has_value());
  auto row = db->dataset("d1");
  ASSERT_TRUE(row && row->has_value());
  EXPECT_EQ((*row)->lease_id, "new-lease");
}

TEST(StateDbTest, DeleteDatasetRemovesRowAndSpoolButNotOthers) {
  testing::TempDir dir;
  auto db = open_db(dir.path());
  ASSERT_TRUE(db);
  ASSERT_FALSE(db->begin_dataset(make_row("d1")));
  ASSERT_FALSE(db->begin_dataset(make_row("d2", "other")));
  ASSERT_FALSE(db->put_page("d1", SpoolPage{0, 1, "aa", "x"}));
  ASSERT_FALSE(db->put_page("d2", SpoolPage{0, 1, "bb", "y"}));
  ASSERT_FALSE(db->delete_dataset("d1"));
  auto rows = db->datasets();
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows->front().id, "d2");
  EXPECT_FALSE(db->page("d1", 0)->has_value());
  EXPECT_TRUE(db->page("d2", 0)->has_value());
  auto acme = db->datasets("acme");
  ASSERT_TRUE(acme);
  EXPECT_TRUE(acme->empty());
}

TEST(StateDbTest, ResultsKeepTheLastPerSourceAndDataType) {
  testing::TempDir dir;
  auto db = open_db(dir.path());
  ASSERT_TRUE(db);
  ASSERT_FALSE(db->put_result({"acme", "invoices", "d1", "FetchError", "missing", 0, 0, 0.5, ""}));
  ASSERT_FALSE(db->put_result({"acme", "invoices", "d2", "Complete", "", 12, 1, 1.25, ""}));
  ASSERT_FALSE(db->put_result({"acme", "bills", "d3", "Complete", "", 3, 1, 0, ""}));
  auto rows = db->results("acme");
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[1].data_type, "invoices");
  EXPECT_EQ((*rows)[1].dataset_id, "d2");
  EXPECT_EQ((*rows)[1].record_count, 12);
  EXPECT_DOUBLE_EQ((*rows)[1].seconds, 1.25);
}

TEST(StateDbTest, PresenceAndIdentity) {
  testing::TempDir dir;
  auto db = open_db(dir.path());
  ASSERT_TRUE(db);
  ASSERT_FALSE(db->put_presence({"acme", true, "websocket", utc_now(), "", ""}));
  ASSERT_FALSE(db->put_presence({"acme", false, "", "", "hub unreachable", ""}));
  auto rows = db->presence();
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_FALSE(rows->front().online);
  EXPECT_EQ(rows->front().message, "hub unreachable");

  EXPECT_FALSE(db->identity("acme", "link-1")->has_value());
  ASSERT_FALSE(db->put_identity("acme", "link-1", "book-guid"));
  EXPECT_EQ(db->identity("acme", "link-1")->value_or(""), "book-guid");
  EXPECT_FALSE(db->identity("acme", "link-2")->has_value());
}

TEST(StateDbTest, ReadOnlyOpenSeesWritesAndFailsWhenMissing) {
  testing::TempDir dir;
  EXPECT_FALSE(StateDb::open_read_only(dir.path()));
  auto db = open_db(dir.path());
  ASSERT_TRUE(db);
  ASSERT_FALSE(db->begin_dataset(make_row("d1")));
  auto reader = StateDb::open_read_only(dir.path());
  ASSERT_TRUE(reader);
  auto rows = (*reader)->datasets();
  ASSERT_TRUE(rows);
  EXPECT_EQ(rows->size(), 1u);
  EXPECT_TRUE((*reader)->begin_dataset(make_row("d2")));  // read-only: refused
}

TEST(StateDbTest, PhaseNamesRoundTrip) {
  for (auto phase : {Phase::claimed, Phase::fetching, Phase::mapping, Phase::validating,
                     Phase::uploading, Phase::committing}) {
    EXPECT_EQ(phase_from_string(to_string(phase)), phase);
  }
  EXPECT_FALSE(phase_from_string("bogus"));
}

}  // namespace
}  // namespace bookbridge::agent::state
