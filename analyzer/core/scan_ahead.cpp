#include "analyzer/core/scan_ahead.h"

#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <exception>
#include <system_error>
#include <thread>

#include "analyzer/core/parallel.h"
#include "analyzer/repo/path_filter.h"

namespace mlm {

namespace {

class DiscardSink final : public EvidenceSink {
 public:
  void add(Evidence) override {}
};

class BufferSink final : public EvidenceSink {
 public:
  explicit BufferSink(std::vector<Evidence>& out) : out_(out) {}
  void add(Evidence e) override { out_.push_back(std::move(e)); }

 private:
  std::vector<Evidence>& out_;
};

// One worker's spare instances of the memoised detectors (their per-scan state is thrown away:
// only what FileMemo stores in the cache matters).
struct Worker {
  const RepoSource* source = nullptr;
  std::unique_ptr<RepoSource> own;
  std::vector<std::unique_ptr<Detector>> memoised;
};

// Lowers the calling thread's scheduling priority. On Linux the nice value belongs to the thread
// (and threads it creates inherit it); elsewhere setpriority would lower the whole process, so
// nothing is done there.
void lower_thread_priority() {
#ifdef __linux__
  constexpr int kYieldingNice = 5;  // the scheduler weighs nice 5 at 335 against 1024 for nice 0
  errno = 0;
  const int now = getpriority(PRIO_PROCESS, static_cast<id_t>(gettid()));
  if (errno == 0 && now < kYieldingNice) setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), kYieldingNice);
#endif
}

}  // namespace

void warm_files(const RepoSource& source, const std::vector<const FileEntry*>& todo, const Knowledge& knowledge,
                const ReadLimits& limits, const ParseCacheScope& cache, unsigned jobs, bool behind_history) {
  if (!cache.cache || todo.empty() || jobs < 2) return;
  std::vector<Worker> workers(1);
  workers[0].source = &source;
  for (unsigned w = 1; w < jobs; ++w) {
    std::string error;
    auto r = source.reader(error);
    if (!r) break;  // fewer threads; the file pass does the rest
    Worker k;
    k.source = r.get();
    k.own = std::move(r);
    workers.push_back(std::move(k));
  }
  if (workers.size() < 2) return;
  for (auto& w : workers) {
    for (const auto& d : detector_registry()) {
      auto inst = d.make(knowledge);
      if (inst->scan_is_memoised()) w.memoised.push_back(std::move(inst));
    }
  }
  auto warm = [&] {
    parallel_for(todo.size(), static_cast<unsigned>(workers.size()), [&](size_t i, unsigned wi) {
      Worker& w = workers[wi];
      const FileEntry& f = *todo[i];
      std::vector<Skip> ignored;  // the file pass meets the same refusal and records it
      ScanFile file(*w.source, f, limits, ignored, &cache);
      if (is_python_source(f.path)) file.python();
      DiscardSink discard;
      for (auto& d : w.memoised) {
        if (!d->wants(f)) continue;
        try {
          d->scan(file, discard);
        } catch (const std::exception&) {
          // Not memoised after a throw: the file pass scans the file again and records the error.
        }
      }
      return true;
    });
  };
  if (!behind_history) {
    warm();
    return;
  }
  // The history thread runs one chain that cannot be split (the walk, then the people analysis)
  // and is the longest of a large scan; parsing splits across any number of threads. So the
  // parsing yields to it: at a lower priority, on threads of its own (a thread may lower its
  // priority but not raise it back; the caller's thread, worker 0's reader included, waits).
  std::exception_ptr failure;
  std::thread leader;
  try {
    leader = std::thread([&] {
      lower_thread_priority();  // the threads it starts inherit it
      try {
        warm();
      } catch (...) {
        failure = std::current_exception();
      }
    });
  } catch (const std::system_error&) {
    warm();  // no thread to be had: parse here, at the usual priority
    return;
  }
  leader.join();
  if (failure) std::rethrow_exception(failure);
}

HistoryAhead::HistoryAhead(std::unique_ptr<RepoSource> reader,
                           std::vector<std::pair<std::string, Detector*>> detectors,
                           const std::vector<FileEntry>& files, const ReadLimits& limits)
    : reader_(std::move(reader)),
      detectors_(std::move(detectors)),
      files_(files),
      limits_(limits),
      outcomes_(detectors_.size()) {
  thread_ = std::thread([this] { run(); });
}

HistoryAhead::~HistoryAhead() {
  if (thread_.joinable()) thread_.join();
}

void HistoryAhead::run() {
  const std::vector<Evidence> none;  // these detectors promise not to read the evidence so far
  for (size_t i = 0; i < detectors_.size(); ++i) {
    Outcome& o = outcomes_[i];
    BufferSink sink(o.evidence);
    RepoView view{*reader_, files_, none, limits_, o.skips};
    const auto t0 = std::chrono::steady_clock::now();
    try {
      detectors_[i].second->finish(view, sink);
    } catch (const std::exception& ex) {
      o.threw = true;
      o.error = ex.what();
    }
    o.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
}

bool HistoryAhead::runs(const std::string& id) const {
  for (const auto& d : detectors_) {
    if (d.first == id) return true;
  }
  return false;
}

HistoryAhead::Outcome HistoryAhead::take(const std::string& id) {
  if (thread_.joinable()) thread_.join();
  for (size_t i = 0; i < detectors_.size(); ++i) {
    if (detectors_[i].first == id) return std::move(outcomes_[i]);
  }
  return {};
}

std::unique_ptr<HistoryAhead> start_history_ahead(const RepoSource& source,
                                                  const std::vector<std::pair<std::string, Detector*>>& detectors,
                                                  const ReadLimits& limits) {
  std::vector<std::pair<std::string, Detector*>> chosen;
  for (const auto& d : detectors) {
    if (d.second->finish_reads_history_only()) chosen.push_back(d);
  }
  if (chosen.empty() || !source.git()) return nullptr;
  std::string error;
  auto reader = source.reader(error);
  if (!reader) return nullptr;
  return std::make_unique<HistoryAhead>(std::move(reader), std::move(chosen), source.files(), limits);
}

}  // namespace mlm
