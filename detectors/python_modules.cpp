#include "detectors/python_modules.h"

#include "analyzer/repo/path_filter.h"

#include <algorithm>

namespace mlm::pymod {

namespace {
std::string base_name(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}
bool valid_dotted(const std::string& d) {
  if (d.empty() || d.front() == '.' || d.back() == '.') return false;
  for (char c : d)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.')) return false;
  return d.find("..") == std::string::npos;
}
}  // namespace

std::string dir_of(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? "" : path.substr(0, slash);
}

namespace {
// Already in the form join_path() produces: no leading, trailing or doubled '/', no "." or ".."
// part. Module lookups join such paths millions of times on large repositories, and for them
// joining is a plain concatenation.
bool normalised(const std::string& s) {
  if (s.empty()) return true;
  if (s.front() == '/' || s.back() == '/') return false;
  size_t start = 0;
  while (true) {
    const size_t slash = s.find('/', start);
    const size_t len = (slash == std::string::npos ? s.size() : slash) - start;
    if (len == 0) return false;
    if (s[start] == '.' && (len == 1 || (len == 2 && s[start + 1] == '.'))) return false;
    if (slash == std::string::npos) return true;
    start = slash + 1;
  }
}
}  // namespace

std::string join_path(const std::string& dir, const std::string& rel) {
  if (normalised(dir) && normalised(rel)) {
    if (dir.empty()) return rel;
    if (rel.empty()) return dir;
    std::string out;
    out.reserve(dir.size() + 1 + rel.size());
    out.append(dir).append(1, '/').append(rel);
    return out;
  }
  // The general case: resolve "." and ".." across both parts ("" when it climbs out).
  return normalise_path(dir.empty() ? rel : dir + "/" + rel);
}

ModuleIndex::ModuleIndex(const std::vector<FileEntry>& files) {
  std::set<std::string> roots{""};
  for (const auto& f : files) {
    if (f.kind != EntryKind::regular) continue;
    files_.insert(f.path);
    for (std::string d = dir_of(f.path); !d.empty() && dirs_.insert(d).second; d = dir_of(d)) {
    }
    const std::string name = base_name(f.path);
    if (name == "__init__.py") packages_.insert(dir_of(f.path));
    if (name == "pyproject.toml" || name == "setup.py" || name == "setup.cfg") roots.insert(dir_of(f.path));
    if (ends_with(f.path, ".py")) py_.push_back(f.path);
    by_name_[name].push_back(f.path);
  }
  for (const auto& d : dirs_)
    if (base_name(d) == "src") roots.insert(d);
  for (const auto& p : packages_) {
    const std::string parent = dir_of(p);
    if (!packages_.count(parent)) roots.insert(parent);
  }
  source_roots_.assign(roots.begin(), roots.end());
  // For each name, the source roots that hold a folder or a .py module of that name: an import
  // can only land under a root that has its first part, and most imports (standard library,
  // third-party packages) name something no root holds. Without this index, every import on a
  // repository with a hundred source roots costs a hundred lookups.
  std::unordered_map<std::string, size_t> root_index;
  for (size_t i = 0; i < source_roots_.size(); ++i) root_index.emplace(source_roots_[i], i);
  for (const auto& f : files) {
    if (f.kind != EntryKind::regular) continue;
    const std::string& p = f.path;
    for (size_t start = 0; start < p.size();) {
      const size_t slash = p.find('/', start);
      auto r = root_index.find(start == 0 ? std::string() : p.substr(0, start - 1));
      if (r != root_index.end()) {
        if (slash != std::string::npos) {
          root_children_[p.substr(start, slash - start)].push_back(r->second);
        } else if (ends_with(p, ".py")) {
          root_children_[p.substr(start, p.size() - 3 - start)].push_back(r->second);
        }
      }
      if (slash == std::string::npos) break;
      start = slash + 1;
    }
  }
  for (auto& [name, idx] : root_children_) {
    std::sort(idx.begin(), idx.end());
    idx.erase(std::unique(idx.begin(), idx.end()), idx.end());
  }
}

std::string ModuleIndex::package_root(const std::string& dir) const {
  if (dir.empty() || !packages_.count(dir)) return "";
  std::string top = dir;
  while (!dir_of(top).empty() && packages_.count(dir_of(top))) top = dir_of(top);
  return dir_of(top);
}

bool ModuleIndex::lookup(const std::string& base, const std::string& dotted, std::vector<std::string>& out) const {
  std::string rel = dotted;
  std::replace(rel.begin(), rel.end(), '.', '/');
  const std::string stem = join_path(base, rel);
  if (stem.empty()) return false;
  std::string hit;
  if (files_.count(stem + ".py")) hit = stem + ".py";
  else if (files_.count(stem + "/__init__.py")) hit = stem + "/__init__.py";
  if (hit.empty()) return false;
  if (std::find(out.begin(), out.end(), hit) == out.end()) out.push_back(hit);
  // Importing a.b.c runs a/__init__.py and a/b/__init__.py first.
  for (std::string d = dir_of(stem); !d.empty() && d != base && d.size() > base.size(); d = dir_of(d)) {
    const std::string init = d + "/__init__.py";
    if (files_.count(init) && std::find(out.begin(), out.end(), init) == out.end()) out.push_back(init);
  }
  return true;
}

std::vector<std::string> ModuleIndex::resolve_module(const std::string& dotted, const std::string& importer,
                                                     const std::vector<std::string>& extra_bases) const {
  std::vector<std::string> out;
  if (!valid_dotted(dotted)) return out;
  const std::string here = dir_of(importer);
  if (lookup(here, dotted, out)) return out;
  const std::string root = package_root(here);
  if (!root.empty() || packages_.count(here)) {
    if (lookup(root, dotted, out)) return out;
  }
  for (const auto& b : extra_bases) lookup(b, dotted, out);
  if (!out.empty()) return out;
  // Roots in source_roots_ order, skipping those that cannot hold the first name part.
  auto it = root_children_.find(dotted.substr(0, dotted.find('.')));
  if (it != root_children_.end())
    for (size_t i : it->second) lookup(source_roots_[i], dotted, out);
  return out;
}

std::vector<std::string> ModuleIndex::resolve_import(const PyImport& imp, const std::string& importer) const {
  std::vector<std::string> out;
  if (!imp.relative) {
    const bool has_name = !imp.name.empty() && imp.name != "*";
    if (has_name) out = resolve_module(imp.module + "." + imp.name, importer);
    if (out.empty()) out = resolve_module(imp.module, importer);
    return out;
  }
  // `from ..pkg.mod import x`: one dot is the importer's package, each further dot one level up.
  size_t dots = 0;
  while (dots < imp.module.size() && imp.module[dots] == '.') ++dots;
  std::string base = dir_of(importer);
  for (size_t i = 1; i < dots; ++i) {
    if (base.empty()) return out;
    base = dir_of(base);
  }
  const std::string rest = imp.module.substr(dots);
  if (!imp.name.empty() && imp.name != "*" && lookup(base, rest.empty() ? imp.name : rest + "." + imp.name, out))
    return out;
  if (!rest.empty()) lookup(base, rest, out);
  else if (files_.count(join_path(base, "__init__.py"))) out.push_back(join_path(base, "__init__.py"));
  return out;
}

std::string ModuleIndex::resolve_path(const std::string& ref, const std::vector<std::string>& bases) const {
  if (ref.empty()) return "";
  if (ref.front() != '/') {
    for (const auto& b : bases) {
      const std::string p = join_path(b, ref);
      if (!p.empty() && files_.count(p)) return p;
    }
  }
  // A path from inside a container or another checkout (/app/src/train.py), or relative to a
  // folder we cannot know: the unique file with the same name whose path ends with the longest
  // tail of the reference.
  auto it = by_name_.find(base_name(ref));
  if (it == by_name_.end()) return "";
  std::string tail = ref;
  while (true) {
    std::string found;
    int n = 0;
    for (const auto& f : it->second) {
      if (f == tail || (f.size() > tail.size() && ends_with(f, ("/" + tail).c_str()))) {
        found = f;
        ++n;
      }
    }
    if (n == 1) return found;
    if (n > 1) return "";  // ambiguous: a longer tail already failed to single one out
    const size_t slash = tail.find('/');
    if (slash == std::string::npos) return "";
    tail = tail.substr(slash + 1);
  }
}

}  // namespace mlm::pymod
