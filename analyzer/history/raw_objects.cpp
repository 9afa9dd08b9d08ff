#include "analyzer/history/raw_objects.h"

#include <git2/sys/odb_backend.h>

#include <cstring>

namespace mlm {

RawObject::~RawObject() {
  if (data_) git_odb_backend_data_free(owner_, data_);
}

ObjectReader::ObjectReader(git_odb* odb) {
  const size_t n = odb ? git_odb_num_backends(odb) : 0;
  for (size_t i = 0; i < n; ++i) {
    git_odb_backend* b = nullptr;
    if (git_odb_get_backend(&b, odb, i) == 0 && b) backends_.push_back(b);
  }
}

ObjectReader::Status ObjectReader::read(const git_oid& id, RawPtr& out, std::string& error) {
  ++reads_;
  for (git_odb_backend* b : backends_) {
    if (!b->read) continue;
    void* data = nullptr;
    size_t len = 0;
    git_object_t type = GIT_OBJECT_INVALID;
    const int rc = b->read(&data, &len, &type, b, &id);
    if (rc == GIT_ENOTFOUND || rc == GIT_PASSTHROUGH) continue;
    if (rc < 0) {
      const git_error* e = git_error_last();
      error = e && e->message ? e->message : "cannot read object";
      return Status::error;
    }
    auto obj = std::make_shared<RawObject>();
    obj->owner_ = b;
    obj->data_ = data;
    obj->size_ = len;
    obj->type_ = type;
    out = std::move(obj);
    return Status::ok;
  }
  if (git_oid_equal(&id, &empty_tree_id())) {
    auto obj = std::make_shared<RawObject>();
    obj->type_ = GIT_OBJECT_TREE;  // no bytes: a tree without entries
    out = std::move(obj);
    return Status::ok;
  }
  return Status::missing;
}

bool ObjectReader::exists(const git_oid& id) {
  for (git_odb_backend* b : backends_) {
    if (b->exists && b->exists(b, &id) == 1) return true;
  }
  return git_oid_equal(&id, &empty_tree_id()) != 0;
}

const git_oid& empty_tree_id() {
  static const git_oid id = [] {
    git_oid o;
    parse_hex_oid("4b825dc642cb6eb9a060e54bf8d69288fbee4904", o);
    return o;
  }();
  return id;
}

namespace {

// Hex digit values, -1 for anything else (a table: ids are parsed twice per commit). Built at
// compile time, so it is ready whatever the order of static initialisation.
struct HexTable {
  signed char v[256];
  constexpr HexTable() : v() {
    for (int i = 0; i < 256; ++i) v[i] = -1;
    for (int i = 0; i < 10; ++i) v['0' + i] = static_cast<signed char>(i);
    for (int i = 0; i < 6; ++i) v['a' + i] = v['A' + i] = static_cast<signed char>(10 + i);
  }
};
constexpr HexTable kHex;

// libgit2's git__isspace and git__isspace_nonlf (times, summaries).
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == '\v'; }
bool is_space_nonlf(char c) { return c == ' ' || c == '\t' || c == '\f' || c == '\r' || c == '\v'; }

// libgit2's "crud" around a name or e-mail (git's own ident code trims the same characters).
bool is_crud(unsigned char c) {
  return c <= 32 || c == '.' || c == ',' || c == ':' || c == ';' || c == '<' || c == '>' || c == '"' || c == '\\' ||
         c == '\'';
}

std::string_view trimmed(const char* p, size_t n) {
  while (n && is_crud(static_cast<unsigned char>(p[0]))) ++p, --n;
  while (n && is_crud(static_cast<unsigned char>(p[n - 1]))) --n;
  return {p, n};
}

// Last occurrence of c in [p, p+n).
const char* find_last(const char* p, size_t n, char c) {
  while (n-- > 0) {
    if (p[n] == c) return p + n;
  }
  return nullptr;
}

// Decimal seconds as libgit2 reads them (leading spaces, a sign); 0 when there are no digits or
// the number overflows.
int64_t parse_time(const char* p, const char* end) {
  while (p < end && is_space(*p)) ++p;
  bool neg = false;
  if (p < end && (*p == '-' || *p == '+')) neg = *p++ == '-';
  int64_t v = 0;
  bool digits = false;
  for (; p < end && *p >= '0' && *p <= '9'; ++p) {
    const int d = *p - '0';
    if (v > (INT64_MAX - d) / 10) return 0;
    v = v * 10 + d;
    digits = true;
  }
  return digits ? (neg ? -v : v) : 0;
}

// "Name <email> time zone" (the header word already removed), as git_signature__parse reads it:
// the e-mail is between the last '<' and the last '>'.
SignatureView parse_signature(const char* p, const char* end) {
  SignatureView s;
  const size_t n = static_cast<size_t>(end - p);
  const char* lt = find_last(p, n, '<');
  const char* gt = find_last(p, n, '>');
  if (!lt || !gt || gt <= lt) return s;
  s.name = trimmed(p, static_cast<size_t>(lt - p));
  s.email = trimmed(lt + 1, static_cast<size_t>(gt - lt - 1));
  if (gt + 2 < end) s.time = parse_time(gt + 2, end);
  return s;
}

bool has_prefix(const char* p, const char* end, const char* prefix, size_t len) {
  return static_cast<size_t>(end - p) >= len && std::memcmp(p, prefix, len) == 0;
}

// "<word> <40 hex>\n" at p; advances p past it.
bool parse_oid_line(const char*& p, const char* end, const char* word, size_t word_len, git_oid& out) {
  if (static_cast<size_t>(end - p) < word_len + GIT_OID_HEXSZ + 1) return false;
  if (std::memcmp(p, word, word_len) != 0 || p[word_len + GIT_OID_HEXSZ] != '\n') return false;
  if (!parse_hex_oid(p + word_len, out)) return false;
  p += word_len + GIT_OID_HEXSZ + 1;
  return true;
}

}  // namespace

