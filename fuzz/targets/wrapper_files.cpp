// The readers of files a CI step runs through a wrapper, called directly: the first byte picks
// Makefile, tox.ini, noxfile.py, pixi.toml or pyproject.toml's [tool.pixi] tables.
#include "detectors/ci/makefile.h"
#include "detectors/ci/noxfile.h"
#include "detectors/ci/pixi_tasks.h"
#include "detectors/ci/tox_ini.h"
#include "fuzz/support/fuzz_input.h"
#include "fuzz/support/fuzz_target.h"

MLM_FUZZ_TARGET(wrapper_files) {
  const auto in = mlm::fuzz::select_variant(data, size);
  switch (in.variant % 5) {
    case 0: {
      const auto mk = mlm::ci::parse_makefile(in.text);
      (void)mk.targets.count(mk.default_goal);
      break;
    }
    case 1: {
      const auto tox = mlm::ci::parse_tox_ini(in.text);
      for (const auto& env : tox.envlist) (void)tox.commands(env);
      (void)tox.commands("");
      break;
    }
    case 2:
      (void)mlm::ci::parse_noxfile(in.text);
      break;
    case 3:
      (void)mlm::ci::parse_pixi_tasks(in.text, false);
      break;
    default:
      (void)mlm::ci::parse_pixi_tasks(in.text, true);
      break;
  }
}
