#include "e2e_env.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>

namespace bookbridge::testing {
namespace {

const std::string kPython = "/usr/bin/python3";

std::string tool(const std::string& name) {
  return std::string(BOOKBRIDGE_SOURCE_DIR) + "/tests/tools/gnucash/" + name;
}

bool is_terminal(const std::string& status) {
  return status == "Complete" || status == "NotSupported" || status == "Cancelled" ||
         status.ends_with("Error") || status == "PrerequisiteNotMet";
}

}  // namespace

void make_book(const std::filesystem::path& out, const std::string& format,
               const std::string& profile, int extra_transactions) {
  ProcessOptions options;
  options.args = {kPython, tool("make_book.py"), "--out", out.string(), "--format",
                  format,  "--profile",          profile};
  if (extra_transactions > 0) {
    options.args.push_back("--transactions");
    options.args.push_back(std::to_string(extra_transactions));
  }
  auto result = run_program(options, std::chrono::minutes(10));
  ASSERT_EQ(result.exit_code, 0) << result.output;
  ASSERT_TRUE(std::filesystem::exists(out)) << result.output;
}

nlohmann::json expected_figures(const std::filesystem::path& book) {
  TempDir dir("bookbridge-figures");
  ProcessOptions options;
  options.args = {kPython, tool("expected_figures.py"), book.string(), "--compact"};
  options.output_file = dir / "out.txt";
  auto result = run_program(options, std::chrono::minutes(5));
  EXPECT_EQ(result.exit_code, 0) << result.output;
  // GnuCash may print GLib warnings to stderr (same file); the JSON document is the last line.
  auto end = result.output.find_last_not_of("\n");
  auto start = result.output.rfind('\n', end);
  auto last = result.output.substr(start == std::string::npos ? 0 : start + 1);
  auto figures = nlohmann::json::parse(last, nullptr, false);
  EXPECT_FALSE(figures.is_discarded()) << result.output;
  return figures;
}

AgentInstall::AgentInstall(const HubProcess& hub, std::vector<Source> sources,
                           const std::string& transport)
    : dir_("bookbridge-agent") {
  config_ = dir_ / "agent.json";
  state_dir_ = dir_ / "state";
  nlohmann::json config = {
      {"hub", {{"url", hub.url()}, {"caFile", hub.ca_file().string()}}},
      {"stateDir", state_dir_.string()},
      {"transport", transport},
      {"log", {{"level", "debug"}, {"file", (dir_ / "agent.log").string()}}},
      {"sources", nlohmann::json::array()},
  };
  for (const auto& source : sources) {
    config["sources"].push_back(
        {{"name", source.name}, {"reader", "gnucash"}, {"path", source.book.string()}});
  }
  write_file(config_, config.dump(2));
}

RunResult AgentInstall::cli(std::vector<std::string> args) {
  ProcessOptions options;
  options.args = {BOOKBRIDGE_AGENT_BINARY, "--config", config_.string()};
  options.args.insert(options.args.end(), args.begin(), args.end());
  return run_program(options, std::chrono::seconds(60));
}

RunResult AgentInstall::link(const std::string& link_url, const std::string& source) {
  return cli({"link", link_url, "--source", source});
}

void AgentInstall::start() {
  ++runs_;
  ProcessOptions options;
  options.args = {BOOKBRIDGE_AGENT_BINARY, "--config", config_.string(), "run"};
  options.output_file = dir_ / ("run-" + std::to_string(runs_) + ".out");
  process_ = std::make_unique<ChildProcess>(options);
}

int AgentInstall::stop() {
  return process_ ? process_->stop(std::chrono::seconds(15)) : -1;
}

void AgentInstall::kill9() {
  process_->send_signal(SIGKILL);
  process_->wait(std::chrono::seconds(10));
}

bool AgentInstall::running() {
  return process_ && process_->running();
}

std::string AgentInstall::log() const {
  std::string text = read_file(dir_ / "agent.log");
  for (int run = 1; run <= runs_; ++run) {
    text += read_file(dir_ / ("run-" + std::to_string(run) + ".out"));
  }
  return text;
}

nlohmann::json wait_all_terminal(HubApi& api, const std::string& company_id,
                                 std::chrono::milliseconds timeout) {
  nlohmann::json results;
  bool done = poll_until(
      [&] {
        auto reply = api.get("/companies/" + company_id + "/data/history?pageSize=5000");
        if (reply.status != 200) {
          return false;
        }
        results = reply.body["results"];
        if (results.empty()) {
          return false;
        }
        for (const auto& dataset : results) {
          if (!is_terminal(dataset["status"].get<std::string>())) {
            return false;
          }
        }
        return true;
      },
      timeout, std::chrono::milliseconds(100));
  return done ? results : nlohmann::json::array();
}

nlohmann::json wait_dataset(HubApi& api, const std::string& company_id,
                            const std::string& dataset_id, const std::string& status,
                            std::chrono::milliseconds timeout) {
  nlohmann::json dataset;
  poll_until(
      [&] {
        dataset = api.dataset(company_id, dataset_id);
        if (!dataset.is_object() || !dataset.contains("status")) {
          return false;
        }
        auto now = dataset["status"].get<std::string>();
        return now == status || is_terminal(now);
      },
      timeout, std::chrono::milliseconds(50));
  return dataset;
}

std::vector<nlohmann::json> fetch_all(HubApi& api, const std::string& company_id,
                                      const std::string& path) {
  std::vector<nlohmann::json> records;
  for (int page = 1;; ++page) {
    auto reply = api.get("/companies/" + company_id + "/" + path +
                         "?pageSize=5000&page=" + std::to_string(page));
    if (reply.status != 200) {
      ADD_FAILURE() << path << ": " << reply.status << " " << reply.text;
      return records;
    }
    for (auto& record : reply.body["results"]) {
      records.push_back(record);
    }
    if (static_cast<long>(records.size()) >= reply.body["totalResults"].get<long>() ||
        reply.body["results"].empty()) {
      return records;
    }
  }
}

nlohmann::json latest_dataset(HubApi& api, const std::string& company_id,
                              const std::string& data_type) {
  auto reply = api.get("/companies/" + company_id +
                       "/data/history?pageSize=1&orderBy=-requested&query=dataType%3D" + data_type);
  if (reply.status != 200 || reply.body["results"].empty()) {
    return nullptr;
  }
  return reply.body["results"][0];
}

}  // namespace bookbridge::testing