bool parse_hex_oid(const char* hex, git_oid& out) {
  int bad = 0;
  for (int i = 0; i < GIT_OID_RAWSZ; ++i) {
    const int hi = kHex.v[static_cast<unsigned char>(hex[2 * i])], lo = kHex.v[static_cast<unsigned char>(hex[2 * i + 1])];
    bad |= hi | lo;  // negative when either is not a hex digit
    out.id[i] = static_cast<unsigned char>(static_cast<unsigned>(hi) << 4 | static_cast<unsigned>(lo));
  }
  return bad >= 0;
}

bool commit_tree(const char* data, size_t size, git_oid& tree) {
  const char* p = data;
  return parse_oid_line(p, data + size, "tree ", 5, tree);
}

bool parse_commit(const char* data, size_t size, CommitView& out, std::string& why) {
  out = CommitView{};
  const char* p = data;
  const char* const end = data + size;
  if (!parse_oid_line(p, end, "tree ", 5, out.tree)) {
    why = "corrupt commit: it does not start with a tree line";
    return false;
  }
  git_oid parent;
  while (parse_oid_line(p, end, "parent ", 7, parent)) {
    if (out.parents.size() >= 100000) {  // an octopus this wide is hostile
      why = "corrupt commit: too many parents";
      return false;
    }
    out.parents.push_back(parent);
  }
  // The other headers, up to the first empty line (continuation lines of a signature start with
  // a space, so they are never empty).
  bool author = false, committer = false;
  while (p < end && *p != '\n') {
    const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
    const char* eol = nl ? nl : end;
    if (!author && has_prefix(p, eol, "author ", 7)) {
      out.author = parse_signature(p + 7, eol);
      author = true;
    } else if (!committer && has_prefix(p, eol, "committer ", 10)) {
      out.committer = parse_signature(p + 10, eol);
      committer = true;
    }
    p = nl ? nl + 1 : end;
  }
  if (p < end) ++p;  // the empty line
  // The message is C text for libgit2 (and for us): it stops at a NUL.
  const char* msg_end = static_cast<const char*>(std::memchr(p, '\0', static_cast<size_t>(end - p)));
  if (!msg_end) msg_end = end;
  while (p < msg_end && *p == '\n') ++p;
  out.message = std::string_view(p, static_cast<size_t>(msg_end - p));
  return true;
}

