#!/usr/bin/env bash
# CI helper: a fresh Debian machine as a debootstrap chroot. Root only; Debian host.
#
#   .ci/chroot.sh bootstrap SUITE DIR   debootstrap a minimal Debian SUITE (bookworm, trixie,
#                                       forky, ...) into DIR, from the host's apt mirror
#   .ci/chroot.sh run DIR SCRIPT        mount /proc, /dev, /dev/pts, /dev/shm, give the chroot the
#                                       host's apt configuration, install git make gcc
#                                       ca-certificates sudo (what the README assumes), clone the
#                                       committed HEAD to /root/project and run SCRIPT there with
#                                       bash -lc as root in a clean environment; then stop whatever
#                                       still runs inside and unmount, also on failure
#   .ci/chroot.sh remove DIR            delete DIR (refuses while anything is mounted below it)
#
# Files can be passed in through CHROOT_COPY="host-path:chroot-path ..." (copied in after the
# clone) and directories through CHROOT_BIND="host-dir:chroot-dir ..." (bind-mounted read-only
# for the run, e.g. the vendored Citus sources and their build tool at /root/shared, which the
# clone at /root/project reaches as ../shared; never inside the clone). Both: run only.
# "run" works in a private mount namespace (unshare), so its mounts never reach the host and
# vanish even if the script is killed with SIGKILL.
set -euo pipefail
export LC_ALL=C
CI_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$CI_DIR/.." && pwd)
CLEAN_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

die() { printf 'chroot.sh: %s\n' "$*" >&2; exit 3; }
[ "$(id -u)" -eq 0 ] || die "must run as root"

# The first URI of an enabled apt source on the host that carries suite $1 (deb822 or one-line).
host_mirror() {
    local f m=
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -r "$f" ] || continue
        m=$(awk -v want="$1" 'BEGIN { RS = ""; FS = "\n" }
            { u = ""; s = ""; off = 0
              for (i = 1; i <= NF; i++) { l = $i; if (l ~ /^[ \t]*#/) continue
                if (l ~ /^URIs:/) { sub(/^URIs:[ \t]*/, "", l); u = l }
                if (l ~ /^Suites:/) { sub(/^Suites:[ \t]*/, "", l); s = l }
                if (l ~ /^Enabled:[ \t]*[Nn]o/) off = 1 }
              if (off || u == "") next
              n = split(s, a, /[ \t]+/)
              for (j = 1; j <= n; j++) if (a[j] == want) { split(u, b, /[ \t]+/); print b[1]; exit } }' "$f")
        [ -n "$m" ] && { echo "$m"; return; }
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -r "$f" ] || continue
        m=$(awk -v want="$1" '$1 == "deb" { for (i = 2; i < NF; i++) if ($i ~ /:\/\// && $(i + 1) == want) { print $i; exit } }' "$f")
        [ -n "$m" ] && { echo "$m"; return; }
    done
    return 1
}
host_codename() { . /etc/os-release; echo "${VERSION_CODENAME:?}"; }

# Re-run this command in a private mount namespace (debootstrap mounts /proc too).
private_ns() {
    if [ -z "${_CI_CHROOT_NS:-}" ] && unshare --mount --propagation private true 2>/dev/null; then
        _CI_CHROOT_NS=1 exec unshare --mount --propagation private -- bash "$CI_DIR/chroot.sh" "$@"
    fi
}

cmd_bootstrap() {
    local suite=$1 dir=$2 mirror script
    private_ns bootstrap "$@"
    command -v debootstrap >/dev/null 2>&1 ||
        { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null 2>&1 ||
          { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null; }; }
    mirror=$(host_mirror "$(host_codename)") || die "no Debian mirror in the host's apt sources"
    # A suite newer than the host's debootstrap knows is bootstrapped like sid.
    script=/usr/share/debootstrap/scripts/$suite
    [ -e "$script" ] || script=/usr/share/debootstrap/scripts/sid
    [ ! -e "$dir" ] || [ -z "$(ls -A "$dir")" ] || die "$dir is not empty"
    mkdir -p "$dir"
    debootstrap --variant=minbase --components=main "$suite" "$dir" "$mirror" "$script" \
        >"$dir.debootstrap.log" 2>&1 || { tail -n 20 "$dir.debootstrap.log" >&2; die "debootstrap $suite failed"; }
    echo "$suite" >"$dir/.ci-suite"
    echo "$mirror" >"$dir/.ci-mirror"
}

mounts_under() { awk -v d="$1" '$2 == d || index($2, d "/") == 1 { print $2 }' /proc/self/mounts | sort -r; }
pids_inside() {
    local p r
    for p in /proc/[0-9]*; do
        r=$(readlink "$p/root" 2>/dev/null) || continue
        [ "$r" = "$1" ] || [ "${r#"$1"/}" != "$r" ] && echo "${p#/proc/}"
    done
    return 0
}
cleanup_inside() {
    local dir=$1 pids i m
    for i in 1 2 3 4 5 6 7 8 9 10; do
        pids=$(pids_inside "$dir")
        [ -n "$pids" ] || break
        # shellcheck disable=SC2086
        if [ "$i" -lt 8 ]; then kill -TERM $pids 2>/dev/null || true; else kill -KILL $pids 2>/dev/null || true; fi
        sleep 0.5
    done
    for i in 1 2 3; do
        for m in $(mounts_under "$dir"); do umount "$m" 2>/dev/null || [ "$i" -lt 3 ] || umount -l "$m" || true; done
    done
}

