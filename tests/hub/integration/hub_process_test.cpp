// The real bookbridge-hub process: start-up files, TLS, signals, restarts.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include "integration/hub_client.h"
#include "support/child_process.h"

namespace bookbridge::hub::testing {
namespace {

using namespace std::chrono_literals;
using bookbridge::testing::HubProcess;
using bookbridge::testing::poll_until;

unsigned mode_of(const std::filesystem::path& file) {
  struct stat st {};
  EXPECT_EQ(::stat(file.c_str(), &st), 0) << file;
  return st.st_mode & 0777;
}

TEST(HubProcessTest, CreatesKeysAndCertificateWithPrivateModes) {
  HubProcess hub;
  EXPECT_EQ(mode_of(hub.data_dir() / "api-key"), 0600u);
  EXPECT_EQ(mode_of(hub.data_dir() / "link-secret"), 0600u);
  EXPECT_EQ(mode_of(hub.data_dir() / "tls" / "key.pem"), 0600u);
  EXPECT_EQ(mode_of(hub.data_dir()), 0700u);
  EXPECT_GE(hub.api_key().size(), 40u);
  EXPECT_EQ(hub.output().find(hub.api_key()), std::string::npos);  // never logged
  HubClient client(hub);
  EXPECT_EQ(client.api("GET", "/companies").status, 200u);
  EXPECT_EQ(hub.stop(), 0);
}

TEST(HubProcessTest, SigtermExitsZeroAndRestartKeepsEverything) {
  HubProcess hub;
  const auto cert_before = bookbridge::testing::read_file(hub.ca_file());
  std::string company;
  std::string credential;
  {
    HubClient client(hub);
    company = client.create_company("Survivor Ltd");
    credential = client.link(client.create_connection(company));
  }
  EXPECT_EQ(hub.stop(), 0);
  hub.restart();
  EXPECT_EQ(bookbridge::testing::read_file(hub.ca_file()), cert_before);  // reused
  {
    HubClient client(hub);
    EXPECT_EQ(client.api("GET", "/companies/" + company).json["name"], "Survivor Ltd");
    EXPECT_EQ(client.api("GET", "/companies/" + company + "/data/history").json["totalResults"],
              14);
    // The agent credential survives too.
    EXPECT_EQ(client.agent(credential, "POST", "/agent/v1/datasets/claim", nlohmann::json::object())
                  .status,
              200u);
  }
  hub.kill9();
  hub.restart();
  HubClient client(hub);
  EXPECT_EQ(client.api("GET", "/companies").json["totalResults"], 1);
  auto history = client.api("GET", "/companies/" + company + "/data/history");
  EXPECT_EQ(history.json["totalResults"], 14);
}

TEST(HubProcessTest, BadCommandLinesAreRefused) {
  bookbridge::testing::TempDir dir;
  bookbridge::testing::ProcessOptions options;
  options.args = {BOOKBRIDGE_HUB_BINARY, "serve",    "--data-dir",
                  (dir / "d").string(),  "--listen", "nonsense"};
  auto run = bookbridge::testing::run_program(options, 30s);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.output.find("--listen must be HOST:PORT"), std::string::npos) << run.output;
  options.args = {BOOKBRIDGE_HUB_BINARY, "serve"};
  EXPECT_EQ(bookbridge::testing::run_program(options, 30s).exit_code, 2);  // usage error
  options.args = {BOOKBRIDGE_HUB_BINARY, "--version"};
  auto version = bookbridge::testing::run_program(options, 30s);
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.output.rfind("bookbridge-hub ", 0), 0u);
  EXPECT_NE(version.output.find("(commit "), std::string::npos);
}

TEST(HubProcessTest, ConfigFileAndEnvironment) {
  bookbridge::testing::TempDir dir;
  const auto config = dir / "hub.toml";
  bookbridge::testing::write_file(config, "listen = \"127.0.0.1:0\"\napi-key = \"from-config\"\n");
  bookbridge::testing::ProcessOptions options;
  options.args = {BOOKBRIDGE_HUB_BINARY, "serve", "--config", config.string()};
  options.env["BOOKBRIDGE_HUB_DATA_DIR"] = (dir / "data").string();
  options.output_file = dir / "out.log";
  bookbridge::testing::ChildProcess process(options);
  ASSERT_TRUE(poll_until(
      [&] { return process.output().find("listening on https://") != std::string::npos; }, 30s))
      << process.output();
  EXPECT_FALSE(std::filesystem::exists(dir / "data" / "api-key"));  // the key came from config
  EXPECT_TRUE(std::filesystem::exists(dir / "data" / "hub.db"));
  EXPECT_EQ(process.stop(10s), 0);
}

}  // namespace
}  // namespace bookbridge::hub::testing
