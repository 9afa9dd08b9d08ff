// The hostile-repository corpus: repositories built by the test (files written, git objects
// written by ObjectWriter or the git command line, never a committed nested .git), each one
// thing an attacker controls. tests/unit/hostile_corpus_test.cpp scans every one under a deadline
// and a memory cap and checks the result and every report format. Add a repository here for
// every new finding.
#pragma once
#include <functional>
#include <string>
#include <vector>

namespace mlm::test {

// What the corpus may point at from outside a repository. Nothing of it may reach a report: its
// files hold kOutsideCanary.
struct Outside {
  std::string dir;   // a folder with secret.py, secret.yaml, rules (an ignore file), hooks/
  std::string repo;  // a git repository with one commit
  std::string repo_head;
  std::string fsmonitor_mark;  // a file core.fsmonitor would create if it were ever run
};

inline constexpr const char* kOutsideCanary = "OUTSIDE_CANARY_7f3a";

struct HostileRepo {
  std::string name;
  std::string rev;  // "" scans the working tree; "HEAD" reads the revision from the object database
  std::function<void(const std::string& dir, const Outside& outside)> build;
  // train.py (mlflow.register_model) is written or committed beside the hostile content; its
  // evidence must survive unless the build says otherwise.
  bool canary = true;
  // Skips the scan must record: (path, reason); "" path = any path.
  std::vector<std::pair<std::string, std::string>> skips = {};
};

// The canary file's content and the evidence it gives.
inline constexpr const char* kCanaryPath = "train.py";
inline constexpr const char* kCanaryText = "import mlflow\nmlflow.register_model('runs:/1/m', 'model')\n";
inline constexpr const char* kCanaryEvidence = "release.registry";

const std::vector<HostileRepo>& hostile_corpus();

// Builds the outside folder and repository once per process.
const Outside& outside_of_corpus();

}  // namespace mlm::test
