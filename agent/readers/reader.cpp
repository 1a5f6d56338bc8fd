#include "readers/reader.h"

#include <stdexcept>

namespace bookbridge::readers {

std::string_view to_string(ReadErrc code) {
  switch (code) {
    case ReadErrc::source_unavailable:
      return "source_unavailable";
    case ReadErrc::source_locked:
      return "source_locked";
    case ReadErrc::source_corrupt:
      return "source_corrupt";
    case ReadErrc::auth_rejected:
      return "auth_rejected";
    case ReadErrc::not_supported:
      return "not_supported";
    case ReadErrc::map_failed:
      return "map_failed";
    case ReadErrc::cancelled:
      return "cancelled";
    case ReadErrc::sink_failed:
      return "sink_failed";
    case ReadErrc::internal:
      return "internal";
  }
  return "internal";
}

void throw_exception_from_error(const ReadError& error, const boost::source_location&) {
  throw std::runtime_error(std::string(to_string(error.code)) + ": " + error.message);
}

}  // namespace bookbridge::readers
