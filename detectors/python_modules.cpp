#include "detectors/python_modules.h"

#include <algorithm>

namespace mlm::pymod {

namespace {
bool ends_with(const std::string& s, const char* suf) {
  const size_t n = std::char_traits<char>::length(suf);
  return s.size() >= n && s.compare(s.size() - n, n, suf) == 0;
}
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

std::string join_path(const std::string& dir, const std::string& rel) {
  std::vector<std::string> parts;
  auto push = [&](const std::string& s) {
    size_t start = 0;
    while (start <= s.size()) {
      size_t slash = s.find('/', start);
      if (slash == std::string::npos) slash = s.size();
      const std::string seg = s.substr(start, slash - start);
      if (seg == "..") {
        if (parts.empty()) return false;
        parts.pop_back();
      } else if (!seg.empty() && seg != ".") {
        parts.push_back(seg);
      }
      start = slash + 1;
    }
    return true;
  };
  if (!push(dir) || !push(rel)) return "";
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
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
  for (const auto& b : source_roots_) lookup(b, dotted, out);
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
