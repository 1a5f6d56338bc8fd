#pragma once

// Which of GnuCash's storage kinds a file holds, decided by content (never by extension).

#include <filesystem>

#include "readers/reader.h"

namespace bookbridge::readers::gnucash {

enum class BookFormat { sqlite, xml_gzip, xml_plain };

std::string_view to_string(BookFormat format);

/// Reads the first bytes of `path`. Missing/unreadable -> source_unavailable; empty or
/// unrecognised content -> source_corrupt. Messages name the file.
ReadResult<BookFormat> detect_format(const std::filesystem::path& path);

}  // namespace bookbridge::readers::gnucash
