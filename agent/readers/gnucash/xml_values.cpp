// The XML loader's value handling: element text to SQL column values, KVP slot values, and the
// batched INSERTs into the staging tables.

#include <array>
#include <charconv>
#include <cstdio>
#include <cstdlib>

#include "readers/gnucash/gnc_time.h"
#include "readers/gnucash/xml_loader.h"

namespace bookbridge::readers::gnucash::xml {

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

}  // namespace bookbridge::readers::gnucash::xml
