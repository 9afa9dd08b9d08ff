#include "analyzer/history/identity.h"

#include <git2.h>

#include <algorithm>
#include <tuple>

namespace mlm {

HistoryPatterns compile_history_patterns(const Knowledge& k) {
  HistoryPatterns p;
  for (const RuleEntry& e : k.section("history_patterns")) {
    check_keys(e, e.node, {"id", "kind", "patterns", "description", "as"});
    const std::string kind = req_string(e, e.node, "kind");
    if (kind != "bot" && kind != "pr_merge" && kind != "alias")
      throw RuleError(e.file, e.line, "'kind' is bot, pr_merge or alias");
    const std::string as = opt_string(e.node, "as");
    if ((kind == "alias") != !as.empty()) throw RuleError(e.file, e.line, "'as' names the service of an alias (and only of one)");
    for (const auto& pat : opt_string_list(e, e.node, "patterns")) {
      auto re = std::make_shared<RE2>(pat, RE2::Quiet);
      if (!re->ok()) throw RuleError(e.file, e.line, "invalid pattern '" + pat + "': " + re->error());
      if (kind == "alias") {
        if (re->NumberOfCapturingGroups() < 1) throw RuleError(e.file, e.line, "an alias pattern captures the user: '" + pat + "'");
        p.aliases.push_back({std::move(re), as});
      } else {
        (kind == "bot" ? p.bots : p.pr_merges).push_back(std::move(re));
      }
    }
  }
  return p;
}

std::shared_ptr<const HistoryPatterns> shared_history_patterns(const Knowledge& k) {
  return k.compiled<HistoryPatterns>("history_patterns", [&] { return compile_history_patterns(k); });
}

bool any_match(const std::vector<std::shared_ptr<RE2>>& res, const std::string& text) {
  for (const auto& re : res) {
    if (RE2::PartialMatch(text, *re)) return true;
  }
  return false;
}

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

}  // namespace

bool alias_login(std::string email, const std::vector<EmailAlias>& aliases, std::string& login) {
  email = lower(std::move(email));
  std::string user;
  for (const auto& a : aliases) {
    if (RE2::FullMatch(email, *a.pattern, &user)) {
      login = a.as + ":" + user;
      return true;
    }
  }
  return false;
}

std::string normalise_email(std::string email, const std::vector<EmailAlias>& aliases) {
  std::string login;
  return alias_login(email, aliases, login) ? login : lower(std::move(email));
}

namespace {

// The .mailmap of the scanned revision, bounded; a missing or unreadable one is no mailmap.
git_mailmap* mailmap_of(git_repository* repo, const std::string& start) {
  git_oid oid;
  git_commit* c = nullptr;
  if (!repo || git_oid_fromstr(&oid, start.c_str()) != 0 || git_commit_lookup(&c, repo, &oid) != 0) return nullptr;
  git_tree* tree = nullptr;
  git_mailmap* mm = nullptr;
  if (git_commit_tree(&tree, c) == 0) {
    const git_tree_entry* e = git_tree_entry_byname(tree, ".mailmap");
    git_blob* blob = nullptr;
    if (e && git_tree_entry_filemode(e) == GIT_FILEMODE_BLOB && git_blob_lookup(&blob, repo, git_tree_entry_id(e)) == 0) {
      const auto size = static_cast<size_t>(git_blob_rawsize(blob));
      if (size <= (1u << 20)) {
        const std::string text(static_cast<const char*>(git_blob_rawcontent(blob)), size);
        if (git_mailmap_from_buffer(&mm, text.c_str(), text.size()) != 0) mm = nullptr;
      }
      git_blob_free(blob);
    }
    git_tree_free(tree);
  }
  git_commit_free(c);
  return mm;
}

}  // namespace

Identities::Identities(git_repository* repo, const std::string& start, const HistoryPatterns& patterns)
    : patterns_(patterns), mailmap_(mailmap_of(repo, start)) {}

Identities::~Identities() { git_mailmap_free(mailmap_); }

const Person& Identities::base(const std::string& name, const std::string& email) {
  auto key = std::make_pair(name, email);
  auto it = base_memo_.find(key);
  if (it != base_memo_.end()) return it->second;
  std::string real_name = name, real_email = email;
  const char* rn = nullptr;
  const char* re = nullptr;
  if (mailmap_ && git_mailmap_resolve(&rn, &re, mailmap_, name.c_str(), email.c_str()) == 0) {
    if (rn) real_name = rn;
    if (re) real_email = re;
  }
  Person p;
  p.name = real_name.empty() ? real_email : real_name;
  p.bot = any_match(patterns_.bots, real_name + " <" + real_email + ">");
  if (alias_login(real_email, patterns_.aliases, p.login)) p.key = p.login;
  else p.key = lower(real_email.empty() ? real_name : real_email);
  return base_memo_.emplace(std::move(key), std::move(p)).first->second;
}

const Person& Identities::resolve(const std::string& name, const std::string& email) {
  auto key = std::make_pair(name, email);
  auto it = memo_.find(key);
  if (it != memo_.end()) return it->second;
  Person p = base(name, email);
  auto m = merged_.find(p.key);
  if (!p.bot && m != merged_.end()) std::tie(p.key, p.name) = m->second;
  return memo_.emplace(std::move(key), std::move(p)).first->second;
}

void Identities::merge_people(const History& history, const IdentityMergeRules& rules) {
  // Every human identity once, with its commit count (co-authorship counts as taking part).
  std::map<std::string, IdentityInput> seen;
  auto note = [&](const std::string& name, const std::string& email, int commits) {
    const Person& p = base(name, email);
    if (p.bot) return;
    auto [it, fresh] = seen.emplace(p.key, IdentityInput{});
    IdentityInput& in = it->second;
    if (fresh) {
      in.id = p.key;
      in.name = p.name;
      in.login = p.login;
      if (p.login.empty() && p.key.find('@') != std::string::npos) in.email = p.key;
    }
    in.commits += commits;
  };
  for (const CommitPtr& c : history.commits) {
    note(c->author_name, c->author_email, 1);
    for (const Trailer& t : c->coauthors) note(t.name, t.email, 0);
  }
  std::vector<IdentityInput> list;
  for (auto& [k, in] : seen) list.push_back(std::move(in));
  std::map<std::string, std::string> names;
  for (const auto& in : list) names[in.id] = in.name;
  merged_.clear();
  for (const auto& [id, main] : merge_identities(std::move(list), rules)) merged_[id] = {main, names[main]};
  memo_.clear();  // resolved before the merge: resolve again
}

bool Identities::bot_work(const CommitRecord& c, const std::map<std::string, const CommitRecord*>& by_id) {
  if (author(c).bot) return true;
  if (!c.coauthors.empty()) {
    bool human = false;
    for (const Trailer& t : c.coauthors) human = human || !resolve(t.name, t.email).bot;
    if (!human) return true;
  }
  if (c.is_merge()) {
    // A merge whose merged-in side is a bot's commit (a dependabot branch merged by a person).
    bool any = false, all_bots = true;
    for (size_t i = 1; i < c.parents.size(); ++i) {
      auto it = by_id.find(c.parents[i]);
      if (it == by_id.end()) continue;
      any = true;
      all_bots = all_bots && author(*it->second).bot;
    }
    if (any && all_bots) return true;
  }
  return false;
}

}  // namespace mlm
