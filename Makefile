# da_stats — PGXS build.
#
#   make && make install          build and install into the PostgreSQL that pg_config names
#   make installcheck             pg_regress suites (needs a running server: see scripts/test.sh)
#
# Layout: C in src/, install/upgrade scripts in sql/, pg_regress inputs in test/sql/ with their
# expected output in expected/ (test/expected is a symlink to it, so pg_regress's
# --inputdir=test finds both), pgTAP suites in test/pgtap/.

EXTENSION  = da_stats
MODULE_big = da_stats
OBJS       = $(patsubst %.c,%.o,$(sort $(wildcard src/*.c)))

# Every released version ships its own script: the first full install script plus one upgrade
# script per release. CREATE EXTENSION chains them to reach default_version.
DATA       = $(sort $(wildcard sql/da_stats--*.sql))

REGRESS      = $(basename $(notdir $(sort $(wildcard test/sql/*.sql))))
REGRESS_OPTS = --inputdir=test --outputdir=build/regress --dbname=da_stats_regress

PG_CONFIG ?= pg_config
# Warnings are errors in our code; PostgreSQL's own headers are read as system headers so
# that -Wextra judges only what we wrote.
PG_CFLAGS   = -Wall -Wextra -Werror

EXTRA_CLEAN = build

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)
override CPPFLAGS := -Isrc -isystem $(includedir_server) $(CPPFLAGS)

installcheck: | build/regress
build/regress:
	mkdir -p $@
