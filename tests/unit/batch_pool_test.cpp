// Worker processes: outputs arrive whole, a hanging worker is killed at its budget without
// holding up the others, crashes and memory exhaustion become outcomes, no zombie is left.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <map>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

#include "analyzer/batch/worker_pool.h"
#include "analyzer/core/sanitizer.h"

using namespace mlm::batch;
using End = WorkerOutcome::End;

namespace {

using Clock = std::chrono::steady_clock;

// Runs tasks 0..n-1 and returns each outcome by task.
std::map<size_t, WorkerOutcome> run_tasks(size_t n, PoolOptions o, WorkFn work) {
  WorkerPool pool(std::move(o), std::move(work));
  std::map<size_t, WorkerOutcome> out;
  size_t next = 0;
  REQUIRE(pool.run([&](size_t& t) { return next < n ? (t = next++, true) : false; },
                   [&](size_t t, WorkerOutcome& oc) { out[t] = oc; }));
  return out;
}

void say(int fd, const std::string& s) { write_all(fd, s.data(), s.size()); }

bool no_children_left() {
  errno = 0;
  return waitpid(-1, nullptr, WNOHANG) == -1 && errno == ECHILD;
}

}  // namespace

TEST_CASE("batch pool: each worker's output comes back whole, large ones too", "[batch][pool]") {
  PoolOptions o;
  o.jobs = 3;
  auto out = run_tasks(7, o, [](size_t t, int fd) {
    // 1 MiB outputs need many pipe reads: the parent must drain while the child writes.
    say(fd, std::string(t == 3 ? (1u << 20) : 10, static_cast<char>('a' + t)) + "\n");
  });
  REQUIRE(out.size() == 7);
  for (const auto& [t, oc] : out) {
    CHECK(oc.end == End::exited);
    CHECK(oc.code == 0);
    CHECK(oc.output == std::string(t == 3 ? (1u << 20) : 10, static_cast<char>('a' + t)) + "\n");
  }
  CHECK(no_children_left());
}

