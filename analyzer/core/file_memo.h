// A detector's result for one file, kept by (rules, detector, path, blob) so that a later scan
// sharing the cache (the next point of a timeline, the base revision of a gate) replays it for
// an unchanged file instead of reading, parsing and matching it again.
//
// Opt-in, for detectors whose scan() of a file depends only on that file's path and bytes and on
// the rules: the evidence scan() emits and the per-file `State` it keeps for finish() are
// recorded. Never recorded: files that recorded a skip (a replay would lose it). A working-tree
// file is named by the blob id of its bytes, so a gate's working-tree scan and its baseline
// revision share results for the files the change did not touch.
//
//   void scan(ScanFile& file, EvidenceSink& out) override {
//     FileMemo<MyFileState> memo(file, out, "my_detector");
//     if (const MyFileState* s = memo.replay()) { absorb(*s); return; }
//     ... emit into memo.sink(), fill memo.state() ...
//     absorb(memo.state());
//     memo.keep();
//   }
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "analyzer/cache/parse_cache.h"
#include "analyzer/core/evidence.h"
#include "analyzer/core/scan_file.h"

namespace mlm {

// For detectors that keep nothing per file beyond the evidence they emit.
struct NoFileState {};

template <typename State>
class FileMemo {
 public:
  FileMemo(ScanFile& file, EvidenceSink& out, const char* detector)
      : file_(file), key_(file.memo_key(detector)), recorder_(out, stored_.evidence) {}

  // The recorded result, its evidence already re-emitted to `out`; nullptr when there is none.
  const State* replay() {
    if (key_.empty()) return nullptr;
    found_ = std::static_pointer_cast<const Stored>(file_.cache()->result(key_));
    if (!found_) return nullptr;
    for (const auto& e : found_->evidence) recorder_.forward(e);
    return &found_->state;
  }

  // Where scan() emits its evidence: passed on at once, and recorded.
  EvidenceSink& sink() { return recorder_; }
  // The per-file state scan() keeps for finish().
  State& state() { return stored_.state; }

  // Stores the result; call at the end of a scan() that finished normally.
  void keep(size_t state_bytes = 0) {
    if (key_.empty() || file_.skipped()) return;
    const size_t cost = sizeof(Stored) + state_bytes + stored_.evidence.size() * 512;
    file_.cache()->put_result(key_, file_.content_id(), std::make_shared<const Stored>(std::move(stored_)), cost);
  }

 private:
  struct Stored {
    std::vector<Evidence> evidence;
    State state;
  };
  class Recorder final : public EvidenceSink {
   public:
    Recorder(EvidenceSink& out, std::vector<Evidence>& log) : out_(out), log_(log) {}
    void add(Evidence e) override {
      log_.push_back(e);
      out_.add(std::move(e));
    }
    void forward(const Evidence& e) { out_.add(e); }

   private:
    EvidenceSink& out_;
    std::vector<Evidence>& log_;
  };

  ScanFile& file_;
  std::string key_;
  Stored stored_;
  Recorder recorder_;
  std::shared_ptr<const Stored> found_;
};

}  // namespace mlm