cmd_run() {
    local dir script suite mirror sec security rc=0 spec
    dir=$(readlink -f "$1"); script=$2
    [ -f "$dir/.ci-suite" ] || die "$dir was not made by '.ci/chroot.sh bootstrap'"
    private_ns run "$dir" "$script"
    suite=$(cat "$dir/.ci-suite"); mirror=$(cat "$dir/.ci-mirror")
    RUN_DIR=$dir
    trap 'cleanup_inside "$RUN_DIR"' EXIT
    trap 'exit 130' INT TERM HUP

    mount -t proc proc "$dir/proc"
    mount --bind /dev "$dir/dev"
    mount --make-private "$dir/dev"
    mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts "$dir/dev/pts" 2>/dev/null ||
        mount --bind /dev/pts "$dir/dev/pts"
    mount -t tmpfs -o mode=1777,nosuid,nodev shm "$dir/dev/shm"   # PostgreSQL's shared memory
    for spec in ${CHROOT_BIND:-}; do
        [ -d "${spec%%:*}" ] || die "CHROOT_BIND: ${spec%%:*} is not a directory"
        case ${spec#*:} in /root/project|/root/project/*) die "CHROOT_BIND: not inside the clone: ${spec#*:}" ;; esac
        mkdir -p "$dir${spec#*:}"
        mount --bind "${spec%%:*}" "$dir${spec#*:}"
        mount -o remount,bind,ro "$dir${spec#*:}"
    done

    # The host's apt configuration (proxy, validity settings) and its mirror, for SUITE.
    cp -L /etc/resolv.conf "$dir/etc/resolv.conf" 2>/dev/null || true
    cp -p /etc/apt/apt.conf.d/* "$dir/etc/apt/apt.conf.d/" 2>/dev/null || true
    security=$(host_mirror "$(host_codename)-security" || true)
    rm -f "$dir/etc/apt/sources.list"
    {
        printf 'Types: deb\nURIs: %s\nSuites: %s %s-updates\nComponents: main\n' "$mirror" "$suite" "$suite"
        printf 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n'
        if [ -n "$security" ]; then
            printf '\nTypes: deb\nURIs: %s\nSuites: %s-security\nComponents: main\n' "$security" "$suite"
            printf 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n'
        fi
    } >"$dir/etc/apt/sources.list.d/debian.sources"
    # No package may start a service: it would run in the host's network namespace.
    printf '#!/bin/sh\nexit 101\n' >"$dir/usr/sbin/policy-rc.d"
    chmod 755 "$dir/usr/sbin/policy-rc.d"

    in_chroot() {
        env -i PATH="$CLEAN_PATH" HOME=/root LANG=C.UTF-8 USER=root LOGNAME=root \
            chroot "$dir" /bin/bash -lc "$1" </dev/null
    }
    local t rev
    t=$(date +%s)
    in_chroot 'export DEBIAN_FRONTEND=noninteractive; apt-get update -qq &&
        apt-get install -y -qq git make gcc ca-certificates sudo >/dev/null' ||
        die "installing the base packages in $suite failed"
    echo "chroot.sh: $suite: git make gcc ca-certificates sudo installed in $(($(date +%s) - t))s"

    # The committed HEAD (or CHROOT_REV), through a bundle: the host's checkout is only read.
    rev=$(git -C "$REPO" -c safe.directory='*' rev-parse "${CHROOT_REV:-HEAD}") || die "no commit ${CHROOT_REV:-HEAD}"
    rm -rf "$dir/root/project"
    git -C "$REPO" -c safe.directory='*' bundle create "$dir/tmp/project.bundle" --all 2>/dev/null
    in_chroot "git clone -q --no-checkout /tmp/project.bundle /root/project && rm -f /tmp/project.bundle &&
        git -C /root/project -c advice.detachedHead=false checkout -q $rev" || die "clone failed"
    echo "chroot.sh: $suite: clean clone of $rev"
    for spec in ${CHROOT_COPY:-}; do
        mkdir -p "$dir$(dirname "${spec#*:}")"
        cp -a "${spec%%:*}" "$dir${spec#*:}"
    done

    t=$(date +%s)
    in_chroot "cd /root/project && $script" || rc=$?
    echo "chroot.sh: $suite: '$(echo "$script" | awk 'NF { sub(/^[ \t]+/, ""); print; exit }')' exited $rc after $(($(date +%s) - t))s"
    return "$rc"
}

cmd_remove() {
    local dir
    dir=$(readlink -f "$1")
    [ -n "$dir" ] && [ "$dir" != / ] || die "bad directory"
    [ -z "$(mounts_under "$dir")" ] || die "something is still mounted below $dir: not deleting"
    rm -rf --one-file-system -- "$dir" "$dir.debootstrap.log"
}

case ${1:-} in
    bootstrap) [ $# -eq 3 ] || die "usage: chroot.sh bootstrap SUITE DIR"; cmd_bootstrap "$2" "$3" ;;
    run)       [ $# -eq 3 ] || die "usage: chroot.sh run DIR SCRIPT"; cmd_run "$2" "$3" ;;
    remove)    [ $# -eq 2 ] || die "usage: chroot.sh remove DIR"; cmd_remove "$2" ;;
    *)         die "usage: chroot.sh bootstrap SUITE DIR | run DIR SCRIPT | remove DIR" ;;
esac
