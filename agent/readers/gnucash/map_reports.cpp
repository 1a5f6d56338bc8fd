// balanceSheet and profitAndLoss, computed from the splits per calendar month in the book's base
// currency (see docs/readers.md for the conversion rules and the equity lines).

#include <map>
#include <unordered_map>

#include "model/record.h"
#include "readers/gnucash/gnc_time.h"
#include "readers/gnucash/map_common.h"

namespace bookbridge::readers::gnucash {
namespace {

using model::Date;
using model::Decimal;

struct Account {
  std::string id;
  std::string name;  // full name
  std::string commodity_guid;
  bool base = false;  // held in the base currency
  AccountClass cls;
  bool trading = false;
};

int month_key(const Date& date) {
  return date.year * 12 + (date.month - 1);
}
Date month_start(int key) {
  return {key / 12, key % 12 + 1, 1};
}

class Ledger {
 public:
  explicit Ledger(MapContext& ctx) : ctx_(ctx) {}
  ReadResult<void> load();

  std::vector<Account> accounts;
  // month -> per-account sums: quantity (own commodity) and amount in the base currency.
  std::map<int, std::vector<Decimal>> quantity;
  std::map<int, std::vector<Decimal>> base;
  std::string base_guid;
  int scale = 2;

  /// Price of one unit of `commodity_guid` in the base currency at `date_text`; nullopt if none.
  std::optional<Decimal> price(const std::string& commodity_guid, const std::string& date_text);

