#include "config/agent_options.h"

#include <array>

namespace bookbridge::agent::config {
namespace {

// Defaults here are what a person reads; the typed defaults live in agent_config.h and a unit
// test keeps the two in step.
constexpr std::array kOptions{
    OptionSpec{"hub.url", OptionType::url, "", false,
               "Address of the hub, `https://HOST[:PORT]` (no path). Needed by `run` and `link`; "
               "`link` refuses a link URL that points elsewhere. Plain HTTP is not accepted: TLS "
               "is mandatory."},
    OptionSpec{"hub.caFile", OptionType::path, "", false,
               "PEM file with the certificate(s) to trust for the hub in addition to the system "
               "store: a private CA or the hub's self-signed certificate. Peer and host-name "
               "verification are always on; there is no switch to turn them off."},
    OptionSpec{"stateDir", OptionType::path, "/var/lib/bookbridge-agent", false,
               "Directory for credentials (0600 files in a 0700 directory), local dataset state "
               "and the upload spool. Windows default: `%ProgramData%\\Bookbridge\\state`."},
    OptionSpec{"transport", OptionType::enumeration, "auto", false,
               "How the agent waits for work: `websocket`, `poll` (HTTPS long-poll, for proxies "
               "that block WebSocket upgrades) or `auto` (WebSocket, falling back to poll).",
               "auto|websocket|poll"},
    OptionSpec{"pollIntervalSeconds", OptionType::integer, "25", false,
               "How long one long-poll waits at the hub, and how often an idle agent re-checks "
               "for work.",
               "", 5, 300},
    OptionSpec{"maxConcurrentDatasets", OptionType::integer, "2", false,
               "Datasets worked on at the same time, across all sources.", "", 1, 16},
    OptionSpec{"leaseSeconds", OptionType::integer, "60", false,
               "Lease the agent asks for when it claims a dataset; renewed every third of it. A "
               "dataset whose agent vanished is handed out again after this long.",
               "", 15, 600},
    OptionSpec{"log.level", OptionType::enumeration, "info", false,
               "Least severe messages written. `--log-level` overrides it.",
               "trace|debug|info|warn|error"},
    OptionSpec{"log.format", OptionType::enumeration, "text", false,
               "`text` (one readable line per event) or `json` (one JSON object per line).",
               "text|json"},
    OptionSpec{"log.file", OptionType::path, "", false,
               "Append logs to this file instead of standard error (standard error ends up in "
               "the journal under systemd). Rotated at 10 MiB, 5 files kept."},
    OptionSpec{"sources", OptionType::object_list, "", true,
               "The books this agent serves, at least one. Each source is linked to its own "
               "connection (`bookbridge-agent link`); one source failing never stops the others."},
    OptionSpec{"sources[].name", OptionType::string, "", true,
               "Unique name of the source: 1-64 letters, digits, `.`, `_` or `-`, starting with a "
               "letter or digit. Names it in "
               "logs, `status`, and the `--source` option of `link`, `unlink` and `read`."},
    OptionSpec{"sources[].reader", OptionType::enumeration, "", true,
               "Which reader reads this source (see the reader options below)."},
    OptionSpec{"sources[].dataTypes", OptionType::string_list, "", false,
               "Allow-list of data types (Codat keys, e.g. `invoices`) the agent may sync for this "
               "source. Datasets of other types end `NotSupported`. Default: all the reader "
               "supports."},
};

}  // namespace

std::span<const OptionSpec> agent_options() {
  return kOptions;
}

const OptionSpec* find_agent_option(std::string_view path) {
  for (const auto& option : kOptions) {
    if (option.path == path) {
      return &option;
    }
  }
  return nullptr;
}

std::string_view type_name(OptionType type) {
  switch (type) {
    case OptionType::string:
      return "string";
    case OptionType::path:
      return "path";
    case OptionType::url:
      return "URL";
    case OptionType::integer:
      return "integer";
    case OptionType::boolean:
      return "boolean";
    case OptionType::enumeration:
      return "enum";
    case OptionType::string_list:
      return "list of strings";
    case OptionType::object_list:
      return "list of objects";
  }
  return "value";
}

}  // namespace bookbridge::agent::config
