#!/usr/bin/env bash
# Runs the whole test suite. pytest exits 5 when it collected no tests: that is a failure
# here, never a pass. A run that changes the checkout (a rewritten lock file, artifact,
# screenshot or instance file outside .gitignore) fails too: tests leave the tree as found.
set -uo pipefail
cd "$(dirname "$0")/.."

# What the checkout looks like: tracked changes (by content) and untracked files.
checkout_state() {
  git status --porcelain=v1 --untracked-files=all 2>/dev/null
  git diff HEAD --binary 2>/dev/null | sha256sum
}

in_git=false
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  in_git=true
  before=$(checkout_state)
fi

.venv/bin/python -m pytest "$@"
status=$?
if [ "$status" -eq 5 ]; then
  echo "run-tests: pytest collected no tests" >&2
  exit 1
fi

if $in_git; then
  after=$(checkout_state)
  if [ "$before" != "$after" ]; then
    echo "run-tests: the run changed the checkout (git status before and after):" >&2
    diff <(echo "$before") <(echo "$after") >&2
    [ "$status" -eq 0 ] && status=1
  fi
fi
exit "$status"
