#!/usr/bin/env bash
# CI: the Debian package. Builds it with dpkg-buildpackage from a clean clone of HEAD (one
# postgresql-NN-da-stats per installed major), installs the .deb into a fresh chroot of the
# same Debian release that has nothing but PostgreSQL, and there runs CREATE EXTENSION and the
# pg_regress suites (.ci/deb-check.sh). Root only.
#
#   .ci/deb-test.sh [ROOT [BUILD_ROOT]]
#     ROOT        a chroot from `.ci/chroot.sh bootstrap SUITE ROOT`, where the .deb is installed
#                 (used, then removed); without it, one of this machine's release is made here
#     BUILD_ROOT  build in this chroot (of the same SUITE, e.g. the one the README test ran in)
#                 instead of on this machine, which must then be of SUITE
# Ends with "N passed, N failed".
set -euo pipefail
CI_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$CI_DIR/.." && pwd)
[ "$(id -u)" -eq 0 ] || { echo "deb-test.sh: must run as root" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/var/tmp}/da_stats-deb.XXXXXX")
root=${1:-$work/root}
build_root=${2:-}
trap 'bash "$CI_DIR/chroot.sh" remove "$root" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
rev=$(git -C "$REPO" -c safe.directory='*' rev-parse "${CHROOT_REV:-HEAD}")
build_deps="build-essential debhelper dpkg-dev postgresql-server-dev-all"
t=$(date +%s)
mkdir -p "$work/debs"
if [ -z "$build_root" ]; then
    echo "==> dpkg-buildpackage on this machine, in a clean clone of $rev"
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $build_deps git \
        >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install \
        -y -qq --no-install-recommends $build_deps git >/dev/null; }
    git -c safe.directory='*' clone -q --no-checkout "$REPO" "$work/src"
    git -C "$work/src" -c advice.detachedHead=false checkout -q "$rev"
    (cd "$work/src" && dpkg-buildpackage -us -uc -b) >"$work/build.log" 2>&1 ||
        { tail -n 40 "$work/build.log"; echo "0 passed, 1 failed"; exit 1; }
    mv "$work"/postgresql-*-da-stats_*.deb "$work/debs/"
else
    echo "==> dpkg-buildpackage in $(cat "$build_root/.ci-suite"), in a clean clone of $rev"
    rm -f "$build_root"/root/*.deb
    CHROOT_REV=$rev bash "$CI_DIR/chroot.sh" run "$build_root" "
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $build_deps >/dev/null &&
        dpkg-buildpackage -us -uc -b >/tmp/deb-build.log 2>&1 || { tail -n 40 /tmp/deb-build.log; exit 1; }" ||
        { echo "0 passed, 1 failed"; exit 1; }
    mv "$build_root"/root/postgresql-*-da-stats_*.deb "$work/debs/"
fi
# -Werror is in the Makefile: a warning would have failed the build above.
echo "deb-test.sh: .deb built in $(($(date +%s) - t))s: $(cd "$work/debs" && echo *.deb)"

if [ ! -f "$root/.ci-suite" ]; then
    echo "==> debootstrap $(. /etc/os-release; echo "$VERSION_CODENAME")"
    bash "$CI_DIR/chroot.sh" bootstrap "$(. /etc/os-release; echo "$VERSION_CODENAME")" "$root"
fi
echo "==> install the .deb into a chroot with only PostgreSQL, run the suites there"
CHROOT_REV=$rev CHROOT_COPY="$work/debs:/tmp/debs" bash "$CI_DIR/chroot.sh" run "$root" 'bash .ci/deb-check.sh /tmp/debs'
