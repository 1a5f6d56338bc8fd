#pragma once

// Finds the elements of a top-level array member in JSON text without re-serialising anything,
// so numbers keep the exact text the agent sent.

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

namespace bookbridge::hub {

struct Span {
  std::size_t begin = 0;
  std::size_t end = 0;  ///< one past the last character
};

struct ArrayMember {
  Span array;                  ///< "[ ... ]" including the brackets
  std::vector<Span> elements;  ///< each element's text
};

/// `document` must be a JSON object (already validated); nullopt when `key` is absent or its
/// value is not an array.
std::optional<ArrayMember> find_array_member(std::string_view document, std::string_view key);

}  // namespace bookbridge::hub
