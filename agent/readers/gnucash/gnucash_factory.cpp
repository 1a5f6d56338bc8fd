#include "readers/gnucash/gnucash_factory.h"

#include "readers/gnucash/gnucash_config.h"
#include "readers/gnucash/gnucash_reader.h"

namespace bookbridge::readers::gnucash {

ReaderFactory make_factory() {
  ReaderFactory factory;
  factory.name = "gnucash";
  factory.description = "GnuCash books (.gnucash: SQLite, compressed or plain XML), read-only";
  factory.options = options();
  factory.validate = &validate;
  factory.create = [](const nlohmann::json& source) -> ReadResult<ReaderPtr> {
    std::vector<ConfigProblem> problems;
    validate(source, "source", problems);
    if (!problems.empty()) {
      return ReadError{ReadErrc::internal, problems.front().path + ": " + problems.front().message,
                       ""};
    }
    return ReaderPtr(std::make_unique<GnuCashReader>(parse_config(source)));
  };
  return factory;
}

}  // namespace bookbridge::readers::gnucash
