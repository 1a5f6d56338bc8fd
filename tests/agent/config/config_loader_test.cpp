#include "config/config_loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

#include "config/test_registry.h"
#include "platform/paths.h"
#include "support/temp_dir.h"
#include "transport/tls_files.h"

namespace bookbridge::agent::config {
namespace {

using bookbridge::testing::TempDir;
using bookbridge::testing::write_file;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAreArray;

class ConfigLoaderTest : public ::testing::Test {
 protected:
  ConfigLoaderTest() : registry_(testing::probe_registry()) { write_file(dir_ / "book.db", "x"); }

  LoadResult load(const std::string& text) {
    write_file(dir_ / "agent.json", text);
    return load_config(dir_ / "agent.json", registry_);
  }

  std::vector<ConfigIssue> issues(const std::string& text) {
    auto result = load(text);
    EXPECT_FALSE(result.has_value()) << "expected problems in:\n" << text;
    return result ? std::vector<ConfigIssue>{} : result.error().issues;
  }

  // The single issue at `path` (fails when there is none or more than one).
  ConfigIssue issue_at(const std::vector<ConfigIssue>& found, const std::string& path) {
    std::vector<ConfigIssue> matches;
    for (const auto& issue : found) {
      if (issue.path == path) {
        matches.push_back(issue);
      }
    }
    EXPECT_EQ(matches.size(), 1u) << "issues at " << path << ": " << dump(found);
    return matches.empty() ? ConfigIssue{} : matches.front();
  }

  static std::string dump(const std::vector<ConfigIssue>& found) {
    std::string text;
    for (const auto& issue : found) {
      text += "\n  " + format_issue("agent.json", issue);
    }
    return text;
  }

  TempDir dir_{"config-loader"};
  readers::ReaderRegistry registry_;
};

constexpr const char* kMinimal =
    R"({"sources": [{"name": "acme", "reader": "probe", "path": "book.db"}]})";

TEST_F(ConfigLoaderTest, MinimalConfigGetsTheDocumentedDefaults) {
  auto result = load(kMinimal);
  ASSERT_TRUE(result.has_value()) << dump(result.error().issues);
  const AgentConfig& config = *result;
  EXPECT_EQ(config.hub.url, "");
  EXPECT_EQ(config.state_dir, platform::default_agent_state_dir());
  EXPECT_EQ(config.transport, TransportMode::automatic);
  EXPECT_EQ(config.poll_interval_seconds, 25);
  EXPECT_EQ(config.max_concurrent_datasets, 2);
  EXPECT_EQ(config.lease_seconds, 60);
  EXPECT_EQ(config.log.level, "info");
  EXPECT_EQ(config.log.format, LogFormat::text);
  EXPECT_TRUE(config.log.file.empty());
  ASSERT_EQ(config.sources.size(), 1u);
  EXPECT_EQ(config.sources[0].name, "acme");
  EXPECT_EQ(config.sources[0].reader, "probe");
  EXPECT_TRUE(config.sources[0].data_types.empty());
  EXPECT_EQ(config.sources[0].options.at("path"), (dir_.path() / "book.db").string());
  EXPECT_FALSE(config.sources[0].options.contains("name")) << "only the reader's own keys";
  EXPECT_EQ(config.config_file, dir_.path() / "agent.json");
}

TEST_F(ConfigLoaderTest, EveryOptionIsRead) {
  auto cert = transport::ensure_self_signed_certificate(dir_ / "tls", {});
  auto result = load(R"({
    "hub": {"url": "https://hub.example:8443/", "caFile": "tls/cert.pem"},
    "stateDir": "state",
    "transport": "poll",
    "pollIntervalSeconds": 40,
    "maxConcurrentDatasets": 4,
    "leaseSeconds": 120,
    "log": {"level": "debug", "format": "json", "file": "agent.log"},
    "sources": [
      {"name": "acme", "reader": "probe", "path": "book.db", "mode": "slow",
       "dataTypes": ["invoices", "chartOfAccounts"]},
      {"name": "beta.books_2", "reader": "probe", "path": ")" +
                     (dir_.path() / "book.db").string() + R"("}
    ]
  })");
  ASSERT_TRUE(result.has_value()) << dump(result.error().issues);
  const AgentConfig& config = *result;
  EXPECT_EQ(config.hub.url, "https://hub.example:8443") << "a trailing slash is dropped";
  EXPECT_EQ(config.hub.ca_file, cert.cert_file);
  EXPECT_EQ(config.state_dir, dir_.path() / "state");
  EXPECT_EQ(config.transport, TransportMode::poll);
  EXPECT_EQ(config.poll_interval_seconds, 40);
  EXPECT_EQ(config.max_concurrent_datasets, 4);
  EXPECT_EQ(config.lease_seconds, 120);
  EXPECT_EQ(config.log.level, "debug");
  EXPECT_EQ(config.log.format, LogFormat::json);
  EXPECT_EQ(config.log.file, dir_.path() / "agent.log");
  ASSERT_EQ(config.sources.size(), 2u);
  EXPECT_EQ(config.sources[0].options.at("mode"), "slow");
  EXPECT_EQ(config.sources[0].data_types,
            (std::vector{model::DataType::invoices, model::DataType::chart_of_accounts}));
  EXPECT_EQ(config.sources[1].name, "beta.books_2");
}

TEST_F(ConfigLoaderTest, CommentsAreAccepted) {
  auto result = load(R"(// Bookbridge agent
  {
    /* the hub */ "hub": {"url": "https://hub.example"},  // trailing comment
    "sources": [ /* one */ {"name": "acme", "reader": "probe", "path": "book.db"}]
  })");
  ASSERT_TRUE(result.has_value()) << dump(result.error().issues);
  EXPECT_EQ(result->hub.url, "https://hub.example");
}

TEST_F(ConfigLoaderTest, SyntaxErrorNamesLineAndColumn) {
  auto found = issues("{\n  \"hub\": {\"url\": \"https://x\"},\n  \"sources\": [}\n}\n");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].line, 3);
  EXPECT_THAT(found[0].message, HasSubstr("column 15"));
  EXPECT_THAT(found[0].message, HasSubstr("JSON syntax error"));
}

