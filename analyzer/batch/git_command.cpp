#include "analyzer/batch/git_command.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>

namespace mlm::batch {

namespace {

// Variables that would point git at another repository, object store or work tree.
const char* const kRedirecting[] = {"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
                                    "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_COMMON_DIR", "GIT_NAMESPACE",
                                    "GIT_CONFIG", "GIT_EXEC_PATH"};

[[noreturn]] void exec_child(const std::vector<std::string>& argv, const std::string& stdin_file, int out_w, int err_w) {
  setsid();                         // a process group of its own, and no controlling terminal
  prctl(PR_SET_PDEATHSIG, SIGKILL);  // dies with the worker that runs it
  const int in = open(stdin_file.empty() ? "/dev/null" : stdin_file.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0 || dup2(in, 0) < 0 || dup2(out_w, 1) < 0 || dup2(err_w, 2) < 0) _exit(127);
  for (const char* v : kRedirecting) unsetenv(v);
  setenv("GIT_TERMINAL_PROMPT", "0", 1);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  execvp("git", args.data());
  _exit(127);
}

}  // namespace

GitResult run_git(const std::vector<std::string>& args, double timeout_seconds, const std::vector<std::string>& config,
                  const std::string& stdin_file, size_t max_output) {
  std::vector<std::string> argv = {"git", "-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false",
                                   "-c", "protocol.ext.allow=never", "-c", "gc.auto=0", "-c", "maintenance.auto=false",
                                   // The worker's address-space limit (--memory-limit-mib) binds git too:
                                   // fewer pack mappings and index-pack threads than git's defaults.
                                   "-c", "core.packedGitLimit=1g", "-c", "pack.threads=2"};
  for (const auto& c : config) {
    argv.push_back("-c");
    argv.push_back(c);
  }
  argv.insert(argv.end(), args.begin(), args.end());

  GitResult r;
  int out[2], err[2];
  if (pipe2(out, O_CLOEXEC) != 0) return r;
  if (pipe2(err, O_CLOEXEC) != 0) {
    close(out[0]);
    close(out[1]);
    return r;
  }
  const pid_t pid = fork();
  if (pid == 0) exec_child(argv, stdin_file, out[1], err[1]);
  close(out[1]);
  close(err[1]);
  if (pid < 0) {
    close(out[0]);
    close(err[0]);
    return r;
  }
  r.started = true;
  const auto start = std::chrono::steady_clock::now();
  pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  int open_fds = 2;
  char buf[65536];
  while (open_fds > 0 && r.out.size() <= max_output) {
    int ms = -1;
    if (timeout_seconds > 0) {
      const double left = timeout_seconds - std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (left <= 0) {
        r.timed_out = true;
        break;
      }
      ms = static_cast<int>(left * 1000) + 1;
    }
    const int ready = poll(fds, 2, ms);
    if (ready < 0 && errno != EINTR) break;
    for (auto& f : fds) {
      if (f.fd < 0 || !(f.revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const ssize_t n = read(f.fd, buf, sizeof buf);
      if (n > 0) {
        std::string& into = f.fd == out[0] ? r.out : r.err;
        into.append(buf, static_cast<size_t>(n));
        if (&into == &r.err && r.err.size() > 4096) r.err.erase(0, r.err.size() - 4096);
      } else if (n == 0 || errno != EINTR) {
        close(f.fd);
        f.fd = -1;
        --open_fds;
      }
    }
  }
  if (open_fds > 0) kill(-pid, SIGKILL);  // the deadline passed, or too much output: the whole group
  for (auto& f : fds) {
    if (f.fd >= 0) close(f.fd);
  }
  int st = 0;
  while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
  if (r.timed_out || open_fds > 0) r.status = -1;
  else r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

}  // namespace mlm::batch
