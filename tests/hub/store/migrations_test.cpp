#include <gtest/gtest.h>

#include "store/database.h"
#include "store/repositories.h"
#include "support/temp_dir.h"

namespace bookbridge::hub::store {
namespace {

TEST(MigrationsTest, FreshDatabaseGetsEveryMigrationOnce) {
  bookbridge::testing::TempDir dir;
  {
    Database db(dir / "hub.db");
    EXPECT_EQ(db.schema_version(), migrations().back().version);
    auto c = db.acquire();
    insert_company(*c, CompanyRow{"c1", "Acme", std::nullopt, 1});
  }
  Database again(dir / "hub.db");  // re-opening applies nothing twice and keeps the data
  EXPECT_EQ(again.schema_version(), migrations().back().version);
  auto c = again.acquire();
  auto s = c->prepare("SELECT COUNT(*) FROM schema_migrations");
  s.step();
  EXPECT_EQ(s.int64(0), static_cast<std::int64_t>(migrations().size()));
  EXPECT_TRUE(find_company(*c, "c1").has_value());
  auto mode = c->prepare("PRAGMA journal_mode");
  mode.step();
  EXPECT_EQ(mode.text(0), "wal");
  auto fk = c->prepare("PRAGMA foreign_keys");
  fk.step();
  EXPECT_EQ(fk.int64(0), 1);
}

TEST(MigrationsTest, RefusesADatabaseFromANewerHub) {
  bookbridge::testing::TempDir dir;
  {
    Database db(dir / "hub.db");
    auto c = db.acquire();
    c->exec("INSERT INTO schema_migrations (version, name) VALUES (9999, 'future')");
  }
  EXPECT_THROW(Database(dir / "hub.db"), std::runtime_error);
}

TEST(MigrationsTest, VersionsAreIncreasing) {
  int last = 0;
  for (const auto& m : migrations()) {
    EXPECT_GT(m.version, last);
    last = m.version;
  }
}

TEST(MigrationsTest, DeletingACompanyCascades) {
  bookbridge::testing::TempDir dir;
  Database db(dir / "hub.db");
  auto c = db.acquire();
  insert_company(*c, CompanyRow{"c1", "Acme", std::nullopt, 1});
  ConnectionRow conn;
  conn.id = "k1";
  conn.company_id = "c1";
  conn.platform_key = "gnucash";
  conn.status = "PendingAuth";
  insert_connection(*c, conn);
  DatasetRow d;
  d.id = "d1";
  d.company_id = "c1";
  d.connection_id = "k1";
  insert_dataset(*c, d);
  EXPECT_TRUE(delete_company(*c, "c1"));
  EXPECT_FALSE(find_connection(*c, "k1").has_value());
  EXPECT_FALSE(find_dataset(*c, "d1").has_value());
}

}  // namespace
}  // namespace bookbridge::hub::store
