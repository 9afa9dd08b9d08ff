// The local copy of a remote batch entry: a bare clone in --clone-dir, blob-filtered where the
// server allows (--filter=blob:none; a server that refuses the filter gets a full clone, as git
// itself falls back), reused and fetched on later runs. The blobs of the revision to scan are
// fetched explicitly, since the scanner (libgit2) cannot fetch missing objects lazily.
// Runs inside the entry's worker process, so a hung or failing clone is that entry's record.
#pragma once
#include <string>

namespace mlm::batch {

// --clone-dir and --clone-timeout, for every remote entry of a batch.
struct CloneSettings {
  std::string dir;
  double timeout_seconds = 300;
};

struct CloneRequest {
  std::string url;        // as listed, credentials included (used for git only)
  std::string rev;        // the revision to scan ("" = the remote's HEAD)
  std::string clone_dir;  // --clone-dir
  double timeout_seconds = 300;  // --clone-timeout: the clone or fetch, and the blob fetch
};

// Brings the clone up to date; on success `git_dir` is the bare repository to scan. On failure
// `error` says why, without credentials.
bool ensure_clone(const CloneRequest& request, std::string& git_dir, std::string& error);

}  // namespace mlm::batch
