#include "pipeline/page_codec.h"

#include <openssl/evp.h>
#include <zstd.h>

#include <array>
#include <memory>

namespace bookbridge::agent::pipeline {

std::string sha256_hex(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0x0f]);
  }
  return hex;
}

boost::system::result<std::string, std::error_code> zstd_compress(std::string_view bytes,
                                                                  int level) {
  std::string out(ZSTD_compressBound(bytes.size()), '\0');
  const std::size_t size = ZSTD_compress(out.data(), out.size(), bytes.data(), bytes.size(), level);
  if (ZSTD_isError(size)) {
    return std::make_error_code(std::errc::not_enough_memory);
  }
  out.resize(size);
  return out;
}

boost::system::result<std::string, std::error_code> zstd_decompress(std::string_view compressed,
                                                                    std::size_t max_bytes) {
  // Streaming decompression: the frame's declared size is not trusted.
  std::unique_ptr<ZSTD_DCtx, decltype(&ZSTD_freeDCtx)> ctx(ZSTD_createDCtx(), &ZSTD_freeDCtx);
  if (!ctx) {
    return std::make_error_code(std::errc::not_enough_memory);
  }
  std::string out;
  std::array<char, 64 * 1024> chunk{};
  ZSTD_inBuffer in{compressed.data(), compressed.size(), 0};
  for (;;) {
    ZSTD_outBuffer buffer{chunk.data(), chunk.size(), 0};
    const std::size_t consumed_before = in.pos;
    const std::size_t ret = ZSTD_decompressStream(ctx.get(), &buffer, &in);
    if (ZSTD_isError(ret)) {
      return std::make_error_code(std::errc::invalid_argument);
    }
    out.append(chunk.data(), buffer.pos);
    if (out.size() > max_bytes) {
      return std::make_error_code(std::errc::value_too_large);
    }
    if (ret == 0 && in.pos == in.size) {
      break;  // every frame decoded and flushed
    }
    if (buffer.pos == 0 && in.pos == consumed_before) {
      return std::make_error_code(std::errc::invalid_argument);  // truncated frame
    }
  }
  return out;
}

void PageBuilder::add(const nlohmann::json& record) {
  // Invalid UTF-8 from a source is replaced rather than aborting the page.
  buffer_ += record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  buffer_ += '\n';
  ++records_;
}

boost::system::result<EncodedPage, std::error_code> PageBuilder::finish() {
  EncodedPage page;
  page.records = records_;
  page.raw_bytes = buffer_.size();
  page.sha256 = sha256_hex(buffer_);
  auto compressed = zstd_compress(buffer_);
  if (!compressed) {
    return compressed.error();
  }
  page.compressed = std::move(*compressed);
  buffer_.clear();
  records_ = 0;
  return page;
}

bool for_each_record(std::string_view ndjson,
                     const std::function<bool(nlohmann::json&&)>& on_record) {
  std::size_t start = 0;
  while (start < ndjson.size()) {
    std::size_t end = ndjson.find('\n', start);
    if (end == std::string_view::npos) {
      end = ndjson.size();
    }
    const auto line = ndjson.substr(start, end - start);
    start = end + 1;
    if (line.empty()) {
      continue;
    }
    auto record = nlohmann::json::parse(line, nullptr, false);
    if (record.is_discarded() || !record.is_object()) {
      return false;
    }
    if (!on_record(std::move(record))) {
      return false;
    }
  }
  return true;
}

}  // namespace bookbridge::agent::pipeline
