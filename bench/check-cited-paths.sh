#!/usr/bin/env bash
# Every bench/results path that the docs, the README or a bench script names must exist:
# run it before committing a change under bench/results. Prints the missing ones; exit 1 if any.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=0
for path in $(grep -ohE 'bench/results/[A-Za-z0-9_./*-]*[A-Za-z0-9_/*-]' \
    docs/*.md README.md CONTRIBUTING.md bench/*.md bench/*.sh bench/*.py 2>/dev/null | sort -u); do
  # a glob (profile-*) must match at least one file
  if ! compgen -G "$path" > /dev/null; then
    echo "missing: $path"
    missing=1
  fi
done
[ "$missing" -eq 0 ] && echo "every cited bench/results path exists"
exit "$missing"
