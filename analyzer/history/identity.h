// Who a commit is by: identities normalised the same way everywhere (the people detectors, the
// timeline): `.mailmap` from the scanned revision, lower-cased e-mail, hosting services' noreply
// aliases folded to the user name and bots recognised, both by the patterns in
// rules/signatures/history.yaml; then one person's several identities merged (identity_merge.h).
#pragma once
#include <re2/re2.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "analyzer/history/commit_walk.h"
#include "analyzer/history/identity_merge.h"
#include "analyzer/rules/knowledge.h"

struct git_repository;
struct git_mailmap;

namespace mlm {

// An e-mail alias of a hosting service: a lower-cased address matching `pattern` (whose first
// group is the user) is the person "<as>:<user>".
struct EmailAlias {
  std::shared_ptr<RE2> pattern;
  std::string as;
};

// The `history_patterns` section: bot identities, pull-request merge subjects, e-mail aliases.
struct HistoryPatterns {
  std::vector<std::shared_ptr<RE2>> bots;       // over "Name <email>"
  std::vector<std::shared_ptr<RE2>> pr_merges;  // over the commit subject
  std::vector<EmailAlias> aliases;              // over the lower-cased e-mail
};
HistoryPatterns compile_history_patterns(const Knowledge& k);  // throws RuleError
// The same, compiled once per rule set and shared by the history detectors of every scan.
std::shared_ptr<const HistoryPatterns> shared_history_patterns(const Knowledge& k);
bool any_match(const std::vector<std::shared_ptr<RE2>>& res, const std::string& text);

// Lower-cased, and folded by the aliases: with the shipped rules
// "12345+alice@users.noreply.github.com" and "alice@users.noreply.github.com" are both
// "github:alice".
std::string normalise_email(std::string email, const std::vector<EmailAlias>& aliases);
// True when `email` (any case) is a hosting service's alias; `login` is then "<as>:<user>".
bool alias_login(std::string email, const std::vector<EmailAlias>& aliases, std::string& login);

struct Person {
  std::string key;   // stable identity: normalised e-mail (or name when there is none)
  std::string name;  // display name after the mailmap (the main identity's, once merged)
  bool bot = false;
  std::string login;  // "github:login" when the e-mail is a hosting service's noreply alias
};

class Identities {
 public:
  // Reads `.mailmap` from the tree of commit `start` (never from the working tree or config).
  Identities(git_repository* repo, const std::string& start, const HistoryPatterns& patterns);
  ~Identities();
  Identities(const Identities&) = delete;
  Identities& operator=(const Identities&) = delete;

  // Merges the several identities of one person among the authors and co-authors of `history`
  // (identity_merge.h); afterwards resolve() gives them all the same key and name.
  void merge_people(const History& history, const IdentityMergeRules& rules);

  const Person& resolve(const std::string& name, const std::string& email);
  const Person& author(const CommitRecord& c) { return resolve(c.author_name, c.author_email); }
  bool is_pr_merge(const CommitRecord& c) const { return any_match(patterns_.pr_merges, c.summary); }
  // Work of bots only: a bot's commit, a commit whose co-authors are all bots (a squash merge of
  // a dependabot pull request), or a merge bringing in only bot commits. Such a merge or trailer
  // is no review and no collaboration between people. `by_id` finds merged-in parents.
  bool bot_work(const CommitRecord& c, const std::map<std::string, const CommitRecord*>& by_id);

 private:
  // The identity before merging: mailmap, bot patterns, login aliases. Memoised (a history has
  // thousands of commits by far fewer identities, and the patterns are regexes).
  const Person& base(const std::string& name, const std::string& email);
  const HistoryPatterns& patterns_;
  git_mailmap* mailmap_ = nullptr;
  std::map<std::pair<std::string, std::string>, Person> base_memo_;  // kept across merges
  std::map<std::pair<std::string, std::string>, Person> memo_;       // resolved after the merge
  std::map<std::string, std::pair<std::string, std::string>> merged_;  // key -> main identity's key, name
};

}  // namespace mlm