TEST_F(ConfigLoaderTest, TruncatedFileIsASyntaxError) {
  auto found = issues("{\n  \"sources\": [\n");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_THAT(found[0].message, HasSubstr("syntax error"));
  EXPECT_GE(found[0].line, 2);
}

TEST_F(ConfigLoaderTest, RootMustBeAnObject) {
  auto found = issues("[1, 2]");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_THAT(found[0].message, HasSubstr("must be a JSON object"));
}

TEST_F(ConfigLoaderTest, UnknownKeysAreErrorsWithSuggestions) {
  auto found = issues(R"({
  "hubb": {},
  "pollIntervalSecond": 30,
  "url": "https://x",
  "log": {"levle": "debug"},
  "sources": [{"name": "acme", "reader": "probe", "path": "book.db", "pth": "x"}]
})");
  EXPECT_EQ(found.size(), 5u) << dump(found);
  auto hubb = issue_at(found, "hubb");
  EXPECT_EQ(hubb.line, 2);
  EXPECT_THAT(hubb.message, HasSubstr("unknown key 'hubb' (did you mean 'hub'?)"));
  EXPECT_THAT(issue_at(found, "pollIntervalSecond").message,
              HasSubstr("did you mean 'pollIntervalSeconds'"));
  EXPECT_THAT(issue_at(found, "url").message, HasSubstr("belongs under 'hub.url'"));
  auto levle = issue_at(found, "log.levle");
  EXPECT_EQ(levle.line, 5);
  EXPECT_THAT(levle.message, HasSubstr("did you mean 'level'"));
  // Reader keys are allowed only when the reader declares them.
  auto pth = issue_at(found, "sources[0].pth");
  EXPECT_EQ(pth.line, 6);
  EXPECT_THAT(pth.message, HasSubstr("did you mean 'path'"));
}

