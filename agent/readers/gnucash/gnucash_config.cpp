#include "readers/gnucash/gnucash_config.h"

#include <array>
#include <nlohmann/json.hpp>

namespace bookbridge::readers::gnucash {
namespace {

using agent::config::OptionSpec;
using agent::config::OptionType;

constexpr std::array kOptions{
    OptionSpec{"sources[].path", OptionType::path, "", true,
               "The GnuCash book (.gnucash file): SQLite, compressed XML or plain XML, detected by "
               "content. Opened read-only; GnuCash may have it open at the same time."},
};

}  // namespace

std::span<const OptionSpec> options() {
  return kOptions;
}

void validate(const nlohmann::json& source, const std::string& json_path,
              std::vector<ConfigProblem>& problems) {
  const std::string key_path = json_path + ".path";
  const auto it = source.find("path");
  if (it == source.end()) {
    problems.push_back({key_path, "required: the path of the GnuCash book (.gnucash file)"});
  } else if (!it->is_string()) {
    problems.push_back(
        {key_path, "expected a string (a file path), got " + std::string(it->type_name())});
  } else if (it->get<std::string>().empty()) {
    problems.push_back({key_path, "is empty: give the path of the GnuCash book (.gnucash file)"});
  }
  // A missing file is not a config error: the book may be on a share that is mounted later.
  // The dataset then ends FetchError naming the file.
}

GnuCashConfig parse_config(const nlohmann::json& source) {
  GnuCashConfig config;
  if (const auto it = source.find("path"); it != source.end() && it->is_string()) {
    config.path = it->get<std::string>();
  }
  return config;
}

}  // namespace bookbridge::readers::gnucash
