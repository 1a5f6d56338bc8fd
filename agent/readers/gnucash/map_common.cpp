#include "readers/gnucash/map_common.h"

#include <array>

namespace bookbridge::readers::gnucash {

ReadResult<void> MapContext::count(std::string_view sql) {
  auto stmt = Stmt::prepare(db(), sql);
  if (!stmt) {
    return stmt.error();
  }
  if (stmt->step()) {
    total_ = static_cast<std::uint64_t>(stmt->integer(0));
    context_.progress({done_, total_});
  }
  return {};
}

ReadResult<void> MapContext::emit(nlohmann::json&& record) {
  if (auto written = sink_.write(std::move(record)); !written) {
    return written;
  }
  ++done_;
  if (done_ % 1000 == 0) {
    context_.progress({done_, total_});
    if (context_.cancelled()) {
      return ReadError{ReadErrc::cancelled, "cancelled after " + std::to_string(done_) + " records",
                       ""};
    }
  }
  return {};
}

ReadResult<Stmt> prepare(MapContext& ctx, std::string_view sql) {
  return Stmt::prepare(ctx.db(), sql);
}

ReadError step_error(const MapContext& ctx, const Stmt& stmt, std::string_view what) {
  return {ReadErrc::source_corrupt,
          "GnuCash book " + ctx.snapshot().book.string() + ": reading " + std::string(what) +
              " failed: " + stmt.error(),
          ""};
}

ReadResult<model::Decimal> amount(const Stmt& stmt, int num_column, int denom_column,
                                  std::string_view item) {
  if (stmt.is_null(num_column)) {
    return model::Decimal{};
  }
  const auto denom = stmt.integer(denom_column);
  const auto value = model::Decimal::from_rational(stmt.integer(num_column), denom);
  if (!value.valid()) {
    return ReadError{ReadErrc::map_failed,
                     "amount " + std::to_string(stmt.integer(num_column)) + "/" +
                         std::to_string(denom) + " of " + std::string(item) +
                         " is not a number (denominator must be positive)",
                     std::string(item)};
  }
  return value;
}

nlohmann::json text_or_null(std::string_view text) {
  if (text.empty()) {
    return nullptr;
  }
  return std::string(text);
}

int fraction_scale(std::int64_t fraction) {
  int scale = 0;
  while (fraction >= 10 && fraction % 10 == 0 && scale < model::Decimal::kMaxScale) {
    fraction /= 10;
    ++scale;
  }
  return fraction == 1 ? scale : 2;
}

AccountClass classify_account(std::string_view type) {
  struct Row {
    std::string_view gnucash;
    AccountClass cls;
  };
  static constexpr std::array<Row, 13> kClasses{{
      {"ASSET", {"Asset", "Asset.Other", 1, false}},
      {"BANK", {"Asset", "Asset.Current.Bank", 1, true}},
      {"CASH", {"Asset", "Asset.Current.Cash", 1, true}},
      {"RECEIVABLE", {"Asset", "Asset.Current.AccountsReceivable", 1, false}},
      {"STOCK", {"Asset", "Asset.Investments.Stock", 1, false}},
      {"MUTUAL", {"Asset", "Asset.Investments.MutualFund", 1, false}},
      {"LIABILITY", {"Liability", "Liability.Other", -1, false}},
      {"CREDIT", {"Liability", "Liability.Current.CreditCard", -1, false}},
      {"PAYABLE", {"Liability", "Liability.Current.AccountsPayable", -1, false}},
      {"EQUITY", {"Equity", "Equity.Other", -1, false}},
      {"INCOME", {"Income", "Income.Revenue", -1, false}},
      {"EXPENSE", {"Expense", "Expense.Operating", 1, false}},
      {"TRADING", {"Unknown", "", 1, false}},
  }};
  for (const auto& row : kClasses) {
    if (row.gnucash == type) {
      return row.cls;
    }
  }
  return {"Unknown", "", 1, false};
}

}  // namespace bookbridge::readers::gnucash
