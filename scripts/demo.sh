#!/usr/bin/env bash
# The demo, from a fresh Debian 12 machine: install what is missing, build, install, start a
# throwaway cluster, load the figures published by HMICFRS and print the reports' tables,
# recomputed by da_stats; then draw the arrest-rate pictures into doc/ (scripts/plot). The
# cluster is removed afterwards.
source "$(dirname "$0")/lib.sh"

ds_setup
ds_cluster_start
psql -X -q -v ON_ERROR_STOP=1 -c 'CREATE DATABASE da_demo'
cd "$DS_ROOT"
psql -X -q -v ON_ERROR_STOP=1 -d da_demo -f scripts/demo.sql
ds_log "pictures: arrests per 100 DA crimes, 12 months to 31 August 2013"
bash scripts/plot --outdir doc arrests_per_100 2013-08-31 -d da_demo
