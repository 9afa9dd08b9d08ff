// One person, many identities: identities sharing a name, an e-mail local part or a noreply
// login are one person; short and generic keys and different noreply logins keep people apart.
#include <catch2/catch.hpp>

#include "analyzer/history/identity_merge.h"
#include "analyzer/history/settings.h"
#include "support/memory_source.h"

using namespace mlm;

namespace {

IdentityMergeRules shipped_rules() { return compile_history_settings(test::shipped_knowledge()).identity; }

IdentityInput id(const std::string& key, const std::string& name, int commits, const std::string& login = "") {
  return {key, name, login.empty() ? key : "", login, commits};
}

}  // namespace

TEST_CASE("identity merge: name keys are lower-case letters and digits without diacritics", "[identity]") {
  CHECK(name_key("A. Author") == "aauthor");
  CHECK(name_key("José Núñez-Ölçer") == "josenunezolcer");
  CHECK(name_key("Łukasz Żółw") == "lukaszzolw");
  CHECK(name_key("张伟") == "");  // nothing cheap to fold: no key, so no merge
}

TEST_CASE("identity merge: one person's work, personal and laptop addresses are one", "[identity]") {
  const auto m = merge_identities({id("a.author@corp.example", "A. Author", 12), id("aauthor@mail.example", "aauthor", 8),
                                   id("a@laptop.local", "A. Author", 5)},
                                  shipped_rules());
  CHECK(m.at("a.author@corp.example") == "a.author@corp.example");
  CHECK(m.at("aauthor@mail.example") == "a.author@corp.example");  // its local part is the name
  CHECK(m.at("a@laptop.local") == "a.author@corp.example");        // the name, not the short local part
}

TEST_CASE("identity merge: a noreply login joins the person's name and addresses", "[identity]") {
  const auto m = merge_identities({id("billpeeb@example.com", "Bill Peebles", 15),
                                   id("github:wpeebles", "Bill Peebles", 5, "github:wpeebles"),
                                   id("wpeebles@corp.example", "Bill P", 1)},
                                  shipped_rules());
  CHECK(m.at("github:wpeebles") == "billpeeb@example.com");
  CHECK(m.at("wpeebles@corp.example") == "billpeeb@example.com");  // local part = the login
}

TEST_CASE("identity merge: near misses stay apart", "[identity]") {
  const auto rules = shipped_rules();
  // Two accounts with the same display name are two people.
  auto m = merge_identities({id("github:sam-lee", "Sam Lee", 4, "github:sam-lee"),
                             id("github:samlee99", "Sam Lee", 3, "github:samlee99")},
                            rules);
  CHECK(m.at("github:samlee99") == "github:samlee99");
  // ... also when a third identity would bridge them.
  m = merge_identities({id("github:sam-lee", "Sam Lee", 4, "github:sam-lee"), id("samlee@example.com", "S. Lee", 2),
                        id("github:samlee99", "Sam Lee", 3, "github:samlee99")},
                       rules);
  CHECK(m.at("github:samlee99") == "github:samlee99");
  // Short keys ("al") and generic ones (ubuntu, root) are shared by strangers.
  m = merge_identities({id("al@one.example", "Al", 5), id("al@two.example", "Al", 4)}, rules);
  CHECK(m.at("al@two.example") == "al@two.example");
  m = merge_identities({id("ubuntu@host-a.internal", "Ubuntu", 5), id("ubuntu@host-b.internal", "ubuntu", 4),
                        id("root@ci.example", "root", 3)},
                       rules);
  CHECK(m.at("ubuntu@host-b.internal") == "ubuntu@host-b.internal");
  CHECK(m.at("root@ci.example") == "root@ci.example");
  // Different names and local parts: different people.
  m = merge_identities({id("dana@example.com", "Dana Scientist", 5), id("pat@example.com", "Pat Platform", 5)}, rules);
  CHECK(m.at("pat@example.com") == "pat@example.com");
}

TEST_CASE("identity merge: the generic names and key length come from the rules", "[identity][rules]") {
  const auto rules = shipped_rules();
  CHECK(rules.min_key_length >= 4);
  CHECK(rules.generic_names.count("ubuntu"));
  CHECK(rules.generic_names.count("runner"));
}