TEST_F(ConfigLoaderTest, WrongTypesSayWhatWasExpected) {
  auto found = issues(R"({
  "hub": "https://x",
  "pollIntervalSeconds": "25",
  "maxConcurrentDatasets": 2.5,
  "stateDir": 7,
  "log": {"file": ""},
  "sources": [{"name": 1, "reader": "probe", "path": "book.db", "dataTypes": "invoices"}]
})");
  EXPECT_THAT(issue_at(found, "hub").message, HasSubstr("expected an object, got a string"));
  EXPECT_THAT(issue_at(found, "pollIntervalSeconds").message,
              HasSubstr("expected an integer, got a string (\"25\")"));
  EXPECT_THAT(issue_at(found, "maxConcurrentDatasets").message,
              HasSubstr("expected an integer, got a decimal number"));
  EXPECT_THAT(issue_at(found, "stateDir").message, HasSubstr("expected a path (string)"));
  EXPECT_THAT(issue_at(found, "log.file").message, HasSubstr("must not be empty"));
  EXPECT_THAT(issue_at(found, "sources[0].name").message, HasSubstr("expected a string"));
  EXPECT_THAT(issue_at(found, "sources[0].dataTypes").message,
              HasSubstr("expected a list of strings"));
  EXPECT_EQ(issue_at(found, "sources[0].name").line, 7);
}

TEST_F(ConfigLoaderTest, SourcesMustBeAListOfObjects) {
  auto found = issues(R"({"sources": {"name": "acme"}})");
  EXPECT_THAT(issue_at(found, "sources").message, HasSubstr("expected a list of objects"));
  found = issues(R"({"sources": ["acme"]})");
  EXPECT_THAT(issue_at(found, "sources[0]").message, HasSubstr("expected an object"));
  found = issues(R"({"sources": []})");
  EXPECT_THAT(issue_at(found, "sources").message, HasSubstr("add at least one"));
}

TEST_F(ConfigLoaderTest, MissingRequiredKeysPointAtTheirObject) {
  auto found = issues(R"({
  "hub": {"url": "https://x"}
})");
  EXPECT_THAT(issue_at(found, "sources").message, HasSubstr("required key is missing"));

  found = issues(R"({"sources": [
    {"name": "acme", "reader": "probe", "path": "book.db"},
    {"reader": "probe"},
    {"name": "beta"}
  ]})");
  EXPECT_EQ(found.size(), 3u) << dump(found);
  auto name = issue_at(found, "sources[1].name");
  EXPECT_EQ(name.line, 3) << "a missing key is reported on its object's line";
  EXPECT_THAT(name.message, HasSubstr("required key is missing"));
  EXPECT_THAT(issue_at(found, "sources[1].path").message, HasSubstr("required"));
  EXPECT_EQ(issue_at(found, "sources[2].reader").line, 4);
  EXPECT_THAT(issue_at(found, "sources[2].reader").message, HasSubstr("required"));
}

TEST_F(ConfigLoaderTest, BadEnumValuesListTheAllowedOnes) {
  auto found = issues(R"({
  "transport": "websockets",
  "log": {"format": "xml", "level": "verbose"},
  "sources": [{"name": "acme", "reader": "probe", "path": "book.db", "mode": "quick"}]
})");
  EXPECT_EQ(found.size(), 4u) << dump(found);
  EXPECT_THAT(issue_at(found, "transport").message,
              HasSubstr("'websockets' is not one of: auto, websocket, poll (did you mean "
                        "'websocket'?)"));
  EXPECT_THAT(issue_at(found, "log.format").message, HasSubstr("not one of: text, json"));
  EXPECT_THAT(issue_at(found, "log.level").message,
              HasSubstr("not one of: trace, debug, info, warn, error"));
  EXPECT_THAT(issue_at(found, "sources[0].mode").message, HasSubstr("fast, slow"));
}

