#pragma once

// Internal to the XML loader (xml_snapshot.cpp, xml_values.cpp): the parse state of one book.

#include <expat.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "readers/gnucash/book_format.h"
#include "readers/gnucash/sqlite_db.h"
#include "readers/gnucash/xml_fields.h"

namespace bookbridge::readers::gnucash::xml {

using Value = std::variant<std::monostate, std::int64_t, double, std::string>;

struct Row {
  std::string_view table;
  std::vector<std::pair<std::string, Value>> columns;

  void set(std::string column, Value value) {
    for (auto& [name, existing] : columns) {
      if (name == column) {
        existing = std::move(value);
        return;
      }
    }
    columns.emplace_back(std::move(column), std::move(value));
  }
  const std::string* text(std::string_view column) const {
    for (const auto& [name, value] : columns) {
      if (name == column) {
        return std::get_if<std::string>(&value);
      }
    }
    return nullptr;
  }
};

// One open object element (an account, a transaction, a split, ...).
struct ObjectFrame {
  const ObjectSpec* spec = nullptr;
  std::size_t depth = 0;  // element depth of the object element
  Row row;
  // Nested objects (column for the parent's guid, row), inserted after the parent.
  std::vector<std::pair<std::string_view, Row>> children;
  std::vector<Row> slots;  // obj_guid "" = this object (filled in at the end)
  std::map<std::string, std::pair<std::string, std::string>> commodities;  // column -> space,id
};

// One open <slot>.
struct SlotFrame {
  std::string key;
  std::string path;        // full name ("options/Business/Company Name")
  std::string container;   // obj_guid of this slot's row ("" = the owning object)
  std::string type;        // slot:value type attribute
  std::string frame_guid;  // for frames: the guid its children point to
};

std::optional<std::int64_t> parse_int64(std::string_view text);
bool parse_numeric(std::string_view text, std::int64_t& num, std::int64_t& denom);
/// The staging commodities key: "CURRENCY::USD" ("ISO4217" spelled as "CURRENCY").
std::string commodity_key(std::string space, const std::string& id);

class XmlLoader {
 public:
  XmlLoader(Db& db, ReadContext& context, std::string book_name)
      : db_(db), context_(context), book_name_(std::move(book_name)) {}

  ReadResult<void> run(const std::filesystem::path& path, BookFormat format);

 private:
  static void on_start(void* self, const XML_Char* name, const XML_Char** attributes) {
    static_cast<XmlLoader*>(self)->start(name, attributes);
  }
  static void on_end(void* self, const XML_Char* name) { static_cast<XmlLoader*>(self)->end(name); }
  static void on_text(void* self, const XML_Char* text, int length) {
    static_cast<XmlLoader*>(self)->characters(text, length);
  }

  void start(std::string_view name, const XML_Char** attributes);
  void end(std::string_view name);
  void characters(const char* text, int length);
  void fail(ReadError error);

  void start_slot_value(const XML_Char** attributes);
  void end_slot_value();
  void field(ObjectFrame& object, std::string_view path, const std::string& text);
  void finish_object();
  void insert(const Row& row);
  void ensure_commodity(const std::string& key, const std::string& space, const std::string& id);
  std::string relative_path(std::size_t from_depth) const;

  Db& db_;
  ReadContext& context_;
  std::string book_name_;
  XML_Parser parser_ = nullptr;
  std::optional<ReadError> error_;

  std::vector<std::string> elements_;  // open element names
  std::string text_;
  std::string value_text_;
  std::size_t skip_depth_ = 0;  // > 0 while inside an ignored subtree
  std::vector<ObjectFrame> objects_;
  std::vector<SlotFrame> slot_stack_;
  std::size_t slots_depth_ = 0;  // depth of the open *:slots element, 0 if none
  std::uint64_t frame_counter_ = 0;
  std::uint64_t objects_done_ = 0;
  std::uint64_t transactions_done_ = 0;
  std::optional<std::uint64_t> transactions_total_;
  std::map<std::string, Stmt> inserts_;
  std::map<std::string, bool> commodities_seen_;
  bool book_seen_ = false;
};

}  // namespace bookbridge::readers::gnucash::xml
