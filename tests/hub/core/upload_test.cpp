// Pages, commit and the stored snapshot served back.
#include <gtest/gtest.h>

#include "core/datasets.h"
#include "hub_fixture.h"
#include "store/repositories.h"
#include "sync/sync_loop.h"

namespace bookbridge::hub::testing {
namespace {

class UploadTest : public HubFixture {
 protected:
  void SetUp() override {
    nlohmann::json settings = nlohmann::json::array();
    for (const auto& info : model::all_data_types()) {
      settings.push_back({{"dataType", info.key}, {"fetchOnFirstLink", false}});
    }
    ASSERT_EQ(call("POST", "/profile/syncSettings", {{"settings", settings}}).status, 204u);
    company_ = create_company();
    credential_ = link(create_connection(company_));
  }

  nlohmann::json start(const std::string& type) {
    EXPECT_EQ(call("POST", "/companies/" + company_ + "/data/queue/" + type).status, 200u);
    auto claimed = claim_next(credential_);
    for (const char* phase : {"Fetching", "Mapping", "Validating"}) {
      EXPECT_EQ(status(credential_, claimed, phase).status, 200u);
    }
    return claimed;
  }

  Reply commit(const nlohmann::json& claimed, int pages, int records) {
    return agent_call(
        credential_, "POST", "/agent/v1/datasets/" + claimed["id"].get<std::string>() + "/commit",
        {{"leaseId", claimed["leaseId"]}, {"pageCount", pages}, {"recordCount", records}});
  }

