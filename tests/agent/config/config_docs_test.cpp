#include "config/config_docs.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/agent_config.h"
#include "config/agent_options.h"
#include "config/config_loader.h"
#include "platform/paths.h"
#include "readers/registry.h"
#include "support/temp_dir.h"

namespace bookbridge::agent::config {
namespace {

using ::testing::HasSubstr;

readers::ReaderRegistry builtin_registry() {
  readers::ReaderRegistry registry;
  readers::register_builtin_readers(registry);
  return registry;
}

TEST(ConfigDocs, CommittedFileMatchesTheOptionTables) {
  auto committed = bookbridge::testing::read_file(std::filesystem::path(BOOKBRIDGE_SOURCE_DIR) /
                                                  "docs" / "configuration.md");
  auto generated = render_config_docs(builtin_registry());
  EXPECT_EQ(committed, generated)
      << "docs/configuration.md is out of date: run `cmake --build BUILD --target config-docs` "
         "and commit the result";
}

TEST(ConfigDocs, EveryOptionOfEveryTableIsDocumented) {
  auto registry = builtin_registry();
  auto docs = render_config_docs(registry);
  for (const auto& option : agent_options()) {
    EXPECT_THAT(docs, HasSubstr("| `" + std::string(option.path) + "` |"));
  }
  ASSERT_FALSE(registry.names().empty());
  for (const auto& name : registry.names()) {
    EXPECT_THAT(docs, HasSubstr("### `" + name + "`"));
    for (const auto& option : registry.find(name)->options) {
      EXPECT_THAT(docs, HasSubstr("| `" + std::string(option.path) + "` |"));
    }
  }
  EXPECT_THAT(docs, HasSubstr("integer (5–300)"));
  EXPECT_THAT(docs, HasSubstr("`auto`, `websocket`, `poll`"));
}

TEST(ExampleConfig, InstallerExampleIsValid) {
  auto file = std::filesystem::path(BOOKBRIDGE_SOURCE_DIR) / "installer" / "agent.example.json";
  auto result = load_config(file, builtin_registry());
  std::string problems;
  if (!result) {
    for (const auto& issue : result.error().issues) {
      problems += "\n" + format_issue(file, issue);
    }
  }
  ASSERT_TRUE(result.has_value()) << problems;
  EXPECT_EQ(result->hub.url, "https://hub.example.com:8443");
  EXPECT_EQ(result->sources.size(), 2u);
  for (const auto& warning : result->warnings) {
    EXPECT_THAT(warning.message, HasSubstr("does not exist (yet)")) << "only the sample books";
  }
}

TEST(OptionTable, DocumentedDefaultsAreTheTypedDefaults) {
  AgentConfig defaults;
  auto shown = [](std::string_view path) {
    return std::string(find_agent_option(path)->default_value);
  };
  EXPECT_EQ(shown("pollIntervalSeconds"), std::to_string(defaults.poll_interval_seconds));
  EXPECT_EQ(shown("maxConcurrentDatasets"), std::to_string(defaults.max_concurrent_datasets));
  EXPECT_EQ(shown("leaseSeconds"), std::to_string(defaults.lease_seconds));
  EXPECT_EQ(shown("log.level"), defaults.log.level);
  EXPECT_EQ(shown("log.format"), "text");
  EXPECT_EQ(defaults.log.format, LogFormat::text);
  EXPECT_EQ(shown("transport"), "auto");
  EXPECT_EQ(defaults.transport, TransportMode::automatic);
  EXPECT_EQ(shown("stateDir"), platform::default_agent_state_dir().string());
}

TEST(OptionTable, RowsAreWellFormed) {
  for (const auto& option : agent_options()) {
    EXPECT_FALSE(option.description.empty()) << option.path;
    if (option.type == OptionType::integer) {
      EXPECT_LT(option.min_value, option.max_value) << option.path;
      auto value = std::stoll(std::string(option.default_value));
      EXPECT_GE(value, option.min_value) << option.path;
      EXPECT_LE(value, option.max_value) << option.path;
    }
    if (option.type == OptionType::enumeration && !option.default_value.empty()) {
      EXPECT_THAT(std::string(option.allowed), HasSubstr(std::string(option.default_value)));
    }
    EXPECT_FALSE(option.required && !option.default_value.empty()) << option.path;
  }
}

}  // namespace
}  // namespace bookbridge::agent::config
