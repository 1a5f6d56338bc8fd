#pragma once

// The process-wide shutdown request behind request_shutdown() (run.h). Signal handlers, the
// Windows service control handler and tests all end up here.

#include <chrono>

namespace bookbridge::agent::runtime {

/// Clears an earlier request (start of run_agent).
void reset_shutdown();
bool shutdown_requested();
/// Waits up to `timeout`; returns true as soon as shutdown is requested.
bool wait_for_shutdown(std::chrono::milliseconds timeout);

}  // namespace bookbridge::agent::runtime
