#include "readers/registry.h"

namespace bookbridge::readers {

bool ReaderRegistry::add(ReaderFactory factory) {
  if (factory.name.empty() || factories_.contains(factory.name)) {
    return false;
  }
  std::string name = factory.name;
  factories_.emplace(std::move(name), std::move(factory));
  return true;
}

const ReaderFactory* ReaderRegistry::find(std::string_view name) const {
  const auto it = factories_.find(name);
  return it == factories_.end() ? nullptr : &it->second;
}

std::vector<std::string> ReaderRegistry::names() const {
  std::vector<std::string> names;
  names.reserve(factories_.size());
  for (const auto& [name, factory] : factories_) {
    names.push_back(name);
  }
  return names;
}

}  // namespace bookbridge::readers
