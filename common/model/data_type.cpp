#include "model/data_type.h"

#include <array>
#include <cstdlib>

namespace bookbridge::model {
namespace {

using enum DataShape;

constexpr std::array kTypes{
    DataTypeInfo{DataType::company, "company", "data/info", single, "CompanyValidator",
                 "accounting-company"},
    DataTypeInfo{DataType::chart_of_accounts, "chartOfAccounts", "data/accounts", list,
                 "AccountValidator", "accounting-account"},
    DataTypeInfo{DataType::customers, "customers", "data/customers", list, "CustomerValidator",
                 "accounting-customer"},
    DataTypeInfo{DataType::suppliers, "suppliers", "data/suppliers", list, "SupplierValidator",
                 "accounting-supplier"},
    DataTypeInfo{DataType::invoices, "invoices", "data/invoices", list, "InvoiceValidator",
                 "accounting-invoice"},
    DataTypeInfo{DataType::bills, "bills", "data/bills", list, "BillValidator", "accounting-bill"},
    DataTypeInfo{DataType::payments, "payments", "data/payments", list, "PaymentValidator",
                 "accounting-payment"},
    DataTypeInfo{DataType::bill_payments, "billPayments", "data/billPayments", list,
                 "BillPaymentValidator", "accounting-billpayment"},
    DataTypeInfo{DataType::journal_entries, "journalEntries", "data/journalEntries", list,
                 "JournalEntryValidator", "accounting-journalentry"},
    DataTypeInfo{DataType::credit_notes, "creditNotes", "data/creditNotes", list,
                 "CreditNoteValidator", "accounting-creditnote"},
    DataTypeInfo{DataType::items, "items", "data/items", list, "ItemValidator", "accounting-item"},
    DataTypeInfo{DataType::tax_rates, "taxRates", "data/taxRates", list, "TaxRateValidator",
                 "accounting-taxrate"},
    DataTypeInfo{DataType::balance_sheet, "balanceSheet", "data/financials/balanceSheet", single,
                 "BalanceSheetValidator", "accounting-balancesheet"},
    DataTypeInfo{DataType::profit_and_loss, "profitAndLoss", "data/financials/profitAndLoss",
                 single, "ProfitAndLossValidator", "accounting-profitandloss"},
};

}  // namespace

std::span<const DataTypeInfo> all_data_types() {
  return kTypes;
}

const DataTypeInfo& info(DataType type) {
  for (const auto& entry : kTypes) {
    if (entry.type == type) {
      return entry;
    }
  }
  std::abort();  // every enumerator is in the table
}

std::string_view to_key(DataType type) {
  return info(type).key;
}

std::optional<DataType> data_type_from_key(std::string_view key) {
  for (const auto& entry : kTypes) {
    if (entry.key == key) {
      return entry.type;
    }
  }
  return std::nullopt;
}

std::optional<DataType> data_type_from_path(std::string_view path) {
  for (const auto& entry : kTypes) {
    if (entry.path == path) {
      return entry.type;
    }
  }
  return std::nullopt;
}

}  // namespace bookbridge::model