TEST_F(ConfigLoaderTest, IntegersOutOfRangeNameTheRange) {
  auto found = issues(R"({
  "pollIntervalSeconds": 4,
  "maxConcurrentDatasets": 17,
  "leaseSeconds": -15,
  "sources": [{"name": "acme", "reader": "probe", "path": "book.db"}]
})");
  EXPECT_EQ(found.size(), 3u) << dump(found);
  EXPECT_THAT(issue_at(found, "pollIntervalSeconds").message,
              HasSubstr("4 is out of range: must be between 5 and 300"));
  EXPECT_THAT(issue_at(found, "maxConcurrentDatasets").message, HasSubstr("between 1 and 16"));
  EXPECT_THAT(issue_at(found, "leaseSeconds").message, HasSubstr("between 15 and 600"));
  auto ok = load(R"({"pollIntervalSeconds": 300, "maxConcurrentDatasets": 1,
    "leaseSeconds": 15, "sources": [{"name": "acme", "reader": "probe", "path": "book.db"}]})");
  EXPECT_TRUE(ok.has_value()) << "range bounds are inclusive";
  found = issues(R"({"leaseSeconds": 18446744073709551615,
    "sources": [{"name": "acme", "reader": "probe", "path": "book.db"}]})");
  EXPECT_THAT(issue_at(found, "leaseSeconds").message, HasSubstr("out of range"));
}

TEST_F(ConfigLoaderTest, HubUrlMustBeHttpsAndOnlyAnAddress) {
  auto with_url = [&](const std::string& url) {
    return issues(R"({"hub": {"url": ")" + url +
                  R"("}, "sources": [{"name": "a", "reader": "probe", "path": "book.db"}]})");
  };
  auto found = with_url("http://hub.example:8080");
  EXPECT_THAT(issue_at(found, "hub.url").message, HasSubstr("TLS is mandatory"));
  found = with_url("hub.example");
  EXPECT_THAT(issue_at(found, "hub.url").message, HasSubstr("not an https:// URL"));
  found = with_url("https://hub.example/agent/v1");
  EXPECT_THAT(issue_at(found, "hub.url").message, HasSubstr("only the hub's address"));
  found = with_url("https://hub.example:99999");
  EXPECT_THAT(issue_at(found, "hub.url").message, HasSubstr("invalid port"));
  found = with_url("https://");
  EXPECT_THAT(issue_at(found, "hub.url").message, HasSubstr("has no host"));
}

TEST_F(ConfigLoaderTest, CaFileMustExistAndHoldAPemCertificate) {
  auto with_ca = [&](const std::string& file) {
    return R"({"hub": {"url": "https://x", "caFile": ")" + file +
           R"("}, "sources": [{"name": "a", "reader": "probe", "path": "book.db"}]})";
  };
  auto found = issues(with_ca("missing.pem"));
  auto missing = issue_at(found, "hub.caFile");
  EXPECT_THAT(missing.message,
              HasSubstr("file does not exist: " + (dir_ / "missing.pem").string()));
  EXPECT_EQ(missing.line, 1);

  write_file(dir_ / "garbage.pem", "not a certificate\n");
  found = issues(with_ca("garbage.pem"));
  EXPECT_THAT(issue_at(found, "hub.caFile").message, HasSubstr("no PEM certificate"));

  std::filesystem::create_directories(dir_ / "a-dir");
  found = issues(with_ca("a-dir"));
  EXPECT_THAT(issue_at(found, "hub.caFile").message, HasSubstr("not a regular file"));

  auto cert = transport::ensure_self_signed_certificate(dir_ / "tls", {});
  EXPECT_TRUE(load(with_ca("tls/cert.pem")).has_value());
  EXPECT_FALSE(load(with_ca("tls/key.pem")).has_value()) << "a key is not a certificate";

  if (::geteuid() != 0) {  // root reads anything
    ::chmod(cert.cert_file.c_str(), 0);
    found = issues(with_ca("tls/cert.pem"));
    EXPECT_THAT(issue_at(found, "hub.caFile").message, HasSubstr("cannot read"));
  }
}

TEST_F(ConfigLoaderTest, StateDirAndLogFileMustBeUsable) {
  write_file(dir_ / "a-file", "");
  auto found = issues(R"({"stateDir": "a-file", "log": {"file": "no-such-dir/agent.log"},
    "sources": [{"name": "a", "reader": "probe", "path": "book.db"}]})");
  EXPECT_THAT(issue_at(found, "stateDir").message, HasSubstr("not a directory"));
  EXPECT_THAT(issue_at(found, "log.file").message,
              HasSubstr("directory does not exist: " + (dir_ / "no-such-dir").string()));
}

