// A minimal streaming JSON writer. Strings from scanned repositories may hold invalid UTF-8:
// they are repaired (U+FFFD) so the output is always valid JSON.
#pragma once
#include <ostream>
#include <string>
#include <vector>

namespace mlm {

class JsonWriter {
 public:
  explicit JsonWriter(std::ostream& out, bool pretty = true) : out_(out), pretty_(pretty) {}
  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(const std::string& k);
  JsonWriter& value(const std::string& s);
  JsonWriter& value(const char* s) { return value(std::string(s)); }
  JsonWriter& value(long long n);
  JsonWriter& value(int n) { return value(static_cast<long long>(n)); }
  JsonWriter& value(size_t n) { return value(static_cast<long long>(n)); }
  JsonWriter& value(double d);  // three decimals (durations)
  JsonWriter& fixed(double d, int decimals);  // a number written with exactly these decimals
  JsonWriter& value(bool b);
  JsonWriter& null();
  // key + value in one call
  template <typename T>
  JsonWriter& field(const std::string& k, const T& v) {
    key(k);
    return value(v);
  }

 private:
  void before_value();
  void newline();
  std::ostream& out_;
  bool pretty_;
  std::vector<bool> first_;  // per open container: no element written yet
  bool after_key_ = false;
};

// Escapes for JSON and replaces invalid UTF-8 sequences with U+FFFD.
std::string json_escape(const std::string& s);
// Replaces invalid UTF-8 with U+FFFD (for text output too).
std::string sanitize_utf8(const std::string& s);

}  // namespace mlm
