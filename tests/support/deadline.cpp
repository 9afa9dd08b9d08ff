#include "support/deadline.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#if defined(__SANITIZE_ADDRESS__)
#define MLM_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MLM_UNDER_ASAN 1
#endif
#endif

namespace mlm::test {

namespace {
int run_child(const std::function<int()>& fn, int seconds, size_t max_bytes) {
  const pid_t pid = fork();
  if (pid == 0) {
#ifndef MLM_UNDER_ASAN
    if (max_bytes) {
      const rlimit lim{max_bytes, max_bytes};
      setrlimit(RLIMIT_AS, &lim);
    }
#else
    (void)max_bytes;
#endif
    _exit(fn());
  }
  if (pid < 0) return fn();  // cannot fork: run it here
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > until) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 100 + WTERMSIG(status);
}
}  // namespace

int within_deadline(const std::function<int()>& fn, int seconds) { return run_child(fn, seconds, 0); }

int within_limits(const std::function<int()>& fn, int seconds, size_t max_bytes) {
  return run_child(fn, seconds, max_bytes);
}

}  // namespace mlm::test
