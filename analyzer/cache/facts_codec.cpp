#include "analyzer/cache/facts_codec.h"

#include <cstdint>

namespace mlm {

// A field added to these structs must be added to the codec below (and kFactsCodecVersion
// bumped), or cached facts would silently lack it. These checks make the build say so.
static_assert(sizeof(PyImport) == 104, "PyImport changed: update analyzer/cache/facts_codec.cpp");
static_assert(sizeof(PyCall) == 120, "PyCall changed: update analyzer/cache/facts_codec.cpp");
static_assert(sizeof(PyString) == 40, "PyString changed: update analyzer/cache/facts_codec.cpp");
static_assert(sizeof(PyCondition) == 40, "PyCondition changed: update analyzer/cache/facts_codec.cpp");
static_assert(sizeof(PyDecorator) == 72, "PyDecorator changed: update analyzer/cache/facts_codec.cpp");
static_assert(sizeof(PyClass) == 64, "PyClass changed: update analyzer/cache/facts_codec.cpp");
static_assert(sizeof(PyFunction) == 120, "PyFunction changed: update analyzer/cache/facts_codec.cpp");
static_assert(sizeof(PythonFacts) == 176, "PythonFacts changed: update analyzer/cache/facts_codec.cpp");

namespace {

class Writer {
 public:
  void u(uint64_t v) {
    while (v >= 0x80) {
      out_.push_back(static_cast<char>((v & 0x7f) | 0x80));
      v >>= 7;
    }
    out_.push_back(static_cast<char>(v));
  }
  void i(int v) { u(static_cast<uint64_t>(static_cast<uint32_t>(v))); }
  void b(bool v) { u(v ? 1 : 0); }
  void s(const std::string& v) {
    u(v.size());
    out_ += v;
  }
  void ss(const std::vector<std::string>& v) {
    u(v.size());
    for (const auto& x : v) s(x);
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  bool at_end() const { return pos_ == in_.size(); }
  uint64_t u() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= in_.size()) return fail();
      const auto c = static_cast<unsigned char>(in_[pos_++]);
      v |= static_cast<uint64_t>(c & 0x7f) << shift;
      if (!(c & 0x80)) return v;
    }
    return fail();
  }
  int i() { return static_cast<int>(static_cast<uint32_t>(u())); }
  bool b() { return u() != 0; }
  std::string s() {
    const uint64_t n = u();
    if (!ok_ || n > in_.size() - pos_) {
      fail();
      return "";
    }
    std::string v(in_.substr(pos_, n));
    pos_ += n;
    return v;
  }
  // A count of items, each at least one byte: never more than what is left.
  size_t count() {
    const uint64_t n = u();
    if (!ok_ || n > in_.size() - pos_) {
      fail();
      return 0;
    }
    return static_cast<size_t>(n);
  }
  std::vector<std::string> ss() {
    std::vector<std::string> v(count());
    for (auto& x : v) x = s();
    return v;
  }

 private:
  uint64_t fail() {
    ok_ = false;
    pos_ = in_.size();
    return 0;
  }
  std::string_view in_;
  size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace

std::string encode_python_facts(const PythonFacts& f) {
  Writer w;
  w.u(f.imports.size());
  for (const auto& x : f.imports) {
    w.s(x.module), w.s(x.name), w.s(x.bound), w.i(x.line), w.b(x.relative);
  }
  w.u(f.calls.size());
  for (const auto& x : f.calls) {
    w.s(x.callee), w.s(x.resolved), w.ss(x.kwargs), w.ss(x.str_args), w.i(x.line);
  }
  w.u(f.decorators.size());
  for (const auto& x : f.decorators) w.s(x.name), w.s(x.resolved), w.i(x.line);
  w.u(f.classes.size());
  for (const auto& x : f.classes) w.s(x.name), w.ss(x.bases), w.i(x.line);
  w.u(f.functions.size());
  for (const auto& x : f.functions) {
    w.s(x.name), w.s(x.class_name), w.i(x.line), w.i(x.end_line), w.i(x.assert_count), w.b(x.trivial), w.s(x.params);
  }
  w.u(f.strings.size());
  for (const auto& x : f.strings) w.s(x.text), w.i(x.line);
  w.u(f.conditions.size());
  for (const auto& x : f.conditions) w.s(x.text), w.i(x.line), w.b(x.is_assert);
  w.b(f.has_main_guard), w.b(f.has_error), w.b(f.timed_out), w.i(f.code_lines);
  return w.take();
}

bool decode_python_facts(std::string_view bytes, PythonFacts& f) {
  Reader r(bytes);
  f = PythonFacts{};
  f.imports.resize(r.count());
  for (auto& x : f.imports) x.module = r.s(), x.name = r.s(), x.bound = r.s(), x.line = r.i(), x.relative = r.b();
  f.calls.resize(r.count());
  for (auto& x : f.calls) x.callee = r.s(), x.resolved = r.s(), x.kwargs = r.ss(), x.str_args = r.ss(), x.line = r.i();
  f.decorators.resize(r.count());
  for (auto& x : f.decorators) x.name = r.s(), x.resolved = r.s(), x.line = r.i();
  f.classes.resize(r.count());
  for (auto& x : f.classes) x.name = r.s(), x.bases = r.ss(), x.line = r.i();
  f.functions.resize(r.count());
  for (auto& x : f.functions) {
    x.name = r.s(), x.class_name = r.s(), x.line = r.i(), x.end_line = r.i(), x.assert_count = r.i(),
    x.trivial = r.b(), x.params = r.s();
  }
  f.strings.resize(r.count());
  for (auto& x : f.strings) x.text = r.s(), x.line = r.i();
  f.conditions.resize(r.count());
  for (auto& x : f.conditions) x.text = r.s(), x.line = r.i(), x.is_assert = r.b();
  f.has_main_guard = r.b(), f.has_error = r.b(), f.timed_out = r.b(), f.code_lines = r.i();
  return r.ok() && r.at_end();
}

}  // namespace mlm
