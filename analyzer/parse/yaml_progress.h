// A guard for a yaml-cpp 0.7 defect (Debian 12): YAML::LoadAll never returns on a stray ',' at
// block level (", a", "- a\n, b", "{a: 1}, b"): the parser ends a document at the token without
// consuming it and starts the next empty document at the same place, forever, growing memory.
// Found by fuzzing (tests/fuzz-regressions/ci_pipeline/).
#pragma once
#include <string>

namespace mlm {

// Reads the text's events once, discarding them: false as soon as a document starts where the
// previous one started (no progress), or when the text does not parse (the caller's load will
// report that error itself).
bool yaml_documents_progress(const std::string& text);

}  // namespace mlm
