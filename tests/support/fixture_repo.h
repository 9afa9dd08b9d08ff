// Builds a git repository from a fixture: fixtures/<name>/repo/ holds the files and
// fixtures/<name>/history.yaml the commits that add them (authors, times, messages), so
// history is made by the test, never committed as a nested .git.
//
// history.yaml:
//   commits:
//     - author: "Ada Lovelace <ada@example.com>"
//       time: 1704880800            # seconds since the epoch, fixed so commit ids are stable
//       message: "Add the training pipeline"
//       add: ["src/**", "pipelines/*.yml"]   # globs over files not committed yet
//       write: {"src/train.py": "new content"}  # create or replace a file (working tree too)
//       append: {"ci.yml": "# tuned\n"}         # append to a file: an edit of an existing file
//       delete: ["old.py"]
//       committer: "CI Bot <bot@example.com>"  # default: the author
//   (messages may carry trailers such as "Co-authored-by: Name <email>" on their own lines;
//   files no commit names are added by the last commit; without history.yaml, one commit)
#pragma once
#include <string>

namespace mlm {
class Engine;
}

namespace mlm::test {

// The engine with the shipped rules, loaded once per test process.
const Engine& shipped_engine();

// Copies the fixture's repo/ folder into a fresh folder under the test tmp dir, creates the
// history, and returns the path of the new working tree. Throws std::runtime_error on failure.
std::string materialise_fixture(const std::string& name);

// Path of fixtures/<name>.
std::string fixture_dir(const std::string& name);

// Runs a shell command (test set-up only: git, never anything from a scanned repository);
// returns its exit status, or its standard output.
int sh(const std::string& cmd);
std::string capture(const std::string& cmd);

// Writes a file (creating its folders), bytes as given.
void write_file(const std::string& path, const std::string& content);

// A fresh empty folder for a test, private to this test process (kept after exit only when
// MLM_KEEP_TEST_TMP is set).
const std::string& process_tmp_root();
std::string fresh_tmp_dir(const std::string& name);

}  // namespace mlm::test
