// A regex compiled at its first use, for the patterns our own code translates from rule text
// (dotted call globs, secret patterns): a scan compiles only those its files reach, since a small
// repository meets a handful of the hundreds in rules/. Thread-safe: the first caller compiles,
// the others wait. Copies share the compiled form. (Path globs compile no regex at all:
// analyzer/core/glob.h.)
//
// A regex translated from a glob is valid by construction (every literal is quoted), so only its
// size could make RE2 refuse it: `compile_now_if_long` compiles a long one at once, so that the
// rule loader still reports the glob with its file and line.
#pragma once
#include <re2/re2.h>

#include <memory>
#include <mutex>
#include <string>

namespace mlm {

class LazyRegex {
 public:
  LazyRegex() = default;
  LazyRegex(std::string pattern, const RE2::Options& options)
      : state_(std::make_shared<State>(std::move(pattern), options)) {}

  bool empty() const { return !state_; }
  // The compiled regex (compiling it now if this is its first use).
  const RE2& get() const {
    std::call_once(state_->once, [s = state_.get()] { s->re = std::make_unique<RE2>(s->pattern, s->options); });
    return *state_->re;
  }
  // Compiles at once when the pattern is long; returns false (error set) when RE2 refuses it.
  bool compile_now_if_long(std::string& error, size_t long_chars = 1000) const {
    if (!state_ || state_->pattern.size() < long_chars) return true;
    const RE2& re = get();
    if (re.ok()) return true;
    error = re.error();
    return false;
  }

 private:
  struct State {
    State(std::string p, const RE2::Options& o) : pattern(std::move(p)), options(o) {}
    std::string pattern;
    RE2::Options options;
    std::once_flag once;
    std::unique_ptr<RE2> re;
  };
  std::shared_ptr<State> state_;
};

}  // namespace mlm
