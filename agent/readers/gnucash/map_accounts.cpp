// chartOfAccounts: every account of the real tree (template accounts excluded).

#include "model/record.h"
#include "readers/gnucash/map_common.h"

namespace bookbridge::readers::gnucash {

ReadResult<void> map_accounts(MapContext& ctx) {
  if (auto counted = ctx.count("SELECT count(*) FROM bb_accounts"); !counted) {
    return counted;
  }
  auto accounts = prepare(ctx,
                          "SELECT guid, name, account_type, code, description, full_name, "
                          "commodity, commodity_space, is_hidden, is_placeholder FROM bb_accounts "
                          "ORDER BY full_name, guid");
  // Exact balance: integer sums per denominator, combined as decimals.
  auto sums = prepare(ctx,
                      "SELECT quantity_denom, sum(quantity_num) FROM splits WHERE account_guid = ? "
                      "GROUP BY quantity_denom");
  if (!accounts || !sums) {
    return !accounts ? accounts.error() : sums.error();
  }
  while (accounts->step()) {
    const std::string id = accounts->text(0);
    const std::string type = accounts->text(2);
    const AccountClass cls = classify_account(type);
    model::Decimal balance;
    sums->bind(1, id);
    while (sums->step()) {
      auto part = amount(*sums, 1, 0, "account " + id);
      if (!part) {
        return part.error();
      }
      balance += *part;
    }
    if (!sums->ok()) {
      return step_error(ctx, *sums, "balances of account " + accounts->text(5));
    }
    sums->reset();
    if (!balance.valid()) {
      return ReadError{ReadErrc::map_failed,
                       "the balance of account " + accounts->text(5) + " overflows", id};
    }
    const std::string space = accounts->text(7);
    const bool currency = space == "CURRENCY" || space == "ISO4217";
    nlohmann::json record{
        {"id", id},
        {"nominalCode", text_or_null(accounts->text(3))},
        {"name", accounts->text(1)},
        {"description", text_or_null(accounts->text(4))},
        {"fullyQualifiedName", accounts->text(5)},
        {"fullyQualifiedCategory", text_or_null(cls.category)},
        // Securities (stock, funds) have no ISO currency: XXX, balance in units held.
        {"currency", currency ? accounts->text(6) : std::string("XXX")},
        {"currentBalance", cls.natural_sign < 0 ? -balance : balance},
        {"type", cls.type},
        {"status", accounts->integer(8) != 0 ? "Archived" : "Active"},
        {"isBankAccount", cls.is_bank},
        {"supplementalData",
         {{"content",
           {{"gnucashType", type},
            {"placeholder", accounts->integer(9) != 0},
            {"commodity", accounts->text(6)}}}}},
    };
    if (auto emitted = ctx.emit(std::move(record)); !emitted) {
      return emitted;
    }
  }
  return accounts->ok() ? ReadResult<void>{} : step_error(ctx, *accounts, "accounts");
}

}  // namespace bookbridge::readers::gnucash
