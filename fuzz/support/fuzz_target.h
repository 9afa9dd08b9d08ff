// One fuzz target = one entry function over untrusted bytes. MLM_FUZZ_TARGET(name) defines it
// once for two uses:
//   - in a libFuzzer binary (fuzz/, built with -DMLM_LIBFUZZER) it is LLVMFuzzerTestOneInput;
//   - everywhere else it registers under `name`, so the unit tests feed the saved findings
//     (tests/fuzz-regressions/<name>/*) to exactly the code the fuzzer ran, without libFuzzer.
// An entry function catches only what the real caller catches; anything else is a finding.
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

namespace mlm::fuzz {

using Entry = void (*)(const uint8_t* data, size_t size);

// Registered targets by name (the regression tests' view).
std::map<std::string, Entry>& targets();

struct Registration {
  Registration(const char* name, Entry entry) { targets()[name] = entry; }
};

}  // namespace mlm::fuzz

#ifdef MLM_LIBFUZZER
#define MLM_FUZZ_TARGET(name)                                                \
  static void mlm_fuzz_##name(const uint8_t* data, size_t size);             \
  extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {  \
    mlm_fuzz_##name(data, size);                                             \
    return 0;                                                                \
  }                                                                          \
  static void mlm_fuzz_##name(const uint8_t* data, size_t size)
#else
#define MLM_FUZZ_TARGET(name)                                                                  \
  static void mlm_fuzz_##name(const uint8_t* data, size_t size);                               \
  static const ::mlm::fuzz::Registration mlm_fuzz_registration_##name(#name, mlm_fuzz_##name); \
  static void mlm_fuzz_##name(const uint8_t* data, size_t size)
#endif
