// What a batch scans: the entries of a list file (one local path or git URL per line, optionally
// PATH@REV / URL@REV) or the child folders of a directory. Parsing is pure text work: nothing
// here touches the repositories themselves, which are only ever cloned or opened inside a
// worker process.
#pragma once
#include <string>
#include <vector>

namespace mlm::batch {

struct BatchEntry {
  std::string input;  // as listed, credentials removed (the record's "input"; resume and sharding key on it)
  std::string path;   // the repository path ("" for a remote entry until its worker clones it)
  std::string url;    // a remote entry: the URL as listed, credentials included; never written out
  std::string rev;    // the revision asked for ("" = the working tree, or HEAD of a bare repository)
};

// Splits "PATH@REV" at the last '@' that does not start a reflog-style "@{...}". A path that
// itself contains '@' is written with a trailing '@' (empty REV: the working tree).
void split_path_rev(const std::string& listed, std::string& path, std::string& rev);

struct ListParse {
  std::vector<BatchEntry> entries;
  size_t duplicates = 0;  // entries listed more than once (each is scanned once)
};

// One entry per line (a git URL is a remote entry: remote_url.h); blank lines and lines starting with '#' are ignored, surrounding
// whitespace (and a Windows '\r') is trimmed.
ListParse parse_list_text(const std::string& text);

// The child folders of DIR, sorted by name; hidden names (".git", ".cache") and plain files are
// left out. Symlinks are listed (the worker refuses to follow them and says so in the record).
// Returns false and sets error when DIR cannot be read.
bool list_folder(const std::string& dir, ListParse& out, std::string& error);

// LIST as given on the command line: a folder (its children) or a list file.
bool read_entries(const std::string& list, ListParse& out, std::string& error);

}  // namespace mlm::batch
