#!/usr/bin/env bash
# CI: the Debian package. Builds it with dpkg-buildpackage from a clean clone of HEAD on this
# machine (one postgresql-NN-da-stats per installed major), installs the .deb into a fresh
# chroot of the same Debian release that has nothing but PostgreSQL, and there runs
# CREATE EXTENSION and the pg_regress suites (.ci/deb-check.sh). Root only.
#
#   .ci/deb-test.sh [ROOT]   ROOT: a chroot from `.ci/chroot.sh bootstrap <host's suite> ROOT`
#                            (reused, then removed); without it one is made here
# Ends with "N passed, N failed".
set -euo pipefail
CI_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$CI_DIR/.." && pwd)
[ "$(id -u)" -eq 0 ] || { echo "deb-test.sh: must run as root" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/var/tmp}/da_stats-deb.XXXXXX")
root=${1:-$work/root}
trap 'bash "$CI_DIR/chroot.sh" remove "$root" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

echo "==> build dependencies"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    build-essential debhelper dpkg-dev postgresql-server-dev-all git >/dev/null 2>&1 ||
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        --no-install-recommends build-essential debhelper dpkg-dev postgresql-server-dev-all git >/dev/null; }

echo "==> dpkg-buildpackage in a clean clone of HEAD"
t=$(date +%s)
git -c safe.directory='*' clone -q --no-checkout "$REPO" "$work/src"
git -C "$work/src" -c advice.detachedHead=false checkout -q "$(git -C "$REPO" -c safe.directory='*' rev-parse "${CHROOT_REV:-HEAD}")"
(cd "$work/src" && dpkg-buildpackage -us -uc -b) >"$work/build.log" 2>&1 ||
    { tail -n 40 "$work/build.log"; echo "0 passed, 1 failed"; exit 1; }
echo "deb-test.sh: .deb built in $(($(date +%s) - t))s"
# -Werror is in the Makefile: a warning would have failed the build above.
mkdir -p "$work/debs"
mv "$work"/postgresql-*-da-stats_*.deb "$work/debs/"
ls "$work/debs"

if [ ! -f "$root/.ci-suite" ]; then
    echo "==> debootstrap $(. /etc/os-release; echo "$VERSION_CODENAME")"
    bash "$CI_DIR/chroot.sh" bootstrap "$(. /etc/os-release; echo "$VERSION_CODENAME")" "$root"
fi
echo "==> install the .deb into a chroot with only PostgreSQL, run the suites there"
CHROOT_COPY="$work/debs:/tmp/debs" bash "$CI_DIR/chroot.sh" run "$root" 'bash .ci/deb-check.sh /tmp/debs'
