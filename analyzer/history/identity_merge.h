// One person, many identities: the same developer commits from a work address, a personal
// address, a hosting service's noreply address and a laptop's hostname, under a full name or a
// login. Counting e-mails would turn one person into a team (People 1 for a solo project), so
// identities are merged before anything is counted: union-find over shared keys (the e-mail, the
// normalised display name, the normalised e-mail local part, the noreply login).
// Guards against merging strangers: keys shorter than min_key_length and generic names (root,
// ubuntu, runner, ...; rules/signatures/history.yaml) are no keys, and two different noreply
// logins are two people whatever else they share. `.mailmap` is applied before this.
#pragma once
#include <map>
#include <set>
#include <string>
#include <vector>

namespace mlm {

struct IdentityMergeRules {
  size_t min_key_length = 4;
  std::set<std::string> generic_names;  // normalised (name_key) forms
};

// Lower-case ASCII letters and digits only; Latin-1 and Latin Extended-A letters lose their
// diacritics ("José Núñez" -> "josenunez"), other characters are dropped.
std::string name_key(const std::string& text);

struct IdentityInput {
  std::string id;     // the identity's key before merging (normalised e-mail or "github:login")
  std::string name;   // display name (after the mailmap)
  std::string email;  // lower-cased e-mail, "" when none
  std::string login;  // "github:login" for a hosting service's noreply address, else ""
  int commits = 0;    // orders the merge: the most active identity names the person
};

// id -> the id of the person's main identity (the one with most commits; ties: smallest id).
std::map<std::string, std::string> merge_identities(std::vector<IdentityInput> identities,
                                                    const IdentityMergeRules& rules);

}  // namespace mlm
