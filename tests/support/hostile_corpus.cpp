#include "support/hostile_corpus.h"

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "support/fixture_repo.h"
#include "support/object_writer.h"

namespace fs = std::filesystem;

namespace mlm::test {

namespace {

void put(const std::string& dir, const std::string& rel, const std::string& content) {
  write_file(dir + "/" + rel, content);
}

void fifo(const std::string& path) {
  fs::create_directories(fs::path(path).parent_path());
  fs::remove(path);
  if (mkfifo(path.c_str(), 0644) != 0) throw std::runtime_error("mkfifo " + path);
}

void link(const std::string& target, const std::string& at) {
  fs::create_directories(fs::path(at).parent_path());
  fs::remove(at);
  fs::create_symlink(target, at);
}

// A git repository at `dir` whose one commit holds the canary and `extra`; the working tree gets
// the canary too. Returns the commit.
git_oid committed(const std::string& dir, std::vector<TreeItem> extra = {}) {
  ObjectWriter w(dir);
  extra.push_back({"100644", kCanaryPath, w.blob(kCanaryText)});
  std::sort(extra.begin(), extra.end(), [](const TreeItem& a, const TreeItem& b) {
    return a.name + (a.mode == "40000" ? "/" : "") < b.name + (b.mode == "40000" ? "/" : "");
  });
  const git_oid c = w.commit(w.tree(extra), {}, "hostile");
  w.flush();
  w.set_main(c);
  put(dir, kCanaryPath, kCanaryText);
  return c;
}

// Packed objects become loose (git does not unpack what it already has).
void unpack(const std::string& dir) {
  if (sh("cd '" + dir + "' && mv .git/objects/pack/*.pack ../unpack-$$.pack && rm -f .git/objects/pack/* && " +
         "git unpack-objects -q < ../unpack-$$.pack && rm ../unpack-$$.pack") != 0) {
    throw std::runtime_error("unpack " + dir);
  }
}

std::string loose_path(const std::string& dir, const git_oid& id) {
  const std::string h = ObjectWriter::hex(id);
  return dir + "/.git/objects/" + h.substr(0, 2) + "/" + h.substr(2);
}

std::string billion_laughs(const std::string& head) {
  std::string y = head + "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int i = 1; i <= 9; ++i) {
    y += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int k = 0; k < 9; ++k) y += std::string(k ? ", " : "") + "*a" + std::to_string(i - 1);
    y += "]\n";
  }
  return y;
}

// Every CI and pipeline file kind the detectors parse as YAML, with a line that makes a
// content-sniffing detector take it.
const std::vector<std::pair<std::string, std::string>>& yaml_kinds() {
  static const std::vector<std::pair<std::string, std::string>> kinds = {
      {".gitlab-ci.yml", "stages: [test]\n"},
      {".github/workflows/ci.yml", "on: push\n"},
      {"azure-pipelines.yml", "trigger: [main]\n"},
      {".circleci/config.yml", "version: 2.1\n"},
      {"bitbucket-pipelines.yml", "pipelines: {}\n"},
      {"cloudbuild.yaml", "steps: []\n"},
      {"buildspec.yml", "version: 0.2\n"},
      {".drone.yml", "kind: pipeline\n"},
      {".travis.yml", "language: python\n"},
      {"dvc.yaml", "stages: {}\n"},
      {"k8s/job.yaml", "apiVersion: batch/v1\nkind: Job\n"},
      {"pipelines/argo.yaml", "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\n"},
      {"MLproject", "name: x\n"},
      {".pre-commit-config.yaml", "repos: []\n"},
  };
  return kinds;
}

const std::string kHostileName =
    "evil\n[strong] forged\t\x1b]0;title\x07\x1b[31m\xc2\x9b" "31m<img src=x onerror=alert(1)>`x``\xef\xbf\xbe.py";

