#include "analyzer/repo/git_hardening.h"

#include <git2.h>
#include <git2/sys/odb_backend.h>
#include <git2/sys/repository.h>
#include <sys/stat.h>

#include <filesystem>
#include <mutex>
#include <system_error>

#include "analyzer/repo/git_dir_check.h"
#include "analyzer/repo/loose_objects.h"

namespace fs = std::filesystem;

namespace mlm {

void init_git_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    git_libgit2_init();
    // Never read /etc/gitconfig, ~/.gitconfig or XDG config: a scan must not depend on the
    // user's set-up, and a hostile global config must not redirect us.
    for (int level : {GIT_CONFIG_LEVEL_SYSTEM, GIT_CONFIG_LEVEL_XDG, GIT_CONFIG_LEVEL_GLOBAL,
                      GIT_CONFIG_LEVEL_PROGRAMDATA}) {
      git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, level, "");
    }
    // We only read; repositories owned by another user (CI caches, mounted volumes) are fine.
    git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
    // 64 MiB keeps history walks fast without the 256 MiB default's footprint.
    git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, static_cast<ssize_t>(64) << 20);
    // Re-hashing every object on read (libgit2's default; git itself does not) costs a third of
    // a history walk. We only read: an object whose bytes do not match its id is a damaged
    // repository, and scanning it is no less safe.
    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
  });
}

GitInitAhead::GitInitAhead() {
  if (std::thread::hardware_concurrency() < 2) return;  // nothing to overlap with
  try {
    thread_ = std::thread(init_git_once);
  } catch (const std::system_error&) {
    // no thread to be had: the first repository opened initialises libgit2
  }
}

GitInitAhead::~GitInitAhead() {
  if (thread_.joinable()) thread_.join();
}

std::string git_error_text() {
  const git_error* e = git_error_last();
  return e && e->message ? e->message : "unknown libgit2 error";
}

std::string head_commit_id(git_repository* repo) {
  git_oid oid;
  if (!repo || git_reference_name_to_id(&oid, repo, "HEAD") != 0) return "";
  char hex[GIT_OID_HEXSZ + 1];
  git_oid_tostr(hex, sizeof hex, &oid);
  return hex;
}

namespace {

// The higher priority is asked first: packs before loose objects, as in libgit2's own default
// (asking the loose backend first costs a failed access() for every object read from a pack).
// Loose objects are read by our bounded backend: libgit2 1.5's own hangs on a truncated one.
bool replace_odb_without_alternates(git_repository* repo, std::string& error) {
  const std::string objects = std::string(git_repository_path(repo)) + "objects";
  for (const char* sub : {"", "/pack"}) {
    // A symlinked objects folder would read another repository's objects, like alternates.
    struct stat st;
    if (lstat((objects + sub).c_str(), &st) == 0 && S_ISLNK(st.st_mode)) {
      error = objects + sub + " is a symlink; refusing to read objects through it";
      return false;
    }
  }
  // The files in objects/pack (which libgit2's pack backend opens, following symlinks) were
  // checked by check_git_dir before the repository was opened.
  git_odb* odb = nullptr;
  git_odb_backend* packed = nullptr;
  git_odb_backend* loose = nullptr;
  if (git_odb_new(&odb) != 0 || git_odb_backend_pack(&packed, objects.c_str()) != 0 ||
      git_odb_add_backend(odb, packed, 2) != 0 || new_bounded_loose_backend(&loose, objects) != 0 ||
      git_odb_add_backend(odb, loose, 1) != 0) {
    error = "cannot open object database " + objects + ": " + git_error_text();
    git_odb_free(odb);
    return false;
  }
  git_repository_set_odb(repo, odb);
  git_odb_free(odb);  // the repository holds its own reference
  return true;
}

}  // namespace

bool open_hardened(const std::string& path, HardenedRepo& out, std::string& error, bool check_workdir) {
  init_git_once();
  std::error_code ec;
  const fs::path dotgit = fs::path(path) / ".git";
  const auto st = fs::symlink_status(dotgit, ec);
  if (!ec && fs::exists(st) && st.type() != fs::file_type::directory) {
    // A gitlink file or a symlink would send us to another repository on this machine.
    out.notes.push_back({".git", "git-redirect-refused",
                         "a .git that is not a folder points to another repository; history not read"});
    error = "the .git in " + path + " is not a folder (gitlink or symlink); refusing to follow it";
    return false;
  }
  // What libgit2 reads while opening and afterwards is checked first (it follows symlinks and
  // blocks on FIFOs): the `.git` folder, or PATH itself for a bare repository.
  const bool has_dotgit = !ec && fs::is_directory(st);
  const std::string git_dir = has_dotgit ? dotgit.string() : path;
  if (!check_git_dir(git_dir, out.notes, error)) return false;
  git_repository* repo = nullptr;
  if (git_repository_open_ext(&repo, path.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr) != 0) {
    error = "cannot open git repository at " + path + ": " + git_error_text();
    return false;
  }
  // libgit2 must have opened the folder that was checked, not another one it found.
  std::error_code ec3;
  if (!fs::equivalent(fs::path(git_repository_path(repo)), fs::path(git_dir), ec3)) {
    error = "cannot open git repository at " + path + ": it resolves to " + git_repository_path(repo) +
            ", which was not checked";
    git_repository_free(repo);
    return false;
  }
  if (check_workdir && !git_repository_is_bare(repo)) {
    const char* wd = git_repository_workdir(repo);
    const fs::path want = fs::weakly_canonical(fs::path(path), ec);
    const fs::path got = wd ? fs::weakly_canonical(fs::path(wd), ec) : fs::path();
    if (want.lexically_normal() != got.lexically_normal() &&
        want.lexically_normal() / "" != got.lexically_normal()) {
      out.workdir_redirected = true;
      out.notes.push_back({".git/config", "git-redirect-refused",
                           "core.worktree points outside the scanned folder; ignored"});
    }
  }
  // Drop the repository's own config: include.path, core.excludesFile, core.attributesFile and
  // the like could make us read files outside the repository.
  git_config* empty = nullptr;
  if (git_config_new(&empty) == 0) {
    git_repository_set_config(repo, empty);
    git_config_free(empty);
  }
  std::error_code ec2;
  if (fs::exists(fs::path(git_repository_path(repo)) / "objects/info/alternates", ec2)) {
    out.notes.push_back({"objects/info/alternates", "git-redirect-refused",
                         "object alternates point to other repositories; not followed"});
  }
  if (!replace_odb_without_alternates(repo, error)) {
    git_repository_free(repo);
    return false;
  }
  out.repo = repo;
  return true;
}

}  // namespace mlm
