// A working tree on disk. Never follows a symlink, never leaves the root, honours .gitignore
// when the folder is a git checkout (through libgit2, with the repository's config dropped).
#include <fcntl.h>
#include <git2.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <vector>

#include "analyzer/repo/git_hardening.h"
#include "analyzer/repo/path_filter.h"
#include "analyzer/repo/regular_file.h"
#include "analyzer/repo/repo_source.h"
#include "analyzer/repo/sources.h"

namespace fs = std::filesystem;

namespace mlm {

namespace {

class WorktreeSource final : public RepoSource {
 public:
  // `list_files` false: a reader (RepoSource::reader), which reads files and lists nothing.
  WorktreeSource(std::string root, const ReadLimits& limits, bool list_files = true)
      : root_(std::move(root)), limits_(limits), list_files_(list_files) {}
  ~WorktreeSource() override {
    if (git_) git_repository_free(git_);
  }

  bool open(std::string& error) {
    std::error_code ec;
    if (!fs::is_directory(fs::symlink_status(root_, ec))) {
      error = root_ + ": not a folder (or a symlink to one, which is not followed)";
      return false;
    }
    info_.kind = "worktree";
    info_.root = root_;
    std::error_code ec2;
    if (fs::exists(fs::symlink_status(fs::path(root_) / ".git", ec2))) {
      HardenedRepo hr;
      std::string git_error;
      if (open_hardened(root_, hr, git_error, /*check_workdir=*/true)) {
        git_ = hr.repo;
        use_ignore_ = !hr.workdir_redirected && !git_repository_is_bare(git_) && exclude_file_is_plain();
        info_.shallow = git_repository_is_shallow(git_) == 1;
        info_.revision = head_commit_id(git_);
        // History is read from HEAD's commit: without one there is none to read, and the report
        // must not call this a git repository with history (nor say it is not a repository).
        info_.is_git = !info_.revision.empty();
        if (!info_.is_git) skips_.push_back({".git/HEAD", "git-head-unresolved", unresolved_head(git_)});
      } else {
        skips_.push_back({".git", "git-unreadable", git_error});
      }
      for (auto& n : hr.notes) skips_.push_back(std::move(n));
    }
    if (list_files_) list();
    return true;
  }

  std::unique_ptr<RepoSource> reader(std::string& error) const override {
    auto r = std::make_unique<WorktreeSource>(root_, limits_, /*list_files=*/false);
    if (!r->open(error)) return nullptr;
    if (r->info_.is_git != info_.is_git) {
      error = root_ + ": the repository changed while it was scanned";
      return nullptr;
    }
    r->info_ = info_;  // the history starts where this source's does, even if HEAD moved since
    return r;
  }

  const SourceInfo& info() const override { return info_; }
  const std::vector<FileEntry>& files() const override { return files_; }
  const std::vector<Skip>& listing_skips() const override { return skips_; }
  git_repository* git() const override { return git_; }
  std::string history_start() const override { return info_.revision; }

  bool read(const FileEntry& entry, std::string& out, std::string& error) const override {
    if (entry.kind != EntryKind::regular) {
      error = "not a regular file";
      return false;
    }
    const std::string full = root_ + "/" + entry.path;
    // No symlink: a file swapped for a symlink after listing is refused, not followed.
    const int fd = open_regular_file(full, Follow::no_symlinks, error);
    if (fd < 0) return false;
    struct stat st {};
    fstat(fd, &st);
    out.reserve(static_cast<size_t>(st.st_size) + kReadPadding);
    out.resize(static_cast<size_t>(st.st_size));
    size_t got = 0;
    while (got < out.size()) {
      const ssize_t n = ::read(fd, &out[got], out.size() - got);
      if (n <= 0) break;
      got += static_cast<size_t>(n);
    }
    ::close(fd);
    out.resize(got);
    return true;
  }

 private:
  // libgit2 reads .git/info/exclude for every ignore check, following a symlink and blocking on
  // a FIFO: anything but a regular file turns .gitignore handling off (everything is listed).
  bool exclude_file_is_plain() {
    const std::string kind = special_kind(std::string(git_repository_path(git_)) + "info/exclude");
    if (kind.empty() || kind == "missing") return true;
    skips_.push_back({".git/info/exclude", "ignore-file-refused", kind + " (not read); .gitignore rules are not applied"});
    return false;
  }

