// A revision read straight from the object database: no checkout, bare or not, shallow or not.
#include <git2.h>

#include <algorithm>

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

class GitSource final : public RepoSource {
 public:
  // `list_files` false: a reader (RepoSource::reader), which reads blobs by id and lists nothing.
  GitSource(std::string path, std::string rev, const ReadLimits& limits, bool list_files = true)
      : path_(std::move(path)), rev_(std::move(rev)), limits_(limits), list_files_(list_files) {}
  ~GitSource() override {
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
    if (git_revparse_single(&obj, repo_, rev_.c_str()) != 0) {
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
    out.assign(static_cast<const char*>(git_blob_rawcontent(blob)), size);
    git_blob_free(blob);
    return true;
  }

 private:

  static int on_entry(const char* root, const git_tree_entry* entry, void* payload) {
    auto* self = static_cast<GitSource*>(payload);
    const std::string name = git_tree_entry_name(entry);
    const std::string rel = std::string(root) + name;
    const git_filemode_t mode = git_tree_entry_filemode(entry);
    if (mode == GIT_FILEMODE_TREE) return is_skipped_dir_name(name) ? 1 : 0;  // 1 = skip subtree
    FileEntry f;
    f.path = rel;
    f.blob_id = oid_hex(git_tree_entry_id(entry));
    if (mode == GIT_FILEMODE_COMMIT) {
      f.kind = EntryKind::submodule;
      self->skips_.push_back({rel, "submodule", "submodule " + f.blob_id + " (not scanned)"});
      self->files_.push_back(std::move(f));
      return 0;
    }
    if (self->files_.size() >= self->limits_.max_files) {
      if (!self->truncated_) {
        self->skips_.push_back({rel, "too-many-files", "file limit reached; the rest of the tree is not scanned"});
      }
      self->truncated_ = true;
      return 0;
    }
    size_t size = 0;
    git_object_t type;
    if (git_odb_read_header(&size, &type, self->odb_, git_tree_entry_id(entry)) != 0) {
      self->skips_.push_back({rel, "missing-object", git_error_text()});
      return 0;
    }
    f.size = size;
    if (mode == GIT_FILEMODE_LINK) {
      // The blob of a symlink is its target text: record it, never resolve it.
      f.kind = EntryKind::symlink;
      git_blob* blob = nullptr;
      if (size < 4096 && git_blob_lookup(&blob, self->repo_, git_tree_entry_id(entry)) == 0) {
        f.link_target.assign(static_cast<const char*>(git_blob_rawcontent(blob)), git_blob_rawsize(blob));
        git_blob_free(blob);
      }
      self->skips_.push_back({rel, "symlink", "-> " + f.link_target + " (not followed)"});
    }
    self->files_.push_back(std::move(f));
    return 0;
  }

  void list() {
    git_tree_walk(tree_, GIT_TREEWALK_PRE, &GitSource::on_entry, this);
    std::sort(files_.begin(), files_.end(), [](const FileEntry& a, const FileEntry& b) { return a.path < b.path; });
  }

  std::string path_, rev_;
  ReadLimits limits_;
  SourceInfo info_;
  std::vector<FileEntry> files_;
  std::vector<Skip> skips_;
  git_repository* repo_ = nullptr;
  git_odb* odb_ = nullptr;
  git_tree* tree_ = nullptr;
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
