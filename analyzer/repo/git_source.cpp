// A revision read straight from the object database: no checkout, bare or not, shallow or not.
#include <git2.h>

#include <algorithm>
#include <map>
#include <set>

#include "analyzer/repo/git_hardening.h"
#include "analyzer/repo/path_filter.h"
#include "analyzer/repo/repo_source.h"
#include "analyzer/repo/sources.h"

namespace mlm {

namespace {

std::string oid_hex(const git_oid* oid) {
  char hex[GIT_OID_HEXSZ + 1];
  git_oid_tostr(hex, sizeof hex, oid);
  return hex;
}

// The object `rev` names. A reference name (HEAD, main, v1.2) is resolved here rather than by
// git_revparse_single: libgit2 1.5's revparse leaks the reference it resolved when the object it
// names cannot be read (a damaged or refused object). Anything else (HEAD~2, short ids) goes to
// revparse.
int lookup_revision(git_object** out, git_repository* repo, const std::string& rev) {
  const bool full_id = rev.size() == GIT_OID_HEXSZ && rev.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos;
  git_reference* ref = nullptr;
  if (!full_id && git_reference_dwim(&ref, repo, rev.c_str()) == 0) {
    git_reference* resolved = nullptr;
    int rc = git_reference_resolve(&resolved, ref);
    git_reference_free(ref);
    if (rc != 0) return rc;
    rc = git_object_lookup(out, repo, git_reference_target(resolved), GIT_OBJECT_ANY);
    git_reference_free(resolved);
    return rc;
  }
  return git_revparse_single(out, repo, rev.c_str());
}

class GitSource final : public RepoSource {
 public:
  // `list_files` false: a reader (RepoSource::reader), which reads blobs by id and lists nothing.
  GitSource(std::string path, std::string rev, const ReadLimits& limits, bool list_files = true)
      : path_(std::move(path)), rev_(std::move(rev)), limits_(limits), list_files_(list_files) {}
  ~GitSource() override {
    for (auto& [id, t] : trees_) git_tree_free(t);
    if (tree_) git_tree_free(tree_);
    if (odb_) git_odb_free(odb_);
    if (repo_) git_repository_free(repo_);
  }

  bool open(std::string& error) {
    HardenedRepo hr;
    if (!open_hardened(path_, hr, error, /*check_workdir=*/false)) return false;
    repo_ = hr.repo;
    for (auto& n : hr.notes) skips_.push_back(std::move(n));
    git_object* obj = nullptr;
    if (lookup_revision(&obj, repo_, rev_) != 0) {
      error = path_ + ": cannot resolve revision '" + rev_ + "': " + git_error_text();
      return false;
    }
    git_commit* commit = nullptr;
    const int rc = git_object_peel(reinterpret_cast<git_object**>(&commit), obj, GIT_OBJECT_COMMIT);
    git_object_free(obj);
    if (rc != 0) {
      error = path_ + ": revision '" + rev_ + "' is not a commit: " + git_error_text();
      return false;
    }
    info_.kind = "git";
    info_.root = path_;
    info_.rev_spec = rev_;
    info_.revision = oid_hex(git_commit_id(commit));
    info_.is_git = true;
    info_.shallow = git_repository_is_shallow(repo_) == 1;
    const int trc = git_commit_tree(&tree_, commit);
    git_commit_free(commit);
    if (trc != 0) {
      error = path_ + ": cannot read the tree of " + info_.revision + ": " + git_error_text();
      return false;
    }
    if (git_repository_odb(&odb_, repo_) != 0) {
      error = path_ + ": cannot open the object database: " + git_error_text();
      return false;
    }
    if (list_files_) list();
    return true;
  }

  std::unique_ptr<RepoSource> reader(std::string& error) const override {
    // The resolved commit, not the revision text: a ref moved meanwhile must not change what is read.
    auto r = std::make_unique<GitSource>(path_, info_.revision, limits_, /*list_files=*/false);
    if (!r->open(error)) return nullptr;
    return r;
  }

  const SourceInfo& info() const override { return info_; }
  const std::vector<FileEntry>& files() const override { return files_; }
  const std::vector<Skip>& listing_skips() const override { return skips_; }
  git_repository* git() const override { return repo_; }
  std::string history_start() const override { return info_.revision; }

  bool read(const FileEntry& entry, std::string& out, std::string& error) const override {
    if (entry.kind != EntryKind::regular) {
      error = "not a regular file";
      return false;
    }
    git_oid oid;
    git_blob* blob = nullptr;
    if (git_oid_fromstr(&oid, entry.blob_id.c_str()) != 0 || git_blob_lookup(&blob, repo_, &oid) != 0) {
      error = "cannot read blob " + entry.blob_id + ": " + git_error_text();
      return false;
    }
    const auto size = static_cast<size_t>(git_blob_rawsize(blob));
    out.reserve(size + kReadPadding);
    out.assign(static_cast<const char*>(git_blob_rawcontent(blob)), size);
    git_blob_free(blob);
    return true;
  }

 private:

