#include "analyzer/batch/worker_pool.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <new>

#include "analyzer/core/sanitizer.h"

namespace mlm::batch {

namespace {

using Clock = std::chrono::steady_clock;

struct Running {
  pid_t pid = -1;
  int fd = -1;  // read end of the worker's pipe; -1 once it reached end of file
  size_t task = 0;
  Clock::time_point start;
  double timeout = 0;  // this task's budget: timeout_seconds plus its extra_seconds; 0 = none
  std::string output;
};

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Everything the child does between fork and the task: it must not touch the parent's
// outputs, must die with the parent, and must not leave core files behind.
[[noreturn]] void child_main(const PoolOptions& o, const WorkFn& work, size_t task, int out_fd,
                             const std::vector<Running>& siblings, pid_t parent) {
  for (int s : {SIGINT, SIGTERM, SIGPIPE, SIGCHLD, SIGHUP}) signal(s, SIG_DFL);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
#ifdef __linux__
  // A killed parent (kill -9, a scheduler's pre-emption) takes its workers with it.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
  if (getppid() != parent) _exit(kWorkerExitException);
  for (const auto& r : siblings) {
    if (r.fd >= 0) close(r.fd);
  }
  for (int fd : o.close_in_child) close(fd);
  const int devnull = open("/dev/null", O_RDWR);
  if (devnull >= 0) {
    dup2(devnull, STDIN_FILENO);
    dup2(devnull, STDOUT_FILENO);
    if (!o.keep_stderr) dup2(devnull, STDERR_FILENO);
    if (devnull > STDERR_FILENO) close(devnull);
  }
  const rlimit no_core{0, 0};
  setrlimit(RLIMIT_CORE, &no_core);
  // A sanitizer build has reserved terabytes of address space for its shadow memory before main:
  // a cap would fail every later allocation, so its workers run without one (sanitizer.h).
  if (o.memory_limit_bytes > 0 && !kShadowSanitizer) {
    const rlimit as{o.memory_limit_bytes, o.memory_limit_bytes};
    setrlimit(RLIMIT_AS, &as);
  }
  int status = 0;
  try {
    work(task, out_fd);
  } catch (const std::bad_alloc&) {
    status = kWorkerExitOutOfMemory;
  } catch (...) {
    status = kWorkerExitException;
  }
  _exit(status);
}

void finish_exit(int wstatus, WorkerOutcome& out) {
  if (WIFSIGNALED(wstatus)) {
    out.end = WorkerOutcome::End::signalled;
    out.code = WTERMSIG(wstatus);
  } else {
    out.end = WorkerOutcome::End::exited;
    out.code = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
  }
}

void kill_and_reap(pid_t pid) {
  kill(pid, SIGKILL);
  int st = 0;
  while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
}

}  // namespace

std::string describe_signal(int sig) {
  const char* abbrev = sigabbrev_np(sig);
  const char* text = strsignal(sig);
  std::string s = abbrev ? std::string("SIG") + abbrev : "signal " + std::to_string(sig);
  if (text) s += std::string(" (") + text + ")";
  return s;
}

bool write_all(int fd, const char* data, size_t size) {
  while (size > 0) {
    const ssize_t n = write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

bool WorkerPool::run(const NextFn& next, const DoneFn& done, const TickFn& tick, double tick_seconds,
                     const StopFn& stop) {
  const unsigned jobs = std::max(1u, options_.jobs);
  std::vector<Running> running;
  bool more = true;
  const pid_t self = getpid();
  bool changed = false;  // an outcome since the last tick
  auto complete = [&](size_t i, WorkerOutcome& outcome) {
    Running r = std::move(running[i]);
    running.erase(running.begin() + static_cast<long>(i));
    if (r.fd >= 0) close(r.fd);
    outcome.seconds = since(r.start);
    if (outcome.output.empty()) outcome.output = std::move(r.output);
    done(r.task, outcome);
    changed = true;
  };
  auto last_tick = Clock::now();
  while (true) {
    if (stop && stop()) {
      for (auto& r : running) {
        kill_and_reap(r.pid);
        if (r.fd >= 0) close(r.fd);
      }
      return false;
    }
    while (more && running.size() < jobs) {
      size_t task = 0;
      if (!next(task)) {
        more = false;
        break;
      }
      int p[2];
      if (pipe2(p, O_CLOEXEC) != 0) {
        WorkerOutcome o{WorkerOutcome::End::not_started, errno, "", 0};
        done(task, o);
        continue;
      }
      const pid_t pid = fork();
      if (pid == 0) {
        close(p[0]);
        child_main(options_, work_, task, p[1], running, self);
      }
      close(p[1]);
      if (pid < 0) {
        WorkerOutcome o{WorkerOutcome::End::not_started, errno, "", 0};
        close(p[0]);
        done(task, o);
        continue;
      }
      Running r;
      r.pid = pid;
      r.fd = p[0];
      r.task = task;
      r.start = Clock::now();
      r.timeout = options_.timeout_seconds;
      if (r.timeout > 0 && options_.extra_seconds) r.timeout += options_.extra_seconds(task);
      running.push_back(std::move(r));
    }
    if (running.empty()) break;

    // Sleep until output arrives, the nearest deadline passes, or it is time to tick.
    double wait = tick_seconds > 0 ? tick_seconds : 3600;
    if (stop) wait = std::min(wait, 0.25);  // a signal landing just before poll() is seen soon
    bool reaping = false;
    std::vector<pollfd> fds;
    std::vector<size_t> owner;
    for (size_t i = 0; i < running.size(); ++i) {
      if (running[i].timeout > 0) wait = std::min(wait, running[i].timeout - since(running[i].start));
      if (running[i].fd >= 0) {
        fds.push_back({running[i].fd, POLLIN, 0});
        owner.push_back(i);
      } else {
        reaping = true;  // end of file seen, the exit status not yet
      }
    }
    if (reaping) wait = std::min(wait, 0.005);
    const int ms = static_cast<int>(std::max(0.0, wait) * 1000.0) + 1;
    const int ready = poll(fds.data(), fds.size(), ms);
    if (ready < 0 && errno != EINTR) return false;

    char buf[65536];
    for (size_t k = 0; ready > 0 && k < fds.size(); ++k) {
      if (!(fds[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      Running& r = running[owner[k]];
      const ssize_t n = read(r.fd, buf, sizeof buf);
      if (n > 0) {
        r.output.append(buf, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        close(r.fd);
        r.fd = -1;
      }
    }
    // Outcomes, from the back so erasing keeps the remaining indexes valid.
    for (size_t i = running.size(); i-- > 0;) {
      Running& r = running[i];
      WorkerOutcome outcome;
      if (r.output.size() > options_.max_output_bytes) {
        kill_and_reap(r.pid);
        outcome.end = WorkerOutcome::End::too_much_output;
        r.output.clear();
        complete(i, outcome);
      } else if (r.fd < 0) {
        int st = 0;
        const pid_t w = waitpid(r.pid, &st, WNOHANG);
        if (w == r.pid) {
          finish_exit(st, outcome);
          complete(i, outcome);
        } else if (w < 0 && errno != EINTR) {
          // Not ours to wait for any more (SIGCHLD ignored by an embedding program): the
          // worker's end of the pipe is closed, so take what it wrote.
          outcome.code = -1;
          complete(i, outcome);
        } else if (r.timeout > 0 && since(r.start) >= r.timeout) {
          kill_and_reap(r.pid);
          outcome.end = WorkerOutcome::End::timed_out;
          complete(i, outcome);
        }
      } else if (r.timeout > 0 && since(r.start) >= r.timeout) {
        kill_and_reap(r.pid);
        outcome.end = WorkerOutcome::End::timed_out;
        complete(i, outcome);
      }
    }
    if (tick && (changed || (tick_seconds > 0 && since(last_tick) >= tick_seconds))) {
      tick();
      last_tick = Clock::now();
      changed = false;
    }
  }
  if (tick) tick();
  return true;
}

}  // namespace mlm::batch