TEST_F(ConfigLoaderTest, SourceNamesMustBeUniqueAndSafe) {
  auto found = issues(R"({"sources": [
    {"name": "acme", "reader": "probe", "path": "book.db"},
    {"name": "acme", "reader": "probe", "path": "book.db"},
    {"name": "../etc", "reader": "probe", "path": "book.db"},
    {"name": "", "reader": "probe", "path": "book.db"}
  ]})");
  auto duplicate = issue_at(found, "sources[1].name");
  EXPECT_THAT(duplicate.message, HasSubstr("duplicate source name 'acme'"));
  EXPECT_EQ(duplicate.line, 3);
  EXPECT_THAT(issue_at(found, "sources[2].name").message, HasSubstr("not a valid source name"));
  EXPECT_EQ(found.size(), 3u) << dump(found);
}

TEST_F(ConfigLoaderTest, UnknownReaderListsTheRegisteredOnes) {
  auto found = issues(R"({"sources": [
    {"name": "acme", "reader": "prob", "path": "book.db", "whatever": 1}
  ]})");
  ASSERT_EQ(found.size(), 1u) << "keys of an unknown reader cannot be judged: " << dump(found);
  EXPECT_EQ(found[0].path, "sources[0].reader");
  EXPECT_EQ(found[0].line, 2);
  EXPECT_THAT(
      found[0].message,
      HasSubstr("unknown reader 'prob' (did you mean 'probe'?); registered readers: probe"));
}

TEST_F(ConfigLoaderTest, UnknownDataTypesListTheValidOnes) {
  auto found = issues(R"({"sources": [{"name": "acme", "reader": "probe", "path": "book.db",
    "dataTypes": ["invoices", "invoice", "invoices", 3]}]})");
  EXPECT_EQ(found.size(), 3u) << dump(found);
  auto unknown = issue_at(found, "sources[0].dataTypes[1]");
  EXPECT_THAT(unknown.message, HasSubstr("unknown data type 'invoice' (did you mean 'invoices'?)"));
  EXPECT_THAT(unknown.message, HasSubstr("valid: company, chartOfAccounts"));
  EXPECT_THAT(issue_at(found, "sources[0].dataTypes[2]").message, HasSubstr("listed twice"));
  EXPECT_THAT(issue_at(found, "sources[0].dataTypes[3]").message, HasSubstr("expected a string"));
}

TEST_F(ConfigLoaderTest, ReaderProblemsCarryPathAndLine) {
  auto found = issues(R"({
  "sources": [
    {"name": "acme", "reader": "probe", "path": "book.db"},
    {"name": "beta",
     "reader": "probe",
     "path": "sub/missing.db"}
  ]
})");
  ASSERT_EQ(found.size(), 1u) << dump(found);
  EXPECT_EQ(found[0].path, "sources[1].path");
  EXPECT_EQ(found[0].line, 6);
  EXPECT_EQ(found[0].message, "file does not exist: " + (dir_ / "sub/missing.db").string())
      << "relative paths are resolved before the reader sees them";
  EXPECT_EQ(format_issue(dir_ / "agent.json", found[0]),
            (dir_ / "agent.json").string() +
                ":6: sources[1].path: file does not exist: " + (dir_ / "sub/missing.db").string());
}

TEST_F(ConfigLoaderTest, ManyProblemsAreReportedAtOnceInLineOrder) {
  auto found = issues(R"({
  "hub": {"url": "http://hub:8080"},
  "transport": "pol",
  "pollIntervalSeconds": 1000,
  "stateDirectory": "/tmp",
  "sources": [
    {"name": "acme", "reader": "probe", "path": "nope.db"},
    {"name": "acme", "reader": "gnucsh", "path": "book.db"}
  ]
})");
  std::vector<std::pair<std::string, int>> where;
  for (const auto& issue : found) {
    where.emplace_back(issue.path, issue.line);
  }
  EXPECT_THAT(where, UnorderedElementsAreArray(
                         std::vector<std::pair<std::string, int>>{{"hub.url", 2},
                                                                  {"transport", 3},
                                                                  {"pollIntervalSeconds", 4},
                                                                  {"stateDirectory", 5},
                                                                  {"sources[0].path", 7},
                                                                  {"sources[1].name", 8},
                                                                  {"sources[1].reader", 8}}))
      << dump(found);
  EXPECT_TRUE(std::is_sorted(found.begin(), found.end(),
                             [](const auto& a, const auto& b) { return a.line < b.line; }));
}

