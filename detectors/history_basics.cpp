// history_basics: who commits, how often, and whether work arrives through reviewed merges.
// Reads the commit graph of the scanned revision through the shared history walk
// (analyzer/history/): parents walked by hand (libgit2 1.5's revwalk fails on shallow clones),
// stopping at missing parents, which marks the history partial. Identities are normalised
// (mailmap, case, GitHub noreply aliases) and one person's several identities merged; bots are
// counted apart, and their pull requests are not reviews. Rules for bots and merge
// markers live in rules/signatures/history.yaml.
#include <algorithm>
#include <map>
#include <set>

#include "analyzer/core/detector.h"
#include "analyzer/history/identity.h"
#include "analyzer/history/scan_history.h"
#include "analyzer/history/settings.h"

namespace mlm {
namespace {

class HistoryBasicsDetector final : public Detector {
 public:
  explicit HistoryBasicsDetector(const Knowledge& k)
      : shared_patterns_(shared_history_patterns(k)), patterns_(*shared_patterns_), settings_(compile_history_settings(k)) {}
  bool wants(const FileEntry&) const override { return false; }
  void scan(ScanFile&, EvidenceSink&) override {}
  bool finish_reads_history_only() const override { return true; }

  void finish(const RepoView& repo, EvidenceSink& out) override {
    const auto history = scan_history_for_detector(repo.source);
    if (!history) return;  // no history: people stays unknown
    Identities ids(repo.source.git(), history->start, patterns_);
    ids.merge_people(*history, settings_.identity);
    std::map<std::string, const CommitRecord*> by_id;
    for (const CommitPtr& c : history->commits) by_id.emplace(c->id, c.get());
    std::map<std::string, int> commits_by_author;  // human authors only
    std::set<std::string> bots;
    int merges = 0, pr_merges = 0, coauthored = 0;
    long long first_time = 0, last_time = 0;
    for (const CommitPtr& c : history->commits) {
      const long long when = c->author_time;
      if (first_time == 0 || when < first_time) first_time = when;
      if (when > last_time) last_time = when;
      const Person& a = ids.author(*c);
      if (a.bot) bots.insert(a.name);
      else ++commits_by_author[a.key];
      if (c->is_merge()) ++merges;
      // A bot's pull request merged, or co-authored by a bot, is no review between people.
      if (ids.bot_work(*c, by_id)) continue;
      if (ids.is_pr_merge(*c)) ++pr_merges;
      if (!c->coauthors.empty()) ++coauthored;
    }
    const int commits = static_cast<int>(history->commits.size());
    const bool partial = history->partial;

    int human_commits = 0, top = 0;
    for (const auto& [who, n] : commits_by_author) {
      human_commits += n;
      top = std::max(top, n);
    }
    // Effective authors (occasional typo fixers do not make a team): see history_settings.
    int effective = 0;
    for (const auto& [who, n] : commits_by_author) {
      if (is_effective_author(settings_, n, human_commits)) ++effective;
    }
    const int top_share = human_commits ? top * 100 / human_commits : 0;

    Evidence h;
    h.id = "history.available";
    h.parameters = {"people"};
    h.strength = Strength::strong;
    // A walk that met unreadable objects is damaged, not shallow: say so, and record each one.
    const bool damaged = !history->problems.empty();
    for (const auto& problem : history->problems) repo.skips.push_back({".git/objects", "unreadable-object", problem});
    h.excerpt = std::to_string(commits) + " commits" +
                (damaged   ? " (partial history: " + std::to_string(history->problems.size()) + " objects could not be read)"
                 : partial ? " (partial history: shallow clone)"
                           : "");
    h.with("commits", std::to_string(commits)).with("partial", partial ? "true" : "false");
    h.with("capped", history->capped ? "true" : "false");
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
  std::shared_ptr<const HistoryPatterns> shared_patterns_;  // compiled once per rule set
  const HistoryPatterns& patterns_;
  HistorySettings settings_;
};

}  // namespace

MLM_REGISTER_DETECTOR(HistoryBasicsDetector, "history_basics",
                      "commit, author, bot and review-flow counts from git history",
                      {"history_patterns", "history_settings"});

}  // namespace mlm
