#pragma once

// Internal to validation.cpp / validation_rules*.cpp: the per-data-type rule functions and the
// small context they report through. Rule ids are "<rule_stem>-NNN" (data_type.h's table);
// docs/readers.md lists every rule with its severity.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "model/decimal.h"
#include "model/validation.h"

namespace bookbridge::model::detail {

class RuleContext {
 public:
  RuleContext(DataType type, std::string item_id, const RefResolver* refs, ValidationResult& result)
      : type_(type), item_id_(std::move(item_id)), refs_(refs), result_(result) {}

  void error(int rule, std::string message) { add(true, rule, std::move(message)); }
  void warning(int rule, std::string message) { add(false, rule, std::move(message)); }

  /// Rule `rule` (error) unless `ref` (an object with "id") resolves to a record of `target`.
  /// Skipped when no resolver was given or `ref` is absent/null.
  void check_ref(int rule, const nlohmann::json& record, std::string_view key, DataType target,
                 bool is_error = true);
  void check_ref_value(int rule, const nlohmann::json& ref, std::string_view what, DataType target,
                       bool is_error = true);

  /// Required DateTime `key`: error when missing or not a valid date.
  void require_date(int rule, const nlohmann::json& record, std::string_view key);
  /// Optional DateTime `key`: error when present (not null) but invalid.
  void optional_date(int rule, const nlohmann::json& record, std::string_view key);
  /// Optional currency `key`: error when present (not null) but not ISO 4217.
  void optional_currency(int rule, const nlohmann::json& record, std::string_view key);
  /// `key` must be one of `allowed` ("A|B|C"); `required` makes absence an error too.
  void check_enum(int rule, const nlohmann::json& record, std::string_view key,
                  std::string_view allowed, bool required);
  /// A money field: error (rule) when present but not a number, or when required and absent.
  /// Returns the value, or nullopt.
  std::optional<Decimal> money(int rule, const nlohmann::json& record, std::string_view key,
                               bool required);

 private:
  void add(bool is_error, int rule, std::string message);

  DataType type_;
  std::string item_id_;
  const RefResolver* refs_;
  ValidationResult& result_;
};

void check_company(const nlohmann::json& record, RuleContext& ctx);
void check_account(const nlohmann::json& record, RuleContext& ctx);
void check_contact(const nlohmann::json& record, RuleContext& ctx, bool customer);
void check_invoice_like(const nlohmann::json& record, RuleContext& ctx, DataType type);
void check_payment_like(const nlohmann::json& record, RuleContext& ctx, bool bill_payment);
void check_journal_entry(const nlohmann::json& record, RuleContext& ctx);
void check_item(const nlohmann::json& record, RuleContext& ctx);
void check_tax_rate(const nlohmann::json& record, RuleContext& ctx);
void check_balance_sheet(const nlohmann::json& record, RuleContext& ctx);
void check_profit_and_loss(const nlohmann::json& record, RuleContext& ctx);

}  // namespace bookbridge::model::detail
