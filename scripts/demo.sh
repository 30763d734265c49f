#!/usr/bin/env bash
# The demo, from a fresh Debian 12 machine: install what is missing, build, install, start a
# throwaway cluster, load the figures published by HMICFRS and print the reports' tables,
# recomputed by da_stats. The cluster is removed afterwards.
source "$(dirname "$0")/lib.sh"

ds_setup
ds_cluster_start
psql -X -q -v ON_ERROR_STOP=1 -c 'CREATE DATABASE da_demo'
cd "$DS_ROOT"
psql -X -q -v ON_ERROR_STOP=1 -d da_demo -f scripts/demo.sql
