#include "readers/gnucash/xml_snapshot.h"

#include <expat.h>
#include <zlib.h>

#include <array>
#include <charconv>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "readers/gnucash/gnc_time.h"
#include "readers/gnucash/staging_schema.h"
#include "readers/gnucash/xml_fields.h"

namespace bookbridge::readers::gnucash {
namespace {

using xml::FieldKind;
using xml::ObjectSpec;

constexpr std::size_t kChunk = 64 * 1024;
constexpr std::size_t kMaxText = 4 * 1024 * 1024;  // one element's text; more is not GnuCash
constexpr std::uint64_t kPollEvery = 1000;         // objects between cancellation checks

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

std::optional<std::int64_t> parse_int64(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\n')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n')) {
    text.remove_suffix(1);
  }
  if (text == "TRUE" || text == "true" || text == "t" || text == "T") {
    return 1;
  }
  if (text == "FALSE" || text == "false" || text == "f" || text == "F") {
    return 0;
  }
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

bool parse_numeric(std::string_view text, std::int64_t& num, std::int64_t& denom) {
  const auto slash = text.find('/');
  const auto n = parse_int64(text.substr(0, slash));
  const auto d = slash == std::string_view::npos ? std::optional<std::int64_t>(1)
                                                 : parse_int64(text.substr(slash + 1));
  if (!n || !d) {
    return false;
  }
  num = *n;
  denom = *d;
  return true;
}

std::string commodity_key(std::string space, const std::string& id) {
  if (space == "ISO4217") {
    space = "CURRENCY";  // older files
  }
  return space + "::" + id;
}

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

void XmlLoader::start_slot_value(const XML_Char** attributes) {
  SlotFrame& slot = slot_stack_.back();
  for (auto attribute = attributes; attribute != nullptr && *attribute != nullptr; attribute += 2) {
    if (std::string_view(attribute[0]) == "type") {
      slot.type = attribute[1];
    }
  }
  if (slot.type == "frame") {
    std::array<char, 40> guid{};
    std::snprintf(guid.data(), guid.size(), "bbframe%025llu",
                  static_cast<unsigned long long>(++frame_counter_));
    slot.frame_guid = guid.data();
    slot.path += slot.key;
    Row row{"slots", {}};
    row.set("obj_guid", slot.container);
    row.set("name", slot.path);
    row.set("slot_type", std::int64_t{9});
    row.set("guid_val", slot.frame_guid);
    objects_.back().slots.push_back(std::move(row));
  }
}

void XmlLoader::end_slot_value() {
  SlotFrame& slot = slot_stack_.back();
  if (slot.type == "frame" || slot.type == "list" || slot.type.empty()) {
    return;  // frames were written at the start; lists and unknown types are not mapped
  }
  Row row{"slots", {}};
  row.set("obj_guid", slot.container);
  row.set("name", slot.path + slot.key);
  std::int64_t num = 0;
  std::int64_t denom = 1;
  if (slot.type == "integer") {
    row.set("slot_type", std::int64_t{1});
    row.set("int64_val", parse_int64(text_).value_or(0));
  } else if (slot.type == "double") {
    row.set("slot_type", std::int64_t{2});
    row.set("double_val", std::strtod(text_.c_str(), nullptr));
  } else if (slot.type == "numeric" && parse_numeric(text_, num, denom)) {
    row.set("slot_type", std::int64_t{3});
    row.set("numeric_val_num", num);
    row.set("numeric_val_denom", denom);
  } else if (slot.type == "string") {
    row.set("slot_type", std::int64_t{4});
    row.set("string_val", text_);
  } else if (slot.type == "guid") {
    row.set("slot_type", std::int64_t{5});
    row.set("guid_val", text_);
  } else if (slot.type == "timespec") {
    row.set("slot_type", std::int64_t{6});
    const auto ts = parse_timestamp(value_text_);
    row.set("timespec_val", ts ? Value(to_sql_text(*ts)) : Value());
  } else if (slot.type == "gdate") {
    row.set("slot_type", std::int64_t{10});
    std::string compact;
    for (char c : value_text_) {
      if (c >= '0' && c <= '9') {
        compact += c;
      }
    }
    row.set("gdate_val", compact);
  } else {
    return;
  }
  objects_.back().slots.push_back(std::move(row));
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

void XmlLoader::field(ObjectFrame& object, std::string_view path, const std::string& text) {
  for (std::size_t i = 0; i < object.spec->field_count; ++i) {
    const auto& spec = object.spec->fields[i];
    if (spec.path != path) {
      continue;
    }
    const std::string column(spec.column);
    switch (spec.kind) {
      case FieldKind::text:
        object.row.set(column, text);
        break;
      case FieldKind::integer:
        if (const auto value = parse_int64(text)) {
          object.row.set(column, *value);
        }
        break;
      case FieldKind::numeric: {
        std::int64_t num = 0;
        std::int64_t denom = 1;
        if (!parse_numeric(text, num, denom)) {
          fail({ReadErrc::source_corrupt,
                book_name_ + " is corrupt: '" + text + "' is not a GnuCash amount (line " +
                    std::to_string(XML_GetCurrentLineNumber(parser_)) + ")",
                ""});
          return;
        }
        object.row.set(column + "_num", num);
        object.row.set(column + "_denom", denom);
        break;
      }
      case FieldKind::timestamp: {
        const auto ts = parse_timestamp(text);
        object.row.set(column, ts ? Value(to_sql_text(*ts)) : Value());
        break;
      }
      case FieldKind::cmdty_space:
        object.commodities[column].first = text;
        break;
      case FieldKind::cmdty_id:
        object.commodities[column].second = text;
        break;
      case FieldKind::presence:
        object.row.set(column, std::int64_t{1});
        break;
      case FieldKind::owner_type: {
        const std::int64_t type = text == "gncCustomer"   ? 2
                                  : text == "gncJob"      ? 3
                                  : text == "gncVendor"   ? 4
                                  : text == "gncEmployee" ? 5
                                                          : 0;
        object.row.set(column, type);
        break;
      }
      case FieldKind::tax_included:
        object.row.set(column, std::int64_t{text == "YES" ? 1 : (text == "NO" ? 2 : 3)});
        break;
      case FieldKind::pay_type:
        object.row.set(column, std::int64_t{text == "CARD" ? 2 : 1});
        break;
      case FieldKind::amount_type:
        object.row.set(column, std::int64_t{text == "VALUE" ? 1 : 2});
        break;
    }
    return;
  }
}

void XmlLoader::ensure_commodity(const std::string& key, const std::string& space,
                                 const std::string& id) {
  if (commodities_seen_.contains(key)) {
    return;
  }
  commodities_seen_[key] = true;
  Row row{"commodities", {}};
  row.set("guid", key);
  row.set("namespace", space == "ISO4217" ? std::string("CURRENCY") : space);
  row.set("mnemonic", id);
  row.set("fraction",
          std::int64_t{space == "CURRENCY" || space == "ISO4217" ? xml::currency_fraction(id) : 1});
  insert(row);
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

void XmlLoader::insert(const Row& row) {
  if (error_) {
    return;
  }
  std::string key(row.table);
  for (const auto& [column, value] : row.columns) {
    key += ',' + column;
  }
  auto it = inserts_.find(key);
  if (it == inserts_.end()) {
    std::string sql = "INSERT OR IGNORE INTO " + std::string(row.table) + "(";
    std::string values;
    for (std::size_t i = 0; i < row.columns.size(); ++i) {
      sql += (i > 0 ? "," : "") + row.columns[i].first;
      values += i > 0 ? ",?" : "?";
    }
    sql += ") VALUES(" + values + ")";
    auto stmt = Stmt::prepare(db_, sql);
    if (!stmt) {
      fail(stmt.error());
      return;
    }
    it = inserts_.emplace(key, std::move(*stmt)).first;
  }
  Stmt& stmt = it->second;
  int index = 1;
  for (const auto& [column, value] : row.columns) {
    if (const auto* integer = std::get_if<std::int64_t>(&value)) {
      stmt.bind(index, *integer);
    } else if (const auto* real = std::get_if<double>(&value)) {
      stmt.bind_double(index, *real);
    } else if (const auto* text = std::get_if<std::string>(&value)) {
      stmt.bind(index, std::string_view(*text));
    } else {
      stmt.bind_null(index);
    }
    ++index;
  }
  if (auto done = stmt.run(); !done) {
    fail(done.error());
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

}  // namespace

ReadResult<void> load_xml_book(const std::filesystem::path& book, BookFormat format, Db& staging,
                               ReadContext& context) {
  if (auto created = create_gnucash_tables(staging); !created) {
    return created;
  }
  XmlLoader loader(staging, context, "GnuCash book " + book.string());
  return loader.run(book, format);
}

}  // namespace bookbridge::readers::gnucash