  // One file (or symlink, or submodule) of the tree.
  void add_entry(const std::string& rel, const git_tree_entry* entry) {
    const git_filemode_t mode = git_tree_entry_filemode(entry);
    FileEntry f;
    f.path = rel;
    f.blob_id = oid_hex(git_tree_entry_id(entry));
    if (mode == GIT_FILEMODE_COMMIT) {
      f.kind = EntryKind::submodule;
      skips_.push_back({rel, "submodule", "submodule " + f.blob_id + " (not scanned)"});
      files_.push_back(std::move(f));
      return;
    }
    if (files_.size() >= limits_.max_files) {
      if (!truncated_) skips_.push_back({rel, "too-many-files", "file limit reached; the rest of the tree is not scanned"});
      truncated_ = true;
      return;
    }
    size_t size = 0;
    git_object_t type;
    if (git_odb_read_header(&size, &type, odb_, git_tree_entry_id(entry)) != 0) {
      skips_.push_back({rel, "missing-object", git_error_text()});
      return;
    }
    f.size = size;
    if (mode == GIT_FILEMODE_LINK) {
      // The blob of a symlink is its target text: record it, never resolve it.
      f.kind = EntryKind::symlink;
      git_blob* blob = nullptr;
      if (size < 4096 && git_blob_lookup(&blob, repo_, git_tree_entry_id(entry)) == 0) {
        f.link_target.assign(static_cast<const char*>(git_blob_rawcontent(blob)), git_blob_rawsize(blob));
        git_blob_free(blob);
      }
      skips_.push_back({rel, "symlink", "-> " + f.link_target + " (not followed)"});
    }
    files_.push_back(std::move(f));
  }

  // The subtree `id`, looked up once per id (a tree bomb names one subtree many times).
  const git_tree* subtree(const git_oid* id, const std::string& rel) {
    auto it = trees_.find(oid_hex(id));
    if (it != trees_.end()) return it->second;
    git_tree* t = nullptr;
    if (git_tree_lookup(&t, repo_, id) != 0) {
      skips_.push_back({rel, "missing-object", git_error_text()});
      t = nullptr;
    }
    trees_.emplace(oid_hex(id), t);
    return t;
  }

  // Depth-first over the tree with our own stack: however deep or wide the object graph (valid
  // ids can name one subtree ten times per level, or a tree can list itself), the walk is bounded
  // by depth and by entries visited, and a tree met again inside itself is a cycle.
  void list() {
    // Each tree's files are listed before its subfolders are entered, so the files near the root
    // are listed even when a huge subtree exhausts the budget.
    struct Frame {
      const git_tree* tree;
      std::string id, prefix;
      size_t next = 0;
      bool folders = false;  // second pass: the subfolders
    };
    std::vector<Frame> stack{{tree_, oid_hex(git_tree_id(tree_)), ""}};
    std::set<std::string> on_path{stack.back().id};
    size_t visited = 0;
    while (!stack.empty()) {
      Frame& top = stack.back();
      if (top.next >= git_tree_entrycount(top.tree)) {
        if (!top.folders) {
          top.folders = true;
          top.next = 0;
          continue;
        }
        on_path.erase(top.id);
        stack.pop_back();
        continue;
      }
      const git_tree_entry* entry = git_tree_entry_byindex(top.tree, top.next++);
      if ((git_tree_entry_filemode(entry) == GIT_FILEMODE_TREE) != top.folders) continue;
      if (++visited > kMaxTreeEntries) {
        skips_.push_back({top.prefix, "tree-too-large", "more than " + std::to_string(kMaxTreeEntries) +
                                                            " tree entries visited; the rest of the tree is not scanned"});
        break;
      }
      const std::string name = git_tree_entry_name(entry);
      const std::string rel = top.prefix + name;
      if (git_tree_entry_filemode(entry) != GIT_FILEMODE_TREE) {
        add_entry(rel, entry);
        continue;
      }
      if (is_skipped_dir_name(name)) continue;
      const std::string id = oid_hex(git_tree_entry_id(entry));
      if (stack.size() > kMaxTreeDepth) {
        skips_.push_back({rel, "too-deep", "folders nested more than " + std::to_string(kMaxTreeDepth) +
                                               " deep are not scanned"});
        continue;
      }
      if (on_path.count(id)) {
        skips_.push_back({rel, "tree-cycle", "tree " + id + " contains itself (a damaged or forged repository)"});
        continue;
      }
      const git_tree* sub = subtree(git_tree_entry_id(entry), rel);
      if (!sub) continue;
      on_path.insert(id);
      stack.push_back({sub, id, rel + "/"});
    }
    std::sort(files_.begin(), files_.end(), [](const FileEntry& a, const FileEntry& b) { return a.path < b.path; });
  }

  // Bounds of the listing walk (a repository of 200,000 files in 20,000 folders visits 220,000).
  static constexpr size_t kMaxTreeEntries = 2000000;
  static constexpr size_t kMaxTreeDepth = 256;

  std::string path_, rev_;
  ReadLimits limits_;
  SourceInfo info_;
  std::vector<FileEntry> files_;
  std::vector<Skip> skips_;
  git_repository* repo_ = nullptr;
  git_odb* odb_ = nullptr;
  git_tree* tree_ = nullptr;
  std::map<std::string, git_tree*> trees_;  // subtrees by id (nullptr: unreadable), freed with the source
  bool truncated_ = false;
  bool list_files_ = true;
};

}  // namespace

std::unique_ptr<RepoSource> open_git_source(const std::string& path, const std::string& rev,
                                            const ReadLimits& limits, std::string& error) {
  auto src = std::make_unique<GitSource>(path, rev, limits);
  if (!src->open(error)) return nullptr;
  return src;
}

std::unique_ptr<RepoSource> open_repo_source(const std::string& path, const std::string& rev,
                                             const ReadLimits& limits, std::string& error) {
  if (rev.empty()) return open_worktree_source(path, limits, error);
  return open_git_source(path, rev, limits, error);
}

}  // namespace mlm
