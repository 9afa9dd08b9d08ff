#!/usr/bin/env bash
# The generated shell completions: the bash one loads, and completes commands, a command's
# options and an option's values the way a user's Tab would; the zsh one parses.
# Usage: completion_test.sh <mlmaturity binary> <bash completion> <zsh completion> <scratch dir>
set -u
BIN=$1 BASH_COMPLETION=$2 ZSH_COMPLETION=$3 TMP=$4
rm -rf "$TMP" && mkdir -p "$TMP"
source "$(dirname "$0")/../cli/lib.sh"

expect_rc 0 "bash -n on the bash completion" bash -n "$BASH_COMPLETION"
source "$BASH_COMPLETION"
complete -p mlmaturity >/dev/null 2>&1 && ok || bad "the bash completion registers no completion for mlmaturity"

# completes WANT WORD...: Tab after the words (the last one being completed) offers exactly WANT.
completes() {
  local want=$1; shift
  COMP_WORDS=(mlmaturity "$@")
  COMP_CWORD=$#
  COMPREPLY=()
  _mlmaturity
  local got="${COMPREPLY[*]}"
  [ "$got" = "$want" ] && ok || bad "mlmaturity $* <Tab>: offered '$got', wanted '$want'"
}
completes "scan" sc
completes "gate" ga
completes "check-rules" che
completes "--format" scan . --form
completes "--fail-under" gate --fail
completes "--every" history --ev
completes "json" scan --format js
completes "text json sarif junit md github html" gate --format ""
completes "auto always never" scan --color ""
completes "tag month" history --every ""
completes "" scan --output ""  # a file name: bash's default completion takes over
# Every command of --help is offered, and every option of a command's --help.
source "$(dirname "$0")/../../packaging/help_parse.sh"
commands=$(mlm_commands "$BIN" | tr '\n' ' ')
completes "${commands% } --help --version" ""
batch_options=$("$BIN" batch --help | grep -oE '^  --[a-z-]+' | tr -d ' ' | tr '\n' ' ')
completes "--help ${batch_options% }" batch --

if command -v zsh >/dev/null; then
  expect_rc 0 "zsh -n on the zsh completion" zsh -n "$ZSH_COMPLETION"
else
  bad "zsh is not installed (.ci/setup installs it)"
fi
head -n 1 "$ZSH_COMPLETION" | grep -qx '#compdef mlmaturity' && ok || bad "the zsh completion starts with #compdef mlmaturity"

finish completion
