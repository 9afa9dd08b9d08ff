// Glob matching (analyzer/core/glob) against its reference semantics: a glob stands for the
// regex `reference_regex` builds below ("**/" = (?:.*/)?, other "**" = .*, "*" = [^/]*, "?" =
// [^/], braces alternate), matched in full against the file name (globs without '/') or the whole
// path. The matcher compiles no regex; these tests hold it to the regex on chosen edges and on
// many generated globs and paths.
#include <catch2/catch.hpp>
#include <re2/re2.h>

#include <algorithm>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "analyzer/core/glob.h"

using namespace mlm;

namespace {

// The reference: how rules/ globs have always been read (and once compiled).
std::string reference_regex(std::string g) {
  if (g.rfind("./", 0) == 0) g = g.substr(2);
  if (!g.empty() && g.front() == '/') g = g.substr(1);
  std::string re = "^";
  int braces = 0;
  for (size_t i = 0; i < g.size(); ++i) {
    const char c = g[i];
    if (c == '*') {
      if (i + 1 < g.size() && g[i + 1] == '*') {
        if (i + 2 < g.size() && g[i + 2] == '/') {
          re += "(?:.*/)?";
          i += 2;
        } else {
          re += ".*";
          i += 1;
        }
      } else {
        re += "[^/]*";
      }
    } else if (c == '?') {
      re += "[^/]";
    } else if (c == '{') {
      re += "(?:";
      ++braces;
    } else if (c == '}' && braces > 0) {
      re += ")";
      --braces;
    } else if (c == ',' && braces > 0) {
      re += "|";
    } else {
      re += RE2::QuoteMeta(std::string(1, c));
    }
  }
  return re + "$";
}

bool reference_matches(const std::string& glob, const RE2& re, const std::string& path) {
  const bool basename_only = glob.find('/') == std::string::npos;
  const size_t slash = basename_only ? path.rfind('/') : std::string::npos;
  const std::string subject = slash == std::string::npos ? path : path.substr(slash + 1);
  REQUIRE(re.ok());
  return RE2::FullMatch(subject, re);
}

bool reference_matches(const std::string& glob, const std::string& path) {
  const RE2 re(reference_regex(glob), RE2::Quiet);
  return reference_matches(glob, re, path);
}

bool glob_matches(const std::string& glob, const std::string& path) {
  Glob g;
  std::string error;
  REQUIRE(g.compile(glob, error));
  return g.matches(path);
}

bool balanced(const std::string& glob) {
  int depth = 0;
  for (char c : glob) {
    if (c == '{') ++depth;
    if (c == '}' && depth > 0) --depth;
  }
  return depth == 0;
}

}  // namespace

TEST_CASE("glob: file-name globs, folder globs, anchors and literal braces", "[glob]") {
  // glob, path, matches
  const std::vector<std::tuple<std::string, std::string, bool>> cases = {
      {"Dockerfile", "Dockerfile", true},
      {"Dockerfile", "deploy/Dockerfile", true},  // no '/': the file name in any folder
      {"Dockerfile", "Dockerfile.dev", false},
      {"Dockerfile", "xDockerfile", false},
      {"Dockerfile*", "deploy/Dockerfile.gpu", true},
      {"*.dockerfile", "a/b/triton.dockerfile", true},
      {"*.dockerfile", "a/b/dockerfile", false},
      {"*.{py,ipynb}", "nb/train.ipynb", true},
      {"*.{py,ipynb}", "nb/train.ipy", false},
      {".env.*", "conf/.env.prod", true},
      {".env.*", "conf/.env", false},
      {".github/workflows/*.yml", ".github/workflows/ci.yml", true},
      {".github/workflows/*.yml", ".github/workflows/sub/ci.yml", false},
      {".github/workflows/*.yml", "x/.github/workflows/ci.yml", false},
      {"**/node_modules/**", "node_modules/a.js", true},
      {"**/node_modules/**", "web/node_modules/a/b.js", true},
      {"**/node_modules/**", "web/node_modulesx/a.js", false},
      {"./Makefile", "Makefile", true},
      {"/setup.py", "setup.py", true},
      {"/setup.py", "pkg/setup.py", false},
      {"src/**", "src", false},
      {"src/**", "src/a/b.py", true},
      {"model?.pkl", "m/model1.pkl", true},
      {"model?.pkl", "m/model12.pkl", false},
      {"a}b", "a}b", true},  // a '}' outside braces is literal
      {"a,b", "x/a,b", true},
      // Decided by the fixed ends alone: one '*' in a file-name glob, and a trailing "**" after
      // fixed text.
      {"*.py", "py", false},
      {"*.py", ".py", true},
      {"*.py", "a/b.py/c", false},
      {"req*.txt", "requirements.txt", true},
      {"req*.txt", "req.txt", true},
      {"req*.txt", "rex.txt", false},
      {"docs**", "docs/a/b.md", false},  // no '/': the file name only
      {"docs**", "x/docs.md", true},
      {"docs/**", "docs/", true},
      {"docs/**", "doc/a", false},
      {"a*b*c", "x/aXbYc", true},  // two '*': the NFA decides
      {"a*b*c", "x/aXc", false},
  };
  for (const auto& [glob, path, expected] : cases) {
    INFO(glob << " vs " << path << " (reference regex " << reference_regex(glob) << ")");
    CHECK(reference_matches(glob, path) == expected);
    CHECK(glob_matches(glob, path) == expected);
  }
}

