#include "config/config_docs.h"

#include <sstream>
#include <string_view>

#include "config/agent_options.h"
#include "readers/registry.h"

namespace bookbridge::agent::config {
namespace {

std::string escape_cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string type_cell(const OptionSpec& row) {
  std::string text(type_name(row.type));
  if (row.type == OptionType::integer && (row.min_value != 0 || row.max_value != 0)) {
    text += " (" + std::to_string(row.min_value) + "–" + std::to_string(row.max_value) + ")";
  }
  if (row.type == OptionType::enumeration && !row.allowed.empty()) {
    text += ": ";
    std::string_view allowed = row.allowed;
    bool first = true;
    while (!allowed.empty()) {
      auto bar = allowed.find('|');
      text += (first ? "`" : ", `") + std::string(allowed.substr(0, bar)) + "`";
      first = false;
      allowed = bar == std::string_view::npos ? std::string_view() : allowed.substr(bar + 1);
    }
  }
  return text;
}

std::string default_cell(const OptionSpec& row) {
  if (row.required) {
    return "*required*";
  }
  return row.default_value.empty() ? "—" : "`" + std::string(row.default_value) + "`";
}

void table(std::ostringstream& out, const std::vector<OptionSpec>& rows) {
  out << "| Option | Type | Default | Meaning |\n";
  out << "|---|---|---|---|\n";
  for (const auto& row : rows) {
    out << "| `" << row.path << "` | " << escape_cell(type_cell(row)) << " | "
        << escape_cell(default_cell(row)) << " | " << escape_cell(row.description) << " |\n";
  }
}

}  // namespace

std::string render_config_docs(const readers::ReaderRegistry& registry) {
  std::ostringstream out;
  out << "# Agent configuration\n\n"
      << "<!-- Generated from the option tables by `bookbridge-agent config-docs`; regenerate "
         "with\n"
      << "     `cmake --build BUILD --target config-docs`. Do not edit by hand: a unit test\n"
      << "     fails when this file and the tables disagree. -->\n\n"
      << "`bookbridge-agent` reads one JSON file. Which one: `--config FILE` when given, else the\n"
      << "environment variable `BOOKBRIDGE_AGENT_CONFIG`, else the OS default\n"
      << "(`/etc/bookbridge/agent.json`; `%ProgramData%\\Bookbridge\\agent.json` on Windows).\n\n"
      << "- `//` and `/* */` comments are allowed.\n"
      << "- Unknown keys are errors (with a \"did you mean\" hint), so a typo never silently "
         "falls\n  back to a default.\n"
      << "- Relative paths resolve against the directory of the config file.\n"
      << "- `bookbridge-agent check-config` prints every problem at once, each with its line "
         "and\n  JSON path, e.g. `agent.json:12: sources[1].path: file does not exist: ...`; it "
         "exits 0\n  when the file is valid. `run` refuses to start with an invalid file.\n"
      << "- A commented example lives in `installer/agent.example.json`.\n\n";

  out << "## Agent options\n\n";
  std::vector<OptionSpec> agent_rows(agent_options().begin(), agent_options().end());
  table(out, agent_rows);

  out << "\n## Reader options\n\n"
      << "Besides `name`, `reader` and `dataTypes`, a `sources[]` entry takes the options of its\n"
      << "reader, and only those.\n";
  for (const auto& name : registry.names()) {
    const auto* factory = registry.find(name);
    out << "\n### `" << name << "`\n\n" << factory->description << "\n\n";
    std::vector<OptionSpec> rows(factory->options.begin(), factory->options.end());
    if (rows.empty()) {
      out << "No options of its own.\n";
    } else {
      table(out, rows);
    }
  }

  out << "\n## Data types\n\n"
      << "Keys accepted in `sources[].dataTypes`:";
  bool first = true;
  for (const auto& info : model::all_data_types()) {
    out << (first ? " `" : ", `") << info.key << "`";
    first = false;
  }
  out << ".\n";

  out << "\n## Running as a service\n\n"
      << "- Linux: `sudo installer/install-agent.sh` installs the binary, the `bookbridge` user,\n"
      << "  `/etc/bookbridge` (0750) with this example, the state dir (0700) and\n"
      << "  `service-scripts/bookbridge-agent.service` (`Type=notify` with a watchdog, restart on\n"
      << "  failure, `check-config` before every start, read-only view of the system). Link as "
         "the\n"
      << "  service user: `sudo -u bookbridge bookbridge-agent link '<linkUrl>' --source NAME` "
         "(run\n"
      << "  as root, the credential is handed to the owner of `stateDir`).\n"
      << "- Windows: `service-scripts/install-agent-service.ps1` (elevated) checks the config and\n"
      << "  registers the service with restart-on-failure recovery; credentials are "
         "DPAPI-protected\n"
      << "  and readable by SYSTEM and Administrators only.\n"
      << "- Credentials live in `stateDir/credentials/NAME.secret`; they are never printed or "
         "logged.\n  `bookbridge-agent unlink --source NAME` revokes one at the hub and deletes "
         "it.\n";

  out << "\n## Exit codes\n\n"
      << "| Code | Meaning |\n|---|---|\n"
      << "| 0 | Success (`check-config`: the file is valid). |\n"
      << "| 1 | The command failed: the hub refused, a read failed, validation found errors; "
         "`check-config`: the file has problems (all printed). |\n"
      << "| 2 | Usage or configuration problem: bad arguments; for every command but "
         "`check-config`, an invalid or missing config file. |\n";
  return out.str();
}

}  // namespace bookbridge::agent::config
