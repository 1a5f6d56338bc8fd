// Every client endpoint and the agent gateway over real HTTPS against the real hub process.
#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "integration/hub_client.h"
#include "transport/https_client.h"

namespace bookbridge::hub::testing {
namespace {

using namespace std::chrono_literals;
using bookbridge::testing::HubProcess;
using bookbridge::testing::poll_until;

class HubApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    hub_ = new HubProcess(HubProcess::Options{{"--max-body-bytes", "1048576"}});
  }
  static void TearDownTestSuite() {
    delete hub_;
    hub_ = nullptr;
  }
  void SetUp() override { client_ = std::make_unique<HubClient>(*hub_); }

  nlohmann::json claim(const std::string& credential, int lease_seconds = 60) {
    auto reply = client_->agent(credential, "POST", "/agent/v1/datasets/claim",
                                {{"max", 1}, {"leaseSeconds", lease_seconds}});
    EXPECT_EQ(reply.status, 200u) << reply.body;
    return reply.json["datasets"].empty() ? nlohmann::json() : reply.json["datasets"][0];
  }

  HttpReply step(const std::string& credential, const nlohmann::json& d, const std::string& what,
                 nlohmann::json body) {
    body["leaseId"] = d["leaseId"];
    return client_->agent(credential, "POST",
                          "/agent/v1/datasets/" + d["id"].get<std::string>() + "/" + what, body);
  }

  static HubProcess* hub_;
  std::unique_ptr<HubClient> client_;
};

HubProcess* HubApiTest::hub_ = nullptr;

TEST_F(HubApiTest, ClientEndpoints) {
  EXPECT_EQ(client_->api("GET", "/integrations").json["results"][0]["key"], "gnucash");
  EXPECT_EQ(client_->api("GET", "/integrations/gnucash").status, 200u);
  const auto company = client_->create_company("Endpoints Ltd");
  EXPECT_EQ(client_->api("GET", "/companies/" + company).json["name"], "Endpoints Ltd");
  EXPECT_GE(client_->api("GET", "/companies?pageSize=1").json["totalResults"], 1);
  auto conn = client_->create_connection(company);
  const std::string conn_path =
      "/companies/" + company + "/connections/" + conn["id"].get<std::string>();
  EXPECT_EQ(conn["linkUrl"].get<std::string>().rfind(hub_->url() + "/agent/v1/link?", 0), 0u);
  EXPECT_EQ(client_->api("GET", conn_path).json["status"], "PendingAuth");
  EXPECT_EQ(client_->api("GET", "/companies/" + company + "/connections").json["totalResults"], 1);
  auto queued = client_->api("POST", "/companies/" + company + "/data/queue/customers");
  ASSERT_EQ(queued.status, 200u) << queued.body;
  EXPECT_EQ(queued.json["status"], "Queued");
  EXPECT_EQ(queued.json["isCompleted"], false);
  EXPECT_EQ(client_->api("POST", "/companies/" + company + "/data/all").status, 204u);
  auto history = client_->api(
      "GET", "/companies/" + company +
                 "/data/history?pageSize=5000&query=status%3DQueued%26%26dataType!%3Dinvoices");
  EXPECT_EQ(history.json["totalResults"], 13);
  EXPECT_EQ(client_
                ->api("GET", "/companies/" + company + "/data/history/" +
                                 queued.json["id"].get<std::string>())
                .json["dataType"],
            "customers");
  EXPECT_EQ(client_
                ->api("GET", "/companies/" + company + "/sync/" +
                                 queued.json["id"].get<std::string>() + "/validation")
                .json["errors"],
            nlohmann::json::array());
  auto status = client_->api("GET", "/companies/" + company + "/dataStatus");
  EXPECT_EQ(status.json["customers"]["currentStatus"], "Queued");
  EXPECT_EQ(status.json["customers"]["latestSyncId"], queued.json["id"]);
  EXPECT_EQ(client_->api("GET", "/profile/syncSettings").json["settings"].size(), 14u);
  EXPECT_EQ(
      client_->api("GET", "/companies/" + company + "/syncSettings").json["overridesDefaults"],
      false);
  EXPECT_EQ(client_
                ->api("POST", "/companies/" + company + "/syncSettings",
                      {{"settings", {{{"dataType", "items"}, {"fetchOnFirstLink", false}}}}})
                .json["overridesDefaults"],
            true);
  for (const char* path :
       {"/data/info", "/data/accounts", "/data/customers", "/data/suppliers", "/data/invoices",
        "/data/bills", "/data/payments", "/data/billPayments", "/data/journalEntries",
        "/data/creditNotes", "/data/items", "/data/taxRates", "/data/financials/balanceSheet",
        "/data/financials/profitAndLoss", "/data/accounts/x"}) {
    expect_error_body(client_->api("GET", "/companies/" + company + path), 409);
  }
  EXPECT_EQ(client_->api("PATCH", conn_path, {{"status", "Unlinked"}}).json["status"], "Unlinked");
  EXPECT_EQ(client_
                ->api("GET", "/companies/" + company + "/data/history/" +
                                 queued.json["id"].get<std::string>())
                .json["status"],
            "Cancelled");
  EXPECT_EQ(client_->api("DELETE", conn_path).status, 204u);
  EXPECT_EQ(client_->api("DELETE", "/companies/" + company).status, 204u);
  expect_error_body(client_->api("GET", "/companies/" + company), 404);
}

