// history_basics: who commits, how often, and whether work arrives through reviewed merges.
// Reads the commit graph with libgit2 from the scanned revision. Walks parents by hand
// (libgit2 1.5's revwalk fails on shallow clones) and stops at missing parents, reporting
// the history as partial. Identities are normalised (mailmap, case, GitHub noreply aliases);
// bots are counted apart. Rules for bots and merge markers live in rules/signatures/history.yaml.
#include <git2.h>
#include <re2/re2.h>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_set>

#include "analyzer/core/detector.h"

namespace mlm {
namespace {

struct HistoryPatterns {
  std::vector<std::unique_ptr<RE2>> bots;       // over "name <email>"
  std::vector<std::unique_ptr<RE2>> pr_merges;  // over the commit subject
  size_t max_commits = 200000;
};

HistoryPatterns compile_patterns(const Knowledge& k) {
  HistoryPatterns p;
  for (const RuleEntry& e : k.section("history_patterns")) {
    check_keys(e, e.node, {"id", "kind", "patterns", "description"});
    const std::string kind = req_string(e, e.node, "kind");
    if (kind != "bot" && kind != "pr_merge") throw RuleError(e.file, e.line, "'kind' is bot or pr_merge");
    for (const auto& pat : opt_string_list(e, e.node, "patterns")) {
      auto re = std::make_unique<RE2>(pat, RE2::Quiet);
      if (!re->ok()) throw RuleError(e.file, e.line, "invalid pattern '" + pat + "': " + re->error());
      (kind == "bot" ? p.bots : p.pr_merges).push_back(std::move(re));
    }
  }
  return p;
}

bool any_match(const std::vector<std::unique_ptr<RE2>>& res, const std::string& text) {
  for (const auto& re : res) {
    if (RE2::PartialMatch(text, *re)) return true;
  }
  return false;
}

// "12345+alice@users.noreply.github.com" and "alice@users.noreply.github.com" are both alice.
std::string normalise_email(std::string email) {
  std::transform(email.begin(), email.end(), email.begin(), [](unsigned char c) { return std::tolower(c); });
  static const RE2 noreply(R"(^(?:\d+\+)?([^@]+)@users\.noreply\.github\.com$)");
  std::string user;
  if (RE2::FullMatch(email, noreply, &user)) return "github:" + user;
  return email;
}

class HistoryBasicsDetector final : public Detector {
 public:
  explicit HistoryBasicsDetector(const Knowledge& k) : patterns_(compile_patterns(k)) {}
  bool wants(const FileEntry&) const override { return false; }
  void scan(ScanFile&, EvidenceSink&) override {}

