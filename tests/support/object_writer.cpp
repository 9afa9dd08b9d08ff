#include "support/object_writer.h"

#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace fs = std::filesystem;

namespace mlm::test {

namespace {
void check(int rc, const char* what) {
  if (rc != 0) {
    const git_error* e = git_error_last();
    throw std::runtime_error(std::string(what) + ": " + (e && e->message ? e->message : "libgit2 error"));
  }
}
}  // namespace

ObjectWriter::ObjectWriter(const std::string& path) : path_(path) {
  git_libgit2_init();
  check(git_repository_init(&repo_, path.c_str(), 0), "git init");
  check(git_repository_odb(&odb_, repo_), "odb");
  check(git_mempack_new(&mempack_), "mempack");
  check(git_odb_add_backend(odb_, mempack_, 1000), "mempack backend");  // asked first, so it takes every write
}

ObjectWriter::~ObjectWriter() {
  git_odb_free(odb_);
  git_repository_free(repo_);
}

std::string ObjectWriter::hex(const git_oid& id) {
  char buf[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buf, sizeof buf, &id);
  return buf;
}

git_oid ObjectWriter::write(const std::string& body, git_object_t type) {
  git_oid id;
  check(git_odb_write(&id, odb_, body.data(), body.size(), type), "write object");
  buffered_.push_back(id);
  return id;
}

git_oid ObjectWriter::blob(const std::string& content) { return write(content, GIT_OBJECT_BLOB); }

std::string ObjectWriter::tree_bytes(const std::vector<TreeItem>& items) {
  std::string body;
  for (const auto& it : items) {
    body += it.mode + " " + it.name;
    body.push_back('\0');
    body.append(reinterpret_cast<const char*>(it.id.id), GIT_OID_RAWSZ);
  }
  return body;
}

git_oid ObjectWriter::tree(const std::vector<TreeItem>& items) { return write(tree_bytes(items), GIT_OBJECT_TREE); }

git_oid ObjectWriter::commit(const git_oid& tree, const std::vector<git_oid>& parents, const std::string& message,
                             long long time, bool loose) {
  std::string body = "tree " + hex(tree) + "\n";
  for (const auto& p : parents) body += "parent " + hex(p) + "\n";
  const std::string who = "Test Author <author@example.com> " + std::to_string(time) + " +0000\n";
  body += "author " + who + "committer " + who + "\n" + message + "\n";
  if (!loose) return write(body, GIT_OBJECT_COMMIT);
  git_oid id;
  check(git_odb_hash(&id, body.data(), body.size(), GIT_OBJECT_COMMIT), "hash commit");
  loose_under(id, "commit", body);
  return id;
}

void ObjectWriter::flush() {
  // Each object is inserted on its own (git_mempack_dump would walk from commits, through every
  // tree: recursively, and forever through a tree bomb).
  git_packbuilder* pb = nullptr;
  check(git_packbuilder_new(&pb, repo_), "packbuilder");
  for (const git_oid& id : buffered_) check(git_packbuilder_insert(pb, &id, nullptr), "pack insert");
  git_buf pack = GIT_BUF_INIT;
  const int built = git_packbuilder_write_buf(&pack, pb);
  git_packbuilder_free(pb);
  check(built, "build pack");
  git_odb_writepack* wp = nullptr;
  check(git_odb_write_pack(&wp, odb_, nullptr, nullptr), "write pack");
  git_indexer_progress stats{};
  const int rc = wp->append(wp, pack.ptr, pack.size, &stats);
  const int rc2 = rc == 0 ? wp->commit(wp, &stats) : rc;
  wp->free(wp);
  git_buf_dispose(&pack);
  check(rc2, "index pack");
  check(git_mempack_reset(mempack_), "reset mempack");
  buffered_.clear();
}

void ObjectWriter::loose_under(const git_oid& id, const char* type, const std::string& body, size_t cut) {
  std::string raw = std::string(type) + " " + std::to_string(body.size());
  raw.push_back('\0');
  raw += body;
  uLongf n = compressBound(raw.size());
  std::string z(n, '\0');
  if (compress(reinterpret_cast<Bytef*>(&z[0]), &n, reinterpret_cast<const Bytef*>(raw.data()), raw.size()) != Z_OK) {
    throw std::runtime_error("zlib");
  }
  z.resize(cut ? std::min<size_t>(cut, n) : n);
  const std::string h = hex(id);
  const fs::path dir = fs::path(git_dir()) / "objects" / h.substr(0, 2);
  fs::create_directories(dir);
  std::ofstream(dir / h.substr(2), std::ios::binary | std::ios::trunc) << z;
}

void ObjectWriter::set_main(const git_oid& commit) {
  git_reference* ref = nullptr;
  check(git_reference_create(&ref, repo_, "refs/heads/main", &commit, 1, nullptr), "refs/heads/main");
  git_reference_free(ref);
  check(git_repository_set_head(repo_, "refs/heads/main"), "HEAD");
}

}  // namespace mlm::test