TEST_F(HubApiTest, BadInput) {
  transport::ClientRequest r;
  r.target = "/companies";
  expect_error_body(client_->raw(r), 401);
  r.headers["Authorization"] = "Basic " + base64_encode("wrong-key");
  expect_error_body(client_->raw(r), 401);
  for (const char* body : {"{", "{\"name\":", "[1,2]", "\xff\xfe", "{\"name\":\"\\ud800\"}"}) {
    auto reply = client_->raw(
        transport::ClientRequest{"POST",
                                 "/companies",
                                 {{"Authorization", "Basic " + base64_encode(hub_->api_key())},
                                  {"Content-Type", "application/json"}},
                                 body});
    expect_error_body(reply, 400);
  }
  const auto company = client_->create_company("Bad Input Ltd");
  expect_error_body(client_->api("GET", "/companies/00000000-0000-0000-0000-000000000000"), 404);
  expect_error_body(client_->api("GET", "/companies/" + company + "/connections/nope"), 404);
  expect_error_body(client_->api("GET", "/companies/" + company + "/data/history/nope"), 404);
  expect_error_body(client_->api("POST", "/companies/" + company + "/data/queue/widgets"), 400);
  expect_error_body(client_->api("GET", "/companies?pageSize=5001"), 400);
  expect_error_body(client_->api("GET", "/companies/" + company + "/data/history?query=%7Bstatus"),
                    400);
  expect_error_body(client_->api("DELETE", "/companies"), 405);
  expect_error_body(client_->api("GET", "/no/such/thing"), 404);
  // Over --max-body-bytes (1 MiB here): 413 from the server, the hub keeps running.
  auto big = client_->api("POST", "/companies", {{"name", std::string(2 * 1024 * 1024, 'x')}});
  EXPECT_EQ(big.status, 413u) << big.body;
  EXPECT_EQ(client_->api("GET", "/companies/" + company).status, 200u);
  // Agent side: no or a wrong credential.
  expect_error_body(
      client_->agent("", "POST", "/agent/v1/datasets/claim", nlohmann::json::object()), 401);
  expect_error_body(client_->agent("bbk_nope", "GET", "/agent/v1/poll?wait=0"), 401);
  expect_error_body(
      client_->agent("", "POST", "/agent/v1/link", {{"connectionId", "x"}, {"token", "y"}}), 401);
  auto help = client_->agent("", "GET", "/agent/v1/link?connectionId=x&token=y");
  EXPECT_EQ(help.status, 200u);
  EXPECT_NE(help.body.find("bookbridge-agent link"), std::string::npos);
}

