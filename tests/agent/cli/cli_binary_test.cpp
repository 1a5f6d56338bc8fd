// Runs the real bookbridge-agent binary: exit codes and what a person sees.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/child_process.h"
#include "support/temp_dir.h"

namespace bookbridge::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

RunResult agent(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
  ProcessOptions options;
  options.args = {BOOKBRIDGE_AGENT_BINARY};
  options.args.insert(options.args.end(), args.begin(), args.end());
  options.env = std::move(env);
  options.env.emplace("BOOKBRIDGE_AGENT_CONFIG", "");
  return run_program(options, 30s);
}

class AgentCliTest : public ::testing::Test {
 protected:
  AgentCliTest() { write_file(dir_ / "book.gnucash", "not really a book"); }

  std::string config_file(const std::string& text) {
    write_file(dir_ / "agent.json", text);
    return (dir_ / "agent.json").string();
  }

  TempDir dir_{"agent-cli"};
};

TEST_F(AgentCliTest, VersionNamesTheProgramAndCommit) {
  auto result = agent({"--version"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_THAT(result.output, ::testing::MatchesRegex("bookbridge-agent [0-9]+\\.[0-9]+\\.[0-9]+ "
                                                     "\\(commit [0-9a-z]+\\)\n"));
}

TEST_F(AgentCliTest, UsageErrorsExitTwo) {
  EXPECT_EQ(agent({}).exit_code, 2);
  auto unknown = agent({"frobnicate"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_EQ(agent({"link", "--source", "acme"}).exit_code, 2) << "LINK_URL is required";
  EXPECT_EQ(agent({"--log-level", "loud", "check-config"}).exit_code, 2);
  auto help = agent({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  for (const char* command : {"run", "link", "unlink", "check-config", "status", "read"}) {
    EXPECT_THAT(help.output, HasSubstr(command));
  }
  EXPECT_THAT(help.output, Not(HasSubstr("config-docs"))) << "hidden";
}

TEST_F(AgentCliTest, CheckConfigAcceptsAValidFile) {
  auto file = config_file(R"({
    // comments are fine
    "hub": {"url": "https://hub.example:8443"},
    "stateDir": "state",
    "sources": [{"name": "acme", "reader": "gnucash", "path": "book.gnucash"}]
  })");
  auto result = agent({"check-config", "--config", file});
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_THAT(result.output, HasSubstr(file + ": valid"));
  EXPECT_THAT(result.output, HasSubstr("acme (gnucash, " + (dir_ / "book.gnucash").string()));
  EXPECT_THAT(result.output, HasSubstr((dir_ / "state").string()));
}

TEST_F(AgentCliTest, CheckConfigPrintsEveryProblemWithPathAndLine) {
  auto file = config_file(R"({
  "hub": {"url": "http://hub.example"},
  "transprt": "poll",
  "leaseSeconds": 5,
  "log": {"format": "yaml"},
  "sources": [
    {"name": "acme", "reader": "gnucash", "path": "missing.gnucash"},
    {"name": "acme", "reader": "quickbooks"},
    {"name": "beta", "reader": "gnucash", "path": "book.gnucash", "dataTypes": ["bill"]}
  ]
})");
  auto result = agent({"check-config", "--config", file});
  EXPECT_EQ(result.exit_code, 1) << result.output;
  for (const char* expected :
       {":2: hub.url: ", "TLS is mandatory", ":3: transprt: unknown key",
        "did you mean 'transport'", ":4: leaseSeconds: 5 is out of range",
        ":5: log.format: 'yaml' is not one of",
        ":7: sources[0].path: warning: file does not exist (yet)",
        ":8: sources[1].name: duplicate source name",
        ":8: sources[1].reader: unknown reader 'quickbooks'", "registered readers: gnucash",
        ":9: sources[2].dataTypes[0]: unknown data type 'bill'", "7 problems found"}) {
    EXPECT_THAT(result.output, HasSubstr(expected));
  }
}

TEST_F(AgentCliTest, ConfigComesFromOptionThenEnvironment) {
  auto file =
      config_file(R"({"sources": [{"name": "a", "reader": "gnucash", "path": "book.gnucash"}]})");
  auto from_env = agent({"check-config"}, {{"BOOKBRIDGE_AGENT_CONFIG", file}});
  EXPECT_EQ(from_env.exit_code, 0) << from_env.output;
  EXPECT_THAT(from_env.output, HasSubstr("hub:      not set"));
  auto option_wins = agent({"check-config", "--config", (dir_ / "nope.json").string()},
                           {{"BOOKBRIDGE_AGENT_CONFIG", file}});
  EXPECT_EQ(option_wins.exit_code, 1);
  EXPECT_THAT(option_wins.output, HasSubstr("nope.json: config file not found"));
}

TEST_F(AgentCliTest, OtherCommandsRefuseAnInvalidConfigWithExitTwo) {
  auto file = config_file(R"({"sources": "nope"})");
  auto link = agent({"link", "https://h/agent/v1/link?connectionId=c&token=t", "--source", "a",
                     "--config", file});
  EXPECT_EQ(link.exit_code, 2);
  EXPECT_THAT(link.output, HasSubstr("sources: expected a list of objects"));
  EXPECT_EQ(agent({"run", "--config", file}).exit_code, 2);
  EXPECT_EQ(agent({"unlink", "--source", "a", "--config", file}).exit_code, 2);
}

TEST_F(AgentCliTest, LinkChecksTheUrlAgainstHubUrlBeforeCallingAnyone) {
  auto no_hub = config_file(R"({"stateDir": "state",
    "sources": [{"name": "acme", "reader": "gnucash", "path": "book.gnucash"}]})");
  auto link_url = "https://127.0.0.1:9/agent/v1/link?connectionId=c1&token=SECRET_TOKEN";
  auto result = agent({"link", link_url, "--source", "acme", "--config", no_hub});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.output, HasSubstr("hub.url is not set"));
  EXPECT_THAT(result.output, HasSubstr("https://127.0.0.1:9"));

  auto other_hub = config_file(R"({"hub": {"url": "https://hub.example:8443"}, "stateDir": "state",
    "sources": [{"name": "acme", "reader": "gnucash", "path": "book.gnucash"}]})");
  result = agent({"link", link_url, "--source", "acme", "--config", other_hub});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.output, HasSubstr("points to https://127.0.0.1:9 but hub.url is "
                                       "https://hub.example:8443"));
  result = agent({"link", link_url, "--source", "nobody", "--config", other_hub});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.output, HasSubstr("no source named 'nobody'"));
  result = agent({"link", "https://hub.example:8443/agent/v1/link?token=SECRET_TOKEN", "--source",
                  "acme", "--config", other_hub});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.output, HasSubstr("no connectionId"));
  EXPECT_THAT(result.output, Not(HasSubstr("SECRET_TOKEN")));
}

