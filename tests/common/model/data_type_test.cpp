#include "model/data_type.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace bookbridge::model {
namespace {

TEST(DataTypeTest, KeysRoundTrip) {
  for (const auto& entry : all_data_types()) {
    auto parsed = data_type_from_key(entry.key);
    ASSERT_TRUE(parsed.has_value()) << entry.key;
    EXPECT_EQ(*parsed, entry.type);
    EXPECT_EQ(to_key(entry.type), entry.key);
  }
}

TEST(DataTypeTest, KeysAndPathsAreUnique) {
  std::set<std::string> keys;
  std::set<std::string> paths;
  for (const auto& entry : all_data_types()) {
    EXPECT_TRUE(keys.insert(std::string(entry.key)).second) << entry.key;
    EXPECT_TRUE(paths.insert(std::string(entry.path)).second) << entry.path;
  }
  EXPECT_EQ(keys.size(), 14u);
}

TEST(DataTypeTest, CodatNamesAndEndpoints) {
  EXPECT_EQ(data_type_from_path("data/accounts"), DataType::chart_of_accounts);
  EXPECT_EQ(data_type_from_path("data/info"), DataType::company);
  EXPECT_EQ(info(DataType::bill_payments).key, "billPayments");
  EXPECT_EQ(info(DataType::balance_sheet).shape, DataShape::single);
  EXPECT_EQ(info(DataType::invoices).shape, DataShape::list);
  EXPECT_FALSE(data_type_from_key("Invoices").has_value());
  EXPECT_FALSE(data_type_from_key("").has_value());
}

}  // namespace
}  // namespace bookbridge::model
