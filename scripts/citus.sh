#!/usr/bin/env bash
# A throwaway Citus cluster on this host: a coordinator and two workers, unix sockets only,
# all three in one private socket directory under /tmp. Started and removed by the caller,
# also on failure (EXIT trap), like scripts/lib.sh's single-node cluster.
#
# As a library (after scripts/lib.sh):
#   ds_citus_installed       true when Citus is installed for the PostgreSQL that ds_pg_config names
#   ds_citus_start [conf-line ...]
#                            start the three nodes, create the citus extension on each, register
#                            the workers; export PGHOST/PGPORT/PGUSER/PGDATABASE (the coordinator)
#                            and DS_CITUS_WORKER_PORTS
#   ds_citus_stop            stop and remove them now (also runs from the EXIT trap)
# As a command:
#   bash scripts/citus.sh check          say whether Citus is installed (exit 0 / 1)
#   bash scripts/citus.sh run CMD ...    build + install da_stats, start, run CMD, stop
#   bash scripts/citus.sh psql           the same with an interactive psql on the coordinator
#
# DS_CITUS_PORT (default 55611) is the coordinator's port; the workers take the next two.
# Install Citus for development with .ci/citus-install.sh.

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    source "$(dirname "$0")/lib.sh"
fi

DS_CITUS_DIR=""
DS_CITUS_WORKER_PORTS=""

ds_citus_installed() {
    local pgc; pgc=$(ds_pg_config)
    [ -x "$pgc" ] || return 1
    [ -f "$("$pgc" --pkglibdir)/citus.so" ] && [ -f "$("$pgc" --sharedir)/extension/citus.control" ]
}

ds_citus_pg_major() { "$(ds_pg_config)" --version | sed -E 's/^PostgreSQL ([0-9]+).*/\1/'; }

ds_citus_stop() {
    [ -n "$DS_CITUS_DIR" ] || return 0
    local bindir d; bindir=$(dirname "$(ds_pg_config)")
    for d in "$DS_CITUS_DIR"/node*; do
        [ -f "$d/postmaster.pid" ] || continue
        ds_run_server_cmd "$bindir/pg_ctl" -D "$d" -m immediate -w stop >/dev/null 2>&1 || true
    done
    rm -rf "$DS_CITUS_DIR"
    DS_CITUS_DIR=""
}

ds_citus_start() {
    ds_citus_installed || ds_die "Citus is not installed for PostgreSQL $(ds_citus_pg_major): run .ci/citus-install.sh"
    local bindir base port i line
    bindir=$(dirname "$(ds_pg_config)")
    base=${DS_CITUS_PORT:-55611}
    ds_citus_stop
    DS_CITUS_DIR=$(mktemp -d /tmp/citus-XXXXXX)
    [ "$(id -u)" -ne 0 ] || chown postgres: "$DS_CITUS_DIR"
    trap 'ds_citus_stop; ds_cluster_stop' EXIT
    trap 'exit 130' INT TERM
    # One initdb, copied for the other nodes: initdb is the slow part of start-up.
    ds_run_server_cmd "$bindir/initdb" -D "$DS_CITUS_DIR/node0" -U postgres -A trust \
        -E UTF8 --locale=C.UTF-8 >"$DS_CITUS_DIR/initdb.log" 2>&1 \
        || { cat "$DS_CITUS_DIR/initdb.log" >&2; ds_die "initdb failed"; }
    {
        echo "listen_addresses = ''"
        echo "unix_socket_directories = '$DS_CITUS_DIR'"
        echo "fsync = off"
        echo "shared_preload_libraries = 'citus'"
        # Unix sockets carry no SSL; Citus's default node_conninfo would require it.
        echo "citus.node_conninfo = 'sslmode=disable'"
        # A node's connections to itself (e.g. EXPLAIN ANALYZE of a CTE) go here, not to TCP localhost.
        echo "citus.local_hostname = '$DS_CITUS_DIR'"
        echo "max_worker_processes = 16"
        for line in "$@"; do echo "$line"; done
    } | ds_run_server_cmd tee -a "$DS_CITUS_DIR/node0/postgresql.conf" >/dev/null
    for i in 1 2; do ds_run_server_cmd cp -a "$DS_CITUS_DIR/node0" "$DS_CITUS_DIR/node$i"; done
    DS_CITUS_WORKER_PORTS="$((base + 1)) $((base + 2))"
    for i in 0 1 2; do
        port=$((base + i))
        ds_run_server_cmd "$bindir/pg_ctl" -D "$DS_CITUS_DIR/node$i" -o "-p $port" \
            -l "$DS_CITUS_DIR/node$i.log" -w start >/dev/null \
            || { cat "$DS_CITUS_DIR/node$i.log" >&2; ds_die "node $i did not start"; }
        "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$DS_CITUS_DIR" -p "$port" -U postgres -d postgres \
            -c 'CREATE EXTENSION citus' >/dev/null
    done
    export PGHOST="$DS_CITUS_DIR" PGPORT=$base PGUSER=postgres PGDATABASE=postgres
    export PATH="$bindir:$PATH" DS_CITUS_WORKER_PORTS
    {
        echo "SELECT citus_set_coordinator_host('$DS_CITUS_DIR', $base);"
        for port in $DS_CITUS_WORKER_PORTS; do echo "SELECT citus_add_node('$DS_CITUS_DIR', $port);"; done
    } | psql -X -q -v ON_ERROR_STOP=1 >/dev/null
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    case ${1:-} in
        check)
            if ds_citus_installed; then echo "Citus is installed for PostgreSQL $(ds_citus_pg_major)"
            else echo "Citus is not installed for PostgreSQL $(ds_citus_pg_major)"; exit 1; fi ;;
        run|psql)
            cmd=$1; shift
            ds_setup
            ds_citus_start
            ds_log "Citus coordinator: psql -h $PGHOST -p $PGPORT (workers on $DS_CITUS_WORKER_PORTS)"
            if [ "$cmd" = psql ]; then psql -X; else "$@"; fi ;;
        *) sed -n '2,20p' "$0" >&2; exit 2 ;;
    esac
fi
