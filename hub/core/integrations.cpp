#include "core/integrations.h"

#include <array>

namespace bookbridge::hub::core {
namespace {

constexpr std::array kIntegrations{
    Integration{"gnucash", "GnuCash", "6c1f3b2e-4f0a-4b8e-9d43-2a1e5c7b9f01",
                "b8e2a7d4-1c3f-4e5a-8b6d-9f0a1c2e3d41", "Accounting"},
};

}  // namespace

std::span<const Integration> integrations() {
  return kIntegrations;
}

std::optional<Integration> find_integration(std::string_view key) {
  for (const auto& integration : kIntegrations) {
    if (integration.key == key) {
      return integration;
    }
  }
  return std::nullopt;
}

}  // namespace bookbridge::hub::core
