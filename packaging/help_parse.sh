# Reads mlmaturity's own --help texts, so that the man page and the shell completions generated
# from them (manpage.sh, completions.sh) list exactly the commands and options the binary has.
# Sourced, not run. Every function takes the binary as its first argument.

# The command names, one a line, from the "Commands:" list of the top-level help.
mlm_commands() {
  "$1" --help | awk '/^Commands:/ { inside = 1; next } inside && /^$/ { exit } inside { print $1 }'
}

# The one-line summary of command $2 from the top-level help.
mlm_summary() {
  "$1" --help | awk -v cmd="$2" '/^Commands:/ { inside = 1; next } inside && /^$/ { exit }
    inside && $1 == cmd { sub(/^ *[^ ]+ +/, ""); print; exit }'
}

# The options of command $2, one a line as OPTION, ARGUMENT and DESCRIPTION separated by the
# ASCII unit separator (\037: unlike a tab, `IFS=$'\037' read` keeps an empty field), ARGUMENT
# empty for a flag, DESCRIPTION the help line's first clause. An option line starts with two spaces and "--"; the word after an option is its
# argument when it is a placeholder (FILE, DIR, N) or a list of values (auto|always|never), and
# "--a X, --b Y" names two options on one line.
mlm_options() {
  "$1" "$2" --help | awk '
    /^  --/ {
      n = split($0, w, / +/); i = 2
      while (i <= n && w[i] ~ /^--/) {
        opt = w[i]; sub(/,$/, "", opt); arg = ""; i++
        if (i <= n && (w[i] ~ /^[A-Z][A-Z0-9_\/]*,?$/ || w[i] ~ /\|/)) { arg = w[i]; sub(/,$/, "", arg); i++ }
        desc = ""
        for (j = i; j <= n; j++) desc = desc (desc == "" ? "" : " ") w[j]
        sub(/;.*|,? e\.g\..*/, "", desc)
        if (!(opt in seen)) printf "%s\037%s\037%s\n", opt, arg, (w[i] ~ /^--/ ? "" : desc)
        seen[opt] = 1
      }
    }'
}

# The values of --format, one a line, from `formats`.
mlm_formats() {
  "$1" formats | cut -f1
}
