// Runs the `git` program for the clones of a batch, bounded and non-interactive: a wall-clock
// deadline (the whole process group is killed), no terminal (setsid: ssh cannot prompt;
// GIT_TERMINAL_PROMPT=0), standard input from a file or /dev/null, no hooks or fsmonitor, no
// ext:: transport (file:// stays: the URLs are the user's own list), and none of the GIT_* variables that redirect a repository. Credentials come
// only from git's own mechanisms (credential helpers, ssh-agent, the URL's userinfo).
#pragma once
#include <string>
#include <vector>

namespace mlm::batch {

struct GitResult {
  bool started = false;
  bool timed_out = false;
  int status = -1;     // exit status (valid when it exited)
  std::string out;     // standard output (git is killed once it passes max_output bytes)
  std::string err;     // the end of standard error (at most 4 KiB)
  bool ok() const { return started && !timed_out && status == 0; }
};

// `git -c <hardening> args...`; `config` adds `-c` pairs before the command (e.g. insteadOf).
GitResult run_git(const std::vector<std::string>& args, double timeout_seconds,
                  const std::vector<std::string>& config = {}, const std::string& stdin_file = "",
                  size_t max_output = size_t{256} << 20);

}  // namespace mlm::batch