TEST_CASE("batch pool: a hanging worker is killed at its budget and the others go on", "[batch][pool]") {
  PoolOptions o;
  o.jobs = 2;
  o.timeout_seconds = 0.8;
  WorkerPool pool(o, [](size_t t, int fd) {
    say(fd, "started\n");
    if (t == 0) {
      for (;;) pause();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    say(fd, "done\n");
  });
  std::map<size_t, WorkerOutcome> out;
  std::vector<size_t> order;
  size_t next = 0;
  REQUIRE(pool.run([&](size_t& t) { return next < 6 ? (t = next++, true) : false; },
                   [&](size_t t, WorkerOutcome& oc) {
                     out[t] = oc;
                     order.push_back(t);
                   }));
  CHECK(out[0].end == End::timed_out);
  CHECK(out[0].output == "started\n");  // what it said before the budget ran out is kept
  CHECK(out[0].seconds >= 0.8);
  CHECK(out[0].seconds < 3);
  for (size_t t = 1; t < 6; ++t) {
    CHECK(out[t].end == End::exited);
    CHECK(out[t].output == "started\ndone\n");
  }
  // The other slot kept working while task 0 hung: all five finished before it was killed.
  CHECK(order == std::vector<size_t>{1, 2, 3, 4, 5, 0});
  CHECK(no_children_left());
}

TEST_CASE("batch pool: a task given extra time (a remote entry's clone) keeps it", "[batch][pool]") {
  PoolOptions o;
  o.jobs = 2;
  o.timeout_seconds = 0.4;
  o.extra_seconds = [](size_t t) { return t == 1 ? 2.0 : 0.0; };
  auto out = run_tasks(2, o, [](size_t, int fd) {
    std::this_thread::sleep_for(std::chrono::milliseconds(900));
    say(fd, "done\n");
  });
  CHECK(out[0].end == End::timed_out);
  CHECK(out[1].end == End::exited);
  CHECK(out[1].output == "done\n");
  CHECK(no_children_left());
}

TEST_CASE("batch pool: crashes, exceptions and exhausted memory are outcomes", "[batch][pool]") {
  PoolOptions o;
  o.jobs = 2;
  o.memory_limit_bytes = uint64_t{1} << 30;
  auto out = run_tasks(5, o, [](size_t t, int) {
    switch (t) {
      case 0: std::abort();
      case 1:
        signal(SIGSEGV, SIG_DFL);  // a sanitizer's handler would turn the signal into an exit code
        raise(SIGSEGV);
        break;
      case 2: throw std::runtime_error("boom");
      case 3: {
        // Untouched allocations cost address space, not memory: bad_alloc at the limit, fast.
        // A sanitizer build has no limit (sanitizer.h): there the hog touches what it takes and
        // stops as an allocator at the limit would, once its resident size passes 1 GiB.
        std::vector<std::unique_ptr<char[]>> hog;
        for (;;) {
          hog.emplace_back(new char[64u << 20]);
          if (mlm::kShadowSanitizer) {
            std::fill_n(hog.back().get(), 64u << 20, 1);
            rusage usage{};
            getrusage(RUSAGE_SELF, &usage);
            if (static_cast<uint64_t>(usage.ru_maxrss) * 1024 > (uint64_t{1} << 30)) throw std::bad_alloc();
          }
        }
      }
      default: _exit(9);
    }
  });
  CHECK(out[0].end == End::signalled);
  CHECK(out[0].code == SIGABRT);
  CHECK(describe_signal(out[0].code).rfind("SIGABRT", 0) == 0);
  CHECK(out[1].end == End::signalled);
  CHECK(out[1].code == SIGSEGV);
  CHECK(out[2].end == End::exited);
  CHECK(out[2].code == kWorkerExitException);
  CHECK(out[3].end == End::exited);
  CHECK(out[3].code == kWorkerExitOutOfMemory);
  CHECK(out[4].end == End::exited);
  CHECK(out[4].code == 9);
  CHECK(no_children_left());
}

TEST_CASE("batch pool: a worker flooding its pipe is cut off", "[batch][pool]") {
  PoolOptions o;
  o.max_output_bytes = 1u << 20;
  auto out = run_tasks(2, o, [](size_t t, int fd) {
    const std::string chunk(1u << 16, 'z');
    if (t == 0) {
      for (;;) say(fd, chunk);
    }
    say(fd, "small\n");
  });
  CHECK(out[0].end == End::too_much_output);
  CHECK(out[0].output.empty());
  CHECK(out[1].output == "small\n");
  CHECK(no_children_left());
}

TEST_CASE("batch pool: jobs bounds the workers running at once", "[batch][pool]") {
  PoolOptions o;
  o.jobs = 2;
  // Each worker reports when it started and ended; count how many ran at the same moment.
  auto out = run_tasks(5, o, [](size_t, int fd) {
    auto now = [] { return std::chrono::duration<double>(Clock::now().time_since_epoch()).count(); };
    const double start = now();
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    say(fd, std::to_string(start) + " " + std::to_string(now()));
  });
  REQUIRE(out.size() == 5);
  std::vector<std::pair<double, int>> events;
  for (const auto& [t, oc] : out) {
    const double start = std::stod(oc.output);
    const double end = std::stod(oc.output.substr(oc.output.find(' ') + 1));
    events.push_back({start, +1});
    events.push_back({end, -1});
  }
  std::sort(events.begin(), events.end());  // an end before a start at the same instant
  int running = 0, most = 0;
  for (const auto& e : events) most = std::max(most, running += e.second);
  CHECK(most == 2);
}

TEST_CASE("batch pool: stopping kills and reaps the running workers", "[batch][pool]") {
  PoolOptions o;
  o.jobs = 2;
  WorkerPool pool(o, [](size_t, int) {
    for (;;) pause();
  });
  size_t next = 0, done = 0;
  const auto t0 = Clock::now();
  const bool finished = pool.run([&](size_t& t) { return next < 10 ? (t = next++, true) : false; },
                                 [&](size_t, WorkerOutcome&) { ++done; }, nullptr, 0,
                                 [&] { return Clock::now() - t0 > std::chrono::milliseconds(200); });
  CHECK_FALSE(finished);
  CHECK(done == 0);
  CHECK(next == 2);
  CHECK(no_children_left());
}
