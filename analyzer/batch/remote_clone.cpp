#include "analyzer/batch/remote_clone.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "analyzer/batch/git_command.h"
#include "analyzer/batch/remote_url.h"

namespace fs = std::filesystem;

namespace mlm::batch {

namespace {

// Branches and tags, nothing else (no pull-request refs, which a mirror clone would bring).
const std::vector<std::string> kRefspecs = {"+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"};

// The last meaningful line of git's message, without credentials.
std::string git_reason(const GitResult& r, double timeout) {
  if (!r.started) return "cannot run git (is it installed?)";
  if (r.timed_out) return "no answer within " + std::to_string(static_cast<int>(timeout)) + " s (--clone-timeout)";
  // git's first fatal/error line says what went wrong; advice ("Please make sure...") follows it.
  std::istringstream in(redact_text(r.err));
  std::string line, reason;
  while (std::getline(in, line)) {
    if (line.rfind("fatal:", 0) == 0 || line.rfind("error:", 0) == 0) {
      reason = line;
      break;
    }
    if (line.find_first_not_of(" \t\r") != std::string::npos && line.rfind("warning:", 0) != 0) reason = line;
  }
  if (reason.size() > 400) reason = reason.substr(0, 400) + "...";
  return reason.empty() ? "git exited with status " + std::to_string(r.status) : reason;
}

class Deadline {
 public:
  explicit Deadline(double seconds) : seconds_(seconds), start_(std::chrono::steady_clock::now()) {}
  // What is left for the next git command (at least a moment, so it reports its own error).
  double left() const {
    if (seconds_ <= 0) return 0;
    const double used = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    return std::max(0.001, seconds_ - used);
  }

 private:
  double seconds_;
  std::chrono::steady_clock::time_point start_;
};

bool is_bare_clone(const fs::path& dir) {
  std::error_code ec;
  return fs::is_regular_file(fs::symlink_status(dir / "HEAD", ec)) &&
         fs::is_directory(fs::symlink_status(dir / "objects", ec));
}

// A partial clone lacks blobs: fetch those REV's tree needs, in one request with the options
// git's own lazy fetch uses, before libgit2 reads them. A full clone (the server refused the
// filter) lacks nothing and fetches nothing.
bool fetch_missing_blobs(const std::string& git_dir, const std::string& rev, const std::vector<std::string>& config,
                         const Deadline& deadline, double timeout, std::string& error) {
  // --missing=print lists what is absent (as "?<oid>") without fetching it.
  const GitResult list = run_git({"--git-dir", git_dir, "rev-list", "--objects", "--no-walk", "--missing=print",
                                  rev + "^{commit}", "--"},
                                 deadline.left());
  if (!list.ok()) {
    error = "cannot read revision '" + rev + "': " + git_reason(list, timeout);
    return false;
  }
  std::string missing;
  std::istringstream lines(list.out);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.size() > 1 && line[0] == '?') missing += line.substr(1) + "\n";
  }
  if (missing.empty()) return true;
  const std::string wants = git_dir + "/mlmaturity-wants.txt";
  if (!(std::ofstream(wants, std::ios::trunc) << missing)) {
    error = wants + ": cannot write";
    return false;
  }
  const GitResult fetched = run_git({"--git-dir", git_dir, "-c", "fetch.negotiationAlgorithm=noop", "fetch", "--quiet",
                                     "--no-tags", "--no-write-fetch-head", "--recurse-submodules=no",
                                     "--filter=blob:none", "--stdin", "origin"},
                                    deadline.left(), config, wants);
  fs::remove(wants);
  if (!fetched.ok()) {
    error = "cannot fetch the files of '" + rev + "': " + git_reason(fetched, timeout);
    return false;
  }
  return true;
}

}  // namespace

bool ensure_clone(const CloneRequest& req, std::string& git_dir, std::string& error) {
  const std::string shown = redact_url(req.url);
  // Credentials stay out of the clone's config: it records the redacted URL, and each command
  // maps that back to the URL as listed for its own run only.
  std::vector<std::string> config;
  if (shown != req.url) config.push_back("url." + req.url + ".insteadOf=" + shown);
  std::error_code ec;
  fs::create_directories(req.clone_dir, ec);
  if (ec) {
    error = req.clone_dir + ": cannot create the clone folder: " + ec.message();
    return false;
  }
  const fs::path dir = fs::path(req.clone_dir) / clone_folder_name(req.url);
  git_dir = dir.string();
  // Entries of one URL at several revisions share the clone: one worker at a time updates it.
  const int lock = open((git_dir + ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock < 0 || flock(lock, LOCK_EX) != 0) {
    error = git_dir + ".lock: cannot lock the clone";
    if (lock >= 0) close(lock);
    return false;
  }
  const Deadline deadline(req.timeout_seconds);
  bool ok = true;
  if (is_bare_clone(dir)) {
    std::vector<std::string> args = {"--git-dir", git_dir, "fetch", "--quiet", "--prune", "--no-tags", "origin"};
    args.insert(args.end(), kRefspecs.begin(), kRefspecs.end());
    const GitResult r = run_git(args, deadline.left(), config);
    if (!r.ok()) {
      error = "fetch failed: " + git_reason(r, req.timeout_seconds);
      ok = false;
    }
  } else {
    const std::string tmp = git_dir + ".tmp-" + std::to_string(getpid());
    fs::remove_all(tmp, ec);
    const GitResult r = run_git({"clone", "--bare", "--quiet", "--filter=blob:none", "--", shown, tmp}, deadline.left(), config);
    if (!r.ok()) {
      error = "clone failed: " + git_reason(r, req.timeout_seconds);
      fs::remove_all(tmp, ec);
      ok = false;
    } else {
      fs::rename(tmp, dir, ec);
      if (ec) {
        error = git_dir + ": cannot put the clone in place: " + ec.message();
        fs::remove_all(tmp, ec);
        ok = false;
      }
    }
  }
  if (ok) ok = fetch_missing_blobs(git_dir, req.rev.empty() ? "HEAD" : req.rev, config, deadline, req.timeout_seconds, error);
  flock(lock, LOCK_UN);
  close(lock);
  return ok;
}

}  // namespace mlm::batch
