#pragma once

// The platforms agents can read (Codat "integrations"). Keys name the agent's readers.

#include <optional>
#include <span>
#include <string_view>

namespace bookbridge::hub::core {

struct Integration {
  std::string_view key;             ///< platformKey, e.g. "gnucash"
  std::string_view name;            ///< platformName, e.g. "GnuCash"
  std::string_view integration_id;  ///< stable uuid
  std::string_view source_id;       ///< stable uuid
  std::string_view source_type;     ///< "Accounting"
};

std::span<const Integration> integrations();
std::optional<Integration> find_integration(std::string_view key);

}  // namespace bookbridge::hub::core
