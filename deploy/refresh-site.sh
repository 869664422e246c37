#!/bin/sh
# Refresh the county's parcels and the published site; the site in service is swapped for the
# new one in one rename, so readers get the old site or the new one, never half of either.
#
#   deploy/refresh-site.sh HISTORY_DIR SITE_ROOT
#
# 1. `civicmap fetch --history HISTORY_DIR` files the fetch as a dated snapshot, prints what
#    changed since the one before, and keeps the newest KEEP_SNAPSHOTS (default 12). A fetch
#    that fails or is killed changes nothing that is served (the next run resumes it).
# 2. `civicmap publish SITE_ROOT/latest.parquet --history HISTORY_DIR` writes the new site
#    (the fetch, a copy of the newest snapshot, and its "changed since the previous fetch":
#    what changed since the snapshot before) into SITE_ROOT/releases/<time>.part, renamed to
#    SITE_ROOT/releases/<time> once it is complete.
# 3. SITE_ROOT/current, the web server's root, is a symbolic link to a release: a new link
#    is made beside it and renamed over it (rename(2) replaces it atomically).
# 4. The oldest releases beyond KEEP_SITES (default 3) are removed, never the one served.
#
# Settings (environment): CIVICMAP (the command, default `civicmap`), PROFILE (a profile
# file for both commands), KEEP_SNAPSHOTS, KEEP_SITES. Two runs never overlap: a second one
# while the first holds SITE_ROOT/.refresh.lock says so and exits 0.
set -eu
export LC_ALL=C  # one sort order for the release names, whatever the locale

if [ "$#" -ne 2 ]; then
  echo "usage: $0 HISTORY_DIR SITE_ROOT" >&2
  exit 2
fi
history=$1
root=$2
civicmap=${CIVICMAP:-civicmap}
keep_snapshots=${KEEP_SNAPSHOTS:-12}
keep_sites=${KEEP_SITES:-3}
set --
if [ -n "${PROFILE:-}" ]; then
  set -- --profile "$PROFILE"
fi

mkdir -p "$root/releases"
exec 9>"$root/.refresh.lock"
if ! flock -n 9; then
  echo "refresh: another refresh is running; nothing done" >&2
  exit 0
fi

rm -rf "$root"/releases/*.part  # what a killed run left (none is being written: the lock)
name=$(date -u +%Y%m%dT%H%M%SZ)
last=$(ls -1 "$root/releases" | grep -v '\.part$' | sort | tail -n 1)
if [ -n "$last" ] && [ "$(expr "x$name" \> "x$last")" != 1 ]; then
  name="$last-1"  # within the same second as the last (or a clock set back): still sorts last
fi
new="$root/releases/$name"
link="$root/.current.$$"
trap 'rm -rf "$new.part" "$link"' EXIT

"$civicmap" fetch --history "$history" --keep "$keep_snapshots" --out "$root/latest.parquet" \
  --quiet "$@"
rm -rf "$new.part"
"$civicmap" publish "$root/latest.parquet" --history "$history" --out "$new.part" --quiet "$@"
mv "$new.part" "$new"
ln -s "releases/$name" "$link"
mv -T "$link" "$root/current"
echo "refresh: $root/current is now releases/$name"

serving=$(readlink "$root/current")
ls -1 "$root/releases" | grep -v '\.part$' | sort | head -n "-$keep_sites" | while read -r old; do
  if [ "releases/$old" != "$serving" ]; then
    rm -rf "${root:?}/releases/$old"
    echo "refresh: removed the older release releases/$old"
  fi
done
