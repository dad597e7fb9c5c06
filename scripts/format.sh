#!/usr/bin/env bash
# Formats our C++ (shared/, server/, client/, tests/, bench/) with .clang-format and Debian's
# clang-format 14. `--check` changes nothing: it lists the files that need formatting and fails
# when there are any (scripts/test.sh runs it as a suite; "# pass"/"# fail" count files).
# Third-party code (Dear ImGui) lives under build/ and is never formatted.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

check=0
case "${1:-}" in
  --check) check=1 ;;
  "") ;;
  *) echo "usage: scripts/format.sh [--check]" >&2; exit 2 ;;
esac
command -v clang-format >/dev/null || { echo "clang-format is missing: run scripts/setup.sh" >&2; exit 1; }

# The tracked files when this is a git checkout; otherwise every C++ file of our folders.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files -- '*.cpp' '*.hpp' '*.h' | grep -v '^build/')
else
  mapfile -t files < <(find shared server client tests bench \( -name '*.cpp' -o -name '*.hpp' -o -name '*.h' \) | sort)
fi

if [ "$check" -eq 0 ]; then
  # Only files whose text changes are rewritten: `clang-format -i` on all of them would touch every
  # file's time and make the next build compile the whole tree again.
  changed=0
  for f in "${files[@]}"; do
    if ! clang-format --style=file --dry-run --Werror "$f" >/dev/null 2>&1; then
      clang-format -i --style=file "$f"
      changed=$((changed + 1))
    fi
  done
  echo "formatted $changed of ${#files[@]} files"
  exit 0
fi

unformatted=0
for f in "${files[@]}"; do
  if ! clang-format --style=file --dry-run --Werror "$f" >/dev/null 2>&1; then
    echo "needs formatting: $f"
    unformatted=$((unformatted + 1))
  fi
done
echo "# pass $(( ${#files[@]} - unformatted ))"
echo "# fail $unformatted"
if [ "$unformatted" -gt 0 ]; then
  echo "run scripts/format.sh to format them"
  exit 1
fi