std::string commit_summary(std::string_view msg, size_t max) {
  // git_commit_summary(), over a bounded view (a character past the end reads as NUL).
  std::string out;
  const size_t n = msg.size();
  auto at = [&](size_t i) { return i < n ? msg[i] : '\0'; };
  size_t space = std::string_view::npos;
  bool space_has_newline = false;
  for (size_t i = 0; i < n && out.size() < max; ++i) {
    const char c = msg[i];
    if (c == '\n') {
      if (at(i + 1) == '\0' || at(i + 1) == '\n') break;
      size_t next = i + 1;
      while (next < n && is_space_nonlf(msg[next])) ++next;
      if (at(next) == '\0' || at(next) == '\n') break;
    }
    if (is_space(c)) {
      if (space == std::string_view::npos) {
        space = i;
        space_has_newline = false;
      }
      space_has_newline |= c == '\n';
    } else {
      if (space != std::string_view::npos) {
        if (space_has_newline) out += ' ';
        else out.append(msg.data() + space, i - space);
        space = std::string_view::npos;
      }
      out += c;
    }
  }
  if (out.size() > max) out.resize(max);
  return out;
}

bool TreeCursor::next(TreeEntryView& out) {
  if (corrupt_ || p_ >= end_) return false;
  // "<octal mode> <name>\0<20-byte id>", as git's decode_tree_entry reads it.
  const char* p = p_;
  uint32_t mode = 0;
  int digits = 0;
  while (p < end_ && *p != ' ') {
    if (*p < '0' || *p > '7' || ++digits > 7) {
      corrupt_ = true;
      return false;
    }
    mode = mode << 3 | static_cast<uint32_t>(*p - '0');
    ++p;
  }
  if (p >= end_ || digits == 0) {
    corrupt_ = true;
    return false;
  }
  ++p;  // the space
  const char* nul = static_cast<const char*>(std::memchr(p, '\0', static_cast<size_t>(end_ - p)));
  if (!nul || nul == p || static_cast<size_t>(end_ - nul - 1) < GIT_OID_RAWSZ) {
    corrupt_ = true;
    return false;
  }
  out.name = std::string_view(p, static_cast<size_t>(nul - p));
  out.id = reinterpret_cast<const unsigned char*>(nul + 1);
  // git's canon_mode(): a regular file keeps only "executable or not" (0755/0644 from the
  // owner's x bit), and anything that is neither file, symlink nor folder is a submodule.
  switch (mode & 0170000) {
    case 0100000: out.mode = (mode & 0100) ? 0100755 : 0100644; break;
    case 0120000: out.mode = 0120000; break;
    case 0040000: out.mode = 040000; break;
    default: out.mode = 0160000; break;
  }
  p_ = nul + 1 + GIT_OID_RAWSZ;
  return true;
}

int compare_entries(const TreeEntryView& a, const TreeEntryView& b) {
  const size_t len = a.name.size() < b.name.size() ? a.name.size() : b.name.size();
  const int c = len ? std::memcmp(a.name.data(), b.name.data(), len) : 0;
  if (c) return c;
  // After the common part: the next character, or '/' for a folder's end, or nothing (0).
  const unsigned char ca = a.name.size() > len ? static_cast<unsigned char>(a.name[len]) : a.is_tree() ? '/' : 0;
  const unsigned char cb = b.name.size() > len ? static_cast<unsigned char>(b.name[len]) : b.is_tree() ? '/' : 0;
  return ca < cb ? -1 : ca > cb ? 1 : 0;
}

}  // namespace mlm
