#pragma once

// Integration harness for the agent runtime: real GnuCash books (made by GnuCash itself through
// tests/tools/gnucash/make_book.py), the real hub over TLS, and the real agent binary driven
// through its CLI (link, run, read, status) with a generated config file.

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "support/child_process.h"
#include "support/hub_api.h"
#include "support/hub_process.h"
#include "support/temp_dir.h"

namespace bookbridge::testing {

/// Books generated once per test binary and copied per test.
class Books {
 public:
  /// The "small" profile (a handful of records of every kind).
  static std::filesystem::path small();
  /// "small" plus 3000 bulk transactions (3007 journal entries).
  static std::filesystem::path big();
  /// Copies a cached book to `to`.
  static void copy(const std::filesystem::path& book, const std::filesystem::path& to);
};

struct AgentSource {
  std::string name;
  std::filesystem::path book;
};

struct AgentOptions {
  std::string transport = "auto";
  int lease_seconds = 60;
  int poll_interval_seconds = 5;
  int page_records = 0;  ///< 0: the default (1000 per page)
};

class Agent {
 public:
  Agent(const HubProcess& hub, std::vector<AgentSource> sources, AgentOptions options = {});
  ~Agent();

  const std::filesystem::path& state_dir() const { return state_dir_; }
  RunResult cli(std::vector<std::string> args);
  RunResult link(const std::string& link_url, const std::string& source);
  void start();
  /// SIGTERM; returns the exit code (and how long the agent took in `elapsed`).
  int stop(std::chrono::milliseconds* elapsed = nullptr);
  void kill9();
  bool running();
  std::string log() const;

 private:
  TempDir dir_;
  std::filesystem::path config_;
  std::filesystem::path state_dir_;
  AgentOptions options_;
  std::unique_ptr<ChildProcess> process_;
  int runs_ = 0;
};

/// A company with one gnucash connection; `link_url` from the connection.
struct Company {
  std::string id;
  std::string connection_id;
  std::string link_url;
};
Company make_company(HubApi& api, const std::string& name);

/// Every dataset of the company (newest first).
std::vector<nlohmann::json> datasets(HubApi& api, const std::string& company_id);
/// The newest dataset of `data_type`, or null.
nlohmann::json find_dataset(HubApi& api, const std::string& company_id,
                            const std::string& data_type);
/// Polls until `predicate(dataset)` holds for the newest dataset of `data_type`.
bool wait_for_dataset(HubApi& api, const std::string& company_id, const std::string& data_type,
                      const std::function<bool(const nlohmann::json&)>& predicate,
                      std::chrono::milliseconds timeout);
/// Polls until every dataset of the company is terminal; returns {dataType: status}.
std::map<std::string, std::string> wait_all_terminal(HubApi& api, const std::string& company_id,
                                                     std::chrono::milliseconds timeout);
/// Every record of /companies/{id}/data/{path} (follows paging).
std::vector<nlohmann::json> fetch_all(HubApi& api, const std::string& company_id,
                                      const std::string& path);
/// The ids printed by `bookbridge-agent read` for a data type (the source's records).
std::multiset<std::string> local_ids(Agent& agent, const std::string& source,
                                     const std::string& data_type);
std::multiset<std::string> ids_of(const std::vector<nlohmann::json>& records);

bool is_terminal_status(const std::string& status);

}  // namespace bookbridge::testing