  // The same for the .gitignore of a folder, which libgit2 reads for every path below it.
  bool gitignore_is_plain(const std::string& dir_rel) {
    const std::string rel = dir_rel.empty() ? ".gitignore" : dir_rel + "/.gitignore";
    const std::string kind = special_kind(root_ + "/" + rel);
    if (kind.empty() || kind == "missing") return true;
    skips_.push_back({rel, "ignore-file-refused", kind + " (not read); ignore rules are not applied in this folder"});
    return false;
  }

  static std::string unresolved_head(git_repository* repo) {
    git_reference* head = nullptr;
    std::string target;
    if (git_reference_lookup(&head, repo, "HEAD") == 0) {
      if (const char* t = git_reference_symbolic_target(head)) target = t;
      git_reference_free(head);
    }
    return target.empty() ? "HEAD does not name a readable commit; history not read"
                          : "HEAD names " + target + ", which does not exist (an unborn branch or a damaged "
                            "repository); history not read";
  }

  bool ignored(const std::string& rel, bool is_dir, bool ignore_ok) {
    if (!use_ignore_ || !ignore_ok) return false;
    int result = 0;
    const std::string p = is_dir ? rel + "/" : rel;
    if (git_ignore_path_is_ignored(&result, git_, p.c_str()) != 0) return false;
    return result == 1;
  }

  void list() {
    // Explicit stack: a hostile tree cannot overflow ours, however deep it is. Each folder carries
    // whether libgit2 may apply ignore rules in it (no refused .gitignore on the way).
    // A folder's .gitignore is checked before libgit2 is asked about the folder (which reads it).
    std::vector<std::pair<std::string, bool>> stack{{"", !use_ignore_ || gitignore_is_plain("")}};
    while (!stack.empty()) {
      const std::string dir_rel = std::move(stack.back().first);
      const bool ignore_ok = stack.back().second;
      stack.pop_back();
      const fs::path dir = dir_rel.empty() ? fs::path(root_) : fs::path(root_) / dir_rel;
      std::error_code ec;
      fs::directory_iterator it(dir, fs::directory_options::none, ec);
      if (ec) {
        skips_.push_back({dir_rel, "unreadable-folder", ec.message()});
        continue;
      }
      std::vector<fs::directory_entry> entries;
      for (; it != fs::directory_iterator(); it.increment(ec)) {
        if (ec) break;
        entries.push_back(*it);
      }
      for (const auto& de : entries) {
        const std::string name = de.path().filename().string();
        const std::string rel = dir_rel.empty() ? name : dir_rel + "/" + name;
        std::error_code sec;
        const fs::file_status st = de.symlink_status(sec);  // never the target's status
        if (sec) continue;
        if (fs::is_symlink(st)) {
          if (ignored(rel, false, ignore_ok) || path_in_skipped_dir(rel)) continue;
          FileEntry f;
          f.path = rel;
          f.kind = EntryKind::symlink;
          f.link_target = fs::read_symlink(de.path(), sec).string();
          skips_.push_back({rel, "symlink", "-> " + f.link_target + " (not followed)"});
          files_.push_back(std::move(f));
          continue;
        }
        if (fs::is_directory(st)) {
          if (is_skipped_dir_name(name)) continue;
          const bool sub_ok = ignore_ok && (!use_ignore_ || gitignore_is_plain(rel));
          if (ignored(rel, true, sub_ok)) continue;
          stack.emplace_back(rel, sub_ok);
          continue;
        }
        if (!fs::is_regular_file(st)) {
          skips_.push_back({rel, "special-file", "not a regular file"});
          continue;
        }
        if (ignored(rel, false, ignore_ok)) continue;
        if (files_.size() >= limits_.max_files) {
          if (!truncated_) skips_.push_back({rel, "too-many-files", "file limit reached; the rest of the tree is not scanned"});
          truncated_ = true;
          continue;
        }
        FileEntry f;
        f.path = rel;
        f.size = de.file_size(sec);
        files_.push_back(std::move(f));
      }
    }
    std::sort(files_.begin(), files_.end(), [](const FileEntry& a, const FileEntry& b) { return a.path < b.path; });
  }

  std::string root_;
  ReadLimits limits_;
  SourceInfo info_;
  std::vector<FileEntry> files_;
  std::vector<Skip> skips_;
  git_repository* git_ = nullptr;
  bool use_ignore_ = false;
  bool truncated_ = false;
  bool list_files_ = true;
};

}  // namespace

std::unique_ptr<RepoSource> open_worktree_source(const std::string& root, const ReadLimits& limits,
                                                 std::string& error) {
  auto src = std::make_unique<WorktreeSource>(root, limits);
  if (!src->open(error)) return nullptr;
  return src;
}

}  // namespace mlm
