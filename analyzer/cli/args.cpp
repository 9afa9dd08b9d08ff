#include "analyzer/cli/args.h"

namespace mlm {

bool ArgReader::flag(const char* name, const char* alias) {
  if (done()) return false;
  const std::string& a = args_[i_];
  if (a == name || (alias && a == alias)) {
    ++i_;
    return true;
  }
  return false;
}

bool ArgReader::value(const char* name, std::string& out, const char* alias) {
  if (done()) return false;
  const std::string& a = args_[i_];
  const std::string eq = std::string(name) + "=";
  if (a.rfind(eq, 0) == 0) {  // --format=json
    out = a.substr(eq.size());
    ++i_;
    return true;
  }
  if (a != name && !(alias && a == alias)) return false;
  if (i_ + 1 >= args_.size()) {
    fail(a + " needs a value");
    i_ = args_.size();
    return true;
  }
  out = args_[i_ + 1];
  i_ += 2;
  return true;
}

bool ArgReader::positional(std::string& out) {
  if (done()) return false;
  const std::string& a = args_[i_];
  if (!a.empty() && a[0] == '-' && a != "-") return false;
  out = a;
  ++i_;
  return true;
}

void ArgReader::unknown() {
  if (done()) return;
  const std::string& a = args_[i_++];
  fail(!a.empty() && a[0] == '-' ? "unknown option '" + a + "'" : "unexpected argument '" + a + "'");
}

}  // namespace mlm
