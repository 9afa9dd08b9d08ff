#include "analyzer/history/identity_merge.h"

#include <algorithm>
#include <numeric>

namespace mlm {

namespace {

// ASCII base letters of U+00C0..U+017F (Latin-1 Supplement letters and Latin Extended-A), in
// code point order; '.' marks a character that is not a letter with a plain base (×, ÷).
constexpr char kLatinBase[] =
    "AAAAAAACEEEEIIII"  // C0-CF
    "DNOOOOO.OUUUUYTs"  // D0-DF
    "aaaaaaaceeeeiiii"  // E0-EF
    "dnooooo.ouuuuyty"  // F0-FF
    "AaAaAaCcCcCcCcDd"  // 100-10F
    "DdEeEeEeEeEeGgGg"  // 110-11F
    "GgGgHhHhIiIiIiIi"  // 120-12F
    "IiJjJjKkkLlLlLlL"  // 130-13F
    "lLlNnNnNnnNnOoOo"  // 140-14F
    "OoOoRrRrRrSsSsSs"  // 150-15F
    "SsTtTtTtUuUuUuUu"  // 160-16F
    "UuUuWwYyYZzZzZzs";  // 170-17F

}  // namespace

std::string name_key(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (std::isalnum(c)) out += static_cast<char>(std::tolower(c));
      continue;
    }
    // Two-byte UTF-8 sequences of U+00C0..U+017F fold to their base letter; the rest is dropped.
    if ((c & 0xE0) == 0xC0 && i + 1 < text.size()) {
      const unsigned cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(text[i + 1]) & 0x3Fu);
      ++i;
      if (cp >= 0xC0 && cp <= 0x17F && kLatinBase[cp - 0xC0] != '.') {
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(kLatinBase[cp - 0xC0])));
      }
    }
  }
  return out;
}

namespace {

// The keys an identity offers for merging: its own id, its name, its e-mail's local part (without
// a "+tag"), its noreply login. Short and generic keys are left out: they would join strangers.
std::vector<std::string> keys_of(const IdentityInput& in, const IdentityMergeRules& rules) {
  std::vector<std::string> keys{"id:" + in.id};
  auto add = [&](const std::string& raw) {
    const std::string k = name_key(raw);
    if (k.size() >= rules.min_key_length && !rules.generic_names.count(k)) keys.push_back("n:" + k);
  };
  add(in.name);
  if (!in.login.empty()) {
    add(in.login.substr(in.login.find(':') + 1));
  } else if (const auto at = in.email.find('@'); at != std::string::npos) {
    add(in.email.substr(0, std::min(at, in.email.find('+'))));
  }
  return keys;
}

}  // namespace

std::map<std::string, std::string> merge_identities(std::vector<IdentityInput> ids, const IdentityMergeRules& rules) {
  // Most active first: the union keeps the earlier identity as the root, so the person is named
  // after the identity they use most, and the outcome does not depend on input order.
  std::sort(ids.begin(), ids.end(), [](const IdentityInput& a, const IdentityInput& b) {
    return a.commits != b.commits ? a.commits > b.commits : a.id < b.id;
  });
  std::vector<size_t> parent(ids.size());
  std::iota(parent.begin(), parent.end(), size_t{0});
  std::vector<std::string> login(ids.size());  // per root: the noreply login of the merged person
  for (size_t i = 0; i < ids.size(); ++i) login[i] = ids[i].login;
  auto find = [&](size_t i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
  };
  std::map<std::string, size_t> owner;  // key -> first identity offering it
  for (size_t i = 0; i < ids.size(); ++i) {
    for (const auto& key : keys_of(ids[i], rules)) {
      auto [it, fresh] = owner.emplace(key, i);
      if (fresh) continue;
      size_t a = find(it->second), b = find(i);
      if (a == b) continue;
      // Two different noreply logins are two accounts, so two people, even with the same name.
      if (!login[a].empty() && !login[b].empty() && login[a] != login[b]) continue;
      if (b < a) std::swap(a, b);
      parent[b] = a;
      if (login[a].empty()) login[a] = login[b];
    }
  }
  std::map<std::string, std::string> out;
  for (size_t i = 0; i < ids.size(); ++i) out[ids[i].id] = ids[find(i)].id;
  return out;
}

}  // namespace mlm
