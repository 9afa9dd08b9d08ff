// Batch entries that are git URLs rather than local paths: https://, http://, ssh://, git://,
// file:// and scp-like user@host:path. A URL may carry credentials in its userinfo
// (https://user:token@host/...): they are used for the clone only, and every text the batch
// writes (records, messages, the clone folder's name and config) uses the redacted form.
#pragma once
#include <string>

namespace mlm::batch {

// True for the URL forms above (a local path never is: "./a@b:c" is not scp-like).
bool is_remote_url(const std::string& s);

// The URL without the password or token of its userinfo: "https://user:tok@host/x" and
// "https://tok@host/x" become "https://host/x". scp-like "git@host:x" keeps its user (it names
// an SSH login, never a secret).
std::string redact_url(const std::string& url);

// Any userinfo of scheme URLs inside free text (git's own messages), removed.
std::string redact_text(const std::string& text);

// "URL@REV" splits at the last '@' after the host part (REV may be empty: HEAD of the remote).
void split_url_rev(const std::string& listed, std::string& url, std::string& rev);

// A readable, collision-free folder name for the bare clone of `url` (its redacted form):
// "github.com_org_repo-1a2b3c4d.git".
std::string clone_folder_name(const std::string& url);

}  // namespace mlm::batch
