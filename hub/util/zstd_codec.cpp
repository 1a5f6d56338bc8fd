#include "util/zstd_codec.h"

#include <zstd.h>

#include <memory>

namespace bookbridge::hub {

std::optional<std::string> zstd_decompress(std::string_view input, std::size_t max_output,
                                           std::string* error) {
  std::unique_ptr<ZSTD_DCtx, decltype(&ZSTD_freeDCtx)> ctx(ZSTD_createDCtx(), &ZSTD_freeDCtx);
  if (!ctx) {
    *error = "out of memory";
    return std::nullopt;
  }
  std::string out;
  std::string chunk(ZSTD_DStreamOutSize(), '\0');
  ZSTD_inBuffer in{input.data(), input.size(), 0};
  while (true) {
    ZSTD_outBuffer buffer{chunk.data(), chunk.size(), 0};
    const std::size_t ret = ZSTD_decompressStream(ctx.get(), &buffer, &in);
    if (ZSTD_isError(ret)) {
      *error = std::string("the body is not valid zstd: ") + ZSTD_getErrorName(ret);
      return std::nullopt;
    }
    if (out.size() + buffer.pos > max_output) {
      *error = "the body decompresses to more than " + std::to_string(max_output) + " bytes";
      return std::nullopt;
    }
    out.append(chunk.data(), buffer.pos);
    // All input consumed and the output not filled: the decoder has flushed everything.
    if (in.pos == in.size && buffer.pos < buffer.size) {
      if (ret != 0) {
        *error = "the zstd body is truncated or empty";
        return std::nullopt;
      }
      break;
    }
  }
  return out;
}

std::string zstd_compress(std::string_view input, int level) {
  std::string out(ZSTD_compressBound(input.size()), '\0');
  const auto size = ZSTD_compress(out.data(), out.size(), input.data(), input.size(), level);
  out.resize(ZSTD_isError(size) ? 0 : size);
  return out;
}

}  // namespace bookbridge::hub
