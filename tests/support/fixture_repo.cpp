#include "support/fixture_repo.h"

#include <git2.h>
#include <yaml-cpp/yaml.h>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <stdexcept>
#include <vector>

#include "analyzer/core/glob.h"
#include "analyzer/core/scanner.h"
#include "analyzer/repo/git_hardening.h"

namespace fs = std::filesystem;

namespace mlm::test {

const Engine& shipped_engine() {
  static const Engine* engine = [] {
    auto* e = new Engine();  // lives until exit: detectors may hold references into it
    e->load({});
    return e;
  }();
  return *engine;
}

std::string fixture_dir(const std::string& name) { return std::string(MLM_FIXTURES_DIR) + "/" + name; }

// ctest runs test cases in parallel processes (-j): each process gets its own scratch folder,
// removed when the process exits, so two tests never share (or delete) each other's files.
const std::string& process_tmp_root() {
  // On the heap and never destroyed: the exit handler below runs after static destructors.
  static const std::string* root = [] {
    const fs::path p = fs::path(MLM_TEST_TMP_DIR) / ("p" + std::to_string(getpid()));
    fs::remove_all(p);
    fs::create_directories(p);
    auto* kept = new std::string(p.string());
    std::atexit([] {
      std::error_code ec;
      if (!getenv("MLM_KEEP_TEST_TMP")) fs::remove_all(process_tmp_root(), ec);
    });
    return kept;
  }();
  return *root;
}

std::string fresh_tmp_dir(const std::string& name) {
  const fs::path dir = fs::path(process_tmp_root()) / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir.string();
}

int sh(const std::string& cmd) { return std::system(cmd.c_str()); }

std::string capture(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) throw std::runtime_error("cannot run " + cmd);
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

void write_file(const std::string& path, const std::string& content) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

namespace {

void check(int rc, const std::string& what) {
  if (rc != 0) throw std::runtime_error(what + ": " + git_error_text());
}

std::vector<std::string> list_files(const fs::path& root) {
  std::vector<std::string> out;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
    if (it->is_symlink() || it->is_regular_file()) out.push_back(fs::relative(it->path(), root).generic_string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

void parse_signature(const std::string& text, std::string& name, std::string& email) {
  const auto lt = text.find('<');
  const auto gt = text.find('>');
  if (lt == std::string::npos || gt == std::string::npos) throw std::runtime_error("author must be 'Name <email>'");
  name = text.substr(0, lt);
  while (!name.empty() && name.back() == ' ') name.pop_back();
  email = text.substr(lt + 1, gt - lt - 1);
}

}  // namespace

std::string materialise_fixture(const std::string& name) {
  init_git_once();
  const fs::path src = fs::path(fixture_dir(name)) / "repo";
  if (!fs::is_directory(src)) throw std::runtime_error("no fixture " + src.string());
  const fs::path dst = fresh_tmp_dir("fixture-" + name);
  fs::copy(src, dst, fs::copy_options::recursive | fs::copy_options::copy_symlinks);

  struct Step {
    std::string author, message;
    long long time = 1700000000;
    std::vector<std::string> globs;
    std::string committer;                                 // "" = the author
    std::vector<std::pair<std::string, std::string>> writes, appends;  // path -> content
    std::vector<std::string> deletes;
  };
  std::vector<Step> steps;
  const fs::path hist = fs::path(fixture_dir(name)) / "history.yaml";
  if (fs::exists(hist)) {
    const YAML::Node root = YAML::LoadFile(hist.string());
    for (const auto& c : root["commits"]) {
      Step s;
      s.author = c["author"].as<std::string>();
      s.message = c["message"].as<std::string>();
      s.time = c["time"].as<long long>();
      if (c["add"]) s.globs = c["add"].as<std::vector<std::string>>();
      if (c["committer"]) s.committer = c["committer"].as<std::string>();
      for (const auto& [key, list] : {std::pair<const char*, decltype(&s.writes)>{"write", &s.writes},
                                      std::pair<const char*, decltype(&s.writes)>{"append", &s.appends}}) {
        if (!c[key]) continue;
        for (const auto& kv : c[key]) list->emplace_back(kv.first.as<std::string>(), kv.second.as<std::string>());
      }
      if (c["delete"]) s.deletes = c["delete"].as<std::vector<std::string>>();
      steps.push_back(s);
    }
  }
  if (steps.empty()) steps.push_back({"Fixture Author <author@example.com>", "Initial commit", 1700000000, {}});

  git_repository* repo = nullptr;
  check(git_repository_init(&repo, dst.string().c_str(), 0), "init " + dst.string());
  git_index* index = nullptr;
  check(git_repository_index(&index, repo), "index");
  std::set<std::string> pending;
  for (const auto& f : list_files(dst)) {
    if (f.rfind(".git/", 0) != 0) pending.insert(f);
  }
  git_oid parent{};
  bool has_parent = false;
  for (size_t i = 0; i < steps.size(); ++i) {
    const Step& s = steps[i];
    GlobSet globs;
    std::string err;
    for (const auto& g : s.globs) {
      if (!globs.add(g, err)) throw std::runtime_error(err);
    }
    const bool last = i + 1 == steps.size();
    for (auto it = pending.begin(); it != pending.end();) {
      if (last || globs.matches(*it)) {
        check(git_index_add_bypath(index, it->c_str()), "add " + *it);
        it = pending.erase(it);
      } else {
        ++it;
      }
    }
    // Edits of this step: they change the working tree too, so the last commit matches it.
    for (const auto& [path, content] : s.writes) {
      write_file((dst / path).string(), content);
      pending.erase(path);
      check(git_index_add_bypath(index, path.c_str()), "add " + path);
    }
    for (const auto& [path, content] : s.appends) {
      std::ofstream((dst / path).string(), std::ios::binary | std::ios::app) << content;
      pending.erase(path);
      check(git_index_add_bypath(index, path.c_str()), "add " + path);
    }
    for (const auto& path : s.deletes) {
      fs::remove(dst / path);
      pending.erase(path);
      check(git_index_remove_bypath(index, path.c_str()), "delete " + path);
    }
    check(git_index_write(index), "write index");
    git_oid tree_id, commit_id;
    check(git_index_write_tree(&tree_id, index), "write tree");
    git_tree* tree = nullptr;
    check(git_tree_lookup(&tree, repo, &tree_id), "tree");
    std::string an, ae;
    parse_signature(s.author, an, ae);
    git_signature* sig = nullptr;
    check(git_signature_new(&sig, an.c_str(), ae.c_str(), s.time, 0), "signature");
    git_signature* committer = nullptr;
    if (!s.committer.empty()) {
      std::string cn, ce;
      parse_signature(s.committer, cn, ce);
      check(git_signature_new(&committer, cn.c_str(), ce.c_str(), s.time, 0), "committer");
    }
    git_commit* parent_commit = nullptr;
    if (has_parent) check(git_commit_lookup(&parent_commit, repo, &parent), "parent");
    const git_commit* parents[] = {parent_commit};
    check(git_commit_create(&commit_id, repo, "HEAD", sig, committer ? committer : sig, nullptr, s.message.c_str(),
                            tree, has_parent ? 1 : 0, parents),
          "commit");
    git_signature_free(committer);
    git_commit_free(parent_commit);
    git_signature_free(sig);
    git_tree_free(tree);
    parent = commit_id;
    has_parent = true;
  }
  git_index_free(index);
  git_repository_free(repo);
  return dst.string();
}

}  // namespace mlm::test
