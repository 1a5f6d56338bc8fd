#include "model/validation.h"

#include <array>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "model/record.h"
#include "model/validation_rules.h"

namespace bookbridge::model {
namespace {

void items_to_json(nlohmann::json& out, const std::vector<ValidationItem>& items) {
  out = nlohmann::json::array();
  for (const auto& item : items) {
    out.push_back({{"ruleId", item.rule_id},
                   {"itemId", item.item_id},
                   {"message", item.message},
                   {"validatorName", item.validator_name}});
  }
}

void items_from_json(const nlohmann::json& in, std::vector<ValidationItem>& items) {
  items.clear();
  if (!in.is_array()) {
    return;
  }
  for (const auto& entry : in) {
    items.push_back({string_field(entry, "ruleId"), string_field(entry, "itemId"),
                     string_field(entry, "message"), string_field(entry, "validatorName")});
  }
}

std::string id_text(const nlohmann::json& id) {
  if (id.is_string()) {
    return id.get<std::string>();
  }
  if (id.is_number_integer()) {
    return id.dump();
  }
  return {};
}

}  // namespace

void to_json(nlohmann::json& out, const ValidationResult& result) {
  out = nlohmann::json::object();
  items_to_json(out["errors"], result.errors);
  items_to_json(out["warnings"], result.warnings);
}

void from_json(const nlohmann::json& in, ValidationResult& result) {
  result = ValidationResult{};
  if (!in.is_object()) {
    return;
  }
  if (const auto it = in.find("errors"); it != in.end()) {
    items_from_json(*it, result.errors);
  }
  if (const auto it = in.find("warnings"); it != in.end()) {
    items_from_json(*it, result.warnings);
  }
}

std::vector<DataType> referenced_types(DataType type) {
  using enum DataType;
  switch (type) {
    case invoices:
    case credit_notes:
      return {chart_of_accounts, customers, tax_rates};
    case bills:
      return {chart_of_accounts, suppliers, tax_rates};
    case payments:
      return {chart_of_accounts, customers, invoices, credit_notes};
    case bill_payments:
      return {chart_of_accounts, suppliers, bills};
    case journal_entries:
      return {chart_of_accounts, invoices, bills, payments, bill_payments, credit_notes};
    case balance_sheet:
    case profit_and_loss:
      return {chart_of_accounts};
    default:
      return {};
  }
}

RecordValidator::RecordValidator(DataType type, IdSet& ids, const RefResolver* refs)
    : type_(type), ids_(ids), refs_(refs) {}

void RecordValidator::check(const nlohmann::json& record, ValidationResult& result) {
  const bool list = info(type_).shape == DataShape::list;
  std::string item_id;
  if (record.is_object() && list) {
    if (const auto it = record.find("id"); it != record.end()) {
      item_id = id_text(*it);
    }
  }
  detail::RuleContext ctx(type_, item_id, refs_, result);
  if (!record.is_object()) {
    ctx.error(1, "the record is not a JSON object");
    return;
  }
  if (list) {
    if (item_id.empty()) {
      ctx.error(1, "the record has no id");
    } else if (!ids_.insert(item_id)) {
      ctx.error(2, "id " + item_id + " appears more than once in this dataset");
    }
  }
  using enum DataType;
  switch (type_) {
    case company:
      detail::check_company(record, ctx);
      break;
    case chart_of_accounts:
      detail::check_account(record, ctx);
      break;
    case customers:
      detail::check_contact(record, ctx, true);
      break;
    case suppliers:
      detail::check_contact(record, ctx, false);
      break;
    case invoices:
    case bills:
    case credit_notes:
      detail::check_invoice_like(record, ctx, type_);
      break;
    case payments:
      detail::check_payment_like(record, ctx, false);
      break;
    case bill_payments:
      detail::check_payment_like(record, ctx, true);
      break;
    case journal_entries:
      detail::check_journal_entry(record, ctx);
      break;
    case items:
      detail::check_item(record, ctx);
      break;
    case tax_rates:
      detail::check_tax_rate(record, ctx);
      break;
    case balance_sheet:
      detail::check_balance_sheet(record, ctx);
      break;
    case profit_and_loss:
      detail::check_profit_and_loss(record, ctx);
      break;
  }
}

namespace detail {

void RuleContext::add(bool is_error, int rule, std::string message) {
  if (result_.errors.size() + result_.warnings.size() >= ValidationResult::kMaxItems) {
    ++result_.dropped;
    return;
  }
  const auto& type_info = info(type_);
  std::array<char, 8> number{};
  std::snprintf(number.data(), number.size(), "%03d", rule);
  ValidationItem item{std::string(type_info.rule_stem) + "-" + number.data(), item_id_,
                      std::move(message), std::string(type_info.validator)};
  (is_error ? result_.errors : result_.warnings).push_back(std::move(item));
}

void RuleContext::check_ref(int rule, const nlohmann::json& record, std::string_view key,
                            DataType target, bool is_error) {
  const auto it = record.find(key);
  if (it == record.end() || it->is_null()) {
    return;
  }
  check_ref_value(rule, *it, key, target, is_error);
}

void RuleContext::check_ref_value(int rule, const nlohmann::json& ref, std::string_view what,
                                  DataType target, bool is_error) {
  if (refs_ == nullptr || ref.is_null()) {
    return;
  }
  const std::string id = ref.is_object() && ref.contains("id") ? id_text(ref["id"]) : "";
  if (id.empty()) {
    add(is_error, rule, std::string(what) + " has no id");
  } else if (!refs_->exists(target, id)) {
    add(is_error, rule,
        std::string(what) + " " + id + " does not resolve to a record of " +
            std::string(to_key(target)) + " in this source");
  }
}

void RuleContext::require_date(int rule, const nlohmann::json& record, std::string_view key) {
  const auto it = record.find(key);
  if (it == record.end() || it->is_null()) {
    error(rule, std::string(key) + " is required");
  } else if (!it->is_string() || !parse_datetime(it->get<std::string>())) {
    error(rule, std::string(key) + " is not a valid ISO 8601 date: " + it->dump());
  }
}

void RuleContext::optional_date(int rule, const nlohmann::json& record, std::string_view key) {
  const auto it = record.find(key);
  if (it != record.end() && !it->is_null() &&
      (!it->is_string() || !parse_datetime(it->get<std::string>()))) {
    error(rule, std::string(key) + " is not a valid ISO 8601 date: " + it->dump());
  }
}

void RuleContext::optional_currency(int rule, const nlohmann::json& record, std::string_view key) {
  const auto it = record.find(key);
  if (it != record.end() && !it->is_null() &&
      (!it->is_string() || !is_iso4217(it->get<std::string>()))) {
    error(rule, std::string(key) + " " + it->dump() + " is not an ISO 4217 currency code");
  }
}

void RuleContext::check_enum(int rule, const nlohmann::json& record, std::string_view key,
                             std::string_view allowed, bool required) {
  const auto it = record.find(key);
  if (it == record.end() || it->is_null()) {
    if (required) {
      error(rule, std::string(key) + " is required (one of " + std::string(allowed) + ")");
    }
    return;
  }
  if (it->is_string()) {
    const std::string value = "|" + it->get<std::string>() + "|";
    if (("|" + std::string(allowed) + "|").find(value) != std::string::npos) {
      return;
    }
  }
  error(rule, std::string(key) + " " + it->dump() + " is not one of " + std::string(allowed));
}

std::optional<Decimal> RuleContext::money(int rule, const nlohmann::json& record,
                                          std::string_view key, bool required) {
  const auto it = record.find(key);
  if (it == record.end() || it->is_null()) {
    if (required) {
      error(rule, std::string(key) + " is required");
    }
    return std::nullopt;
  }
  auto value = Decimal::from_json(*it);
  if (!value) {
    error(rule, std::string(key) + " is not a number: " + it->dump());
  }
  return value;
}

}  // namespace detail
}  // namespace bookbridge::model
