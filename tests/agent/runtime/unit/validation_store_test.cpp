#include "pipeline/validation_store.h"

#include <gtest/gtest.h>

#include "support/temp_dir.h"

namespace bookbridge::agent::pipeline {
namespace {

using model::DataType;

TEST(ValidationStoreTest, IdSetReportsDuplicates) {
  testing::TempDir dir;
  auto store = ValidationStore::create(dir / "v.db");
  ASSERT_TRUE(store);
  EXPECT_TRUE((*store)->insert("a"));
  EXPECT_TRUE((*store)->insert("b"));
  EXPECT_FALSE((*store)->insert("a"));
  (*store)->begin_batch();
  for (int i = 0; i < 5000; ++i) {
    EXPECT_TRUE((*store)->insert("id-" + std::to_string(i)));
  }
  (*store)->end_batch();
  EXPECT_FALSE((*store)->insert("id-4999"));
  EXPECT_FALSE((*store)->error());
}

TEST(ValidationStoreTest, ReferencesResolveOnlyForLoadedTypes) {
  testing::TempDir dir;
  auto store = ValidationStore::create(dir / "v.db");
  ASSERT_TRUE(store);
  ASSERT_FALSE((*store)->add_ref(DataType::customers, "cust-1"));
  (*store)->mark_loaded(DataType::customers);
  EXPECT_TRUE((*store)->exists(DataType::customers, "cust-1"));
  EXPECT_FALSE((*store)->exists(DataType::customers, "cust-2"));
  // Never loaded: the reference cannot be checked, so it is not reported.
  EXPECT_TRUE((*store)->exists(DataType::suppliers, "anything"));
}

TEST(ValidationStoreTest, CreateReplacesAnOldScratchFile) {
  testing::TempDir dir;
  {
    auto store = ValidationStore::create(dir / "v.db");
    ASSERT_TRUE(store);
    EXPECT_TRUE((*store)->insert("a"));
  }
  auto store = ValidationStore::create(dir / "v.db");
  ASSERT_TRUE(store);
  EXPECT_TRUE((*store)->insert("a"));
}

}  // namespace
}  // namespace bookbridge::agent::pipeline
