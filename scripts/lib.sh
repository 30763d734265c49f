# Shared by scripts/demo.sh, scripts/test.sh, scripts/validate and CI: dependency set-up,
# build, and a throwaway PostgreSQL cluster. Source it; do not run it.
#
#   ds_setup               install missing Debian packages, build, install the extension
#   ds_cluster_start [conf-line ...]
#                          initdb + start a private cluster under .cluster/ (unix socket only),
#                          export PGHOST/PGPORT/PGUSER/PGDATABASE; stopped and removed on exit
#   ds_cluster_stop        stop and remove it now (also runs from the EXIT trap)

set -euo pipefail

DS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

ds_log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
ds_die() { printf 'error: %s\n' "$*" >&2; exit 2; }

# Run a command as root: directly, through sudo, or explain why we cannot.
ds_as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else ds_die "need root to run '$*': run as root or install sudo"; fi
}

# ds_install_packages pkg... — apt-get install those not yet installed.
ds_install_packages() {
    local missing=() p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    command -v apt-get >/dev/null 2>&1 || ds_die "missing packages ${missing[*]} and no apt-get: install them by hand"
    ds_log "installing ${missing[*]}"
    ds_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    ds_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# DS_PG_PREFIX (optional, for developers): run against a private copy of the PostgreSQL
# installation under that prefix, so that several checkouts can `make install` different
# builds of da_stats side by side. PostgreSQL finds its files relative to its binaries, so a
# copy of the three Debian directories is a complete installation.
ds_pg_config() {
    [ -n "${DS_PG_MAJOR:-}" ] || ds_pick_major
    if [ -n "${PG_CONFIG:-}" ] && [ -z "${DS_PG_PREFIX:-}" ]; then echo "$PG_CONFIG"
    else echo "${DS_PG_PREFIX:-}/usr/lib/postgresql/$DS_PG_MAJOR/bin/pg_config"; fi
}

ds_private_pg() {
    [ -n "${DS_PG_PREFIX:-}" ] || return 0
    [ -x "$(ds_pg_config)" ] && return 0
    ds_log "copying PostgreSQL $DS_PG_MAJOR to $DS_PG_PREFIX"
    local d
    for d in lib/postgresql/$DS_PG_MAJOR share/postgresql/$DS_PG_MAJOR include/postgresql; do
        ds_as_root mkdir -p "$DS_PG_PREFIX/usr/$(dirname "$d")"
        ds_as_root cp -a "/usr/$d" "$DS_PG_PREFIX/usr/$(dirname "$d")/"
    done
}

# Which PostgreSQL major to use (15 to 18 are supported):
#   DS_PG_MAJOR=17      that major, from the Debian packages (installed if missing);
#   PG_CONFIG=/usr/lib/postgresql/17/bin/pg_config
#                       the major of that pg_config, which is then used for the build;
#   neither             the distribution's default major, as postgresql-common reports it
#                       (Debian 12: 15, Debian 13: 17, testing: 18).
ds_pick_major() {
    if [ -n "${DS_PG_MAJOR:-}" ]; then
        :
    elif [ -n "${PG_CONFIG:-}" ]; then
        DS_PG_MAJOR=$("$PG_CONFIG" --version | sed -E 's/^PostgreSQL ([0-9]+).*/\1/')
    else
        DS_PG_MAJOR=$(ds_default_major)
    fi
    [[ "$DS_PG_MAJOR" =~ ^[0-9]+$ ]] || ds_die "cannot tell the PostgreSQL major (DS_PG_MAJOR='$DS_PG_MAJOR')"
    export DS_PG_MAJOR
}

ds_default_major() {
    local sv=/usr/share/postgresql-common/supported-versions
    ds_install_packages postgresql-common
    # One line per supported major (several with apt.postgresql.org): the newest.
    if [ -x "$sv" ]; then "$sv" | sort -n | tail -n 1; return; fi
    # postgresql-common 29x moved the script to postgresql-common-dev: ask what the
    # "postgresql" metapackage depends on instead.
    local dep
    dep=$(apt-cache depends postgresql 2>/dev/null | sed -nE 's/^ +Depends: postgresql-([0-9]+)$/\1/p' | head -n 1)
    if [ -z "$dep" ]; then
        ds_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        dep=$(apt-cache depends postgresql 2>/dev/null | sed -nE 's/^ +Depends: postgresql-([0-9]+)$/\1/p' | head -n 1)
    fi
    echo "$dep"
}

ds_setup() {
    ds_pick_major
    ds_install_packages postgresql-"$DS_PG_MAJOR" postgresql-server-dev-"$DS_PG_MAJOR" \
        postgresql-"$DS_PG_MAJOR"-pgtap postgresql-"$DS_PG_MAJOR"-cron \
        libtap-parser-sourcehandler-pgtap-perl make gcc "$@"
    ds_private_pg
    export PATH="$(dirname "$(ds_pg_config)"):$PATH"
    ds_log "building da_stats for PostgreSQL $DS_PG_MAJOR"
    make -C "$DS_ROOT" -s PG_CONFIG="$(ds_pg_config)"
    ds_as_root make -C "$DS_ROOT" -s PG_CONFIG="$(ds_pg_config)" install >/dev/null
}

# The server must not run as root: use the 'postgres' user the Debian package creates.
ds_run_server_cmd() {
    if [ "$(id -u)" -eq 0 ]; then
        su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
    else
        "$@"
    fi
}

DS_CLUSTER_DIR=""
ds_cluster_stop() {
    [ -n "$DS_CLUSTER_DIR" ] || return 0
    local bindir; bindir=$(dirname "$(ds_pg_config)")
    if [ -f "$DS_CLUSTER_DIR/data/postmaster.pid" ]; then
        ds_run_server_cmd "$bindir/pg_ctl" -D "$DS_CLUSTER_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$DS_CLUSTER_DIR"
    [ -L "$DS_ROOT/.cluster" ] && rm -f "$DS_ROOT/.cluster"
    DS_CLUSTER_DIR=""
}

ds_cluster_start() {
    local bindir; bindir=$(dirname "$(ds_pg_config)")
    ds_cluster_stop
    # A previous run killed hard may have left one behind.
    if [ -e "$DS_ROOT/.cluster/data/postmaster.pid" ]; then
        ds_run_server_cmd "$bindir/pg_ctl" -D "$DS_ROOT/.cluster/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$DS_ROOT/.cluster"
    DS_CLUSTER_DIR="$DS_ROOT/.cluster"
    mkdir -p "$DS_CLUSTER_DIR"
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres: "$DS_CLUSTER_DIR"
        # A checkout under a private home (e.g. /root, mode 700) is out of the server's reach:
        # keep the cluster in /tmp then, and leave a symlink so .cluster/ is still the place to look.
        if ! su postgres -s /bin/sh -c "test -w '$DS_CLUSTER_DIR'"; then
            rmdir "$DS_CLUSTER_DIR"
            DS_CLUSTER_DIR=$(mktemp -d /tmp/da_stats_cluster.XXXXXX)
            chown postgres: "$DS_CLUSTER_DIR"
            ln -s "$DS_CLUSTER_DIR" "$DS_ROOT/.cluster"
        fi
    fi
    trap ds_cluster_stop EXIT
    trap 'exit 130' INT TERM
    ds_run_server_cmd "$bindir/initdb" -D "$DS_CLUSTER_DIR/data" -U postgres -A trust \
        -E UTF8 --locale=C.UTF-8 >"$DS_CLUSTER_DIR/initdb.log" 2>&1 \
        || { cat "$DS_CLUSTER_DIR/initdb.log" >&2; ds_die "initdb failed"; }
    {
        echo "listen_addresses = ''"
        echo "unix_socket_directories = '$DS_CLUSTER_DIR'"
        echo "port = 54329"
        echo "fsync = off"
        echo "max_worker_processes = 16"
        echo "max_parallel_workers = 8"
        # pg_cron runs scheduled validation (da.run_validation); its jobs connect through the
        # cluster's private unix socket, as there is no TCP listener.
        echo "shared_preload_libraries = 'pg_cron'"
        echo "cron.database_name = 'da_stats_cron'"
        echo "cron.host = '$DS_CLUSTER_DIR'"
        local line; for line in "$@"; do echo "$line"; done
    } | ds_run_server_cmd tee -a "$DS_CLUSTER_DIR/data/postgresql.conf" >/dev/null
    ds_run_server_cmd "$bindir/pg_ctl" -D "$DS_CLUSTER_DIR/data" -l "$DS_CLUSTER_DIR/server.log" -w start >/dev/null \
        || { cat "$DS_CLUSTER_DIR/server.log" >&2; ds_die "server did not start"; }
    export PGHOST="$DS_CLUSTER_DIR" PGPORT=54329 PGUSER=postgres PGDATABASE=postgres
    psql -X -q -d postgres -c 'CREATE DATABASE da_stats_cron' >/dev/null
    export PATH="$bindir:$PATH"
}

# ds_regress_counts OUTPUT: "OK BAD", the suites pg_regress reported as passed and failed, in the
# output format of PostgreSQL 15 ("test x ... ok") and of 16+ ("ok 1 - x", "not ok 2 - y").
ds_regress_counts() {
    local ok bad
    ok=$(printf '%s\n' "$1" | grep -cE '\.\.\. +ok|^ok [0-9]+ ' || true)
    bad=$(printf '%s\n' "$1" | grep -cE '\.\.\. +FAILED|^not ok [0-9]+ ' || true)
    echo "$ok $bad"
}