std::vector<HostileRepo> build_corpus() {
  std::vector<HostileRepo> c;
  // --- The working tree ---
  c.push_back({"symlink-escapes", "", [](const std::string& d, const Outside& o) {
                 link(o.dir + "/secret.py", d + "/leak.py");
                 link(o.dir, d + "/leakdir");
                 link("../../../../../../../../etc/passwd", d + "/up.py");
                 link(o.dir + "/secret.yaml", d + "/.github/workflows/leak.yml");
               }, true, {{"leak.py", "symlink"}, {"leakdir", "symlink"}, {".github/workflows/leak.yml", "symlink"}}});
  c.push_back({"symlink-loops", "", [](const std::string& d, const Outside&) {
                 link("b", d + "/a");
                 link("a", d + "/b");
                 link(".", d + "/self");
                 link("../loop", d + "/loop/inner");
               }, true, {{"a", "symlink"}, {"self", "symlink"}}});
  c.push_back({"hostile-names", "", [](const std::string& d, const Outside&) {
                 put(d, kHostileName, kCanaryText);
                 put(d, "src/<b>bold</b>&amp;|pipe|.py", kCanaryText);
                 link(kHostileName, d + "/" + kHostileName + ".link");
               }});
  c.push_back({"nul-and-invalid-utf8", "", [](const std::string& d, const Outside&) {
                 put(d, "src/nul.py", std::string("import os\0\0\0x = 1\n", 19));
                 put(d, "src/latin1.py", "# caf\xe9 \xff\xfe\r\nimport mlflow\r\n");
                 put(d, ".github/workflows/bad.yml", "on: push\njobs:\n  t:\n    steps:\n      - run: \"\xff\xfe\x00\"\n");
                 put(d, "params.yaml", std::string("a: \0\xc3", 6));
               }});
  c.push_back({"one-megabyte-lines", "", [](const std::string& d, const Outside&) {
                 put(d, "src/long.py", "x = '" + std::string(1 << 20, 'a') + "'\n");
                 put(d, ".github/workflows/long.yml", "on: push\nname: " + std::string(1 << 20, 'b') + "\n");
                 put(d, "Makefile", "all:\n\techo " + std::string(1 << 20, 'c') + "\n");
               }});
  c.push_back({"python-nesting", "", [](const std::string& d, const Outside&) {
                 put(d, "src/parens.py", "x = " + std::string(100000, '('));
                 put(d, "src/brackets.py", "x = " + std::string(100000, '[') + std::string(100000, ']'));
                 put(d, "src/lambdas.py", [] {
                   std::string s = "f = ";
                   for (int i = 0; i < 20000; ++i) s += "lambda: ";
                   return s + "0\n";
                 }());
               }});
  c.push_back({"yaml-alias-bombs", "", [](const std::string& d, const Outside&) {
                 for (const auto& [path, head] : yaml_kinds()) put(d, path, billion_laughs(head));
               }, true, {{".gitlab-ci.yml", "yaml-error"}, {".github/workflows/ci.yml", "yaml-error"}}});
  c.push_back({"yaml-deep-nesting", "", [](const std::string& d, const Outside&) {
                 for (const auto& [path, head] : yaml_kinds()) put(d, path, head + "x: " + std::string(100000, '['));
               }, true, {{".gitlab-ci.yml", "yaml-error"}}});
  c.push_back({"yaml-50-megabytes", "", [](const std::string& d, const Outside&) {
                 std::string y = "on: push\njobs:\n";
                 y.reserve(50u << 20);
                 for (int i = 0; y.size() < (50u << 20); ++i) y += "  job" + std::to_string(i) + ": {runs-on: x, steps: [{run: pytest}]}\n";
                 put(d, ".github/workflows/huge.yml", y);
               }, true, {{".github/workflows/huge.yml", "too-large"}}});
  c.push_back({"yaml-documents-share-one-budget", "", [](const std::string& d, const Outside&) {
                 std::string doc = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
                 for (int i = 1; i <= 4; ++i) {
                   doc += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
                   for (int k = 0; k < 10; ++k) doc += std::string(k ? ", " : "") + "*a" + std::to_string(i - 1);
                   doc += "]\n";
                 }
                 std::string y;
                 while (y.size() < (1u << 20)) y += "---\n" + doc;
                 put(d, ".gitlab-ci.yml", y);
               }, true, {{".gitlab-ci.yml", "yaml-error"}}});
  c.push_back({"notebook-huge-cell", "", [](const std::string& d, const Outside&) {
                 put(d, "nb/huge.ipynb", R"({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "source": [")" +
                                             std::string(20u << 20, 'x') + R"("]}]})");
               }});
  c.push_back({"json-deep-and-invalid", "", [](const std::string& d, const Outside&) {
                 put(d, "nb/deep.ipynb", std::string(100000, '[') + std::string(100000, ']'));
                 put(d, "nb/invalid.ipynb", R"({"cells": [{"cell_type": "code", "source": ["import ml)");
                 put(d, "nb/nul.ipynb", std::string("{\"cells\": \0[]}", 14));
                 put(d, "package.json", std::string(100000, '{'));
               }, true, {{"nb/deep.ipynb", "notebook-error"}, {"nb/invalid.ipynb", "notebook-error"}}});
  c.push_back({"twenty-thousand-files", "", [](const std::string& d, const Outside&) {
                 for (int i = 0; i < 20000; ++i) {
                   const std::string dir = d + "/many/" + std::to_string(i % 100);
                   if (i < 100) fs::create_directories(dir);
                   std::ofstream(dir + "/f" + std::to_string(i) + ".txt") << "x";
                 }
               }});
  c.push_back({"makefile-loops", "", [](const std::string& d, const Outside&) {
                 put(d, "Makefile", "include Makefile\ninclude mk/a.mk\na:\n\t$(MAKE) b\nb:\n\t$(MAKE) a\n\tmake -C . a\ntrain: a\n\tpython train.py\n");
                 put(d, "mk/a.mk", "include mk/b.mk\n");
                 put(d, "mk/b.mk", "include mk/a.mk\n");
                 put(d, ".github/workflows/ci.yml", "on: push\njobs:\n  t:\n    runs-on: x\n    steps:\n      - run: make a\n      - run: make train\n");
               }});
  c.push_back({"tox-nox-loops", "", [](const std::string& d, const Outside&) {
                 put(d, "tox.ini", "[tox]\nenvlist = a,b\n[testenv:a]\ncommands = tox -e b\n[testenv:b]\ncommands = tox -e a\n  pytest\n");
                 put(d, "noxfile.py", "import nox\n@nox.session\ndef a(session):\n    session.notify('b')\n    session.run('nox', '-s', 'b')\n"
                                      "@nox.session\ndef b(session):\n    session.notify('a')\n    session.run('nox', '-s', 'a')\n");
                 put(d, ".github/workflows/ci.yml", "on: push\njobs:\n  t:\n    runs-on: x\n    steps:\n      - run: tox -e a\n      - run: nox -s a\n");
               }});
  c.push_back({"gitlab-self-includes", "", [](const std::string& d, const Outside&) {
                 put(d, ".gitlab-ci.yml", "include:\n  - local: .gitlab-ci.yml\n  - local: ci/a.yml\n  - local: '/ci/../../../../etc/passwd'\ntest:\n  script: [pytest]\n");
                 put(d, "ci/a.yml", "include:\n  - local: ci/b.yml\na:\n  script: [make a]\n");
                 put(d, "ci/b.yml", "include:\n  - local: ci/a.yml\n  - local: .gitlab-ci.yml\nb:\n  script: [make b]\n");
               }});
  c.push_back({"special-files", "", [](const std::string& d, const Outside&) {
                 fifo(d + "/pipeline.yaml");
                 fifo(d + "/.github/workflows/fifo.yml");
                 fifo(d + "/src/fifo.py");
                 // A device node (root only, as CI runs): /dev/zero's numbers, an endless file.
                 if (geteuid() == 0) mknod((d + "/src/zero.py").c_str(), S_IFCHR | 0644, makedev(1, 5));
               }, true, {{"pipeline.yaml", "special-file"}, {"src/fifo.py", "special-file"}}});
  // --- A working tree whose .git is hostile ---
  c.push_back({"gitignore-fifos", "", [](const std::string& d, const Outside&) {
                 committed(d);
                 fifo(d + "/.gitignore");
                 fifo(d + "/sub/.gitignore");
                 put(d, "sub/a.py", "import os\n");
               }, true, {{".gitignore", "ignore-file-refused"}}});
  c.push_back({"gitignore-symlink", "", [](const std::string& d, const Outside& o) {
                 committed(d);
                 link(o.dir + "/ignore-rules", d + "/.gitignore");  // would ignore train.py
               }, true, {{".gitignore", "ignore-file-refused"}}});
  c.push_back({"info-exclude-symlink", "", [](const std::string& d, const Outside& o) {
                 committed(d);
                 link(o.dir + "/ignore-rules", d + "/.git/info/exclude");
               }, true, {{".git/info/exclude", "ignore-file-refused"}}});
  c.push_back({"info-exclude-fifo", "", [](const std::string& d, const Outside&) {
                 committed(d);
                 fifo(d + "/.git/info/exclude");
               }, true, {{".git/info/exclude", "ignore-file-refused"}}});
  c.push_back({"dotgit-file", "", [](const std::string& d, const Outside& o) {
                 put(d, kCanaryPath, kCanaryText);
                 put(d, ".git", "gitdir: " + o.repo + "/.git\n");
               }, true, {{".git", "git-redirect-refused"}}});
  c.push_back({"dotgit-symlink", "", [](const std::string& d, const Outside& o) {
                 put(d, kCanaryPath, kCanaryText);
                 link(o.repo + "/.git", d + "/.git");
               }, true, {{".git", "git-redirect-refused"}}});
  c.push_back({"hostile-repo-config", "", [](const std::string& d, const Outside& o) {
                 committed(d);
                 put(d, ".git/config", "[core]\n\tbare = false\n\tworktree = " + o.dir + "\n\tfsmonitor = touch " +
                                           o.fsmonitor_mark + "\n\thooksPath = " + o.dir + "/hooks\n\texcludesFile = " +
                                           o.dir + "/ignore-rules\n\tattributesFile = " + o.dir + "/secret.yaml\n");
               }, true, {{".git/config", "git-redirect-refused"}}});
  c.push_back({"config-include-path", "", [](const std::string& d, const Outside& o) {
                 committed(d);
                 put(d, ".git/config", "[core]\n\tbare = false\n[include]\n\tpath = " + o.repo + "/.git/config\n"
                                       "[includeIf \"gitdir:/\"]\n\tpath = " + o.dir + "/secret.yaml\n");
               }, true, {{".git/config", "git-redirect-refused"}}});
  c.push_back({"config-include-fifo", "", [](const std::string& d, const Outside&) {
                 committed(d);
                 fifo(d + "/.git/included");
                 put(d, ".git/config", "[core]\n\tbare = false\n[include]\n\tpath = included\n");
               }, true, {{".git/config", "git-redirect-refused"}}});
  c.push_back({"commondir", "", [](const std::string& d, const Outside& o) {
                 committed(d);
                 put(d, ".git/commondir", o.repo + "/.git\n");
               }, true, {{".git/commondir", "git-redirect-refused"}}});
  c.push_back({"symlinked-ref", "", [](const std::string& d, const Outside& o) {
                 committed(d);
                 link(o.repo + "/.git/refs/heads/main", d + "/.git/refs/heads/main");
               }, true, {{"", "git-redirect-refused"}}});
  c.push_back({"symlinked-head-and-packed-refs", "", [](const std::string& d, const Outside& o) {
                 committed(d);
                 link(o.repo + "/.git/HEAD", d + "/.git/HEAD");
                 link(o.repo + "/.git/packed-refs", d + "/.git/packed-refs");
               }, true, {{"", "git-redirect-refused"}}});
  c.push_back({"git-files-as-fifos", "", [](const std::string& d, const Outside&) {
                 committed(d);
                 fifo(d + "/.git/refs/heads/fifo");
                 fifo(d + "/.git/packed-refs");
               }, true, {{".git", "git-unreadable"}}});
  c.push_back({"head-names-a-missing-ref", "", [](const std::string& d, const Outside&) {
                 committed(d);
                 put(d, ".git/HEAD", "ref: refs/heads/nowhere\n");
               }, true, {{".git/HEAD", "git-head-unresolved"}}});
  c.push_back({"shallow-clone", "", [](const std::string& d, const Outside&) {
                 const std::string src = d + ".src";
                 fs::remove_all(src);
                 {
                   ObjectWriter w(src);
                   const git_oid t = w.tree({{"100644", kCanaryPath, w.blob(kCanaryText)}});
                   git_oid c1 = w.commit(t, {}, "one", 1700000000);
                   git_oid c2 = w.commit(t, {c1}, "two", 1700000100);
                   git_oid c3 = w.commit(t, {c2}, "three", 1700000200);
                   w.flush();
                   w.set_main(c3);
                 }
                 fs::remove_all(d);
                 if (sh("git clone -q --depth 1 -b main file://" + src + " " + d + " 2>/dev/null") != 0) {
                   throw std::runtime_error("shallow clone");
                 }
               }});
  c.push_back({"commit-cycle", "", [](const std::string& d, const Outside&) {
                 // The HEAD commit's parent is stored under a made-up id, naming HEAD as its parent.
                 git_oid fake;
                 git_oid_fromstr(&fake, "2222222222222222222222222222222222222222");
                 std::string head_body;
                 {
                   ObjectWriter w(d);
                   const git_oid t = w.tree({{"100644", kCanaryPath, w.blob(kCanaryText)}});
                   const git_oid head = w.commit(t, {fake}, "child");
                   w.flush();
                   w.set_main(head);
                   w.loose_under(fake, "commit", "tree " + ObjectWriter::hex(t) + "\nparent " + ObjectWriter::hex(head) +
                                                     "\nauthor A <a@x> 1 +0000\ncommitter A <a@x> 1 +0000\n\nloop\n");
                 }
                 put(d, kCanaryPath, kCanaryText);
               }});
  c.push_back({"policy-wrong-types", "", [](const std::string& d, const Outside&) {
                 put(d, ".mlmaturity.yaml", "minimum: [ci, 2]\nexclude: {a: 1}\nrules: 5\nseverity: [x]\n");
               }});
  c.push_back({"policy-rules-escape", "", [](const std::string& d, const Outside& o) {
                 put(d, ".mlmaturity.yaml", "rules: [r]\n");
                 link(o.dir, d + "/r");
               }});
  c.push_back({"policy-rules-dotdot", "", [](const std::string& d, const Outside&) {
                 put(d, ".mlmaturity.yaml", "rules: ['../corpus-outside', 'x/../../y']\n");
               }});
  c.push_back({"policy-alias-bomb", "", [](const std::string& d, const Outside&) {
                 std::string y = "exclude: [&a \"" + std::string(500000, 'x') + "\"";
                 for (int i = 0; i < 120000; ++i) y += ",*a";
                 put(d, ".mlmaturity.yaml", y + "]\n");
               }});
  // --- Revisions read from the object database ---
  c.push_back({"committed-symlinks-and-submodule", "HEAD", [](const std::string& d, const Outside& o) {
                 ObjectWriter w(d);
                 git_oid sub;
                 git_oid_fromstr(&sub, "3333333333333333333333333333333333333333");
                 const git_oid t = w.tree({{"120000", "etc", w.blob("/etc")},
                                           {"160000", "mod", sub},
                                           {"120000", "secret.py", w.blob(o.dir + "/secret.py")},
                                           {"100644", kCanaryPath, w.blob(kCanaryText)},
                                           {"120000", "up.yml", w.blob("../../../../../etc/passwd")}});
                 const git_oid c = w.commit(t, {}, "links");
                 w.flush();
                 w.set_main(c);
               }, true, {{"etc", "symlink"}, {"secret.py", "symlink"}, {"mod", "submodule"}}});
  c.push_back({"deep-tree", "HEAD", [](const std::string& d, const Outside&) {
                 ObjectWriter w(d);
                 git_oid t = w.tree({{"100644", "deep.py", w.blob("x = 1\n")}});
                 for (int i = 0; i < 3000; ++i) t = w.tree({{"40000", "d", t}});
                 const git_oid c = w.commit(w.tree({{"40000", "d", t}, {"100644", kCanaryPath, w.blob(kCanaryText)}}), {},
                                            "deep", 1700000000, /*loose=*/true);
                 w.flush();
                 w.set_main(c);
               }, true, {{"", "too-deep"}}});
  c.push_back({"tree-bomb", "HEAD", [](const std::string& d, const Outside&) {
                 ObjectWriter w(d);
                 git_oid t = w.tree({});
                 for (int level = 0; level < 9; ++level) {
                   std::vector<TreeItem> items;
                   for (int k = 0; k < 10; ++k) items.push_back({"40000", "d" + std::to_string(k), t});
                   t = w.tree(items);
                 }
                 const git_oid c = w.commit(w.tree({{"40000", "bomb", t}, {"100644", kCanaryPath, w.blob(kCanaryText)}}), {},
                                            "bomb", 1700000000, /*loose=*/true);
                 w.flush();
                 w.set_main(c);
               }, true, {{"", "tree-too-large"}}});
  c.push_back({"self-referencing-tree", "HEAD", [](const std::string& d, const Outside&) {
                 git_oid self;
                 git_oid_fromstr(&self, "1111111111111111111111111111111111111111");
                 ObjectWriter w(d);
                 const git_oid c = w.commit(w.tree({{"40000", "loop", self}, {"100644", kCanaryPath, w.blob(kCanaryText)}}), {},
                                            "self", 1700000000, /*loose=*/true);
                 w.flush();
                 w.set_main(c);
                 w.loose_under(self, "tree", ObjectWriter::tree_bytes({{"40000", "a", self}, {"40000", "b", self}}));
               }, true, {{"loop", ""}}});
  c.push_back({"corrupt-and-zlib-bomb-objects", "HEAD", [](const std::string& d, const Outside&) {
                 git_oid corrupt, bomb, cut;
                 {
                   ObjectWriter w(d);
                   corrupt = w.blob("import os\n# corrupt\n");
                   cut = w.blob("import os\n# truncated\n" + std::string(5000, '#'));
                   bomb = w.blob(std::string(100u << 20, '\0'));  // 100 MiB of zeros: about 100 KiB stored
                   const git_oid c = w.commit(w.tree({{"100644", "bomb.py", bomb},
                                                      {"100644", "corrupt.py", corrupt},
                                                      {"100644", "cut.py", cut},
                                                      {"100644", kCanaryPath, w.blob(kCanaryText)}}),
                                              {}, "objects");
                   w.flush();
                   w.set_main(c);
                 }
                 unpack(d);
                 std::ofstream(loose_path(d, corrupt), std::ios::trunc) << "not zlib at all";
                 const std::string p = loose_path(d, cut);
                 fs::resize_file(p, fs::file_size(p) / 2);
               }, true, {{"bomb.py", "too-large"}}});
  c.push_back({"fifo-loose-object", "HEAD", [](const std::string& d, const Outside&) {
                 git_oid blob;
                 {
                   ObjectWriter w(d);
                   blob = w.blob("import os\n# fifo\n");
                   const git_oid c = w.commit(w.tree({{"100644", "fifo.py", blob}, {"100644", kCanaryPath, w.blob(kCanaryText)}}), {}, "fifo");
                   w.flush();
                   w.set_main(c);
                 }
                 unpack(d);
                 fifo(loose_path(d, blob));
               }});
  c.push_back({"fifo-pack-index", "HEAD", [](const std::string& d, const Outside&) {
                 committed(d);
                 fifo(d + "/.git/objects/pack/pack-1234567890123456789012345678901234567890.idx");
               }, false});
  c.push_back({"truncated-pack", "HEAD", [](const std::string& d, const Outside&) {
                 committed(d);
                 for (const auto& e : fs::directory_iterator(d + "/.git/objects/pack")) {
                   if (e.path().extension() == ".pack") fs::resize_file(e.path(), fs::file_size(e.path()) / 2);
                 }
               }, false});
  c.push_back({"missing-head-ref-revision", "HEAD", [](const std::string& d, const Outside&) {
                 committed(d);
                 put(d, ".git/HEAD", "ref: refs/heads/nowhere\n");
               }, false});
  return c;
}

}  // namespace

