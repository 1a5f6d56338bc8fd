#pragma once

// What `bookbridge-agent link` leaves behind for one source: the agent credential (secret) and
// the identity of the connection it belongs to. Stored through platform::SecretStore (0600 file
// in a 0700 dir under the state dir), one per source name.

#include <filesystem>
#include <optional>
#include <string>
#include <system_error>

namespace bookbridge::agent::state {

struct LinkRecord {
  std::string credential;  ///< "bbk_..." — never print or log
  std::string hub_url;     ///< https://host:port the credential belongs to
  std::string connection_id;
  std::string company_id;
  std::string company_name;
  std::string platform_key;  ///< reader name
  std::string linked_at;     ///< ISO 8601 UTC
};

std::optional<LinkRecord> load_link(const std::filesystem::path& state_dir,
                                    const std::string& source);
std::error_code save_link(const std::filesystem::path& state_dir, const std::string& source,
                          const LinkRecord& record);
std::error_code remove_link(const std::filesystem::path& state_dir, const std::string& source);

}  // namespace bookbridge::agent::state
