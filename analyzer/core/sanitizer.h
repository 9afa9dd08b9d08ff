// Whether this build is instrumented by a sanitizer that reserves shadow memory (AddressSanitizer,
// ThreadSanitizer; GCC defines __SANITIZE_ADDRESS__ / __SANITIZE_THREAD__, clang answers
// __has_feature). Such a process holds terabytes of reserved address space from its first
// instruction, so an RLIMIT_AS cap makes every later mapping fail: code that caps address space
// must not do it in these builds (.ci/sanitize, bench/tsan.sh, the fuzz build).
#pragma once

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define MLM_SHADOW_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define MLM_SHADOW_SANITIZER 1
#endif
#endif
#ifndef MLM_SHADOW_SANITIZER
#define MLM_SHADOW_SANITIZER 0
#endif

namespace mlm {
inline constexpr bool kShadowSanitizer = MLM_SHADOW_SANITIZER != 0;
}  // namespace mlm
