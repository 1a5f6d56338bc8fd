// The link store keeps one LinkRecord per source as a single JSON document in the secret store,
// so the credential and the identity it belongs to are replaced together, atomically.

#include "state/link_store.h"

#include <nlohmann/json.hpp>

#include "platform/secret_store.h"

namespace bookbridge::agent::state {
namespace {

constexpr int kFormat = 1;

}  // namespace

std::optional<LinkRecord> load_link(const std::filesystem::path& state_dir,
                                    const std::string& source) {
  auto text = platform::SecretStore(state_dir).load(source);
  if (!text) {
    return std::nullopt;
  }
  auto json = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object() || json.value("format", 0) != kFormat) {
    return std::nullopt;
  }
  auto field = [&](const char* key) {
    auto it = json.find(key);
    return it != json.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  LinkRecord record{field("credential"), field("hubUrl"),      field("connectionId"),
                    field("companyId"),  field("companyName"), field("platformKey"),
                    field("linkedAt")};
  if (record.credential.empty()) {
    return std::nullopt;
  }
  return record;
}

std::error_code save_link(const std::filesystem::path& state_dir, const std::string& source,
                          const LinkRecord& record) {
  nlohmann::json json = {
      {"format", kFormat},
      {"credential", record.credential},
      {"hubUrl", record.hub_url},
      {"connectionId", record.connection_id},
      {"companyId", record.company_id},
      {"companyName", record.company_name},
      {"platformKey", record.platform_key},
      {"linkedAt", record.linked_at},
  };
  return platform::SecretStore(state_dir).save(
      source, json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

std::error_code remove_link(const std::filesystem::path& state_dir, const std::string& source) {
  return platform::SecretStore(state_dir).remove(source);
}

}  // namespace bookbridge::agent::state
