// Remote batch entries: which lines are URLs, URL@REV, credentials kept out of every text the
// batch writes, and clone folder names.
#include <catch2/catch.hpp>

#include "analyzer/batch/entry_list.h"
#include "analyzer/batch/remote_url.h"

using namespace mlm::batch;

TEST_CASE("batch remote: git URLs are told apart from local paths", "[batch][remote]") {
  for (const char* url : {"https://github.com/org/repo", "http://h/x.git", "ssh://git@h:22/x", "git://h/x",
                          "file:///srv/repos/x", "git@github.com:org/repo.git"}) {
    CHECK(is_remote_url(url));
  }
  for (const char* path : {"repos/x", "/home/me@work/repo@", "repo@main", "./https:/x", "C:/x", "https://"}) {
    CHECK_FALSE(is_remote_url(path));
  }
}

TEST_CASE("batch remote: credentials are removed from URLs and from git's messages", "[batch][remote]") {
  CHECK(redact_url("https://user:tok@github.com/org/repo.git") == "https://github.com/org/repo.git");
  CHECK(redact_url("https://ghp_abc@github.com/org/repo") == "https://github.com/org/repo");
  CHECK(redact_url("https://github.com/org/repo@v1") == "https://github.com/org/repo@v1");  // a REV, not userinfo
  CHECK(redact_url("https://u:p@h/org/repo@main") == "https://h/org/repo@main");
  CHECK(redact_url("git@github.com:org/repo.git") == "git@github.com:org/repo.git");  // an SSH login, no secret
  CHECK(redact_text("fatal: unable to access 'https://u:secret@h/x/': 403") == "fatal: unable to access 'https://h/x/': 403");
}

TEST_CASE("batch remote: URL@REV splits after the host part", "[batch][remote]") {
  std::string url, rev;
  split_url_rev("https://h/org/repo.git@v1.2", url, rev);
  CHECK((url == "https://h/org/repo.git" && rev == "v1.2"));
  split_url_rev("git@h:org/repo.git", url, rev);
  CHECK((url == "git@h:org/repo.git" && rev.empty()));
  split_url_rev("git@h:org/repo.git@main", url, rev);
  CHECK((url == "git@h:org/repo.git" && rev == "main"));
  split_url_rev("https://u:p@h/x", url, rev);
  CHECK((url == "https://u:p@h/x" && rev.empty()));
}

TEST_CASE("batch remote: a list's URL entries keep credentials only for the clone", "[batch][remote]") {
  const ListParse parsed = parse_list_text("https://u:tok@h/org/a@dev\n/srv/b\ngit@h:org/c.git\n");
  REQUIRE(parsed.entries.size() == 3);
  CHECK(parsed.entries[0].input == "https://h/org/a@dev");
  CHECK(parsed.entries[0].url == "https://u:tok@h/org/a");
  CHECK(parsed.entries[0].rev == "dev");
  CHECK(parsed.entries[0].path.empty());
  CHECK((parsed.entries[1].url.empty() && parsed.entries[1].path == "/srv/b"));
  CHECK(parsed.entries[2].url == "git@h:org/c.git");
}

TEST_CASE("batch remote: clone folders are named after the redacted URL", "[batch][remote]") {
  const std::string a = clone_folder_name("https://u:tok@github.com/org/repo.git");
  CHECK(a == clone_folder_name("https://github.com/org/repo.git"));  // same repository, same clone
  CHECK(a.rfind("github.com_org_repo-", 0) == 0);
  CHECK(a.find("tok") == std::string::npos);
  CHECK(a.size() > 4);
  CHECK(a.compare(a.size() - 4, 4, ".git") == 0);
  CHECK(clone_folder_name("git@github.com:org/repo.git").rfind("github.com_org_repo-", 0) == 0);
  CHECK(clone_folder_name("https://github.com/org/repo") != clone_folder_name("https://gitlab.com/org/repo"));
  CHECK(clone_folder_name("file:///../../etc").find('/') == std::string::npos);
}
