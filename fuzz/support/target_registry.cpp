#include "fuzz/support/fuzz_target.h"

namespace mlm::fuzz {

std::map<std::string, Entry>& targets() {
  static std::map<std::string, Entry> all;  // function-local: filled during static initialisation
  return all;
}

}  // namespace mlm::fuzz
