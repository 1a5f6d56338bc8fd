// company (book options) and taxRates (tax tables).

#include <map>

#include "model/record.h"
#include "readers/gnucash/map_common.h"

namespace bookbridge::readers::gnucash {
namespace {

nlohmann::json address_from_text(const std::string& text) {
  // GnuCash keeps the company address as free text, one line per address line.
  std::vector<std::string> lines;
  std::string line;
  for (char c : text) {
    if (c == '\n' || c == '\r') {
      if (!line.empty()) {
        lines.push_back(line);
      }
      line.clear();
    } else {
      line += c;
    }
  }
  if (!line.empty()) {
    lines.push_back(line);
  }
  nlohmann::json address{{"type", "Billing"}};
  if (!lines.empty()) {
    address["line1"] = lines[0];
  }
  if (lines.size() > 1) {
    std::string rest;
    for (std::size_t i = 1; i < lines.size(); ++i) {
      rest += (i > 1 ? ", " : "") + lines[i];
    }
    address["line2"] = rest;
  }
  return address;
}

}  // namespace

ReadResult<void> map_company(MapContext& ctx) {
  auto stmt = prepare(ctx,
                      "SELECT s.name, s.string_val FROM bb_slots s JOIN books b ON s.obj_guid = "
                      "b.guid WHERE s.name LIKE 'options/Business/%' AND s.slot_type = 4");
  if (!stmt) {
    return stmt.error();
  }
  std::map<std::string, std::string> options;
  while (stmt->step()) {
    options[stmt->text(0).substr(sizeof("options/Business/") - 1)] = stmt->text(1);
  }
  if (!stmt->ok()) {
    return step_error(ctx, *stmt, "book options");
  }
  const auto option = [&](const char* key) {
    const auto it = options.find(key);
    return it == options.end() ? std::string{} : it->second;
  };
  nlohmann::json company;
  std::string name = option("Company Name");
  if (name.empty()) {
    name = ctx.snapshot().book.stem().string();  // GnuCash shows the file name then too
  }
  company["companyName"] = name;
  company["accountingPlatformRef"] = "gnucash";
  company["baseCurrency"] = ctx.snapshot().base_currency;
  company["taxNumber"] = text_or_null(option("Company ID"));
  company["addresses"] = nlohmann::json::array();
  if (const auto address = option("Company Address"); !address.empty()) {
    company["addresses"].push_back(address_from_text(address));
  }
  company["phoneNumbers"] = nlohmann::json::array();
  if (const auto phone = option("Company Phone Number"); !phone.empty()) {
    company["phoneNumbers"].push_back({{"number", phone}, {"type", "Primary"}});
  }
  if (const auto fax = option("Company Fax Number"); !fax.empty()) {
    company["phoneNumbers"].push_back({{"number", fax}, {"type", "Fax"}});
  }
  company["webLinks"] = nlohmann::json::array();
  if (const auto url = option("Company Website URL"); !url.empty()) {
    company["webLinks"].push_back({{"type", "Website"}, {"url", url}});
  }
  nlohmann::json extra = nlohmann::json::object();
  if (const auto email = option("Company Email Address"); !email.empty()) {
    extra["emailAddress"] = email;
  }
  if (const auto contact = option("Company Contact Person"); !contact.empty()) {
    extra["contactPerson"] = contact;
  }
  if (!extra.empty()) {
    company["supplementalData"] = {{"content", extra}};
  }
  return ctx.emit(std::move(company));
}

ReadResult<void> map_tax_rates(MapContext& ctx) {
  // Entries point at invisible per-use copies of a table (parent = the user's table); only the
  // user's tables are tax rates (and any copy whose parent is gone).
  static constexpr std::string_view kTables =
      "SELECT t.guid, t.name, t.refcount FROM taxtables t WHERE COALESCE(t.invisible, 0) = 0 "
      "OR NOT EXISTS (SELECT 1 FROM taxtables p WHERE p.guid = t.parent) ORDER BY t.name, t.guid";
  if (auto counted = ctx.count("SELECT count(*) FROM (" + std::string(kTables) + ")"); !counted) {
    return counted;
  }
  auto tables = prepare(ctx, kTables);
  auto entries = prepare(ctx,
                         "SELECT e.type, e.amount_num, e.amount_denom, COALESCE(a.full_name, "
                         "e.account), e.account FROM taxtable_entries e LEFT JOIN bb_accounts a "
                         "ON a.guid = e.account WHERE e.taxtable = ? ORDER BY 4, 1, 2, 3");
  if (!tables || !entries) {
    return !tables ? tables.error() : entries.error();
  }
  while (tables->step()) {
    const std::string id = tables->text(0);
    model::Decimal total;
    auto components = nlohmann::json::array();
    entries->bind(1, id);
    while (entries->step()) {
      auto rate = amount(*entries, 1, 2, id);
      if (!rate) {
        return rate.error();
      }
      nlohmann::json component{{"name", entries->text(3)}, {"isCompound", false}};
      if (entries->integer(0) == 2) {  // percent
        component["rate"] = *rate;
        total += *rate;
      } else {  // a fixed amount per line: not a rate
        component["name"] = entries->text(3) + " (fixed amount " + rate->to_string() + ")";
      }
      components.push_back(std::move(component));
    }
    entries->reset();
    nlohmann::json record{{"id", id},
                          {"name", tables->text(1)},
                          {"status", "Active"},
                          {"effectiveTaxRate", total},
                          {"totalTaxRate", total},
                          {"components", std::move(components)}};
    if (auto emitted = ctx.emit(std::move(record)); !emitted) {
      return emitted;
    }
  }
  return tables->ok() ? ReadResult<void>{} : step_error(ctx, *tables, "tax tables");
}

}  // namespace bookbridge::readers::gnucash
