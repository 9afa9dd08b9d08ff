// Writes git objects byte by byte into a test repository: the shapes git itself would never write
// (a tree 100,000 folders deep, trees naming one subtree ten times per level, an object stored
// under an id that is not its hash, a commit whose parent is cut short). Objects go to one pack
// (fast for many objects) or, with `loose_under`, to one loose file under any id.
#pragma once
#include <git2.h>

#include <string>
#include <vector>

namespace mlm::test {

struct TreeItem {
  std::string mode;  // "40000", "100644", "120000", "160000"
  std::string name;
  git_oid id;
};

class ObjectWriter {
 public:
  // Creates (git init) a repository with a working tree at `path`; objects are buffered in memory
  // until flush() writes them as one pack.
  explicit ObjectWriter(const std::string& path);
  ~ObjectWriter();
  ObjectWriter(const ObjectWriter&) = delete;
  ObjectWriter& operator=(const ObjectWriter&) = delete;

  git_oid blob(const std::string& content);
  git_oid tree(const std::vector<TreeItem>& items);  // items in git's order, as given
  // With `loose`, the commit is written as a loose object at once (not packed by flush(), which
  // would walk its tree: a commit above a forged tree must be loose).
  git_oid commit(const git_oid& tree, const std::vector<git_oid>& parents, const std::string& message,
                 long long time = 1700000000, bool loose = false);
  // The raw bytes of a tree (for objects written under another id).
  static std::string tree_bytes(const std::vector<TreeItem>& items);

  // Writes the buffered objects as one pack in objects/pack.
  void flush();
  // Writes a loose object file objects/xy/z... holding `type` + `body` under `id`, which need not
  // be its hash. `cut` > 0 keeps only the first `cut` bytes of the compressed file.
  void loose_under(const git_oid& id, const char* type, const std::string& body, size_t cut = 0);
  // Points refs/heads/main (and HEAD) at `commit`.
  void set_main(const git_oid& commit);

  const std::string& path() const { return path_; }
  std::string git_dir() const { return path_ + "/.git"; }
  static std::string hex(const git_oid& id);

 private:
  git_oid write(const std::string& body, git_object_t type);
  std::string path_;
  git_repository* repo_ = nullptr;
  git_odb* odb_ = nullptr;
  git_odb_backend* mempack_ = nullptr;
  std::vector<git_oid> buffered_;  // written since the last flush, in order
};

}  // namespace mlm::test
