#pragma once

// Spool/upload pages: newline-delimited JSON records, zstd-compressed, identified by the hex
// SHA-256 of the uncompressed bytes (docs/protocol.md, PUT .../pages/{n}).

#include <boost/system/result.hpp>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <system_error>

namespace bookbridge::agent::pipeline {

/// The hub's limits: at most 1,000 records per page; we cut pages at ~1 MiB of NDJSON so that
/// memory per dataset stays at one page whatever the record size.
inline constexpr std::size_t kMaxPageRecords = 1000;
inline constexpr std::size_t kMaxPageBytes = 1024 * 1024;
/// Decompression limit when reading a page back (the hub's 8 MiB compressed limit allows more,
/// but our own pages never exceed ~1 MiB plus one record).
inline constexpr std::size_t kMaxDecodedPageBytes = 64 * 1024 * 1024;

std::string sha256_hex(std::string_view bytes);

boost::system::result<std::string, std::error_code> zstd_compress(std::string_view bytes,
                                                                  int level = 3);
/// Fails (invalid_argument) on corrupt input or output larger than `max_bytes`.
boost::system::result<std::string, std::error_code> zstd_decompress(
    std::string_view compressed, std::size_t max_bytes = kMaxDecodedPageBytes);

struct EncodedPage {
  std::uint64_t records = 0;
  std::size_t raw_bytes = 0;
  std::string sha256;      ///< hex, of the uncompressed NDJSON
  std::string compressed;  ///< zstd frame
};

/// Collects records into one NDJSON page.
class PageBuilder {
 public:
  explicit PageBuilder(std::size_t max_records = kMaxPageRecords,
                       std::size_t max_bytes = kMaxPageBytes)
      : max_records_(max_records), max_bytes_(max_bytes) {}

  void add(const nlohmann::json& record);
  /// True once the page should be cut (record or byte limit reached).
  bool full() const { return records_ >= max_records_ || buffer_.size() >= max_bytes_; }
  bool empty() const { return records_ == 0; }
  std::uint64_t records() const { return records_; }
  /// Compresses and hashes the page, then starts an empty one.
  boost::system::result<EncodedPage, std::error_code> finish();

 private:
  std::size_t max_records_;
  std::size_t max_bytes_;
  std::string buffer_;
  std::uint64_t records_ = 0;
};

/// Calls `on_record` for each line of an NDJSON page; stops and returns false when a line is
/// not a JSON object or `on_record` returns false.
bool for_each_record(std::string_view ndjson,
                     const std::function<bool(nlohmann::json&&)>& on_record);

}  // namespace bookbridge::agent::pipeline
