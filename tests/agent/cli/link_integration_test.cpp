// `link` and `unlink` against the real hub over verified TLS on loopback.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "support/child_process.h"
#include "support/hub_api.h"
#include "support/hub_process.h"
#include "support/temp_dir.h"
#include "transport/https_client.h"

namespace bookbridge::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

RunResult agent(std::vector<std::string> args) {
  ProcessOptions options;
  options.args = {BOOKBRIDGE_AGENT_BINARY};
  options.args.insert(options.args.end(), args.begin(), args.end());
  return run_program(options, 60s);
}

mode_t mode_of(const std::filesystem::path& path) {
  struct stat info {};
  EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
  return info.st_mode & 07777;
}

class LinkTest : public ::testing::Test {
 protected:
  LinkTest() : api_(hub_.url(), hub_.api_key(), hub_.ca_file()) {
    write_file(dir_ / "acme.gnucash", "");
    company_id_ = api_.create_company("Acme Ltd");
    auto connection = api_.create_connection(company_id_, "gnucash");
    connection_id_ = connection.at("id").get<std::string>();
    link_url_ = connection.at("linkUrl").get<std::string>();
    token_ = link_url_.substr(link_url_.find("token=") + 6);
  }

  std::string write_config(bool with_ca_file) {
    nlohmann::json config = {
        {"hub", {{"url", hub_.url()}}},
        {"stateDir", (dir_ / "state").string()},
        {"log", {{"file", (dir_ / "agent.log").string()}, {"level", "debug"}}},
        {"sources", {{{"name", "acme"}, {"reader", "gnucash"}, {"path", "acme.gnucash"}}}}};
    if (with_ca_file) {
      config["hub"]["caFile"] = hub_.ca_file().string();
    }
    write_file(dir_ / "agent.json", config.dump(2));
    return (dir_ / "agent.json").string();
  }

  std::filesystem::path credential_file() const {
    return dir_ / "state" / "credentials" / "acme.secret";
  }

  std::string stored_credential() const {
    auto json = nlohmann::json::parse(read_file(credential_file()), nullptr, false);
    return json.is_object() ? json.value("credential", "") : "";
  }

  // A gateway call made with `credential`: 200 while it is valid, 401 once revoked.
  unsigned claim_with(const std::string& credential) {
    transport::HttpsClient client({hub_.url(), hub_.ca_file()});
    transport::ClientRequest request;
    request.method = "POST";
    request.target = "/agent/v1/datasets/claim";
    request.headers.emplace("Authorization", "Bearer " + credential);
    request.headers.emplace("Content-Type", "application/json");
    request.body = R"({"max": 1, "leaseSeconds": 60})";
    auto result = client.request(request);
    return result ? result->status : 0;
  }

  std::string connection_status() {
    auto reply = api_.get("/companies/" + company_id_ + "/connections/" + connection_id_);
    return reply.body.is_object() ? reply.body.value("status", "") : "";
  }

  HubProcess hub_;
  HubApi api_;
  TempDir dir_{"agent-link"};
  std::string company_id_;
  std::string connection_id_;
  std::string link_url_;
  std::string token_;
};

TEST_F(LinkTest, LinksStoresThePrivateCredentialAndUnlinkRevokesIt) {
  // Without hub.caFile the hub's self-signed certificate is not trusted: a clear message, and
  // the token is not spent.
  auto untrusted = agent({"link", link_url_, "--source", "acme", "--config", write_config(false)});
  EXPECT_EQ(untrusted.exit_code, 1) << untrusted.output;
  EXPECT_THAT(untrusted.output, HasSubstr("TLS verification of the hub"));
  EXPECT_THAT(untrusted.output, HasSubstr("set hub.caFile"));
  EXPECT_FALSE(std::filesystem::exists(credential_file()));

  auto config = write_config(true);
  auto linked = agent({"link", link_url_, "--source", "acme", "--config", config});
  ASSERT_EQ(linked.exit_code, 0) << linked.output;
  EXPECT_THAT(linked.output, HasSubstr("linked source acme to company Acme Ltd"));
  EXPECT_THAT(linked.output, HasSubstr("connection " + connection_id_));

  EXPECT_EQ(mode_of(credential_file()), 0600u);
  EXPECT_EQ(mode_of(credential_file().parent_path()), 0700u);
  auto credential = stored_credential();
  ASSERT_THAT(credential, ::testing::StartsWith("bbk_"));
  for (const auto& output : {untrusted.output, linked.output, read_file(dir_ / "agent.log")}) {
    EXPECT_THAT(output, Not(HasSubstr(credential)));
    EXPECT_THAT(output, Not(HasSubstr(token_)));
  }
  EXPECT_EQ(connection_status(), "Linked");
  EXPECT_EQ(claim_with(credential), 200u);

  // The token was used once; using it again is refused with what to do about it.
  auto again = agent({"link", link_url_, "--source", "acme", "--config", config});
  EXPECT_EQ(again.exit_code, 1) << again.output;
  EXPECT_THAT(again.output, HasSubstr("already used"));
  EXPECT_THAT(again.output, HasSubstr("linkUrl"));
  EXPECT_EQ(stored_credential(), credential) << "a failed re-link keeps the working credential";

  auto unlinked = agent({"unlink", "--source", "acme", "--config", config});
  EXPECT_EQ(unlinked.exit_code, 0) << unlinked.output;
  EXPECT_THAT(unlinked.output, HasSubstr("revoked at the hub and deleted locally"));
  EXPECT_THAT(unlinked.output, Not(HasSubstr(credential)));
  EXPECT_FALSE(std::filesystem::exists(credential_file()));
  EXPECT_EQ(claim_with(credential), 401u) << "the old credential is refused";
  EXPECT_EQ(connection_status(), "Unlinked");
}

TEST_F(LinkTest, RelinkWithAFreshTokenReplacesTheCredential) {
  auto config = write_config(true);
  ASSERT_EQ(agent({"link", link_url_, "--source", "acme", "--config", config}).exit_code, 0);
  auto first = stored_credential();

  auto fresh = api_.get("/companies/" + company_id_ + "/connections/" + connection_id_);
  auto fresh_url = fresh.body.value("linkUrl", "");
  ASSERT_NE(fresh_url, link_url_) << "the hub issues a new token once the old one is used";
  auto relinked = agent({"link", fresh_url, "--source", "acme", "--config", config});
  ASSERT_EQ(relinked.exit_code, 0) << relinked.output;
  auto second = stored_credential();
  EXPECT_NE(second, first);
  EXPECT_EQ(claim_with(second), 200u);
  EXPECT_EQ(claim_with(first), 401u) << "re-link replaces the previous credential";
}

TEST_F(LinkTest, UnlinkWithTheHubDownStillDeletesLocallyAndSaysSo) {
  auto config = write_config(true);
  ASSERT_EQ(agent({"link", link_url_, "--source", "acme", "--config", config}).exit_code, 0);
  hub_.stop();
  auto unlinked = agent({"unlink", "--source", "acme", "--config", config});
  EXPECT_EQ(unlinked.exit_code, 0) << unlinked.output;
  EXPECT_THAT(unlinked.output, HasSubstr("warning: could not revoke the credential at the hub"));
  EXPECT_THAT(unlinked.output, HasSubstr("unlinked source acme locally"));
  EXPECT_FALSE(std::filesystem::exists(credential_file()));
}

}  // namespace
}  // namespace bookbridge::testing
