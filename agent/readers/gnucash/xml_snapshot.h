#pragma once

// Fetching an XML book (gzip-compressed or plain): one streamed read of the file through expat,
// inserting GnuCash's objects into the staging database's GnuCash tables (staging_schema.h) in one
// transaction. Memory holds only the object being parsed (an account with its lots, a
// transaction with its splits), never the book.

#include <filesystem>

#include "readers/gnucash/book_format.h"
#include "readers/gnucash/sqlite_db.h"

namespace bookbridge::readers::gnucash {

ReadResult<void> load_xml_book(const std::filesystem::path& book, BookFormat format, Db& staging,
                               ReadContext& context);

}  // namespace bookbridge::readers::gnucash
