#!/usr/bin/env bash
# Release metadata agree with each other: META.json is valid PGXN meta-spec 1.0.0 (the
# required keys, semantic versions, a known licence, files that exist) and its versions match
# da_stats.control, CHANGELOG.md and debian/changelog. Needs only perl (JSON::PP is core).
# META_JSON=path checks another file (to see this test fail).
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
META_JSON=${META_JSON:-$root/META.json} ROOT=$root perl -MJSON::PP -e '
use strict; use warnings;
my ($root, $file) = ($ENV{ROOT}, $ENV{META_JSON});
my ($n, $bad) = (0, 0);
# check(CONDITION, WHAT); a failed match in list context passes no condition at all.
sub check { my $what = pop; my $ok = @_ ? $_[0] : 0; $n++; $bad++ unless $ok; print(($ok ? "ok" : "not ok"), " $n - $what\n"); return $ok; }
sub slurp { my $f = shift; open(my $h, "<", $f) or return ""; local $/; <$h> }

my $meta = eval { JSON::PP->new->decode(slurp($file)) };
check(ref $meta eq "HASH", "META.json is a JSON object") or exit 1;
for my $k (qw(name abstract version maintainer license provides meta-spec)) {
    check(defined $meta->{$k} && $meta->{$k} ne "", "META.json has $k");
}
my $semver = qr/^\d+\.\d+\.\d+$/;
check(($meta->{"meta-spec"}{version} // "") eq "1.0.0", "meta-spec version is 1.0.0");
check(($meta->{version} // "") =~ $semver, "version is a semantic version");
check(ref $meta->{maintainer} eq "ARRAY" || !ref $meta->{maintainer}, "maintainer is a string or a list");
check(($meta->{license} // "") eq "postgresql", "license is postgresql");
check(slurp("$root/LICENSE") =~ /Permission to use, copy, modify, and distribute this software/,
      "LICENSE holds the PostgreSQL Licence");

my ($ext) = slurp("$root/Makefile") =~ /^EXTENSION\s*=\s*(\S+)/m;
my ($default) = slurp("$root/$ext.control") =~ /^default_version\s*=\s*\x27([^\x27]+)\x27/m;
check(($meta->{name} // "") eq $ext, "name is the extension ($ext)");
my $want = $default =~ /^\d+\.\d+$/ ? "$default.0" : $default;
check(($meta->{version} // "") eq $want, "version $want follows default_version $default");
my $p = $meta->{provides}{$ext};
check(ref $p eq "HASH", "provides $ext");
check(ref $p eq "HASH" && ($p->{version} // "") eq $want, "provides $ext at version $want");
check(ref $p eq "HASH" && defined $p->{file} && -f "$root/$p->{file}", "provided file exists");
check(ref $p eq "HASH" && (!defined $p->{docfile} || -f "$root/$p->{docfile}"), "docfile exists");
check(slurp("$root/CHANGELOG.md") =~ /^## \Q$default\E\b/m, "CHANGELOG.md has a section for $default");
my ($deb) = slurp("$root/debian/changelog") =~ /^\S+ \(([^)-]+)/;
check(($deb // "") eq $want, "debian/changelog is at $want");
exit($bad ? 1 : 0);
'
