#include "runtime/run.h"

#include <memory>
#include <thread>
#include <vector>

#include "cli/version.h"
#include "config/config_loader.h"
#include "runtime/agent_setup.h"
#include "runtime/capacity.h"
#include "runtime/log.h"
#include "runtime/shutdown.h"
#include "runtime/source_worker.h"
#include "state/state_db.h"

namespace bookbridge::agent {
namespace {

using namespace std::chrono_literals;

constexpr auto kWatchdogPeriod = 2s;
// Shutdown budget (the service manager allows 10 s): readers stop at once; uploads may finish
// for up to kUploadGrace; then everything still running is aborted and released.
constexpr auto kUploadGrace = 6s;
constexpr auto kAbortGrace = 2s;

bool wait_idle(const std::vector<std::unique_ptr<runtime::SourceWorker>>& workers,
               std::chrono::steady_clock::time_point deadline) {
  for (;;) {
    bool idle = true;
    for (const auto& worker : workers) {
      idle = idle && worker->idle();
    }
    if (idle) {
      return true;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return false;
    }
    std::this_thread::sleep_for(20ms);  // a shutdown-time check, not a wait for a result
  }
}

}  // namespace

int run_agent(const config::AgentConfig& config, const RunHooks& hooks) {
  runtime::reset_shutdown();
  runtime::SourceLog log("");
  log.info(
      "{} starting: hub {}, state dir {}, transport {}, {} source(s), at most {} "
      "dataset(s) at a time",
      version_line(), config.hub.url, config.state_dir.string(),
      config::to_string(config.transport), config.sources.size(), config.max_concurrent_datasets);
  for (const auto& source : config.sources) {
    log.info("source {}: reader {}", source.name, source.reader);
  }

  std::error_code ec;
  std::filesystem::create_directories(config.state_dir, ec);
  if (ec) {
    log.error("cannot create the state directory {}: {}", config.state_dir.string(), ec.message());
    return 1;
  }
  auto db = state::StateDb::open(config.state_dir);
  if (!db) {
    log.error("cannot open the state database {}: {}",
              state::StateDb::file_in(config.state_dir).string(), db.error().message());
    return 1;
  }

  readers::ReaderRegistry registry;
  runtime::fill_registry(registry);
  runtime::Capacity capacity(std::max(1, config.max_concurrent_datasets));
  runtime::WorkerShared shared{&config, &registry, db->get(), &capacity,
                               runtime::page_records_from_env()};
  std::vector<std::unique_ptr<runtime::SourceWorker>> workers;
  for (const auto& source : config.sources) {
    workers.push_back(std::make_unique<runtime::SourceWorker>(shared, source));
  }
  // A finished dataset frees capacity for every source.
  capacity.add_listener([&workers] {
    for (auto& worker : workers) {
      worker->wake();
    }
  });
  for (auto& worker : workers) {
    worker->start();
  }
  if (hooks.on_ready) {
    hooks.on_ready();
  }
  log.info("running");

  while (!runtime::wait_for_shutdown(kWatchdogPeriod)) {
    if (hooks.on_watchdog) {
      hooks.on_watchdog();
    }
  }

  if (hooks.on_stopping) {
    hooks.on_stopping();
  }
  log.info("shutting down: no new work; stopping readers and handing unfinished datasets back");
  const auto began = std::chrono::steady_clock::now();
  for (auto& worker : workers) {
    worker->begin_shutdown();
  }
  if (!wait_idle(workers, began + kUploadGrace)) {
    log.info("uploads still running: aborting and releasing them");
    for (auto& worker : workers) {
      worker->hard_stop();
    }
    if (!wait_idle(workers, began + kUploadGrace + kAbortGrace)) {
      log.warn("some datasets did not stop in time; they resume on the next start");
    }
  }
  for (auto& worker : workers) {
    worker->cancel_network();
  }
  for (auto& worker : workers) {
    worker->join();
  }
  workers.clear();
  log.info("stopped ({:.1f} s)",
           std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count());
  return 0;
}

}  // namespace bookbridge::agent
