#pragma once

// What the E2E tests share: real GnuCash books made by GnuCash itself (tests/tools/gnucash), the
// real hub, and the real agent binary driven through its CLI.

#include <chrono>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/child_process.h"
#include "support/hub_api.h"
#include "support/hub_process.h"
#include "support/temp_dir.h"

namespace bookbridge::testing {

/// Makes a book with tests/tools/gnucash/make_book.py (asserts success).
void make_book(const std::filesystem::path& out, const std::string& format,
               const std::string& profile, int extra_transactions = 0);
/// GnuCash's own figures for a book (tests/tools/gnucash/expected_figures.py).
nlohmann::json expected_figures(const std::filesystem::path& book);

/// One agent install: a config file, a state dir, and the real binary run through its CLI.
class AgentInstall {
 public:
  struct Source {
    std::string name;
    std::filesystem::path book;
  };
  AgentInstall(const HubProcess& hub, std::vector<Source> sources,
               const std::string& transport = "auto");

  const std::filesystem::path& config_file() const { return config_; }
  const std::filesystem::path& state_dir() const { return state_dir_; }

  /// `bookbridge-agent link URL --source NAME`.
  RunResult link(const std::string& link_url, const std::string& source);
  /// Runs any CLI command with --config.
  RunResult cli(std::vector<std::string> args);
  /// Starts `bookbridge-agent run` in the background.
  void start();
  /// SIGTERM and wait; returns the exit code.
  int stop();
  /// SIGKILL (a crash).
  void kill9();
  bool running();
  std::string log() const;

 private:
  TempDir dir_;
  std::filesystem::path config_;
  std::filesystem::path state_dir_;
  std::unique_ptr<ChildProcess> process_;
  int runs_ = 0;
};

/// Waits until every dataset of the company is terminal; returns them (empty on timeout).
nlohmann::json wait_all_terminal(HubApi& api, const std::string& company_id,
                                 std::chrono::milliseconds timeout);
/// Waits until the dataset reaches `status` (or any terminal state); returns its last JSON.
nlohmann::json wait_dataset(HubApi& api, const std::string& company_id,
                            const std::string& dataset_id, const std::string& status,
                            std::chrono::milliseconds timeout);
/// Every record of a list endpoint (follows paging).
std::vector<nlohmann::json> fetch_all(HubApi& api, const std::string& company_id,
                                      const std::string& path);
/// The one dataset of `data_type` with the latest `requested` time.
nlohmann::json latest_dataset(HubApi& api, const std::string& company_id,
                              const std::string& data_type);

}  // namespace bookbridge::testing
