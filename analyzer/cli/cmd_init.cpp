// `mlmaturity init [PATH]`: writes a starter .mlmaturity.yaml with today's levels as the
// minimums (analyzer/gate/starter_policy.h). It never overwrites a policy without --force, and
// it checks the file with the policy loader before putting it in place.
#include <unistd.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "analyzer/cli/command.h"
#include "analyzer/cli/common_options.h"
#include "analyzer/gate/policy.h"
#include "analyzer/gate/starter_policy.h"

namespace fs = std::filesystem;

namespace mlm {
namespace {

const std::string kUsage = R"(Usage: mlmaturity init [PATH] [options]

Scans the working tree at PATH (default: the current folder) and writes PATH/.mlmaturity.yaml,
the policy `mlmaturity gate` reads: today's level of every parameter as its minimum (a ratchet:
the gate fails when a level drops), each commented with what its next level needs. Raise a
minimum when the repository reaches the next level; see docs/policy.md for every key.

  --force                overwrite an existing .mlmaturity.yaml (or .mlmaturity.yml)
  --output FILE          write FILE instead ('-': standard output)
  --rules DIR            add or override rule files from DIR (repeatable)

Exit codes: 0 the file was written; 2 usage error, an existing policy without --force, or an
unreadable repository (the message names the path).
)";

std::string today_utc() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

// Writes text to `target` through a temporary file beside it that the policy loader must accept
// first: a file that `gate` could not read is never put in place.
bool install_policy(const std::string& text, const std::string& target, const std::string& repo_root) {
  const std::string tmp = target + ".tmp-" + std::to_string(getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!(out << text) || !out.flush()) {
      std::cerr << "mlmaturity init: " << tmp << ": cannot write\n";
      fs::remove(tmp);
      return false;
    }
  }
  try {
    load_policy_file(tmp, repo_root);
  } catch (const PolicyError& e) {
    std::cerr << "mlmaturity init: the generated policy does not load (" << e.what() << "); nothing written\n";
    fs::remove(tmp);
    return false;
  }
  std::error_code ec;
  fs::rename(tmp, target, ec);  // replaces a symlink itself, never the file it points to
  if (ec) {
    std::cerr << "mlmaturity init: " << target << ": " << ec.message() << "\n";
    fs::remove(tmp);
    return false;
  }
  return true;
}

int run_init(const std::vector<std::string>& argv) {
  ArgReader args(argv);
  CommonOptions common;
  std::string path = ".", output, v;
  bool path_set = false, force = false;
  while (!args.done() && !args.failed()) {
    if (args.flag("--help", "-h")) {
      std::cout << kUsage;
      return kExitOk;
    }
    if (args.flag("--force")) force = true;
    else if (args.value("--output", output, "-o")) continue;
    else if (args.value("--rules", v)) common.rule_dirs.push_back(v);
    else if (!path_set && args.positional(path)) path_set = true;
    else args.unknown();
  }
  if (args.failed()) {
    std::cerr << "mlmaturity init: " << args.error() << "\n\n" << kUsage;
    return kExitUsage;
  }
  std::error_code ec;
  if (!fs::is_directory(path, ec)) {
    std::cerr << "mlmaturity init: " << path << ": not a folder\n";
    return kExitUsage;
  }
  std::string target = output;
  if (target.empty()) {
    const std::string existing = find_repo_policy(path);
    target = existing.empty() ? (fs::path(path) / ".mlmaturity.yaml").string() : existing;
    if (!existing.empty() && !force) {
      std::cerr << "mlmaturity init: " << existing << " already exists; --force overwrites it\n";
      return kExitUsage;
    }
    if (existing.empty() && fs::exists(fs::symlink_status(target, ec)) && !force) {
      std::cerr << "mlmaturity init: " << target << " already exists (not a regular file); --force replaces it\n";
      return kExitUsage;
    }
  } else if (target != "-" && fs::exists(fs::symlink_status(target, ec)) && !force) {
    std::cerr << "mlmaturity init: " << target << " already exists; --force overwrites it\n";
    return kExitUsage;
  }

  Engine engine;
  if (!load_engine(common, engine)) return kExitUsage;
  ScanResult result;
  std::string error;
  if (!run_scan(engine, path, "", common.scan, result, error)) {
    std::cerr << "mlmaturity init: " << error << "\n";
    return kExitUsage;
  }
  const std::string text = starter_policy_text(result.assessment, {today_utc(), result.source.revision});
  if (target == "-") {
    std::cout << text;
    return kExitOk;
  }
  if (!install_policy(text, target, path)) return kExitUsage;
  std::cerr << "mlmaturity init: wrote " << target << " (overall level " << result.assessment.overall
            << "); `mlmaturity gate " << path << "` now fails when a level drops\n";
  return kExitOk;
}

}  // namespace

MLM_REGISTER_COMMAND(init, "init", "write a starter .mlmaturity.yaml: today's levels as the minimums (a ratchet)",
                     kUsage, run_init);

}  // namespace mlm
