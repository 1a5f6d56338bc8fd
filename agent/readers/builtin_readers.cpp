// Every built-in reader, listed by hand. A new reader adds one line here (and its folder); there
// is no static self-registration, so what ships is exactly what this list says.

#include <stdexcept>

#include "readers/gnucash/gnucash_factory.h"
#include "readers/registry.h"

namespace bookbridge::readers {

void register_builtin_readers(ReaderRegistry& registry) {
  for (auto&& factory : {gnucash::make_factory()}) {
    if (!registry.add(factory)) {
      // Two built-in readers with one name is a programming error caught by the tests.
      throw std::logic_error("duplicate built-in reader name: " + factory.name);
    }
  }
}

}  // namespace bookbridge::readers
