// The pinned grammars must be loadable by the pinned runtime: a grammar update that needs a newer
// ABI fails here, not as a silent "no evidence" at scan time.
#include <tree_sitter/api.h>

#include <catch2/catch.hpp>

extern "C" const TSLanguage* tree_sitter_python(void);
extern "C" const TSLanguage* tree_sitter_yaml(void);
extern "C" const TSLanguage* tree_sitter_json(void);
extern "C" const TSLanguage* tree_sitter_bash(void);

TEST_CASE("grammar ABI versions are within the runtime's range", "[grammars]") {
  for (const TSLanguage* lang : {tree_sitter_python(), tree_sitter_yaml(), tree_sitter_json(), tree_sitter_bash()}) {
    const uint32_t abi = ts_language_abi_version(lang);
    CHECK(abi >= TREE_SITTER_MIN_COMPATIBLE_LANGUAGE_VERSION);
    CHECK(abi <= TREE_SITTER_LANGUAGE_VERSION);
    TSParser* parser = ts_parser_new();
    CHECK(ts_parser_set_language(parser, lang));
    ts_parser_delete(parser);
  }
}
