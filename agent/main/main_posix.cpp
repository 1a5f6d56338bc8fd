#include "cli/cli.h"

int main(int argc, char** argv) {
  return bookbridge::agent::cli::main_entry(argc, argv);
}