TEST_CASE("glob: stars, folder stars, braces and anchors on their edges", "[glob]") {
  // glob, path, matches
  const std::vector<std::tuple<std::string, std::string, bool>> cases = {
      {"**/tests/**/*.py", "tests/test_a.py", true},
      {"**/tests/**/*.py", "pkg/tests/unit/test_a.py", true},
      {"**/tests/**/*.py", "pkg/tests.py", false},
      {"**/tests/**/*.py", "tests/a/b", false},
      {"**/dags/**/*.py", "airflow/dags/x.py", true},
      {"**/dags/**/*.py", "airflow/dagsx/x.py", false},
      {"**/test_*.py", "test_a.py", true},
      {"**/test_*.py", "a/b/test_a.py", true},
      {"**/test_*.py", "a/b/test_a/x.py", false},
      {"*.{bicep,tf,json}", "infra/main.tf", true},
      {"*.{bicep,tf,json}", "infra/main.tfvars", false},
      {"{**,x}/a", "x/a", true},     // "**" before ',' is any text, not "zero or more folders"
      {"{**,x}/a", "a", false},      // ... so the '/' stays required
      {"{**/,x}a", "a", true},       // "**/" inside braces may be empty
      {"{a,{b,c}d}.py", "cd.py", true},
      {"{a,{b,c}d}.py", "c.py", false},
      {"{,x}y", "y", true},
      {"src/**/model*.{pkl,pt}", "src/model.pt", true},
      {"src/**/model*.{pkl,pt}", "src/a/b/model_v2.pkl", true},
      {"src/**/model*.{pkl,pt}", "src/a/b/model/v2.pkl", false},
      {"a**b", "a/x/b", false},      // no '/' in the glob: the file name only
      {"x/a**b", "x/a/y/b", true},   // "**" not before '/' crosses folders
      {"***", "a/b", true},
      {"?", "a/b", true},
      {"?/?", "a/b", true},
      {"?/?", "/b", false},
      {"/", "", true},
      {"*", "", true},
  };
  for (const auto& [glob, path, expected] : cases) {
    INFO(glob << " vs " << path << " (reference regex " << reference_regex(glob) << ")");
    CHECK(reference_matches(glob, path) == expected);  // the case itself is right
    CHECK(glob_matches(glob, path) == expected);
  }
}

TEST_CASE("glob: generated globs and paths match exactly as the reference regex", "[glob]") {
  // Short pieces over a two-letter alphabet make every kind of overlap likely: stars next to
  // folder stars, braces holding separators and wildcards, paths with empty components.
  const std::vector<std::string> glob_pieces = {"a", "b", ".", "/", "*", "**", "**/", "?", "{", "}", ",", "./"};
  const std::vector<std::string> path_pieces = {"a", "b", ".", "/", "ab", "a/"};
  std::mt19937 rng(20261205);
  int compared = 0, matched = 0;
  for (int g = 0; g < 3000; ++g) {
    std::string glob;
    const int len = 1 + static_cast<int>(rng() % 7);
    for (int i = 0; i < len; ++i) glob += glob_pieces[rng() % glob_pieces.size()];
    if (!balanced(glob)) glob += std::string(std::count(glob.begin(), glob.end(), '{'), '}');
    Glob compiled;
    std::string error;
    INFO(glob << ": " << error);
    REQUIRE(compiled.compile(glob, error));
    const RE2 reference(reference_regex(glob), RE2::Quiet);
    for (int p = 0; p < 20; ++p) {
      std::string path;
      const int plen = static_cast<int>(rng() % 6);
      for (int i = 0; i < plen; ++i) path += path_pieces[rng() % path_pieces.size()];
      const bool expected = reference_matches(glob, reference, path);
      INFO(glob << " vs '" << path << "' (reference regex " << reference_regex(glob) << ")");
      REQUIRE(compiled.matches(path) == expected);
      ++compared;
      matched += expected ? 1 : 0;
    }
  }
  // The generator must reach both answers often, or the comparison proves little.
  CHECK(compared > 50000);
  CHECK(matched > compared / 20);
  CHECK(matched < compared - compared / 20);
}

TEST_CASE("glob: bounded expansion and matching on hostile input", "[glob]") {
  std::string error;
  Glob g;
  // Braces multiply: 5 groups of 4 alternatives would be 1,024 globs.
  CHECK_FALSE(g.compile("{a,b,c,d}{a,b,c,d}{a,b,c,d}{a,b,c,d}{a,b,c,d}", error));
  CHECK(error.find("more than 256 alternatives") != std::string::npos);
  CHECK(g.compile("{a,b,c,d}{a,b,c,d}{a,b,c,d}{a,b,c,d}", error));  // 256: allowed
  CHECK(g.matches("x/dcba"));
  error.clear();
  CHECK_FALSE(g.compile(std::string(40, '{') + "a" + std::string(40, '}'), error));
  CHECK(error.find("nests braces") != std::string::npos);
  error.clear();
  CHECK_FALSE(g.compile(std::string(300, 'a') + "*", error));
  CHECK(error.find("longer than") != std::string::npos);
  CHECK_FALSE(g.compile("{a,b", error));
  CHECK(error.find("unbalanced '{'") != std::string::npos);

  // A path built to make a backtracking matcher explode: the NFA reads it once.
  Glob stars;
  REQUIRE(stars.compile("x/**a*a*a*a*a*a*a*b", error));
  std::string path = "x/";
  for (int i = 0; i < 20000; ++i) path += "a";
  CHECK_FALSE(stars.matches(path));
  CHECK(stars.matches(path + "b"));
}
