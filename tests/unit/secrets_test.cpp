#include <catch2/catch.hpp>

#include <string>

#include "support/memory_source.h"

using namespace mlm;
using mlm::test::run_detector;

// Every credential below is fake and assembled at run time, so this file itself holds nothing
// a secret scanner would (rightly) flag.
namespace {
const char* kId = "secrets";
const std::string kFakeAccountKey = "FAKE" + std::string(60, 'K') + "==";
const std::string kFakeAwsSecret = "FAKE" + std::string(36, 'S');
const std::string kFakeAwsKeyId = std::string("AK") + "IA" + "FAKEFAKEFAKEFAKE";
const std::string kFakeGithub = std::string("gh") + "p_" + std::string(36, 'F');
const std::string kFakeSig = "FAKEsig" + std::string(30, 'Z') + "%3D";
const std::string kFakePassword = std::string("S3cr3t") + "-fake-" + "Hunter2";

void check_redacted(const std::vector<Evidence>& evidence) {
  for (const auto& e : evidence) {
    INFO(e.path << ": " << e.excerpt);
    CHECK(e.excerpt.find("[REDACTED]") != std::string::npos);
    for (const auto& s : {kFakeAccountKey, kFakeAwsSecret, kFakeAwsKeyId, kFakeGithub, kFakeSig, kFakePassword}) {
      CHECK(e.excerpt.find(s.substr(0, 12)) == std::string::npos);
    }
  }
}
}  // namespace

TEST_CASE("secrets: storage keys, SAS, AWS and GitHub tokens are found and redacted", "[secrets]") {
  auto run = run_detector(kId, {
      {"src/config.py", "import os\n\nCONN = \"DefaultEndpointsProtocol=https;AccountName=fake;AccountKey=" +
                            kFakeAccountKey + ";EndpointSuffix=core.windows.net\"\n"},
      {"notebooks/load.ipynb", "{\"cells\": [{\"source\": [\"url = 'https://fake.blob.core.windows.net/c/f.csv?"
                               "sv=2022-11-02&ss=b&sp=r&se=2030-01-01&sig=" + kFakeSig + "'\"]}]}\n"},
      {".env", "AWS_ACCESS_KEY_ID=" + kFakeAwsKeyId + "\naws_secret_access_key = " + kFakeAwsSecret + "\n"},
      {"scripts/push.sh", "git push https://" + kFakeGithub + "@github.com/o/r.git\n"},
  });
  auto key = run.with_id("data.secret.committed", "src/config.py");
  REQUIRE(key.size() == 1);
  CHECK(key[0].line == 3);
  CHECK(key[0].attrs["kind"] == "azure_storage_account_key");
  CHECK(key[0].strength == Strength::strong);
  CHECK(key[0].parameters == std::vector<std::string>{"data_gathering"});
  CHECK(key[0].excerpt.find("AccountName=fake;AccountKey=[REDACTED];EndpointSuffix") != std::string::npos);

  auto sas = run.with_id("data.secret.committed", "notebooks/load.ipynb");
  REQUIRE(sas.size() == 1);
  CHECK(sas[0].attrs["kind"] == "azure_sas_token");

  auto aws = run.with_id("data.secret.committed", ".env");
  REQUIRE(aws.size() == 2);
  CHECK(run.has("data.secret.committed", "scripts/push.sh"));
  check_redacted(run.evidence);
  CHECK(run.evidence.size() == 5);
}

TEST_CASE("secrets: password placeholders are not secrets", "[secrets]") {
  auto run = run_detector(kId, {
      {"conf/db.yaml", "user: app\npassword: \"changeme\"\n"},
      {"conf/settings.py", "DB_PASSWORD = \"${DB_PASSWORD}\"\nadmin_password = '<your-password>'\n"
                           "password = os.environ[\"PASSWORD\"]\npwd = \"\"\nif password == \"x\":\n    pass\n"},
      {"conf/real.py", "# connection\ndb_password = \"" + kFakePassword + "\"\n"},
  });
  auto found = run.with_id("data.secret.committed");
  REQUIRE(found.size() == 1);
  CHECK(found[0].path == "conf/real.py");
  CHECK(found[0].line == 2);
  CHECK(found[0].attrs["kind"] == "password_literal");
  CHECK(found[0].excerpt == "db_password = \"[REDACTED]\"");
  check_redacted(found);
}

TEST_CASE("secrets: private key blocks never show their body", "[secrets]") {
  const std::string body = std::string(64, 'M') + "\n" + std::string(64, 'N') + "\n";
  auto run = run_detector(kId, {
      {"deploy/key.pem", "-----BEGIN RSA PRIVATE" " KEY-----\n" + body + "-----END RSA PRIVATE KEY-----\n"},
      {"docs/example.yaml", "key: |\n  -----BEGIN PRIVATE" " KEY-----\n  ...\n  -----END PRIVATE KEY-----\n"},
  });
  auto k = run.with_id("data.secret.committed", "deploy/key.pem");
  REQUIRE(k.size() == 1);
  CHECK(k[0].line == 1);
  CHECK(k[0].excerpt.find("MMMM") == std::string::npos);
  CHECK(k[0].excerpt.find("[REDACTED]") != std::string::npos);
  CHECK_FALSE(run.has("data.secret.committed", "docs/example.yaml"));  // an elided example key
}

TEST_CASE("secrets: near misses stay quiet", "[secrets]") {
  auto run = run_detector(kId, {
      // documentation is not searched
      {"README.md", "Set AccountKey=" + kFakeAccountKey + " in your environment.\n"},
      // the AWS documentation's example id and a templated key
      {"docs/aws.txt", std::string("AK") + "IAIOSFODNN7EXAMPLE\nAccountKey=<your-account-key>\n"},
      // a SAS-looking URL without a signature
      {"conf/url.yaml", "url: https://x.blob.core.windows.net/c?sv=2022-11-02&sp=r\n"},
      // large files are data, not configuration
      {"data/dump.json", "{\"AccountKey=" + kFakeAccountKey + "\": 1}" + std::string(1u << 20, ' ')},
  });
  CHECK(run.evidence.empty());
}

TEST_CASE("secrets: each file and pattern is reported once with a count", "[secrets]") {
  std::string text;
  for (int i = 0; i < 3; ++i) text += "k" + std::to_string(i) + " = \"AccountKey=" + kFakeAccountKey + "\"\n";
  auto run = run_detector(kId, {{"keys.cfg", text}});
  auto e = run.with_id("data.secret.committed");
  REQUIRE(e.size() == 1);
  CHECK(e[0].attrs["count"] == "3");
  CHECK(e[0].attrs["lines"] == "1,2,3");
  check_redacted(e);
}

TEST_CASE("secrets: lock files are not searched", "[secrets]") {
  const std::string leak = "aws_secret_access_key = \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzzzzzzzzz\"\n";
  auto run = mlm::test::run_detector("secrets", {{"package-lock.json", leak}, {"web/yarn.lock", leak}, {"config.ini", leak}});
  CHECK(run.has("data.secret.committed", "config.ini"));
  CHECK_FALSE(run.has("data.secret.committed", "package-lock.json"));
  CHECK_FALSE(run.has("data.secret.committed", "web/yarn.lock"));
}
