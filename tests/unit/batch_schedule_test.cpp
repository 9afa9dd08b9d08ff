// Batch order: the largest repositories first, by the bytes of their packs and index; ties and
// empty folders keep the list order; remote entries not cloned yet first; nothing followed.
#include <catch2/catch.hpp>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "analyzer/batch/schedule.h"
#include "support/fixture_repo.h"

using namespace mlm;
using namespace mlm::batch;
namespace fs = std::filesystem;

namespace {
// A repository folder whose pack folder holds a pack of `bytes` bytes (sizes are all that is read).
std::string repo_with_pack(const std::string& name, size_t bytes, bool bare = false) {
  const fs::path dir = test::fresh_tmp_dir(name);
  const fs::path git = bare ? dir : dir / ".git";
  fs::create_directories(git / "objects" / "pack");
  std::ofstream(git / "objects" / "pack" / "pack-1.pack") << std::string(bytes, 'x');
  std::ofstream(git / "objects" / "pack" / "pack-1.idx") << std::string(bytes * 10, 'i');  // not counted
  std::ofstream(git / "index") << std::string(100, 'n');
  return dir.string();
}
BatchEntry local(const std::string& path) { return BatchEntry{path, path, "", ""}; }
}  // namespace

TEST_CASE("batch schedule: largest first, ties in list order, remote entries first", "[batch]") {
  const std::string small = repo_with_pack("sched-small", 1000), big = repo_with_pack("sched-big", 50000),
                    bare = repo_with_pack("sched-bare", 20000, true), empty = test::fresh_tmp_dir("sched-empty"),
                    also_empty = test::fresh_tmp_dir("sched-empty-2");
  CHECK(estimated_size(small) == 1100);
  CHECK(estimated_size(bare) == 20100);
  CHECK(estimated_size(empty) == 0);
  CHECK(estimated_size(empty + "/does-not-exist") == 0);

  std::vector<BatchEntry> entries{local(small), local(empty), local(big), local(also_empty), local(bare),
                                  BatchEntry{"https://example.com/r.git", "", "https://example.com/r.git", ""}};
  CHECK(largest_first(entries, {0, 1, 2, 3, 4, 5}) == std::vector<size_t>{5, 2, 4, 0, 1, 3});
  // Only the entries to do are ordered.
  CHECK(largest_first(entries, {0, 1, 3}) == std::vector<size_t>{0, 1, 3});
}

TEST_CASE("batch schedule: a pack that is a link or a FIFO counts nothing and is not opened", "[batch][hostile]") {
  const std::string repo = repo_with_pack("sched-links", 10);
  const fs::path pack = fs::path(repo) / ".git" / "objects" / "pack";
  const std::string outside = repo_with_pack("sched-outside", 90000);
  fs::create_symlink(fs::path(outside) / ".git" / "objects" / "pack" / "pack-1.pack", pack / "pack-2.pack");
  REQUIRE(mkfifo((pack / "pack-3.pack").c_str(), 0600) == 0);
  CHECK(estimated_size(repo) == 110);  // the real pack and the index; the FIFO was not opened (no hang)
  // A .git that is a link is not followed either: the folder itself is read as a bare repository.
  const std::string linked = test::fresh_tmp_dir("sched-linked-git");
  fs::create_directory_symlink(fs::path(outside) / ".git", fs::path(linked) / ".git");
  CHECK(estimated_size(linked) == 0);
}