  std::string company_;
  std::string credential_;
};

TEST_F(UploadTest, PagesAreIdempotentAndConflictsRefused) {
  auto claimed = start("customers");
  const std::string page = "{\"id\":\"c1\",\"status\":\"Active\"}\n";
  EXPECT_EQ(put_page(credential_, claimed, 0, page, 1).status, 200u);
  EXPECT_EQ(put_page(credential_, claimed, 0, page, 1).status, 200u);
  auto clash = put_page(credential_, claimed, 0, "{\"id\":\"c2\",\"status\":\"Active\"}\n", 1);
  EXPECT_EQ(clash.status, 409u);
  EXPECT_EQ(clash.json["detailedErrorCode"], error_code::kPageConflict);
  auto listed = agent_call(credential_, "GET",
                           "/agent/v1/datasets/" + claimed["id"].get<std::string>() +
                               "/pages?leaseId=" + claimed["leaseId"].get<std::string>());
  ASSERT_EQ(listed.status, 200u);
  ASSERT_EQ(listed.json["pages"].size(), 1u);
  EXPECT_EQ(listed.json["pages"][0]["sha256"], sha256_hex(page));
}

TEST_F(UploadTest, BadPagesAreRefused) {
  auto claimed = start("customers");
  EXPECT_EQ(put_page(credential_, claimed, 0, "{\"id\":\"c1\"}\n", 2).status, 400u);   // count
  EXPECT_EQ(put_page(credential_, claimed, 0, "[1,2]\n", 1).status, 400u);             // not object
  EXPECT_EQ(put_page(credential_, claimed, 0, "{\"name\":\"x\"}\n", 1).status, 400u);  // no id
  EXPECT_EQ(put_page(credential_, claimed, 0, "{\"id\":\"a\"}\n{\"id\":\"a\"}\n", 2).status, 400u);
  EXPECT_EQ(put_page(credential_, claimed, 0, "{\"id\":\"a\"}\n\n{\"id\":\"b\"}\n", 2).status,
            400u);
  EXPECT_EQ(put_page(credential_, claimed, 0, "{\"id\":\"a\"\n", 1).status, 400u);
  // Hash mismatch.
  auto r = request("PUT", "/agent/v1/datasets/" + claimed["id"].get<std::string>() + "/pages/0");
  r.headers["Authorization"] = "Bearer " + credential_;
  r.headers["X-Lease-Id"] = claimed["leaseId"].get<std::string>();
  r.headers["X-Records"] = "1";
  r.headers["X-Content-SHA256"] = sha256_hex("something else");
  r.headers["Content-Encoding"] = "zstd";
  r.body = zstd_compress("{\"id\":\"a\"}\n");
  EXPECT_EQ(send(r).status, 400u);
  // Not zstd at all; and a zip bomb (80 MiB of spaces) is cut off, not inflated.
  r.body = "plain text";
  EXPECT_EQ(send(r).status, 400u);
  r.body = zstd_compress(std::string(80 * 1024 * 1024, ' '));
  auto bomb = send(r);
  EXPECT_EQ(bomb.status, 400u);
  EXPECT_NE(bomb.json["error"].get<std::string>().find("decompresses to more than"),
            std::string::npos);
  // Another connection's agent cannot touch the dataset.
  const auto other = link(create_connection(create_company("Other")));
  auto foreign = put_page(other, claimed, 0, "{\"id\":\"a\"}\n", 1);
  EXPECT_EQ(foreign.status, 404u);
  EXPECT_EQ(agent_call(credential_, "GET",
                       "/agent/v1/datasets/" + claimed["id"].get<std::string>() +
                           "/pages?leaseId=" + claimed["leaseId"].get<std::string>())
                .json["pages"]
                .size(),
            0u);
}

TEST_F(UploadTest, CommitStoresExactTextAndReplacesTheSnapshot) {
  auto first = start("invoices");
  const std::string a =
      R"({"id":"i1","totalAmount":10.10,"status":"Paid","issueDate":"2026-01-02"})";
  const std::string b =
      R"({"id":"i2","totalAmount":1234567890.123456789,"status":"Draft","issueDate":"2026-02-02"})";
  put_page(credential_, first, 0, a + "\n", 1);
  auto early = commit(first, 2, 2);
  EXPECT_EQ(early.status, 409u);
  EXPECT_EQ(early.json["detailedErrorCode"], error_code::kIncompleteUpload);
  put_page(credential_, first, 1, b + "\n", 1);
  EXPECT_EQ(commit(first, 2, 3).status, 409u);  // wrong count
  auto done = commit(first, 2, 2);
  ASSERT_EQ(done.status, 200u) << done.body;
  EXPECT_EQ(done.json["status"], "Complete");
  EXPECT_EQ(commit(first, 2, 2).status, 200u);  // a retried commit is answered again

  auto list = call("GET", "/companies/" + company_ + "/data/invoices");
  ASSERT_EQ(list.status, 200u);
  EXPECT_EQ(list.json["totalResults"], 2);
  EXPECT_NE(list.body.find("1234567890.123456789"), std::string::npos);  // no float round trip
  EXPECT_NE(list.body.find("10.10"), std::string::npos);
  EXPECT_EQ(list.json["results"][0]["modifiedDate"], "2026-01-01T00:00:00.000Z");
  auto one = call("GET", "/companies/" + company_ + "/data/invoices/i2");
  EXPECT_EQ(one.json["status"], "Draft");
  EXPECT_EQ(call("GET", "/companies/" + company_ + "/data/invoices/nope").status, 404u);
  auto filtered = call("GET", "/companies/" + company_ + "/data/invoices?query=status%3DDraft");
  EXPECT_EQ(filtered.json["totalResults"], 1);
  EXPECT_EQ(filtered.json["results"][0]["id"], "i2");
  auto ordered = call("GET", "/companies/" + company_ + "/data/invoices?orderBy=-issueDate");
  EXPECT_EQ(ordered.json["results"][0]["id"], "i2");
  EXPECT_EQ(call("GET", "/companies/" + company_ + "/data/invoices?query=status%3D").status, 400u);

  // Second sync: i1 unchanged keeps its modifiedDate, i2 gone, i3 new.
  now_ += 3'600'000;
  auto second = start("invoices");
  const std::string c = R"({"id":"i3","totalAmount":5,"status":"Paid","issueDate":"2026-03-02"})";
  put_page(credential_, second, 0, a + "\n" + c + "\n", 2);
  ASSERT_EQ(commit(second, 1, 2).status, 200u);
  auto after = call("GET", "/companies/" + company_ + "/data/invoices");
  EXPECT_EQ(after.json["totalResults"], 2);
  EXPECT_EQ(after.json["results"][0]["id"], "i1");
  EXPECT_EQ(after.json["results"][0]["modifiedDate"], "2026-01-01T00:00:00.000Z");
  EXPECT_EQ(after.json["results"][1]["modifiedDate"], "2026-01-01T01:00:00.000Z");
  EXPECT_EQ(call("GET", "/companies/" + company_ + "/data/invoices/i2").status, 404u);
}

TEST_F(UploadTest, DuplicateIdsAcrossPagesEndInProcessingError) {
  auto claimed = start("customers");
  put_page(credential_, claimed, 0, "{\"id\":\"a\"}\n", 1);
  put_page(credential_, claimed, 1, "{\"id\":\"a\"}\n", 1);
  auto done = commit(claimed, 2, 2);
  ASSERT_EQ(done.status, 200u);
  EXPECT_EQ(done.json["status"], "ProcessingError");
  EXPECT_NE(done.json["errorMessage"].get<std::string>().find("appears more than once"),
            std::string::npos);
  EXPECT_EQ(call("GET", "/companies/" + company_ + "/data/customers").status, 409u);
}

TEST_F(UploadTest, FinancialReportsAndCompanyInfo) {
  auto info = start("company");
  put_page(credential_, info, 0,
           R"({"companyName":"Acme","baseCurrency":"GBP"})"
           "\n",
           1);
  ASSERT_EQ(commit(info, 1, 1).status, 200u);
  auto company = call("GET", "/companies/" + company_ + "/data/info");
  EXPECT_EQ(company.body, R"({"companyName":"Acme","baseCurrency":"GBP"})");

  auto bs = start("balanceSheet");
  const std::string doc =
      R"({"currency":"GBP","reports":[{"date":"2026-01-31T00:00:00","netAssets":1.10},)"
      R"({"date":"2026-02-28T00:00:00","netAssets":2.20},{"date":"2026-03-31T00:00:00","netAssets":3.30}]})";
  put_page(credential_, bs, 0, doc + "\n", 1);
  ASSERT_EQ(commit(bs, 1, 1).status, 200u);
  const std::string path = "/companies/" + company_ + "/data/financials/balanceSheet";
  EXPECT_EQ(call("GET", path).body, doc);
  auto two = call("GET", path + "?periodLength=1&periodsToCompare=2");
  ASSERT_EQ(two.status, 200u) << two.body;
  EXPECT_EQ(two.body,
            R"({"currency":"GBP","reports":[{"date":"2026-03-31T00:00:00","netAssets":3.30},)"
            R"({"date":"2026-02-28T00:00:00","netAssets":2.20}]})");
  auto from = call("GET", path + "?periodLength=1&periodsToCompare=5&startMonth=2026-02-01");
  EXPECT_EQ(from.json["reports"].size(), 2u);
  EXPECT_EQ(from.json["reports"][0]["date"], "2026-02-28T00:00:00");
  EXPECT_EQ(call("GET", path + "?periodLength=3&periodsToCompare=1").status, 400u);
  EXPECT_EQ(call("GET", "/companies/" + company_ + "/data/financials/profitAndLoss").status, 409u);
}

TEST_F(UploadTest, ScheduleQueuesTheNextDatasetAfterSyncSchedule) {
  auto claimed = start("taxRates");
  ASSERT_EQ(commit(claimed, 0, 0).status, 200u);
  sync::SyncLoop loop(*hub_);
  const auto next = loop.run_once();
  EXPECT_LE(next, now_ + 30'000);
  EXPECT_EQ(call("GET", "/companies/" + company_ + "/data/history").json["totalResults"], 1);
  now_ += 24 * 3'600'000;
  loop.run_once();
  auto history = call("GET", "/companies/" + company_ + "/data/history");
  EXPECT_EQ(history.json["totalResults"], 2);
  EXPECT_EQ(history.json["results"][0]["status"], "Queued");
  EXPECT_EQ(history.json["results"][0]["dataType"], "taxRates");
}

}  // namespace
}  // namespace bookbridge::hub::testing
