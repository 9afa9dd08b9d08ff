#!/usr/bin/env bash
# Writes mlmaturity's bash or zsh completion to standard output, generated from the binary's own
# --help texts (commands, each command's options, the values of --format and of options whose
# help lists them, such as auto|always|never), so completion cannot drift from the tool. The
# build runs it on the binary it just built (packaging/CMakeLists.txt).
# Usage: completions.sh MLMATURITY_BINARY bash|zsh
set -euo pipefail
BIN=$1
SHELL_NAME=$2
source "$(dirname "$0")/help_parse.sh"

commands=$(mlm_commands "$BIN" | tr '\n' ' ')
formats=$(mlm_formats "$BIN" | tr '\n' ' ')

# The literal values of an option's argument: "auto|always|never" -> "auto always never"; the
# placeholders among them (N) are left out. --format's values come from `formats`.
option_values() {
  local opt=$1 arg=$2
  if [ "$opt" = --format ]; then echo "$formats"; return; fi
  case $arg in *'|'*) tr '|' '\n' <<<"$arg" | grep -v '^[A-Z]' | tr '\n' ' ' ;; esac
}

bash_completion() {
  cat <<'HEAD'
# bash completion for mlmaturity (generated from `mlmaturity --help`; do not edit)
_mlmaturity() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
HEAD
  printf '  local commands="%s"\n' "${commands% }"
  cat <<'BODY'
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
    return
  fi
  # options: every option of the command; valued: those taking an argument; then the
  # argument's own values where the help lists them (anything else completes file names).
  local options="" valued="" values=""
  case ${COMP_WORDS[1]} in
BODY
  local cmd opt arg desc options valued values_case
  for cmd in $commands; do
    options="--help" valued="" values_case=""
    while IFS=$'\037' read -r opt arg desc; do
      options+=" $opt"
      [ -n "$arg" ] || continue
      valued+=" $opt"
      local vals
      vals=$(option_values "$opt" "$arg")
      [ -z "$vals" ] || values_case+="        $opt) values=\"${vals% }\" ;;"$'\n'
    done < <(mlm_options "$BIN" "$cmd")
    printf '    %s)\n      options="%s"\n      valued="%s"\n' "$cmd" "$options" "${valued# }"
    if [ -n "$values_case" ]; then printf '      case $prev in\n%s      esac\n' "$values_case"; fi
    printf '      ;;\n'
  done
  cat <<'TAIL'
  esac
  if [ -n "$values" ]; then
    COMPREPLY=($(compgen -W "$values" -- "$cur"))
  elif [[ " $valued " == *" $prev "* ]]; then
    COMPREPLY=()  # a file, folder or free value: the default completion
  elif [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$options" -- "$cur"))
  else
    COMPREPLY=()
  fi
}
complete -o bashdefault -o default -F _mlmaturity mlmaturity
TAIL
}

# zsh: _arguments specs; an option's description is its help line with the characters _arguments
# gives meaning to ([ ] : ') removed.
zsh_completion() {
  local cmd opt arg desc vals spec
  printf '#compdef mlmaturity\n# zsh completion for mlmaturity (generated from `mlmaturity --help`; do not edit)\n\n'
  printf '_mlmaturity() {\n  local -a commands\n  commands=(\n'
  for cmd in $commands; do
    printf "    '%s:%s'\n" "$cmd" "$(mlm_summary "$BIN" "$cmd" | tr -d "[]:'")"
  done
  printf '  )\n  if (( CURRENT == 2 )); then\n    _describe command commands\n    return\n  fi\n'
  printf '  case $words[2] in\n'
  for cmd in $commands; do
    printf '    %s)\n      _arguments -S \\\n' "$cmd"
    while IFS=$'\037' read -r opt arg desc; do
      desc=$(tr -d "[]:'\`" <<<"$desc")
      spec="*$opt[$desc]"
      if [ -n "$arg" ]; then
        vals=$(option_values "$opt" "$arg")
        if [ -n "$vals" ]; then
          spec+=":${arg//|/ }:(${vals% })"
        else
          case $arg in
            DIR) spec+=":$arg:_files -/" ;;
            FILE | PATH) spec+=":$arg:_files" ;;
            *) spec+=":$arg: " ;;  # a number, revision or spec: nothing to offer
          esac
        fi
      fi
      printf "        '%s' \\\\\n" "$spec"
    done < <(mlm_options "$BIN" "$cmd")
    printf "        '*:path:_files' ;;\n"
  done
  printf '  esac\n}\n\n_mlmaturity "$@"\n'
}

case $SHELL_NAME in
  bash) bash_completion ;;
  zsh) zsh_completion ;;
  *) echo "usage: $0 MLMATURITY_BINARY bash|zsh" >&2; exit 2 ;;
esac
