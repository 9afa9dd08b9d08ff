// The bounded loose-object reader: every damaged stream is an error, never a hang, and a
// repository with one damaged object still scans (revision and working tree) and walks.
#include <zlib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <functional>

#include "analyzer/core/scanner.h"
#include "analyzer/history/commit_walk.h"
#include "analyzer/repo/loose_objects.h"
#include "analyzer/repo/repo_source.h"
#include "support/deadline.h"
#include "support/fixture_repo.h"

namespace fs = std::filesystem;
using namespace mlm;
using mlm::test::within_deadline;

namespace {

std::string deflate_bytes(const std::string& raw) {
  uLongf n = compressBound(raw.size());
  std::string out(n, '\0');
  REQUIRE(compress(reinterpret_cast<Bytef*>(&out[0]), &n, reinterpret_cast<const Bytef*>(raw.data()), raw.size()) ==
          Z_OK);
  out.resize(n);
  return out;
}

struct Inflated {
  bool ok = false;
  LooseObject obj;
  std::string body, error;
  int allocations = 0;
};

Inflated inflate(const std::string& compressed, bool header_only = false, size_t max = kMaxLooseObjectBytes) {
  Inflated r;
  const BodyAlloc alloc = [&r](size_t n) {
    ++r.allocations;
    r.body.assign(n, '\0');
    return &r.body[0];
  };
  r.ok = inflate_loose_object(compressed, header_only, max, alloc, r.obj, r.error);
  if (r.ok && !header_only) r.body.resize(r.obj.size);
  return r;
}

fs::path loose_path(const std::string& repo, const std::string& id) {
  return fs::path(repo) / ".git/objects" / id.substr(0, 2) / id.substr(2);
}

// Cuts a loose object file to its first half (git writes them read-only).
void truncate_object(const std::string& repo, const std::string& id) {
  const fs::path p = loose_path(repo, id);
  REQUIRE(fs::exists(p));
  std::string bytes;
  {
    std::ifstream in(p, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  fs::permissions(p, fs::perms::owner_write, fs::perm_options::add);
  std::ofstream(p, std::ios::binary | std::ios::trunc) << bytes.substr(0, bytes.size() / 2);
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

TEST_CASE("loose objects: a whole object inflates to its declared bytes", "[repo][loose]") {
  const std::string body = "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor A <a@x> 1 +0000\n\nmsg\n";
  const Inflated r = inflate(deflate_bytes("commit " + std::to_string(body.size()) + std::string(1, '\0') + body));
  REQUIRE(r.ok);
  CHECK(r.obj.type == 1);
  CHECK(r.body == body);
  const Inflated h = inflate(deflate_bytes("blob 5" + std::string(1, '\0') + "hello"), true);
  REQUIRE(h.ok);
  CHECK(h.obj.type == 3);
  CHECK(h.obj.size == 5);
  CHECK(h.allocations == 0);  // a header read allocates nothing
  const Inflated empty = inflate(deflate_bytes(std::string("blob 0") + '\0'));
  REQUIRE(empty.ok);
  CHECK(empty.body.empty());
}

TEST_CASE("loose objects: damaged streams are errors, at every cut", "[repo][loose][hostile]") {
  std::string body;
  for (int i = 0; i < 2000; ++i) body += "line " + std::to_string(i * 7919 % 1000) + "\n";
  const std::string whole = deflate_bytes("blob " + std::to_string(body.size()) + std::string(1, '\0') + body);
  // Every prefix of the stream: the reader always returns, and never claims success.
  int refused = 0;
  for (size_t cut = 0; cut < whole.size() - 4; ++cut) {
    const Inflated r = inflate(whole.substr(0, cut));
    if (!r.ok) ++refused;
  }
  CHECK(refused == static_cast<int>(whole.size() - 4));
  CHECK(inflate(whole.substr(0, whole.size() / 2)).error.find("truncated") != std::string::npos);

  SECTION("a body longer than its header says") {
    const Inflated r = inflate(deflate_bytes("blob 3" + std::string(1, '\0') + "hello"));
    CHECK_FALSE(r.ok);
    CHECK(r.error.find("longer than its declared size") != std::string::npos);
  }
  SECTION("a body shorter than its header says") {
    const Inflated r = inflate(deflate_bytes("blob 9" + std::string(1, '\0') + "hello"));
    CHECK_FALSE(r.ok);
    CHECK(r.error.find("shorter") != std::string::npos);
  }
  SECTION("a declared size over the cap is refused before anything is allocated") {
    const Inflated r = inflate(deflate_bytes("blob 99999999999" + std::string(1, '\0') + "x"), false, 1 << 20);
    CHECK_FALSE(r.ok);
    CHECK(r.allocations == 0);
    CHECK(r.error.find("over the 1048576-byte limit") != std::string::npos);
    // Its header alone is read: the listing learns the size (and calls the file too large).
    const Inflated h = inflate(deflate_bytes("blob 99999999999" + std::string(1, '\0') + "x"), true, 1 << 20);
    CHECK(h.ok);
    CHECK(h.obj.size == 99999999999ull);
    CHECK(h.allocations == 0);
  }
  SECTION("malformed headers") {
    CHECK_FALSE(inflate(deflate_bytes("blub 5" + std::string(1, '\0') + "hello")).ok);
    CHECK_FALSE(inflate(deflate_bytes("blob 5x" + std::string(1, '\0') + "hello")).ok);
    CHECK_FALSE(inflate(deflate_bytes("blob " + std::string(1, '\0'))).ok);
    CHECK_FALSE(inflate(deflate_bytes(std::string(200, 'a'))).ok);  // no header end
    CHECK_FALSE(inflate("not zlib at all").ok);
    CHECK_FALSE(inflate("").ok);
  }
}

TEST_CASE("loose objects: a truncated commit or blob in a repository never hangs a scan", "[repo][loose][hostile]") {
  const std::string repo = test::materialise_fixture("github-actions");
  const std::string head = trimmed(test::capture("git -C " + repo + " rev-parse HEAD"));
  const std::string dvc_yaml = trimmed(test::capture("git -C " + repo + " rev-parse HEAD:dvc.yaml"));

  SECTION("a truncated blob is a recorded read error; the other files are scanned") {
    truncate_object(repo, dvc_yaml);
    const int rc = within_deadline(
        [&] {
          std::string error;
          auto src = open_repo_source(repo, "HEAD", ReadLimits{}, error);
          if (!src) return 2;
          int read_ok = 0, refused = 0;
          for (const auto& f : src->files()) {
            std::string bytes, why;
            if (f.kind != EntryKind::regular) continue;
            if (src->read(f, bytes, why)) {
              ++read_ok;
            } else if (f.path == "dvc.yaml" && why.find("truncated loose object") != std::string::npos) {
              ++refused;
            } else {
              return 3;
            }
          }
          return refused == 1 && read_ok > 3 ? 0 : 4;
        },
        30);
    CHECK(rc == 0);
  }

  SECTION("a truncated HEAD commit: --rev HEAD is a clear error, the working tree still scans") {
    truncate_object(repo, head);
    const int rev = within_deadline(
        [&] {
          std::string error;
          auto src = open_repo_source(repo, "HEAD", ReadLimits{}, error);
          return !src && error.find("truncated loose object") != std::string::npos ? 0 : 1;
        },
        30);
    CHECK(rev == 0);
    // The working-tree scan runs every detector, history included: the history detectors
    // report the damaged commit as their error, the file detectors still find the CI evidence.
    const Engine& engine = test::shipped_engine();
    const int wt = within_deadline(
        [&] {
          // Commit records are memoised per process by id, and fixture commit ids are fixed: an
          // earlier test may have read this commit whole. Forget them, so it is read from disk.
          clear_commit_memo();
          ScanResult result;
          std::string error;
          if (!run_scan(engine, repo, "", ScanOptions{}, result, error)) return 1;
          bool history_error = false, ci_evidence = false;
          for (const auto& e : result.errors) history_error |= e.message.find("truncated loose object") != std::string::npos;
          for (const auto& e : result.evidence) ci_evidence |= e.id.rfind("ci.", 0) == 0;
          return history_error && ci_evidence ? 0 : 2;
        },
        60);
    CHECK(wt == 0);
  }
}

TEST_CASE("a symlinked pack file is refused", "[repo][hostile]") {
  const std::string repo = test::materialise_fixture("github-actions");
  REQUIRE(test::sh("git -C " + repo + " repack -adq") == 0);
  const fs::path pack_dir = fs::path(repo) / ".git/objects/pack";
  fs::path pack;
  for (const auto& e : fs::directory_iterator(pack_dir)) {
    if (e.path().extension() == ".pack") pack = e.path();
  }
  REQUIRE_FALSE(pack.empty());
  std::string error;
  REQUIRE(open_repo_source(repo, "HEAD", ReadLimits{}, error));  // a real pack reads
  const fs::path moved = fs::path(test::fresh_tmp_dir("pack-elsewhere")) / pack.filename();
  fs::rename(pack, moved);
  fs::create_symlink(moved, pack);
  CHECK_FALSE(open_repo_source(repo, "HEAD", ReadLimits{}, error));
  CHECK(error.find("refusing to read packs through it") != std::string::npos);
}

TEST_CASE("loose objects: a symlinked objects folder is refused", "[repo][loose][hostile]") {
  const std::string repo = test::materialise_fixture("github-actions");
  const std::string other = test::fresh_tmp_dir("objects-elsewhere");
  fs::rename(fs::path(repo) / ".git/objects", fs::path(other) / "objects");
  fs::create_directory_symlink(fs::path(other) / "objects", fs::path(repo) / ".git/objects");
  std::string error;
  auto src = open_repo_source(repo, "HEAD", ReadLimits{}, error);
  CHECK_FALSE(src);
  CHECK(error.find("symlink") != std::string::npos);
}

TEST_CASE("loose objects: short ids resolve, a symlinked fan-out folder is not followed", "[repo][loose][hostile]") {
  const std::string repo = test::materialise_fixture("github-actions");
  const std::string head = trimmed(test::capture("git -C " + repo + " rev-parse HEAD"));
  std::string error;
  // The fixture's objects are loose: a 7-digit prefix is found by the backend's prefix lookup.
  auto by_prefix = open_repo_source(repo, head.substr(0, 7), ReadLimits{}, error);
  REQUIRE(by_prefix);
  CHECK(by_prefix->info().revision == head);
  // The HEAD commit's fan-out folder replaced by a symlink to a copy elsewhere: refused with a
  // reason, never read through.
  const fs::path fanout = fs::path(repo) / ".git/objects" / head.substr(0, 2);
  const fs::path elsewhere = fs::path(test::fresh_tmp_dir("fanout-elsewhere")) / head.substr(0, 2);
  fs::rename(fanout, elsewhere);
  fs::create_directory_symlink(elsewhere, fanout);
  auto through_link = open_repo_source(repo, "HEAD", ReadLimits{}, error);
  CHECK_FALSE(through_link);
  CHECK(error.find("symlink is not followed") != std::string::npos);
}