 private:
  MapContext& ctx_;
  std::optional<Stmt> price_stmt_;
  std::map<std::pair<std::string, std::string>, std::optional<Decimal>> price_cache_;
};

ReadResult<void> Ledger::load() {
  const std::string& base_code = ctx_.snapshot().base_currency;
  auto currency = prepare(ctx_,
                          "SELECT guid, fraction FROM commodities WHERE mnemonic = ? AND namespace "
                          "IN ('CURRENCY', 'ISO4217') LIMIT 1");
  if (!currency) {
    return currency.error();
  }
  currency->bind(1, base_code);
  if (currency->step()) {
    base_guid = currency->text(0);
    scale = fraction_scale(currency->integer(1));
  }
  auto rows = prepare(ctx_,
                      "SELECT a.guid, a.full_name, a.account_type, x.commodity_guid, a.commodity, "
                      "a.commodity_space FROM bb_accounts a JOIN accounts x ON x.guid = a.guid "
                      "ORDER BY a.full_name, a.guid");
  if (!rows) {
    return rows.error();
  }
  std::unordered_map<std::string, std::size_t> index;
  while (rows->step()) {
    Account account{rows->text(0),
                    rows->text(1),
                    rows->text(3),
                    rows->text(4) == base_code && rows->text(5) != "template",
                    classify_account(rows->text(2)),
                    rows->text(2) == "TRADING"};
    index.emplace(account.id, accounts.size());
    accounts.push_back(std::move(account));
  }
  auto splits = prepare(ctx_,
                        "SELECT s.account_guid, t.post_date, s.quantity_num, s.quantity_denom, "
                        "s.value_num, s.value_denom, t.currency_guid FROM splits s JOIN "
                        "transactions t ON t.guid = s.tx_guid WHERE NOT EXISTS (SELECT 1 FROM "
                        "bb_template_tx x WHERE x.guid = t.guid)");
  if (!splits) {
    return splits.error();
  }
  while (splits->step()) {
    const auto it = index.find(splits->text(0));
    const auto ts = parse_timestamp(splits->text(1));
    if (it == index.end() || !ts) {
      continue;
    }
    auto qty = amount(*splits, 2, 3, "split of account " + splits->text(0));
    auto value = amount(*splits, 4, 5, "split of account " + splits->text(0));
    if (!qty || !value) {
      return !qty ? qty.error() : value.error();
    }
    const Account& account = accounts[it->second];
    Decimal in_base;
    if (account.base) {
      in_base = *qty;
    } else if (splits->text(6) == base_guid) {
      in_base = *value;  // the rate of the transaction itself
    } else if (const auto rate = price(account.commodity_guid, splits->text(1))) {
      in_base = (*qty * *rate).rounded(scale);
    } else {
      in_base = Decimal{};  // no way to value it in the base currency (docs/readers.md)
    }
    const int key = month_key(calendar_date(*ts));
    auto& q = quantity[key];
    auto& b = base[key];
    if (q.empty()) {
      q.resize(accounts.size());
      b.resize(accounts.size());
    }
    q[it->second] += *qty;
    b[it->second] += in_base;
  }
  return splits->ok() ? ReadResult<void>{} : step_error(ctx_, *splits, "splits");
}

std::optional<Decimal> Ledger::price(const std::string& commodity_guid,
                                     const std::string& date_text) {
  const auto key = std::make_pair(commodity_guid, date_text.substr(0, 10));
  if (const auto it = price_cache_.find(key); it != price_cache_.end()) {
    return it->second;
  }
  if (!price_stmt_) {
    auto stmt = prepare(ctx_,
                        "SELECT value_num, value_denom, 0 FROM prices WHERE commodity_guid = ?1 "
                        "AND currency_guid = ?2 AND date <= ?3 UNION ALL SELECT value_num, "
                        "value_denom, 1 FROM prices WHERE commodity_guid = ?2 AND currency_guid "
                        "= ?1 AND date <= ?3 ORDER BY 3, 1 LIMIT 1");
    if (!stmt) {
      return std::nullopt;
    }
    price_stmt_ = std::move(*stmt);
  }
  std::optional<Decimal> result;
  price_stmt_->bind(1, commodity_guid).bind(2, base_guid).bind(3, key.second + " 23:59:59");
  if (price_stmt_->step()) {
    const Decimal value = price_stmt_->rational(0, 1);
    if (value.valid() && !value.is_zero()) {
      result = price_stmt_->integer(2) == 0 ? value : Decimal::from_int(1).divide(value, 10);
    }
  }
  price_stmt_->reset();
  price_cache_[key] = result;
  return result;
}

nlohmann::json section(std::string_view name, const Decimal& value, nlohmann::json items) {
  return {{"name", name}, {"value", value}, {"items", std::move(items)}};
}

nlohmann::json account_line(const Account& account, const Decimal& value) {
  return {{"accountId", account.id}, {"name", account.name}, {"value", value}};
}

}  // namespace

ReadResult<void> map_balance_sheet(MapContext& ctx) {
  Ledger ledger(ctx);
  if (auto loaded = ledger.load(); !loaded) {
    return loaded;
  }
  const std::size_t n = ledger.accounts.size();
  std::vector<Decimal> qty_total(n);
  std::vector<Decimal> base_total(n);
  auto reports = nlohmann::json::array();
  if (!ledger.quantity.empty()) {
    const int first = ledger.quantity.begin()->first;
    const int last = ledger.quantity.rbegin()->first;
    for (int month = first; month <= last; ++month) {
      if (const auto it = ledger.quantity.find(month); it != ledger.quantity.end()) {
        for (std::size_t i = 0; i < n; ++i) {
          qty_total[i] += it->second[i];
          base_total[i] += ledger.base.at(month)[i];
        }
      }
      const Date end = model::end_of_month(month_start(month));
      const std::string end_text = model::to_datetime(end).substr(0, 10);
      Decimal assets, liabilities, equity, earnings;
      auto asset_items = nlohmann::json::array();
      auto liability_items = nlohmann::json::array();
      auto equity_items = nlohmann::json::array();
      for (std::size_t i = 0; i < n; ++i) {
        const Account& account = ledger.accounts[i];
        if (account.cls.type == "Income" || account.cls.type == "Expense") {
          earnings -= base_total[i];
          continue;
        }
        Decimal value = base_total[i];
        if (account.base) {
          value = qty_total[i];
        } else if (const auto rate = ledger.price(account.commodity_guid, end_text)) {
          value = (qty_total[i] * *rate).rounded(ledger.scale);  // revalued at the month end
        }
        const Decimal natural = account.cls.natural_sign < 0 ? -value : value;
        if (natural.is_zero()) {
          continue;
        }
        if (account.cls.type == "Asset") {
          assets += natural;
          asset_items.push_back(account_line(account, natural));
        } else if (account.cls.type == "Liability") {
          liabilities += natural;
          liability_items.push_back(account_line(account, natural));
        } else {  // Equity and trading accounts
          const Decimal equity_value = account.trading ? -value : natural;
          equity += equity_value;
          equity_items.push_back(account_line(account, equity_value));
        }
      }
      const Decimal net_assets = assets - liabilities;
      if (!earnings.is_zero()) {
        equity_items.push_back({{"name", "Retained Earnings"}, {"value", earnings}});
        equity += earnings;
      }
      if (const Decimal translation = net_assets - equity; !translation.is_zero()) {
        // Foreign balances revalued at month-end prices differ from their historical cost.
        equity_items.push_back({{"name", "Unrealized Gains/Losses"}, {"value", translation}});
        equity += translation;
      }
      nlohmann::json report{
          {"date", model::to_datetime(end)},
          {"assets", section("Assets", assets, std::move(asset_items))},
          {"liabilities", section("Liabilities", liabilities, std::move(liability_items))},
          {"equity", section("Equity", equity, std::move(equity_items))},
          {"netAssets", net_assets}};
      reports.insert(reports.begin(), std::move(report));
    }
  }
  nlohmann::json record{{"currency", ctx.snapshot().base_currency}, {"reports", reports}};
  record["mostRecentAvailableMonth"] =
      reports.empty() ? nlohmann::json() : nlohmann::json(reports.front()["date"]);
  record["earliestAvailableMonth"] =
      reports.empty() ? nlohmann::json() : nlohmann::json(reports.back()["date"]);
  return ctx.emit(std::move(record));
}

ReadResult<void> map_profit_and_loss(MapContext& ctx) {
  Ledger ledger(ctx);
  if (auto loaded = ledger.load(); !loaded) {
    return loaded;
  }
  auto reports = nlohmann::json::array();
  if (!ledger.base.empty()) {
    const int first = ledger.base.begin()->first;
    const int last = ledger.base.rbegin()->first;
    const std::vector<Decimal> none(ledger.accounts.size());
    for (int month = first; month <= last; ++month) {
      const auto it = ledger.base.find(month);
      const auto& sums = it == ledger.base.end() ? none : it->second;
      Decimal income, expenses;
      auto income_items = nlohmann::json::array();
      auto expense_items = nlohmann::json::array();
      for (std::size_t i = 0; i < ledger.accounts.size(); ++i) {
        const Account& account = ledger.accounts[i];
        if (sums[i].is_zero()) {
          continue;
        }
        if (account.cls.type == "Income") {
          income -= sums[i];
          income_items.push_back(account_line(account, -sums[i]));
        } else if (account.cls.type == "Expense") {
          expenses += sums[i];
          expense_items.push_back(account_line(account, sums[i]));
        }
      }
      const Date start = month_start(month);
      const Decimal zero;
      const Decimal gross = income;
      const Decimal operating = gross - expenses;
      nlohmann::json report{
          {"fromDate", model::to_datetime(start)},
          {"toDate", model::to_datetime(model::end_of_month(start))},
          {"income", section("Income", income, std::move(income_items))},
          {"costOfSales", section("Cost of Sales", zero, nlohmann::json::array())},
          {"expenses", section("Expenses", expenses, std::move(expense_items))},
          {"otherIncome", section("Other Income", zero, nlohmann::json::array())},
          {"otherExpenses", section("Other Expenses", zero, nlohmann::json::array())},
          {"grossProfit", gross},
          {"netOperatingProfit", operating},
          {"netOtherIncome", zero},
          {"netProfit", operating}};
      reports.insert(reports.begin(), std::move(report));
    }
  }
  nlohmann::json record{
      {"reportBasis", "Accrual"}, {"currency", ctx.snapshot().base_currency}, {"reports", reports}};
  record["mostRecentAvailableMonth"] =
      reports.empty() ? nlohmann::json() : nlohmann::json(reports.front()["fromDate"]);
  record["earliestAvailableMonth"] =
      reports.empty() ? nlohmann::json() : nlohmann::json(reports.back()["fromDate"]);
  return ctx.emit(std::move(record));
}

}  // namespace bookbridge::readers::gnucash
