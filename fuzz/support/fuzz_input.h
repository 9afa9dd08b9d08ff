// Shapes the fuzzer's bytes into what an entry function reads.
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

namespace mlm::fuzz {

// The first byte picks a variant (which reader, which file name), the rest is the content; an
// empty input is variant 0 with no content. libFuzzer learns the byte like any other.
struct Selected {
  uint8_t variant = 0;
  std::string text;
};
Selected select_variant(const uint8_t* data, size_t size);

// Several files in one input: a line "#@@ path" starts a file, up to the next such line. Text
// before the first marker belongs to `first_path`. Later files of the same path replace earlier
// ones; empty paths are dropped.
std::map<std::string, std::string> split_files(const std::string& text, const std::string& first_path);

// Writes `content` to a file named `name` in this process's own temporary folder (created once,
// under $TMPDIR) and returns its path: for loaders that only read files.
std::string write_temp_file(const std::string& name, const std::string& content);

}  // namespace mlm::fuzz
