# Shared by the command-line tests: counters, expectations on exit codes, the closing line.
# Source it after setting TMP (the test's scratch folder).
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
expect_rc() { # expected-rc description command...   (output in $TMP/out and $TMP/err)
  local want=$1 what=$2; shift 2
  "$@" >"$TMP/out" 2>"$TMP/err"; local rc=$?
  [ "$rc" -eq "$want" ] && ok || bad "$what: exit $rc, wanted $want ($(head -c 400 "$TMP/err"))"
}
finish() { # name
  echo "$1: $pass passed, $fail failed"
  [ "$fail" -eq 0 ]
}
