// A repository's own `.mlmaturity.yaml`, loaded as the gate loads it (rules folders confined to
// the repository); a PolicyError naming the problem is the expected answer to a bad file.
#include <filesystem>

#include "analyzer/gate/policy.h"
#include "fuzz/support/fuzz_input.h"
#include "fuzz/support/fuzz_target.h"

MLM_FUZZ_TARGET(policy_file) {
  const std::string path =
      mlm::fuzz::write_temp_file("repo/.mlmaturity.yaml", std::string(reinterpret_cast<const char*>(data), size));
  try {
    const mlm::Policy p = mlm::load_policy_file(path, std::filesystem::path(path).parent_path().string());
    mlm::Policy with_flags = p;
    mlm::apply_fail_under(with_flags, "ci=2,testing=1,overall=1");
  } catch (const mlm::PolicyError&) {
  }
}