TEST_F(HubApiTest, AgentFlowEndToEnd) {
  const auto company = client_->create_company("Flow Ltd");
  auto conn = client_->create_connection(company);
  const auto credential = client_->link(conn);
  ASSERT_EQ(credential.rfind("bbk_", 0), 0u);
  const std::string conn_path =
      "/companies/" + company + "/connections/" + conn["id"].get<std::string>();
  auto shown = client_->api("GET", conn_path);
  EXPECT_EQ(shown.json["status"], "Linked");
  EXPECT_EQ(shown.json["connectionInfo"]["hostname"], "ledger-pc");
  EXPECT_EQ(shown.json["connectionInfo"]["online"], false) << "linking is not presence";
  EXPECT_EQ(client_->agent(credential, "GET", "/agent/v1/poll?wait=0").json["work"], true);
  EXPECT_EQ(client_->api("GET", conn_path).json["connectionInfo"]["online"], true);

  // company info: first in syncOrder.
  auto d = claim(credential);
  ASSERT_EQ(d["dataType"], "company");
  EXPECT_EQ(step(credential, d, "status", {{"status", "Validating"}}).status, 409u);  // illegal
  for (const char* phase : {"Fetching", "Mapping", "Validating"}) {
    ASSERT_EQ(step(credential, d, "status", {{"status", phase}, {"progress", 50}}).status, 200u);
  }
  EXPECT_EQ(step(credential, d, "lease", {{"leaseSeconds", 120}}).status, 200u);
  const std::string info = R"({"companyName":"Flow Ltd","baseCurrency":"EUR"})";
  ASSERT_EQ(client_->put_page(credential, d, 0, info + "\n", 1).status, 200u);
  ASSERT_EQ(client_->put_page(credential, d, 0, info + "\n", 1).status, 200u);  // idempotent
  auto clash = client_->put_page(credential, d, 0,
                                 R"({"companyName":"Other"})"
                                 "\n",
                                 1);
  EXPECT_EQ(clash.status, 409u);
  EXPECT_EQ(clash.json["detailedErrorCode"], 4093);
  auto pages = client_->agent(credential, "GET",
                              "/agent/v1/datasets/" + d["id"].get<std::string>() +
                                  "/pages?leaseId=" + d["leaseId"].get<std::string>());
  EXPECT_EQ(pages.json["pages"].size(), 1u);
  EXPECT_EQ(step(credential, d, "commit", {{"pageCount", 2}, {"recordCount", 2}})
                .json["detailedErrorCode"],
            4094);
  auto done = step(credential, d, "commit",
                   {{"pageCount", 1},
                    {"recordCount", 1},
                    {"validation",
                     {{"errors", nlohmann::json::array()},
                      {"warnings",
                       {{{"ruleId", "r1"},
                         {"itemId", ""},
                         {"message", "m"},
                         {"validatorName", "CompanyValidator"}}}}}}});
  ASSERT_EQ(done.status, 200u) << done.body;
  EXPECT_EQ(done.json["status"], "Complete");
  EXPECT_EQ(client_->api("GET", "/companies/" + company + "/data/info").body, info);
  EXPECT_EQ(client_
                ->api("GET", "/companies/" + company + "/sync/" + d["id"].get<std::string>() +
                                 "/validation")
                .json["warnings"][0]["ruleId"],
            "r1");

  // chartOfAccounts: 2500 records over three pages.
  auto accounts = claim(credential);
  ASSERT_EQ(accounts["dataType"], "chartOfAccounts");
  for (const char* phase : {"Fetching", "Mapping", "Validating"}) {
    ASSERT_EQ(step(credential, accounts, "status", {{"status", phase}}).status, 200u);
  }
  int page = 0;
  for (int start = 0; start < 2500; start += 1000, ++page) {
    std::string body;
    int n = 0;
    for (int i = start; i < std::min(start + 1000, 2500); ++i, ++n) {
      body += R"({"id":"a)" + std::to_string(i) + R"(","name":"Account )" + std::to_string(i) +
              R"(","currentBalance":)" + std::to_string(i) + ".05}\n";
    }
    ASSERT_EQ(client_->put_page(credential, accounts, page, body, n).status, 200u);
  }
  ASSERT_EQ(step(credential, accounts, "commit", {{"pageCount", 3}, {"recordCount", 2500}})
                .json["status"],
            "Complete");
  auto list = client_->api("GET", "/companies/" + company + "/data/accounts?page=3&pageSize=1000");
  EXPECT_EQ(list.json["totalResults"], 2500);
  EXPECT_EQ(list.json["results"].size(), 500u);
  EXPECT_NE(list.body.find("\"currentBalance\":2499.05"), std::string::npos);
  EXPECT_EQ(client_->api("GET", "/companies/" + company + "/data/accounts/a7").json["name"],
            "Account 7");
  EXPECT_EQ(
      client_->api("GET", "/companies/" + company + "/data/accounts?query=currentBalance%3E2497.05")
          .json["totalResults"],
      2);

  // customers: not supported by this source.
  auto customers = claim(credential);
  auto ns = step(credential, customers, "fail",
                 {{"status", "NotSupported"}, {"errorMessage", "no customers"}});
  EXPECT_EQ(ns.json["status"], "NotSupported");
  // suppliers: released on shutdown, then claimable again with the attempt not counted.
  auto suppliers = claim(credential);
  EXPECT_EQ(step(credential, suppliers, "release", nlohmann::json::object()).json["status"],
            "Queued");
  auto again = claim(credential);
  EXPECT_EQ(again["id"], suppliers["id"]);
  EXPECT_EQ(again["attempt"], 1);
  EXPECT_EQ(
      step(credential, suppliers, "status", {{"status", "Fetching"}}).json["detailedErrorCode"],
      4091);

  auto status = client_->api("GET", "/companies/" + company + "/dataStatus");
  EXPECT_EQ(status.json["company"]["currentStatus"], "Complete");
  EXPECT_EQ(status.json["customers"]["currentStatus"], "NotSupported");
  // Another connection's agent sees none of this.
  const auto other =
      client_->link(client_->create_connection(client_->create_company("Other Ltd")));
  auto foreign = client_->agent(other, "POST",
                                "/agent/v1/datasets/" + again["id"].get<std::string>() + "/status",
                                {{"leaseId", again["leaseId"]}, {"status", "Fetching"}});
  EXPECT_EQ(foreign.status, 404u);
  // Unlink from the agent side revokes the credential.
  EXPECT_EQ(client_->agent(credential, "DELETE", "/agent/v1/link").status, 204u);
  EXPECT_EQ(client_->agent(credential, "GET", "/agent/v1/poll?wait=0").status, 401u);
  EXPECT_EQ(client_->api("GET", conn_path).json["status"], "Unlinked");
}