  void finish(const RepoView& repo, EvidenceSink& out) override {
    git_repository* g = repo.source.git();
    const std::string start = repo.source.history_start();
    if (!g || start.empty()) return;  // no history: people stays unknown
    git_mailmap* mailmap = nullptr;
    git_mailmap_from_repository(&mailmap, g);  // optional; a missing .mailmap is fine

    std::map<std::string, int> commits_by_author;  // human authors only
    std::set<std::string> bots;
    int commits = 0, merges = 0, pr_merges = 0, coauthored = 0;
    bool partial = false, capped = false;
    long long first_time = 0, last_time = 0;

    git_oid oid;
    git_oid_fromstr(&oid, start.c_str());
    std::vector<git_oid> stack{oid};
    std::unordered_set<std::string> seen;
    git_odb* odb = nullptr;
    git_repository_odb(&odb, g);
    while (!stack.empty()) {
      const git_oid id = stack.back();
      stack.pop_back();
      char hex[GIT_OID_HEXSZ + 1];
      git_oid_tostr(hex, sizeof hex, &id);
      if (!seen.insert(hex).second) continue;
      if (static_cast<size_t>(commits) >= patterns_.max_commits) {
        capped = true;
        break;
      }
      git_commit* c = nullptr;
      if (!git_odb_exists(odb, &id) || git_commit_lookup(&c, g, &id) != 0) {
        partial = true;  // shallow boundary or a missing object
        continue;
      }
      ++commits;
      git_signature* author = nullptr;
      if (mailmap == nullptr || git_commit_author_with_mailmap(&author, c, mailmap) != 0) {
        git_signature_dup(&author, git_commit_author(c));
      }
      const std::string name = author && author->name ? author->name : "";
      const std::string email = author && author->email ? author->email : "";
      const long long when = author ? static_cast<long long>(author->when.time) : 0;
      if (author) git_signature_free(author);
      if (first_time == 0 || when < first_time) first_time = when;
      if (when > last_time) last_time = when;
      const std::string who = name + " <" + email + ">";
      if (any_match(patterns_.bots, who)) {
        bots.insert(name.empty() ? email : name);
      } else {
        ++commits_by_author[normalise_email(email.empty() ? name : email)];
      }
      const std::string subject = git_commit_summary(c) ? git_commit_summary(c) : "";
      const unsigned parents = git_commit_parentcount(c);
      if (parents > 1) ++merges;
      if (any_match(patterns_.pr_merges, subject)) ++pr_merges;
      const char* msg = git_commit_message(c);
      static const RE2 coauthor(R"((?mi)^co-authored-by:\s)");
      if (msg && RE2::PartialMatch(msg, coauthor)) ++coauthored;
      for (unsigned i = 0; i < parents; ++i) stack.push_back(*git_commit_parent_id(c, i));
      git_commit_free(c);
    }
    git_odb_free(odb);
    git_mailmap_free(mailmap);

    int human_commits = 0, top = 0;
    for (const auto& [who, n] : commits_by_author) {
      human_commits += n;
      top = std::max(top, n);
    }
    // Effective authors: at least 5% of human commits or 10 commits (occasional typo fixers
    // do not make a team).
    int effective = 0;
    for (const auto& [who, n] : commits_by_author) {
      if (n >= 10 || n * 20 >= human_commits) ++effective;
    }
    const int top_share = human_commits ? top * 100 / human_commits : 0;

    Evidence h;
    h.id = "history.available";
    h.parameters = {"people"};
    h.strength = Strength::strong;
    h.excerpt = std::to_string(commits) + " commits" + (partial ? " (partial history: shallow clone)" : "");
    h.with("commits", std::to_string(commits)).with("partial", partial ? "true" : "false");
    h.with("capped", capped ? "true" : "false");
    h.with("first_commit_time", std::to_string(first_time)).with("last_commit_time", std::to_string(last_time));
    out.add(h);

    Evidence a;
    a.id = "people.authors";
    a.parameters = {"people"};
    a.strength = partial ? Strength::medium : Strength::strong;
    a.excerpt = std::to_string(commits_by_author.size()) + " authors, " + std::to_string(effective) +
                " effective; top author " + std::to_string(top_share) + "% of commits";
    a.with("authors", std::to_string(commits_by_author.size()))
        .with("effective_authors", std::to_string(effective))
        .with("top_author_share", std::to_string(top_share))
        .with("human_commits", std::to_string(human_commits))
        .with("bots", std::to_string(bots.size()))
        .with("merges", std::to_string(merges))
        .with("pr_merges", std::to_string(pr_merges))
        .with("coauthored_commits", std::to_string(coauthored));
    out.add(a);

    if (pr_merges > 0 || coauthored > 0) {
      Evidence r;
      r.id = "people.review_flow";
      r.parameters = {"people"};
      r.strength = Strength::medium;
      r.excerpt = std::to_string(pr_merges) + " pull-request merges, " + std::to_string(coauthored) +
                  " co-authored commits";
      r.with("pr_merges", std::to_string(pr_merges)).with("coauthored_commits", std::to_string(coauthored));
      out.add(r);
    }
    for (const auto& b : bots) {
      Evidence e;
      e.id = "people.bot";
      e.parameters = {"people"};
      e.strength = Strength::medium;
      e.excerpt = b;
      e.with("name", b);
      out.add(e);
    }
  }

 private:
  HistoryPatterns patterns_;
};

}  // namespace

MLM_REGISTER_DETECTOR(HistoryBasicsDetector, "history_basics",
                      "commit, author, bot and review-flow counts from git history", {"history_patterns"});

}  // namespace mlm
