#include "runtime_env.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <mutex>
#include <sstream>

namespace bookbridge::testing {
namespace {

const std::filesystem::path& book_dir() {
  static TempDir dir("bookbridge-runtime-books");
  return dir.path();
}

std::filesystem::path make_book(const std::string& name, const std::vector<std::string>& extra) {
  const auto out = book_dir() / name;
  ProcessOptions options;
  options.args = {"/usr/bin/python3",
                  std::string(BOOKBRIDGE_SOURCE_DIR) + "/tests/tools/gnucash/make_book.py",
                  "--out",
                  out.string(),
                  "--format",
                  "sqlite",
                  "--profile",
                  "small"};
  options.args.insert(options.args.end(), extra.begin(), extra.end());
  options.output_file = book_dir() / (name + ".log");
  const auto result = run_program(options, std::chrono::seconds(120));
  if (result.exit_code != 0) {
    ADD_FAILURE() << "make_book.py failed (" << result.exit_code << "): " << result.output;
  }
  return out;
}

}  // namespace

std::filesystem::path Books::small() {
  static std::once_flag once;
  static std::filesystem::path path;
  std::call_once(once, [] { path = make_book("small.gnucash", {}); });
  return path;
}

std::filesystem::path Books::big() {
  static std::once_flag once;
  static std::filesystem::path path;
  std::call_once(once, [] { path = make_book("big.gnucash", {"--transactions", "3000"}); });
  return path;
}

void Books::copy(const std::filesystem::path& book, const std::filesystem::path& to) {
  std::filesystem::copy_file(book, to, std::filesystem::copy_options::overwrite_existing);
}

Agent::Agent(const HubProcess& hub, std::vector<AgentSource> sources, AgentOptions options)
    : dir_("bookbridge-runtime-agent"),
      config_(dir_ / "agent.json"),
      state_dir_(dir_ / "state"),
      options_(options) {
  nlohmann::json config{{"hub", {{"url", hub.url()}, {"caFile", hub.ca_file().string()}}},
                        {"stateDir", state_dir_.string()},
                        {"transport", options.transport},
                        {"leaseSeconds", options.lease_seconds},
                        {"pollIntervalSeconds", options.poll_interval_seconds},
                        {"sources", nlohmann::json::array()}};
  for (const auto& source : sources) {
    config["sources"].push_back(
        {{"name", source.name}, {"reader", "gnucash"}, {"path", source.book.string()}});
  }
  write_file(config_, config.dump(2));
}

Agent::~Agent() {
  if (process_ && process_->running()) {
    process_->stop(std::chrono::seconds(10));
  }
}

RunResult Agent::cli(std::vector<std::string> args) {
  ProcessOptions options;
  options.args = {BOOKBRIDGE_AGENT_BINARY, "--config", config_.string()};
  options.args.insert(options.args.end(), args.begin(), args.end());
  options.output_file = dir_ / ("cli-" + std::to_string(runs_++) + ".log");
  return run_program(options, std::chrono::seconds(60));
}

RunResult Agent::link(const std::string& link_url, const std::string& source) {
  return cli({"link", link_url, "--source", source});
}

void Agent::start() {
  ProcessOptions options;
  options.args = {BOOKBRIDGE_AGENT_BINARY, "--config", config_.string(), "run"};
  options.output_file = dir_ / "agent.log";
  if (options_.page_records > 0) {
    options.env["BOOKBRIDGE_AGENT_PAGE_RECORDS"] = std::to_string(options_.page_records);
  }
  process_ = std::make_unique<ChildProcess>(options);
}

int Agent::stop(std::chrono::milliseconds* elapsed) {
  const auto began = std::chrono::steady_clock::now();
  process_->send_signal(SIGTERM);
  auto code = process_->wait(std::chrono::seconds(15));
  if (elapsed != nullptr) {
    *elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - began);
  }
  if (!code) {
    return process_->stop(std::chrono::seconds(1));
  }
  return *code;
}

void Agent::kill9() {
  process_->send_signal(SIGKILL);
  process_->wait(std::chrono::seconds(10));
}