TEST_F(HubApiTest, LongPollWakesWhenWorkIsQueued) {
  const auto company = client_->create_company("Poll Ltd");
  ASSERT_EQ(client_
                ->api("POST", "/companies/" + company + "/syncSettings",
                      {{"settings", {{{"dataType", "company"}, {"fetchOnFirstLink", false}}}},
                       {"overridesDefaults", true}})
                .status,
            200u);
  auto credential = client_->link(client_->create_connection(company));
  // Drain what the first link queued.
  while (true) {
    auto d = claim(credential);
    if (d.is_null()) {
      break;
    }
    step(credential, d, "fail", {{"status", "FetchError"}});
  }
  EXPECT_EQ(client_->agent(credential, "GET", "/agent/v1/poll?wait=0").json["work"], false);
  const auto started = std::chrono::steady_clock::now();
  auto poll = std::async(std::launch::async, [&] {
    HubClient own(*hub_);
    return own.agent(credential, "GET", "/agent/v1/poll?wait=30");
  });
  // Queue once the poll is parked (it is parked once it has not answered for a moment).
  EXPECT_EQ(poll.wait_for(300ms), std::future_status::timeout);
  ASSERT_EQ(client_->api("POST", "/companies/" + company + "/data/queue/company").status, 200u);
  auto reply = poll.get();
  EXPECT_EQ(reply.json["work"], true) << reply.body;
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
}

TEST_F(HubApiTest, ExpiredLeaseReturnsTheDatasetToQueued) {
  const auto company = client_->create_company("Lease Ltd");
  auto credential = client_->link(client_->create_connection(company));
  auto d = claim(credential, 1);
  ASSERT_EQ(step(credential, d, "status", {{"status", "Fetching"}}).status, 200u);
  const std::string path = "/companies/" + company + "/data/history/" + d["id"].get<std::string>();
  EXPECT_TRUE(
      poll_until([&] { return client_->api("GET", path).json["status"] == "Queued"; }, 10s));
  EXPECT_EQ(step(credential, d, "status", {{"status", "Mapping"}}).json["detailedErrorCode"], 4091);
  auto again = claim(credential);
  EXPECT_EQ(again["id"], d["id"]);
  EXPECT_EQ(again["attempt"], 2);
}

TEST_F(HubApiTest, WebSocketPresenceAndWake) {
  const auto company = client_->create_company("Socket Ltd");
  auto conn = client_->create_connection(company);
  auto credential = client_->link(conn);
  while (true) {
    auto d = claim(credential);
    if (d.is_null()) {
      break;
    }
    step(credential, d, "fail", {{"status", "FetchError"}});
  }
  transport::WebSocketClient ws(transport::ClientOptions{hub_->url(), hub_->ca_file()});
  unsigned status = 0;
  ASSERT_FALSE(ws.connect("/agent/v1/ws", {{"Authorization", "Bearer " + credential}}, &status))
      << status;
  std::promise<std::string> first_message;
  std::thread reader([&] {
    bool set = false;
    ws.run([&](std::string_view text) {
      if (!set) {
        set = true;
        first_message.set_value(std::string(text));
      }
    });
  });
  ws.send(R"({"type":"hello","hostname":"ws-host","agentVersion":"9.9","sourceName":"s"})");
  const std::string conn_path =
      "/companies/" + company + "/connections/" + conn["id"].get<std::string>();
  EXPECT_TRUE(poll_until(
      [&] {
        return client_->api("GET", conn_path).json["connectionInfo"]["hostname"] == "ws-host";
      },
      10s));
  EXPECT_EQ(client_->api("GET", conn_path).json["connectionInfo"]["online"], true);
  ASSERT_EQ(client_->api("POST", "/companies/" + company + "/data/queue/bills").status, 200u);
  auto message = first_message.get_future();
  ASSERT_EQ(message.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(nlohmann::json::parse(message.get())["type"], "wake");
  ws.close();
  reader.join();
  // A refused upgrade: wrong credential.
  transport::WebSocketClient bad(transport::ClientOptions{hub_->url(), hub_->ca_file()});
  EXPECT_TRUE(bad.connect("/agent/v1/ws", {{"Authorization", "Bearer bbk_wrong"}}, &status));
  EXPECT_EQ(status, 401u);
}

}  // namespace
}  // namespace bookbridge::hub::testing
