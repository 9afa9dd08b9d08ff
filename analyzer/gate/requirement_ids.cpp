#include "analyzer/gate/requirement_ids.h"

#include <cctype>

namespace mlm {

namespace {
std::string slug(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c)) out.push_back(static_cast<char>(std::tolower(c)));
    else if (!out.empty() && out.back() != '-') out.push_back('-');
    if (out.size() >= 48) break;
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}
}  // namespace

std::string requirement_rule_id(const ParameterRule& p, int level, const Condition& c, size_t index) {
  std::string tail = !c.id.empty() ? c.id : slug(c.label);
  if (tail.empty()) tail = "requirement-" + std::to_string(index + 1);
  return p.id + ".L" + std::to_string(level) + "." + tail;
}

}  // namespace mlm