bool Agent::running() {
  return process_ && process_->running();
}

std::string Agent::log() const {
  return read_file(dir_ / "agent.log");
}

Company make_company(HubApi& api, const std::string& name) {
  Company company;
  company.id = api.create_company(name);
  const auto connection = api.create_connection(company.id);
  company.connection_id = connection.value("id", "");
  company.link_url = connection.value("linkUrl", "");
  return company;
}

std::vector<nlohmann::json> datasets(HubApi& api, const std::string& company_id) {
  std::vector<nlohmann::json> all;
  for (int page = 1;; ++page) {
    auto reply = api.get("/companies/" + company_id +
                         "/data/history?pageSize=500&page=" + std::to_string(page));
    if (reply.status != 200 || !reply.body.contains("results")) {
      break;
    }
    for (auto& item : reply.body["results"]) {
      all.push_back(item);
    }
    if (!reply.body["_links"].contains("next")) {
      break;
    }
  }
  return all;
}

nlohmann::json find_dataset(HubApi& api, const std::string& company_id,
                            const std::string& data_type) {
  nlohmann::json newest;
  for (auto& item : datasets(api, company_id)) {
    if (item.value("dataType", "") == data_type &&
        (newest.is_null() || item.value("requested", "") > newest.value("requested", ""))) {
      newest = item;
    }
  }
  return newest;
}

bool wait_for_dataset(HubApi& api, const std::string& company_id, const std::string& data_type,
                      const std::function<bool(const nlohmann::json&)>& predicate,
                      std::chrono::milliseconds timeout) {
  return poll_until(
      [&] {
        auto dataset = find_dataset(api, company_id, data_type);
        return !dataset.is_null() && predicate(dataset);
      },
      timeout, std::chrono::milliseconds(25));
}

bool is_terminal_status(const std::string& status) {
  return status == "Complete" || status == "NotSupported" || status == "Cancelled" ||
         status.ends_with("Error");
}

std::map<std::string, std::string> wait_all_terminal(HubApi& api, const std::string& company_id,
                                                     std::chrono::milliseconds timeout) {
  std::map<std::string, std::string> statuses;
  poll_until(
      [&] {
        statuses.clear();
        auto all = datasets(api, company_id);
        bool done = !all.empty();
        for (auto& item : all) {
          const auto status = item.value("status", "");
          statuses[item.value("dataType", "")] = status;
          done = done && is_terminal_status(status);
        }
        return done;
      },
      timeout, std::chrono::milliseconds(50));
  return statuses;
}

std::vector<nlohmann::json> fetch_all(HubApi& api, const std::string& company_id,
                                      const std::string& path) {
  std::vector<nlohmann::json> all;
  for (int page = 1;; ++page) {
    auto reply = api.get("/companies/" + company_id + "/data/" + path +
                         "?pageSize=5000&page=" + std::to_string(page));
    if (reply.status != 200) {
      ADD_FAILURE() << "GET data/" << path << ": " << reply.status << " " << reply.text;
      break;
    }
    for (auto& item : reply.body["results"]) {
      all.push_back(item);
    }
    if (!reply.body["_links"].contains("next")) {
      break;
    }
  }
  return all;
}

std::multiset<std::string> local_ids(Agent& agent, const std::string& source,
                                     const std::string& data_type) {
  auto result = agent.cli({"read", "--source", source, "--data-type", data_type});
  std::multiset<std::string> ids;
  std::istringstream lines(result.output);
  std::string line;
  while (std::getline(lines, line)) {
    auto record = nlohmann::json::parse(line, nullptr, false);
    if (record.is_object() && record.contains("id")) {
      ids.insert(record["id"].get<std::string>());
    }
  }
  return ids;
}

std::multiset<std::string> ids_of(const std::vector<nlohmann::json>& records) {
  std::multiset<std::string> ids;
  for (const auto& record : records) {
    ids.insert(record.value("id", ""));
  }
  return ids;
}

}  // namespace bookbridge::testing