TEST_F(AgentCliTest, LinkSaysWhenTheHubIsNotReachable) {
  // Port 9 (discard) on loopback: nothing listens there in a test environment.
  auto file = config_file(R"({"hub": {"url": "https://127.0.0.1:9"}, "stateDir": "state",
    "sources": [{"name": "acme", "reader": "gnucash", "path": "book.gnucash"}]})");
  auto result = agent({"link", "https://127.0.0.1:9/agent/v1/link?connectionId=c&token=SECRET",
                       "--source", "acme", "--config", file});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.output, HasSubstr("not reachable at https://127.0.0.1:9"));
  EXPECT_THAT(result.output, Not(HasSubstr("SECRET")));
}

TEST_F(AgentCliTest, UnlinkOfAnUnlinkedSourceIsANoOp) {
  auto file = config_file(R"({"stateDir": "state",
    "sources": [{"name": "acme", "reader": "gnucash", "path": "book.gnucash"}]})");
  auto result = agent({"unlink", "--source", "acme", "--config", file});
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_THAT(result.output, HasSubstr("not linked"));
}

TEST_F(AgentCliTest, ConfigDocsPrintsTheCommittedDocs) {
  auto result = agent({"config-docs"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.output,
            read_file(std::filesystem::path(BOOKBRIDGE_SOURCE_DIR) / "docs" / "configuration.md"));
}

}  // namespace
}  // namespace bookbridge::testing
