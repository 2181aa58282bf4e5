#!/usr/bin/env bash
# Checks the import rules of STYLE.md §1.2: every `import` line of every Swift file under
# Sources/<Target> must name a module that target may import. Prints each violation as
# file:line: import X (not allowed in Target) and exits 1 if there is any.
set -euo pipefail
cd "$(dirname "$0")/.."

# Modules every target may import (the standard library and the OS).
common="Foundation Glibc Musl Darwin Dispatch Synchronization"

allowed_for() {
  case "$1" in
    OctetGGUF)      echo "$common" ;;
    OctetTokenizer) echo "$common" ;;
    OctetInference) echo "$common OctetGGUF OctetTokenizer OctetKernels" ;;
    OctetChat)      echo "$common OctetInference OctetTokenizer Yams Mustache" ;;
    OctetStore)     echo "$common OctetChat GRDB Crypto" ;;
    OctetTUI)       echo "$common OctetChat OctetStore Yams" ;;  # CNcursesw: NcursesBackend.swift only
    octet)          echo "$common ArgumentParser OctetInference OctetChat OctetStore OctetTUI OctetGGUF OctetTokenizer" ;;
    *)              echo "" ;;
  esac
}

status=0
for dir in Sources/*/; do
  target=$(basename "$dir")
  allowed=$(allowed_for "$target")
  while IFS=: read -r file line text; do
    module=$(sed -E 's/^[[:space:]]*(@[A-Za-z_]+[[:space:]]+)*import[[:space:]]+(class |struct |enum |func |protocol )?([A-Za-z0-9_]+).*/\3/' <<<"$text")
    if [ "$target" = OctetTUI ] && [ "$module" = CNcursesw ] && [ "$(basename "$file")" = NcursesBackend.swift ]; then
      continue
    fi
    if ! grep -qw -- "$module" <<<"$allowed"; then
      echo "$file:$line: import $module (not allowed in $target, STYLE.md §1.2)"
      status=1
    fi
  done < <(grep -rnE '^[[:space:]]*(@[A-Za-z_]+[[:space:]]+)*import[[:space:]]' --include='*.swift' "$dir" || true)
done
exit $status
