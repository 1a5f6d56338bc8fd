// customers and suppliers (GnuCash vendors).

#include "model/record.h"
#include "readers/gnucash/map_common.h"

namespace bookbridge::readers::gnucash {
namespace {

// GnuCash addresses are four free lines; the default layout puts street, street 2, city and
// region/postcode in them.
nlohmann::json address(std::string_view type, const Stmt& row, int first) {
  nlohmann::json result{{"type", type}};
  static constexpr const char* kKeys[] = {"line1", "line2", "city", "region"};
  bool any = false;
  for (int i = 0; i < 4; ++i) {
    const std::string line = row.text(first + i);
    if (!line.empty()) {
      result[kKeys[i]] = line;
      any = true;
    }
  }
  return any ? result : nlohmann::json();
}

}  // namespace

ReadResult<void> map_contacts(MapContext& ctx, bool customers) {
  const std::string table = customers ? "customers" : "vendors";
  if (auto counted = ctx.count("SELECT count(*) FROM " + table); !counted) {
    return counted;
  }
  // Columns 0..14 are common; 15..18 are the ship-to lines (customers only).
  const std::string sql =
      "SELECT c.guid, c.name, c.id, c.notes, c.active, cm.mnemonic, c.addr_name, c.addr_addr1, "
      "c.addr_addr2, c.addr_addr3, c.addr_addr4, c.addr_phone, c.addr_fax, c.addr_email, "
      "t.name, " +
      std::string(customers ? "c.shipaddr_addr1, c.shipaddr_addr2, c.shipaddr_addr3, "
                              "c.shipaddr_addr4 FROM customers c LEFT JOIN taxtables t ON t.guid "
                              "= c.taxtable"
                            : "'', '', '', '' FROM vendors c LEFT JOIN taxtables t ON t.guid = "
                              "c.tax_table") +
      " LEFT JOIN commodities cm ON cm.guid = c.currency ORDER BY c.id, c.guid";
  auto rows = prepare(ctx, sql);
  if (!rows) {
    return rows.error();
  }
  while (rows->step()) {
    const std::string name = rows->text(1);
    nlohmann::json record{{"id", rows->text(0)}};
    record[customers ? "customerName" : "supplierName"] = name;
    record["contactName"] = text_or_null(rows->text(6));
    record["emailAddress"] = text_or_null(rows->text(13));
    record["phone"] = text_or_null(rows->text(11));
    record["defaultCurrency"] = text_or_null(rows->text(5));
    record["status"] = rows->integer(4) != 0 ? "Active" : "Archived";
    auto addresses = nlohmann::json::array();
    if (auto billing = address("Billing", *rows, 7); !billing.is_null()) {
      addresses.push_back(std::move(billing));
    }
    if (auto delivery = address("Delivery", *rows, 15); !delivery.is_null()) {
      addresses.push_back(std::move(delivery));
    }
    record["addresses"] = addresses;
    auto contacts = nlohmann::json::array();
    if (!rows->text(6).empty() || !rows->text(13).empty()) {
      auto phones = nlohmann::json::array();
      if (!rows->text(11).empty()) {
        phones.push_back({{"number", rows->text(11)}, {"type", "Primary"}});
      }
      if (!rows->text(12).empty()) {
        phones.push_back({{"number", rows->text(12)}, {"type", "Fax"}});
      }
      nlohmann::json contact{{"name", text_or_null(rows->text(6))},
                             {"email", text_or_null(rows->text(13))},
                             {"phone", std::move(phones)},
                             {"status", record["status"]}};
      if (!addresses.empty()) {
        contact["address"] = addresses[0];
      }
      contacts.push_back(std::move(contact));
    }
    record["contacts"] = std::move(contacts);
    nlohmann::json extra{{customers ? "customerNumber" : "supplierNumber", rows->text(2)}};
    if (!rows->text(3).empty()) {
      extra["notes"] = rows->text(3);
    }
    if (!rows->text(14).empty()) {
      extra["taxTable"] = rows->text(14);
    }
    record["supplementalData"] = {{"content", std::move(extra)}};
    if (auto emitted = ctx.emit(std::move(record)); !emitted) {
      return emitted;
    }
  }
  return rows->ok() ? ReadResult<void>{} : step_error(ctx, *rows, table);
}

}  // namespace bookbridge::readers::gnucash
