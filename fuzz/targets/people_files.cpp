// Who the people are: the first byte picks a `.mailmap` (parsed by libgit2 as Identities does,
// then every address it names resolved, normalised with the shipped noreply aliases and merged
// into people) or a CODEOWNERS file (owners counted by the file_signatures detector).
#include <git2.h>

#include <vector>

#include "analyzer/history/identity.h"
#include "analyzer/history/identity_merge.h"
#include "fuzz/support/fuzz_input.h"
#include "fuzz/support/fuzz_target.h"
#include "support/memory_source.h"

namespace {

// Each "<address>" in the text with the words before it, at most 200.
std::vector<std::pair<std::string, std::string>> identities_in(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t line_start = 0;
  for (size_t open = text.find('<'); open != std::string::npos && out.size() < 200; open = text.find('<', open + 1)) {
    const size_t close = text.find('>', open);
    if (close == std::string::npos) break;
    const size_t nl = text.rfind('\n', open);
    line_start = nl == std::string::npos ? 0 : nl + 1;
    out.emplace_back(text.substr(line_start, open - line_start), text.substr(open + 1, close - open - 1));
  }
  return out;
}

void read_mailmap(const std::string& text) {
  static const int init = git_libgit2_init();
  (void)init;
  static const mlm::HistoryPatterns patterns = mlm::compile_history_patterns(mlm::test::shipped_knowledge());
  git_mailmap* mm = nullptr;
  if (git_mailmap_from_buffer(&mm, text.c_str(), text.size()) != 0) return;
  std::vector<mlm::IdentityInput> people;
  int commits = 1;
  for (const auto& [name, email] : identities_in(text)) {
    const char* real_name = nullptr;
    const char* real_email = nullptr;
    mlm::IdentityInput id;
    if (git_mailmap_resolve(&real_name, &real_email, mm, name.c_str(), email.c_str()) == 0) {
      id.name = real_name ? real_name : "";
      id.email = mlm::normalise_email(real_email ? real_email : "", patterns.aliases);
    }
    std::string login;
    if (mlm::alias_login(id.email, patterns.aliases, login)) id.login = login;
    id.id = id.login.empty() ? id.email : id.login;
    id.commits = commits++;
    people.push_back(id);
  }
  git_mailmap_free(mm);
  (void)mlm::merge_identities(people, mlm::IdentityMergeRules{});
}

}  // namespace

MLM_FUZZ_TARGET(people_files) {
  const auto in = mlm::fuzz::select_variant(data, size);
  if (in.variant & 1) {
    (void)mlm::test::run_detector("file_signatures", {{".github/CODEOWNERS", in.text}});
  } else {
    read_mailmap(in.text);
  }
}
