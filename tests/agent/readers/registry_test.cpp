#include "readers/registry.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "readers/gnucash/gnucash_factory.h"

namespace bookbridge::readers {
namespace {

ReaderFactory named(std::string name) {
  ReaderFactory factory;
  factory.name = std::move(name);
  factory.description = "test";
  return factory;
}

TEST(ReaderRegistry, RefusesDuplicateAndEmptyNames) {
  ReaderRegistry registry;
  EXPECT_TRUE(registry.add(named("ledger")));
  ReaderFactory second = named("ledger");
  second.description = "another";
  EXPECT_FALSE(registry.add(std::move(second)));
  EXPECT_EQ(registry.find("ledger")->description, "test");  // the first one stays
  EXPECT_FALSE(registry.add(named("")));
  EXPECT_EQ(registry.names(), std::vector<std::string>{"ledger"});
  EXPECT_EQ(registry.find("nope"), nullptr);
}

TEST(ReaderRegistry, BuiltinsListGnuCashOnceAndRefuseASecondRegistration) {
  ReaderRegistry registry;
  register_builtin_readers(registry);
  EXPECT_EQ(registry.names(), std::vector<std::string>{"gnucash"});
  const auto* gnucash = registry.find("gnucash");
  ASSERT_NE(gnucash, nullptr);
  ASSERT_EQ(gnucash->options.size(), 1u);
  EXPECT_EQ(gnucash->options[0].path, "sources[].path");
  EXPECT_TRUE(gnucash->options[0].required);
  EXPECT_THROW(register_builtin_readers(registry), std::logic_error);
}

TEST(GnuCashConfig, ValidatesThePathOption) {
  const auto factory = gnucash::make_factory();
  std::vector<ConfigProblem> problems;
  factory.validate(nlohmann::json{{"path", "/books/acme.gnucash"}}, "sources[0]", problems);
  EXPECT_TRUE(problems.empty());
  factory.validate(nlohmann::json::object(), "sources[1]", problems);
  factory.validate(nlohmann::json{{"path", 12}}, "sources[2]", problems);
  factory.validate(nlohmann::json{{"path", ""}}, "sources[3]", problems);
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(problems[0].path, "sources[1].path");
  EXPECT_NE(problems[0].message.find("required"), std::string::npos);
  EXPECT_EQ(problems[1].path, "sources[2].path");
  EXPECT_EQ(problems[2].path, "sources[3].path");
}

TEST(GnuCashConfig, CreatesAReaderThatSupportsEverythingButItems) {
  const auto factory = gnucash::make_factory();
  auto reader = factory.create(
      nlohmann::json{{"name", "acme"}, {"reader", "gnucash"}, {"path", "/books/acme.gnucash"}});
  ASSERT_TRUE(reader.has_value());
  EXPECT_EQ((*reader)->name(), "gnucash");
  for (const auto& info : model::all_data_types()) {
    EXPECT_EQ((*reader)->supports(info.type), info.type != model::DataType::items) << info.key;
  }
  EXPECT_FALSE(factory.create(nlohmann::json::object()).has_value());
}

TEST(ReadErrc, HasStableNames) {
  EXPECT_EQ(to_string(ReadErrc::source_locked), "source_locked");
  EXPECT_EQ(to_string(ReadErrc::not_supported), "not_supported");
  EXPECT_EQ(to_string(ReadErrc::map_failed), "map_failed");
}

}  // namespace
}  // namespace bookbridge::readers
