// Batch lists: PATH@REV splitting, comments, duplicates, folders of repositories; and shards.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <set>

#include "analyzer/batch/entry_list.h"
#include "analyzer/batch/shard.h"
#include "support/fixture_repo.h"

namespace fs = std::filesystem;
using namespace mlm::batch;

namespace {
std::pair<std::string, std::string> split(const std::string& s) {
  std::string p, r;
  split_path_rev(s, p, r);
  return {p, r};
}
}  // namespace

TEST_CASE("batch list: PATH@REV splits at the last @ outside a reflog selector", "[batch]") {
  using P = std::pair<std::string, std::string>;
  CHECK(split("repos/a") == P{"repos/a", ""});
  CHECK(split("repos/a@main") == P{"repos/a", "main"});
  CHECK(split("repos/a@origin/release-1.2") == P{"repos/a", "origin/release-1.2"});
  CHECK(split("repos/a@main@{1}") == P{"repos/a", "main@{1}"});
  CHECK(split("repos/a@@{2}") == P{"repos/a", "@{2}"});
  // A path with '@' in it is written with a trailing '@' (no revision: the working tree).
  CHECK(split("/home/me@work/repo@") == P{"/home/me@work/repo", ""});
  CHECK(split("/home/me@work/repo@v1") == P{"/home/me@work/repo", "v1"});
  // A leading '@' is part of the name, not an empty path.
  CHECK(split("@scoped") == P{"@scoped", ""});
}

TEST_CASE("batch list: comments, blank lines, whitespace and duplicates", "[batch]") {
  const ListParse l = parse_list_text("# fleet\n\n  repos/a  \r\nrepos/b@v1\n   # indented comment\nrepos/a\nrepos/b@v2\n");
  REQUIRE(l.entries.size() == 3);
  CHECK(l.entries[0].input == "repos/a");
  CHECK(l.entries[1].input == "repos/b@v1");
  CHECK(l.entries[1].path == "repos/b");
  CHECK(l.entries[1].rev == "v1");
  CHECK(l.entries[2].rev == "v2");
  CHECK(l.duplicates == 1);
}

TEST_CASE("batch list: a folder lists its child folders, not files or hidden ones", "[batch]") {
  const fs::path dir = mlm::test::fresh_tmp_dir("batch-list-folder");
  fs::create_directories(dir / "zeta");
  fs::create_directories(dir / "alpha@x");  // never split: the name is what is on disk
  fs::create_directories(dir / ".cache");
  mlm::test::write_file((dir / "notes.txt").string(), "x");
  fs::create_symlink(dir / "loop", dir / "loop");  // listed: the worker refuses it with a reason
  ListParse l;
  std::string error;
  REQUIRE(read_entries(dir.string() + "/", l, error));
  REQUIRE(l.entries.size() == 3);
  CHECK(l.entries[0].input == dir.string() + "/alpha@x");
  CHECK(l.entries[0].path == dir.string() + "/alpha@x");
  CHECK(l.entries[0].rev.empty());
  CHECK(l.entries[1].input == dir.string() + "/loop");
  CHECK(l.entries[2].input == dir.string() + "/zeta");

  ListParse missing;
  CHECK_FALSE(read_entries((dir / "no-such-list.txt").string(), missing, error));
  CHECK(error.find("no-such-list.txt") != std::string::npos);
}

TEST_CASE("batch shard: K/N parsing", "[batch]") {
  Shard s;
  std::string error;
  REQUIRE(parse_shard("2/5", s, error));
  CHECK(s.index == 2);
  CHECK(s.count == 5);
  for (const char* bad : {"5/5", "1/0", "-1/3", "1", "a/b", "1/3/4", "/3", "2/"}) {
    INFO(bad);
    CHECK_FALSE(parse_shard(bad, s, error));
  }
}

TEST_CASE("batch shard: FNV-1a is the documented, stable hash", "[batch]") {
  CHECK(stable_hash("") == 14695981039346656037ull);
  CHECK(stable_hash("a") == 0xaf63dc4c8601ec8cull);
  CHECK(stable_hash("foobar") == 0x85944171f73967e8ull);
}

TEST_CASE("batch shard: every entry falls in exactly one shard, for several N", "[batch]") {
  std::vector<std::string> inputs;
  for (int i = 0; i < 500; ++i) inputs.push_back("org/repo-" + std::to_string(i) + (i % 7 ? "" : "@main"));
  for (uint64_t n : {1, 2, 3, 4, 7, 16}) {
    INFO("N = " << n);
    std::vector<int> hits(inputs.size(), 0);
    std::vector<size_t> sizes(n, 0);
    for (uint64_t k = 0; k < n; ++k) {
      for (size_t i = 0; i < inputs.size(); ++i) {
        if (in_shard(inputs[i], Shard{k, n})) {
          ++hits[i];
          ++sizes[k];
        }
      }
    }
    for (int h : hits) CHECK(h == 1);
    // A hash spreads the work: no shard is empty or holds most of the list.
    for (size_t s : sizes) CHECK((s > 0 && s < inputs.size() * 3 / (n + 1) + 20));
  }
}

TEST_CASE("batch shard: the index can come from the environment (Kubernetes Indexed Job)", "[batch]") {
  Shard s;
  std::string error;
  setenv("MLM_TEST_SHARD_INDEX", "3", 1);
  REQUIRE(shard_from_env("MLM_TEST_SHARD_INDEX", "8", s, error));
  CHECK(s.index == 3);
  CHECK(s.count == 8);
  CHECK_FALSE(shard_from_env("MLM_TEST_SHARD_INDEX", "3", s, error));
  CHECK(error.find("MLM_TEST_SHARD_INDEX=3") != std::string::npos);
  unsetenv("MLM_TEST_SHARD_INDEX");
  CHECK_FALSE(shard_from_env("MLM_TEST_SHARD_INDEX", "8", s, error));
  CHECK(error.find("not set") != std::string::npos);
}
