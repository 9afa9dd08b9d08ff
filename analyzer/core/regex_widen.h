// A cheaper regex that matches at least what a pattern matches: every bounded repetition
// `e{n}`, `e{n,}` or `e{n,m}` becomes `e+` (or `e*` when n is 0). RE2 compiles `e{36,255}` into
// 255 copies of e; the widened form is one. A filter that only asks "could this text hold a
// match?" (an RE2::Set over many patterns) gets the same answer for true matches at a fraction
// of the compile cost, and the exact pattern confirms each candidate.
//
// Each substitution only enlarges the language of its sub-expression, and every regex operator
// is monotone, so the widened pattern's language contains the original's: no match is lost.
// Capture groups are untouched (same count, same order). Counts over 1000, which RE2 refuses,
// are kept as written so that compiling the widened form still reports them.
#pragma once
#include <string>

namespace mlm {

std::string widen_bounded_repeats(const std::string& pattern);

}  // namespace mlm
