// The client API in-process: shapes, paging, errors.
#include <gtest/gtest.h>

#include "hub_fixture.h"

namespace bookbridge::hub::testing {
namespace {

class RouterTest : public HubFixture {};

void expect_error_body(const Reply& reply, unsigned status) {
  EXPECT_EQ(reply.status, status) << reply.body;
  ASSERT_TRUE(reply.json.is_object()) << reply.body;
  EXPECT_EQ(reply.json["statusCode"], status);
  EXPECT_TRUE(reply.json["service"].is_string());
  EXPECT_TRUE(reply.json["error"].is_string());
  EXPECT_EQ(reply.json["correlationId"].get<std::string>().size(), 36u);
  EXPECT_TRUE(reply.json["canBeRetried"] == "True" || reply.json["canBeRetried"] == "False");
  EXPECT_TRUE(reply.json["detailedErrorCode"].is_number_integer());
}

TEST_F(RouterTest, CompaniesCrud) {
  auto created = call("POST", "/companies", {{"name", "Acme Ltd"}, {"description", "books"}});
  ASSERT_EQ(created.status, 200u);
  const std::string id = created.json["id"];
  EXPECT_EQ(created.json["name"], "Acme Ltd");
  EXPECT_EQ(created.json["description"], "books");
  EXPECT_EQ(created.json["created"], "2026-01-01T00:00:00.000Z");
  EXPECT_EQ(call("GET", "/companies/" + id).json, created.json);
  EXPECT_EQ(call("DELETE", "/companies/" + id).status, 204u);
  expect_error_body(call("GET", "/companies/" + id), 404);
  expect_error_body(call("DELETE", "/companies/" + id), 404);
}

TEST_F(RouterTest, PagingLinksAndQuery) {
  for (int i = 0; i < 5; ++i) {
    create_company("Company " + std::to_string(i));
  }
  auto page = call("GET", "/companies?page=2&pageSize=2");
  ASSERT_EQ(page.status, 200u);
  EXPECT_EQ(page.json["pageNumber"], 2);
  EXPECT_EQ(page.json["pageSize"], 2);
  EXPECT_EQ(page.json["totalResults"], 5);
  EXPECT_EQ(page.json["results"].size(), 2u);
  EXPECT_EQ(page.json["results"][0]["name"], "Company 2");
  EXPECT_EQ(page.json["_links"]["self"]["href"], "/companies");
  EXPECT_EQ(page.json["_links"]["current"]["href"], "/companies?page=2&pageSize=2");
  EXPECT_EQ(page.json["_links"]["next"]["href"], "/companies?page=3&pageSize=2");
  EXPECT_EQ(page.json["_links"]["previous"]["href"], "/companies?page=1&pageSize=2");
  auto last = call("GET", "/companies?page=3&pageSize=2");
  EXPECT_FALSE(last.json["_links"].contains("next"));
  auto filtered = call("GET", "/companies?query=name%3DCompany%203");
  EXPECT_EQ(filtered.json["totalResults"], 1);
  auto ordered = call("GET", "/companies?orderBy=-name&pageSize=1");
  EXPECT_EQ(ordered.json["results"][0]["name"], "Company 4");
  for (const char* bad :
       {"/companies?page=0", "/companies?pageSize=5001", "/companies?page=x",
        "/companies?pageSize=-1", "/companies?query=name%3D", "/companies?orderBy=nope"}) {
    expect_error_body(call("GET", bad), 400);
  }
}

TEST_F(RouterTest, AuthIsRequiredForTheClientApi) {
  auto r = request("GET", "/companies");
  r.headers.erase("Authorization");
  expect_error_body(send(r), 401);
  r.headers["Authorization"] = "Basic " + base64_encode("wrong");
  expect_error_body(send(r), 401);
  r.headers["Authorization"] = "Basic !!!";
  expect_error_body(send(r), 401);
  r.headers["Authorization"] = "Bearer " + std::string(kApiKey);
  expect_error_body(send(r), 401);
}

TEST_F(RouterTest, MalformedBodiesAndUnknownRoutes) {
  for (const char* body :
       {"{", "[]", "\"x\"", "{\"name\": }", "null", "{\"name\":1}", "{\"name\":\"\"}"}) {
    auto reply = send(request("POST", "/companies", body));
    expect_error_body(reply, 400);
  }
  expect_error_body(send(request("POST", "/companies", std::string(100000, '['))), 400);
  expect_error_body(send(request("POST", "/companies",
                                 "{\"name\":\"" + std::string(2 * 1024 * 1024, 'a') + "\"}")),
                    413);
  expect_error_body(call("GET", "/nope"), 404);
  expect_error_body(call("PUT", "/companies"), 405);
  EXPECT_EQ(call("GET", "/companies").json["totalResults"], 0);  // nothing was created
}

TEST_F(RouterTest, ConnectionsAndIntegrations) {
  auto integrations = call("GET", "/integrations");
  ASSERT_EQ(integrations.status, 200u);
  EXPECT_EQ(integrations.json["results"][0]["key"], "gnucash");
  EXPECT_EQ(call("GET", "/integrations/gnucash").json["name"], "GnuCash");
  expect_error_body(call("GET", "/integrations/quickbooks"), 404);

  const auto company = create_company();
  auto conn = create_connection(company);
  EXPECT_EQ(conn["status"], "PendingAuth");
  EXPECT_EQ(conn["integrationKey"], "gnucash");
  EXPECT_EQ(conn["sourceType"], "Accounting");
  const std::string link = conn["linkUrl"];
  EXPECT_EQ(link.rfind("https://hub.test:8443/agent/v1/link?connectionId=" +
                           conn["id"].get<std::string>() + "&token=",
                       0),
            0u);
  EXPECT_EQ(conn["connectionInfo"]["online"], false);
  expect_error_body(
      call("POST", "/companies/" + company + "/connections", {{"platformKey", "sage"}}), 400);
  expect_error_body(call("POST", "/companies/nope/connections", {{"platformKey", "gnucash"}}), 404);
  const std::string path =
      "/companies/" + company + "/connections/" + conn["id"].get<std::string>();
  EXPECT_EQ(call("GET", path).json["linkUrl"], link);  // stable until used
  EXPECT_EQ(call("GET", "/companies/" + company + "/connections").json["totalResults"], 1);
  expect_error_body(call("PATCH", path, {{"status", "Linked"}}), 400);
  auto unlinked = call("PATCH", path, {{"status", "Unlinked"}});
  EXPECT_EQ(unlinked.json["status"], "Unlinked");
  EXPECT_NE(unlinked.json["linkUrl"], link);
  expect_error_body(call("GET", "/companies/" + company + "/connections/nope"), 404);
  EXPECT_EQ(call("DELETE", path).status, 204u);
  expect_error_body(call("GET", path), 404);
}

TEST_F(RouterTest, LinkingShowsTheAgentAndQueuesFirstLinkTypes) {
  const auto company = create_company();
  auto conn = create_connection(company);
  // Before linking: a dataset waits, saying why.
  auto queued = call("POST", "/companies/" + company + "/data/queue/invoices");
  ASSERT_EQ(queued.status, 200u);
  EXPECT_NE(queued.json["statusDescription"].get<std::string>().find("to be linked"),
            std::string::npos);
  const auto credential = link(conn);
  EXPECT_EQ(credential.rfind("bbk_", 0), 0u);
  EXPECT_EQ(credential.size(), 47u);
  // The token is single-use.
  const std::string url = conn["linkUrl"];
  auto again = call("POST", "/agent/v1/link",
                    {{"connectionId", conn["id"]}, {"token", url.substr(url.find("token=") + 6)}});
  expect_error_body(again, 401);
  auto shown =
      call("GET", "/companies/" + company + "/connections/" + conn["id"].get<std::string>());
  EXPECT_EQ(shown.json["status"], "Linked");
  // `link` is a one-shot command: the agent is online only once it polls or connects.
  EXPECT_EQ(shown.json["connectionInfo"]["online"], false);
  EXPECT_EQ(shown.json["connectionInfo"]["hostname"], "ledger-pc");
  EXPECT_EQ(shown.json["connectionInfo"]["agentVersion"], "0.1.0");
  // invoices was already in progress; the other 13 types were queued on first link.
  auto history = call("GET", "/companies/" + company + "/data/history?pageSize=100");
  EXPECT_EQ(history.json["totalResults"], 14);
  // Offline after 90 s without contact: the Queued datasets say so.
  now_ += 91'000;
  auto later = call(
      "GET", "/companies/" + company + "/data/history/" + queued.json["id"].get<std::string>());
  EXPECT_EQ(later.json["statusDescription"], "Waiting for the Bookbridge agent of connection " +
                                                 conn["id"].get<std::string>() + " to come online");
}

TEST_F(RouterTest, HistoryQueryAndErrors) {
  const auto company = create_company();
  create_connection(company);
  ASSERT_EQ(call("POST", "/companies/" + company + "/data/queue/invoices").status, 200u);
  now_ += 1000;
  ASSERT_EQ(call("POST", "/companies/" + company + "/data/queue/bills").status, 200u);
  auto all = call("GET", "/companies/" + company + "/data/history");
  EXPECT_EQ(all.json["results"][0]["dataType"], "bills");  // newest first
  auto bills = call(
      "GET", "/companies/" + company + "/data/history?query=dataType%3Dbills%7C%7CdataType%3Dnone");
  EXPECT_EQ(bills.json["totalResults"], 1);
  auto bad = call("GET", "/companies/" + company + "/data/history?query=isCompleted%3Dtrue");
  expect_error_body(bad, 400);
  EXPECT_EQ(bad.json["error"],
            "Error parsing query - Could not resolve property isCompleted on Dataset");
  EXPECT_EQ(bad.json["service"], "PullApi");
  expect_error_body(call("POST", "/companies/" + company + "/data/queue/widgets"), 400);
  expect_error_body(call("POST", "/companies/nope/data/queue/invoices"), 404);
  expect_error_body(call("GET", "/companies/" + company + "/data/history/nope"), 404);
  expect_error_body(call("GET", "/companies/" + company + "/sync/nope/validation"), 404);
  expect_error_body(call("GET", "/companies/" + company + "/data/invoices"), 409);
  auto id = all.json["results"][0]["id"].get<std::string>();
  auto validation = call("GET", "/companies/" + company + "/sync/" + id + "/validation");
  EXPECT_EQ(validation.json, nlohmann::json::parse(R"({"errors":[],"warnings":[]})"));
  EXPECT_EQ(call("POST", "/companies/" + company + "/data/all").status, 204u);
  EXPECT_EQ(call("GET", "/companies/" + company + "/data/history").json["totalResults"], 14);
}

TEST_F(RouterTest, SyncSettings) {
  auto profile = call("GET", "/profile/syncSettings");
  ASSERT_EQ(profile.status, 200u);
  EXPECT_EQ(profile.json["settings"].size(), 14u);
  EXPECT_EQ(
      profile.json["settings"][0],
      nlohmann::json::parse(
          R"({"dataType":"company","fetchOnFirstLink":true,"syncSchedule":24,"syncOrder":0,"isLocked":false})"));
  EXPECT_EQ(call("POST", "/profile/syncSettings",
                 {{"settings",
                   {{{"dataType", "invoices"}, {"syncSchedule", 1}, {"fetchOnFirstLink", false}}}}})
                .status,
            204u);
  auto changed = call("GET", "/profile/syncSettings");
  for (const auto& s : changed.json["settings"]) {
    if (s["dataType"] == "invoices") {
      EXPECT_EQ(s["syncSchedule"], 1);
      EXPECT_EQ(s["fetchOnFirstLink"], false);
    }
  }
  auto bad = call(
      "POST", "/profile/syncSettings",
      {{"settings", {{{"dataType", "widgets"}}, {{"dataType", "bills"}, {"syncSchedule", -1}}}}});
  expect_error_body(bad, 400);
  EXPECT_EQ(bad.json["validation"]["errors"].size(), 2u);  // every problem at once
  const auto company = create_company();
  auto inherited = call("GET", "/companies/" + company + "/syncSettings");
  EXPECT_EQ(inherited.json["overridesDefaults"], false);
  auto own = call("POST", "/companies/" + company + "/syncSettings",
                  {{"settings", {{{"dataType", "bills"}, {"syncSchedule", 48}}}}});
  ASSERT_EQ(own.status, 200u) << own.body;
  EXPECT_EQ(own.json["overridesDefaults"], true);
}

}  // namespace
}  // namespace bookbridge::hub::testing
