// The bounded loose-object inflater (our replacement for libgit2 1.5's, which hangs on a cut
// stream): the first byte picks a header-only read (listings) or a whole read capped at 1 MiB.
#include <cstdlib>

#include "analyzer/repo/loose_objects.h"
#include "fuzz/support/fuzz_input.h"
#include "fuzz/support/fuzz_target.h"

MLM_FUZZ_TARGET(loose_object) {
  const auto in = mlm::fuzz::select_variant(data, size);
  const bool header_only = in.variant & 1;
  mlm::LooseObject obj;
  std::string error;
  (void)mlm::inflate_loose_object(in.text, header_only, size_t{1} << 20,
                                  [](size_t n) { return static_cast<char*>(std::malloc(n + 1)); }, obj, error);
  std::free(obj.data);  // ours on success and on a failure after the allocation alike
}
