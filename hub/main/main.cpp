#include "cli/options.h"

int main(int argc, char** argv) {
  return bookbridge::hub::cli::main_entry(argc, argv);
}
