#include "readers/gnucash/xml_snapshot.h"

#include <expat.h>
#include <zlib.h>

#include <array>
#include <charconv>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "readers/gnucash/gnc_time.h"
#include "readers/gnucash/staging_schema.h"
#include "readers/gnucash/xml_loader.h"

namespace bookbridge::readers::gnucash {
namespace xml {
namespace {

constexpr std::size_t kChunk = 64 * 1024;
constexpr std::size_t kMaxText = 4 * 1024 * 1024;  // one element's text; more is not GnuCash
constexpr std::uint64_t kPollEvery = 1000;         // objects between cancellation checks

}  // namespace

std::string XmlLoader::relative_path(std::size_t from_depth) const {
  std::string path;
  for (std::size_t i = from_depth; i < elements_.size(); ++i) {
    if (!path.empty()) {
      path += '/';
    }
    path += elements_[i];
  }
  return path;
}

void XmlLoader::fail(ReadError error) {
  if (!error_) {
    error_ = std::move(error);
  }
  XML_StopParser(parser_, XML_FALSE);
}

void XmlLoader::start(std::string_view name, const XML_Char** attributes) {
  if (error_) {
    return;
  }
  elements_.emplace_back(name);
  text_.clear();
  const std::size_t depth = elements_.size();
  if (skip_depth_ > 0) {
    return;
  }
  if (xml::is_skipped_element(name)) {
    skip_depth_ = depth;
    return;
  }
  if (slots_depth_ > 0) {
    if (name == "slot") {
      SlotFrame slot;
      if (!slot_stack_.empty()) {
        slot.container = slot_stack_.back().frame_guid;
        slot.path = slot_stack_.back().path + "/";
      }
      slot_stack_.push_back(std::move(slot));
    } else if (name == "slot:value" && !slot_stack_.empty() && elements_[depth - 2] == "slot") {
      start_slot_value(attributes);
    }
    return;
  }
  if (!objects_.empty() && name.size() > 6 && name.substr(name.size() - 6) == ":slots" &&
      depth == objects_.back().depth + 1) {
    slots_depth_ = depth;
    return;
  }
  if (name == "gnc:count-data") {
    for (auto attribute = attributes; attribute != nullptr && *attribute != nullptr;
         attribute += 2) {
      if (std::string_view(attribute[0]) == "cd:type" &&
          std::string_view(attribute[1]) == "transaction") {
        transactions_total_ = 0;  // the count follows as text; see end()
      }
    }
    return;
  }
  const ObjectSpec* spec = nullptr;
  if (name == "gnc:book" && objects_.empty()) {
    spec = &xml::book_object();
    book_seen_ = true;
  } else if (objects_.empty() || objects_.back().spec == &xml::book_object()) {
    spec = xml::top_level_object(name);
  } else {
    spec = xml::nested_object(objects_.back().spec->table, name);
  }
  if (spec != nullptr) {
    ObjectFrame frame;
    frame.spec = spec;
    frame.depth = depth;
    frame.row.table = spec->table;
    objects_.push_back(std::move(frame));
  }
}

void XmlLoader::end(std::string_view name) {
  if (error_) {
    return;
  }
  const std::size_t depth = elements_.size();
  if (skip_depth_ > 0) {
    if (depth == skip_depth_) {
      skip_depth_ = 0;
    }
    elements_.pop_back();
    return;
  }
  if (slots_depth_ > 0) {
    if (depth == slots_depth_) {
      slots_depth_ = 0;
      slot_stack_.clear();
    } else if (name == "slot:key" && !slot_stack_.empty()) {
      slot_stack_.back().key = text_;
    } else if (name == "slot:value" && !slot_stack_.empty() && elements_[depth - 2] == "slot") {
      end_slot_value();
    } else if ((name == "ts:date" || name == "gdate") && !slot_stack_.empty()) {
      value_text_ = text_;  // the timespec/gdate value; whitespace may follow before </slot:value>
    } else if (name == "slot" && !slot_stack_.empty()) {
      slot_stack_.pop_back();
    }
    elements_.pop_back();
    return;
  }
  if (name == "gnc:count-data" && transactions_total_ && *transactions_total_ == 0) {
    transactions_total_ = static_cast<std::uint64_t>(parse_int64(text_).value_or(0));
  }
  if (!objects_.empty()) {
    ObjectFrame& object = objects_.back();
    if (depth == object.depth) {
      finish_object();
    } else {
      field(object, relative_path(object.depth), text_);
    }
  }
  elements_.pop_back();
}

void XmlLoader::characters(const char* text, int length) {
  if (skip_depth_ > 0 || error_) {
    return;
  }
  if (text_.size() + static_cast<std::size_t>(length) > kMaxText) {
    fail({ReadErrc::source_corrupt,
          book_name_ + " is corrupt: an element's text is larger than " + std::to_string(kMaxText) +
              " bytes (line " + std::to_string(XML_GetCurrentLineNumber(parser_)) + ")",
          ""});
    return;
  }
  text_.append(text, static_cast<std::size_t>(length));
}

void XmlLoader::finish_object() {
  ObjectFrame object = std::move(objects_.back());
  objects_.pop_back();
  for (const auto& [column, parts] : object.commodities) {
    const std::string key = commodity_key(parts.first, parts.second);
    object.row.set(column, key);
    ensure_commodity(key, parts.first, parts.second);
  }
  if (object.spec->table == "commodities") {
    if (object.row.text("namespace") == nullptr || object.row.text("mnemonic") == nullptr) {
      return;
    }
    // Copies: set() below may reallocate the row's columns.
    const std::string space = *object.row.text("namespace");
    const std::string id = *object.row.text("mnemonic");
    const std::string key = commodity_key(space, id);
    if (commodities_seen_.contains(key)) {
      return;
    }
    commodities_seen_[key] = true;
    object.row.set("guid", key);
    if (space == "CURRENCY" || space == "ISO4217") {
      object.row.set("namespace", std::string("CURRENCY"));
      object.row.set("fraction", std::int64_t{xml::currency_fraction(id)});
    }
    insert(object.row);
    return;
  }
  if (object.spec->table == "accounts" && object.row.text("parent_guid") == nullptr) {
    object.row.set("parent_guid", Value());
  }
  const std::string* own =
      object.spec->key_column.empty() ? nullptr : object.row.text(object.spec->key_column);
  const std::string guid = own != nullptr ? *own : std::string{};
  if (!objects_.empty() && !object.spec->parent_column.empty()) {
    // Nested: the parent inserts it once the parent's guid is known.
    objects_.back().children.emplace_back(object.spec->parent_column, std::move(object.row));
    for (auto& slot : object.slots) {
      if (const auto* container = slot.text("obj_guid"); container && container->empty()) {
        slot.set("obj_guid", guid);
      }
      objects_.back().slots.push_back(std::move(slot));
    }
    return;
  }
  insert(object.row);
  for (auto& [parent_column, child] : object.children) {
    child.set(std::string(parent_column), guid);
    if (child.table == "lots") {
      child.set("is_closed", std::int64_t{-1});
    }
    insert(child);
  }
  for (auto& slot : object.slots) {
    if (const auto* container = slot.text("obj_guid"); container && container->empty()) {
      slot.set("obj_guid", guid);
    }
    insert(slot);
  }
  if (object.spec->table == "transactions") {
    ++transactions_done_;
  }
  if (++objects_done_ % kPollEvery == 0) {
    context_.progress({transactions_done_, transactions_total_});
    if (context_.cancelled()) {
      fail({ReadErrc::cancelled, "cancelled while reading " + book_name_, ""});
    }
  }
}

ReadResult<void> XmlLoader::run(const std::filesystem::path& path, BookFormat format) {
  gzFile file = gzopen(path.c_str(), "rb");  // reads plain files transparently too
  if (file == nullptr) {
    return ReadError{ReadErrc::source_unavailable, book_name_ + " cannot be opened", ""};
  }
  std::unique_ptr<gzFile_s, int (*)(gzFile)> closer(file, gzclose);
  gzbuffer(file, kChunk);
  std::unique_ptr<XML_ParserStruct, void (*)(XML_Parser)> parser(XML_ParserCreate("UTF-8"),
                                                                 XML_ParserFree);
  parser_ = parser.get();
  XML_SetUserData(parser_, this);
  XML_SetElementHandler(parser_, &XmlLoader::on_start, &XmlLoader::on_end);
  XML_SetCharacterDataHandler(parser_, &XmlLoader::on_text);
  if (auto begun = db_.exec("BEGIN"); !begun) {
    return begun;
  }
  std::vector<char> buffer(kChunk);
  while (true) {
    const int got = gzread(file, buffer.data(), static_cast<unsigned>(buffer.size()));
    if (got < 0) {
      int code = 0;
      const char* message = gzerror(file, &code);
      return ReadError{ReadErrc::source_corrupt,
                       book_name_ + " is corrupt or truncated: " +
                           (format == BookFormat::xml_gzip ? "gzip stream: " : "") +
                           (message != nullptr ? message : "read error"),
                       ""};
    }
    const bool last = got == 0;
    if (XML_Parse(parser_, buffer.data(), got, last ? XML_TRUE : XML_FALSE) == XML_STATUS_ERROR) {
      if (error_) {
        return *error_;
      }
      return ReadError{ReadErrc::source_corrupt,
                       book_name_ + " is corrupt or truncated: XML error at line " +
                           std::to_string(XML_GetCurrentLineNumber(parser_)) + ": " +
                           XML_ErrorString(XML_GetErrorCode(parser_)),
                       ""};
    }
    if (error_) {
      return *error_;
    }
    if (last) {
      break;
    }
  }
  if (!book_seen_ && frame_counter_ == 0 && objects_done_ == 0) {
    return ReadError{ReadErrc::source_corrupt, book_name_ + " holds no GnuCash data", ""};
  }
  // The real account tree hangs off the ROOT account that has no parent.
  const char* finish =
      book_seen_
          ? "UPDATE books SET root_account_guid = (SELECT guid FROM accounts WHERE account_type = "
            "'ROOT' AND parent_guid IS NULL LIMIT 1), root_template_guid = '';"
          : "INSERT INTO books(guid, root_account_guid, root_template_guid) SELECT "
            "'bbbook', guid, '' FROM accounts WHERE account_type = 'ROOT' AND parent_guid IS NULL "
            "LIMIT 1;";
  if (auto done = db_.exec(finish); !done) {
    return done;
  }
  context_.progress({transactions_done_, transactions_done_});
  return db_.exec("COMMIT");
}

}  // namespace xml

ReadResult<void> load_xml_book(const std::filesystem::path& book, BookFormat format, Db& staging,
                               ReadContext& context) {
  if (auto created = create_gnucash_tables(staging); !created) {
    return created;
  }
  xml::XmlLoader loader(staging, context, "GnuCash book " + book.string());
  return loader.run(book, format);
}

}  // namespace bookbridge::readers::gnucash