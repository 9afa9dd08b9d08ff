// The in-place parsers of raw git objects the history walk uses: the first byte picks a commit
// (headers, signatures, message summary), a commit's tree line only, or a tree's entries in
// stored order (compared pairwise as the tree diff does).
#include "analyzer/history/raw_objects.h"
#include "fuzz/support/fuzz_input.h"
#include "fuzz/support/fuzz_target.h"

MLM_FUZZ_TARGET(raw_objects) {
  const auto in = mlm::fuzz::select_variant(data, size);
  const char* bytes = in.text.data();
  switch (in.variant % 3) {
    case 0: {
      mlm::CommitView commit;
      std::string why;
      if (mlm::parse_commit(bytes, in.text.size(), commit, why)) (void)mlm::commit_summary(commit.message, 80);
      break;
    }
    case 1: {
      git_oid tree;
      (void)mlm::commit_tree(bytes, in.text.size(), tree);
      if (in.text.size() >= 40) (void)mlm::parse_hex_oid(bytes, tree);
      break;
    }
    default: {
      mlm::TreeCursor cursor(bytes, in.text.size());
      mlm::TreeEntryView previous, entry;
      bool first = true;
      while (cursor.next(entry)) {
        if (!first) (void)mlm::compare_entries(previous, entry);
        previous = entry;
        first = false;
      }
      (void)cursor.offset();
      break;
    }
  }
}
