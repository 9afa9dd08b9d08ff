// Runs fn(i, worker) for i in [0, n) on up to `jobs` threads (the caller's thread is worker 0).
// Items are handed out in order; fn returns false to stop the others (they finish the item in
// hand). Returns false when any call did. For work whose items share nothing but thread-safe
// caches: a timeline's points, the files it parses up front.
#pragma once
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace mlm {

template <typename Fn>
bool parallel_for(size_t n, unsigned jobs, Fn&& fn) {
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  auto work = [&](unsigned worker) {
    for (size_t i = next++; i < n && !failed; i = next++) {
      if (!fn(i, worker)) failed = true;
    }
  };
  const unsigned threads = static_cast<unsigned>(std::max<size_t>(1, std::min<size_t>(jobs, n)));
  std::vector<std::thread> pool;
  for (unsigned w = 1; w < threads; ++w) pool.emplace_back(work, w);
  work(0);
  for (auto& t : pool) t.join();
  return !failed;
}

}  // namespace mlm