TEST_F(ConfigLoaderTest, DuplicateKeysAreErrors) {
  auto found = issues(R"({
  "leaseSeconds": 30,
  "leaseSeconds": 90,
  "sources": [{"name": "acme", "reader": "probe", "path": "book.db"}]
})");
  auto duplicate = issue_at(found, "leaseSeconds");
  EXPECT_EQ(duplicate.line, 3);
  EXPECT_THAT(duplicate.message, HasSubstr("appears twice"));
}

TEST_F(ConfigLoaderTest, MissingFileSaysHowToPointAtOne) {
  auto result = load_config(dir_ / "nope.json", registry_);
  ASSERT_FALSE(result.has_value());
  ASSERT_EQ(result.error().issues.size(), 1u);
  EXPECT_THAT(result.error().issues[0].message, HasSubstr("config file not found"));
  EXPECT_THAT(result.error().issues[0].message, HasSubstr("--config"));
}

TEST_F(ConfigLoaderTest, ValueThrowsAReadableException) {
  auto result = load(R"({"sources": 3})");
  try {
    (void)result.value();
    FAIL() << "value() of an error result must throw";
  } catch (const std::runtime_error& error) {
    EXPECT_THAT(error.what(), HasSubstr("sources: expected a list of objects"));
  }
}

TEST_F(ConfigLoaderTest, BuiltinReaderOptionsAreCheckedAndMissingBooksWarned) {
  readers::ReaderRegistry builtin;
  readers::register_builtin_readers(builtin);
  write_file(dir_ / "agent.json", R"({
  "sources": [
    {"name": "acme", "reader": "gnucash",
     "path": "books/acme.gnucash"}
  ]
})");
  auto result = load_config(dir_ / "agent.json", builtin);
  ASSERT_TRUE(result.has_value()) << "a book that is not there yet is not a config error";
  ASSERT_EQ(result->warnings.size(), 1u);
  EXPECT_EQ(result->warnings[0].path, "sources[0].path");
  EXPECT_EQ(result->warnings[0].line, 4);
  EXPECT_THAT(result->warnings[0].message,
              HasSubstr("file does not exist (yet): " + (dir_ / "books/acme.gnucash").string()));
  EXPECT_EQ(result->sources[0].options.at("path"), (dir_ / "books/acme.gnucash").string());

  write_file(dir_ / "agent.json", R"({"sources": [{"name": "acme", "reader": "gnucash"}]})");
  auto missing = load_config(dir_ / "agent.json", builtin);
  ASSERT_FALSE(missing.has_value());
  ASSERT_EQ(missing.error().issues.size(), 1u);
  EXPECT_EQ(missing.error().issues[0].path, "sources[0].path");
}

TEST(ConfigFileResolution, OptionThenEnvironmentThenDefault) {
  ::unsetenv("BOOKBRIDGE_AGENT_CONFIG");
  EXPECT_EQ(resolve_config_file(std::nullopt), platform::default_agent_config_file());
  ::setenv("BOOKBRIDGE_AGENT_CONFIG", "/from/env.json", 1);
  EXPECT_EQ(resolve_config_file(std::nullopt), "/from/env.json");
  EXPECT_EQ(resolve_config_file(std::string("/from/option.json")), "/from/option.json");
  ::unsetenv("BOOKBRIDGE_AGENT_CONFIG");
}

TEST(ConfigText, EditDistanceAndSuggestions) {
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("Hub", "hub"), 0u);
  EXPECT_EQ(closest_match("trasport", {"transport", "stateDir"}), "transport");
  EXPECT_EQ(closest_match("zzz", {"transport", "stateDir"}), "");
  EXPECT_TRUE(is_valid_source_name("acme-books.2024_a"));
  EXPECT_FALSE(is_valid_source_name(".hidden"));
  EXPECT_FALSE(is_valid_source_name("a/b"));
  EXPECT_FALSE(is_valid_source_name(std::string(65, 'a')));
}

}  // namespace
}  // namespace bookbridge::agent::config
