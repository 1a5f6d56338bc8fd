#pragma once

// Small pieces shared by run_agent, dry_run and print_status.

#include <cstddef>
#include <string>

#include "config/agent_config.h"
#include "readers/registry.h"

namespace bookbridge::agent::runtime {

/// The registry with every built-in reader.
void fill_registry(readers::ReaderRegistry& registry);

/// Records per page: 1000 (the hub's limit), or BOOKBRIDGE_AGENT_PAGE_RECORDS (1..1000), an
/// advanced knob for tests that want many pages from a small book.
std::size_t page_records_from_env();

/// The `sources[]` entry handed to a reader factory: the reader's own keys plus name, reader
/// and dataTypes.
nlohmann::json reader_entry(const config::SourceConfig& source);

const config::SourceConfig* find_source(const config::AgentConfig& config, const std::string& name);

}  // namespace bookbridge::agent::runtime
