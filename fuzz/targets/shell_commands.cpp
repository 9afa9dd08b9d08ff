// How run scripts become commands: the first byte picks the splitter for inline `run:` scripts
// (with the `|| true` tail check on each command) or the tree-sitter script reader for script
// files, with or without `bash -e` from the caller.
#include "detectors/ci/shell_commands.h"
#include "detectors/ci/shell_script.h"
#include "fuzz/support/fuzz_input.h"
#include "fuzz/support/fuzz_target.h"

MLM_FUZZ_TARGET(shell_commands) {
  const auto in = mlm::fuzz::select_variant(data, size);
  switch (in.variant % 3) {
    case 0:
      for (const auto& c : mlm::ci::split_commands(in.text)) (void)mlm::ci::neutering_tail(c.text);
      break;
    case 1:
      (void)mlm::ci::parse_shell_script(in.text, false);
      break;
    default:
      (void)mlm::ci::parse_shell_script(in.text, true);
      break;
  }
}
