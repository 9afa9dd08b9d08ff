// PythonFacts to bytes and back, for the on-disk parse cache. The reader trusts nothing: every
// length is checked against what is left, so a truncated or corrupted cache file is a miss,
// never a crash or a huge allocation.
#pragma once
#include <string>
#include <string_view>

#include "analyzer/parse/python_facts.h"

namespace mlm {

// Bump when the encoding or PythonFacts changes: old cache entries then stop matching.
inline constexpr int kFactsCodecVersion = 3;  // 2: string elements of list/tuple arguments; 3: function params

std::string encode_python_facts(const PythonFacts& f);
bool decode_python_facts(std::string_view bytes, PythonFacts& out);

}  // namespace mlm
