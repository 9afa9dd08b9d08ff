// `batch --html-dir DIR`: each repository's own scan page, written by the worker that scanned it
// (it holds the whole scan), named so that the fleet dashboard can link to it from the input.
#pragma once
#include <string>

#include "analyzer/core/scanner.h"

namespace mlm::batch {

// A file name for an input, safe on any file system and unique per input: its readable part
// (letters, digits, '.', '-', '_'; the rest '_', at most 80 bytes) plus a hash of the whole text.
std::string repository_page_name(const std::string& input);

// Writes DIR/<repository_page_name(input)>; returns false with a reason on failure.
bool write_repository_page(const std::string& dir, const std::string& input, const Engine& engine,
                           const ScanResult& result, std::string& error);

}  // namespace mlm::batch