const Outside& outside_of_corpus() {
  static const Outside o = [] {
    Outside out;
    out.dir = fresh_tmp_dir("corpus-outside");
    const std::string secret = std::string("import mlflow\nmlflow.register_model('") + kOutsideCanary + "', 'm')\n";
    put(out.dir, "secret.py", secret);
    put(out.dir, "secret.yaml", std::string(kOutsideCanary) + ": [x]\n");
    put(out.dir, "ignore-rules", "train.py\n*.py\n");
    put(out.dir, "hooks/post-checkout", "#!/bin/sh\ntouch " + out.dir + "/hook-ran\n");
    out.fsmonitor_mark = out.dir + "/fsmonitor-ran";
    out.repo = fresh_tmp_dir("corpus-outside-repo");
    ObjectWriter w(out.repo);
    const git_oid c = w.commit(w.tree({{"100644", std::string(kOutsideCanary) + ".py", w.blob(secret)}}), {}, kOutsideCanary);
    w.flush();
    w.set_main(c);
    out.repo_head = ObjectWriter::hex(c);
    if (sh("git -C " + out.repo + " pack-refs --all") != 0) throw std::runtime_error("pack-refs");
    return out;
  }();
  return o;
}

const std::vector<HostileRepo>& hostile_corpus() {
  static const std::vector<HostileRepo> corpus = build_corpus();
  return corpus;
}

}  // namespace mlm::test
