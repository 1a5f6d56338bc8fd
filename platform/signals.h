#pragma once

// Shutdown requests from the outside world. POSIX: SIGTERM and SIGINT call `on_shutdown` (from
// the signal handler: it must be async-signal-safe); a second SIGINT ends the process at once
// (an impatient person at a terminal). SIGPIPE is ignored so a closed socket is an error code,
// not a dead process. Windows: Ctrl+C, Ctrl+Break and console close call `on_shutdown`.

namespace bookbridge::platform {

using ShutdownCallback = void (*)();

/// Installs the handlers (replacing earlier ones); safe to call more than once.
void install_shutdown_handlers(ShutdownCallback on_shutdown);

/// Only the SIGPIPE part (no-op on Windows); for tools that want no other handlers.
void ignore_broken_pipe();

}  // namespace bookbridge::platform
