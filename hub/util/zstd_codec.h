#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace bookbridge::hub {

/// Decompresses a zstd stream (one or more frames). Refuses output larger than `max_output`
/// (zip-bomb guard) and undecodable input; `error` says which.
std::optional<std::string> zstd_decompress(std::string_view input, std::size_t max_output,
                                           std::string* error);

std::string zstd_compress(std::string_view input, int level = 3);

}  // namespace bookbridge::hub
