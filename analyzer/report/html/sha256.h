// SHA-256 and base64, for the Content-Security-Policy hashes of a page's inline style and
// script ('sha256-...'): the policy then allows exactly that code and nothing else.
#pragma once
#include <string>

namespace mlm::html {

std::string sha256(const std::string& data);  // 32 raw bytes
std::string base64(const std::string& data);
// "'sha256-<base64>'" as a CSP source expression.
std::string csp_hash(const std::string& code);

}  // namespace mlm::html
