// Runs tasks in worker processes, a few at a time: one fork per task, its output read through a
// pipe, a wall-clock budget enforced with SIGKILL. A worker that crashes, hangs, exhausts its
// memory or floods its pipe ends as an outcome of its own; the others never notice.
//
// Fork safety: the parent starts no threads, so each child inherits a consistent heap and
// library state. Workers never return into the caller: they end with _exit, so no destructor,
// atexit handler or buffered stream of the parent runs twice.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace mlm::batch {

// Exit statuses a worker uses when its own work escapes with an exception.
inline constexpr int kWorkerExitException = 70;
inline constexpr int kWorkerExitOutOfMemory = 71;

struct PoolOptions {
  unsigned jobs = 1;
  double timeout_seconds = 0;           // per task, wall clock; 0 = none
  // More time for some tasks on top of timeout_seconds (a remote entry's clone); none when unset.
  std::function<double(size_t task)> extra_seconds;
  uint64_t memory_limit_bytes = 0;      // RLIMIT_AS of each worker; 0 = none
  size_t max_output_bytes = 64u << 20;  // a worker writing more is killed
  bool keep_stderr = false;             // else workers' standard error goes to /dev/null
  std::vector<int> close_in_child;      // parent descriptors a worker must not hold
};

struct WorkerOutcome {
  enum class End { exited, signalled, timed_out, too_much_output, not_started };
  End end = End::exited;
  int code = 0;        // exit status (exited), signal number (signalled), errno (not_started)
  std::string output;  // what the worker wrote, whole or (too_much_output) cut
  double seconds = 0;
};

// Runs in the child: do the task, write the result to out_fd. Exceptions end the worker with
// kWorkerExitException (kWorkerExitOutOfMemory for std::bad_alloc).
using WorkFn = std::function<void(size_t task, int out_fd)>;
// Parent side: the next task to start, false when there is none left.
using NextFn = std::function<bool(size_t& task)>;
using DoneFn = std::function<void(size_t task, WorkerOutcome& outcome)>;
using TickFn = std::function<void()>;
using StopFn = std::function<bool()>;  // polled often: true ends the run early

class WorkerPool {
 public:
  WorkerPool(PoolOptions options, WorkFn work) : options_(std::move(options)), work_(std::move(work)) {}
  // Runs until no task is left and every worker has ended. `tick` is called at least every
  // tick_seconds (0 = only after each outcome). When stop() says so (a signal arrived, the
  // results file failed), running workers are killed and reaped, and run returns false.
  bool run(const NextFn& next, const DoneFn& done, const TickFn& tick = nullptr, double tick_seconds = 0,
           const StopFn& stop = nullptr);

 private:
  PoolOptions options_;
  WorkFn work_;
};

// "SIGSEGV (Segmentation fault)" for messages.
std::string describe_signal(int sig);
// write(2) until everything is written; false on error (EINTR retried).
bool write_all(int fd, const char* data, size_t size);

}  // namespace mlm::batch
