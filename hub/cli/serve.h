#pragma once

#include "cli/options.h"

namespace bookbridge::hub::cli {

/// Runs the hub until SIGTERM/SIGINT. 0 on a clean stop, 1 when it cannot start.
int run_serve(const ServeOptions& options);

}  // namespace bookbridge::hub::cli
