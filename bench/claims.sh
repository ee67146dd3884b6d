#!/usr/bin/env bash
# One experiment of the paper's claims, reproduced small, in one command (docs/results.md).
#
#   bench/claims.sh image|products|variance|tabular [extra experiment arguments]
#
# Builds once with the `bench` Maven profile, then runs io.lrnn.bench.claims.{ImageFit,Products,
# Variance,Tabular} (src/jmh/java/io/lrnn/bench/claims/), which replaces its own section of
# docs/results.md between <!-- begin:NAME --> and <!-- end:NAME --> and leaves the rest alone.
# Seeds are fixed; each experiment takes a few minutes on a 2-core machine.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"

usage() { echo "usage: bench/claims.sh image|products|variance|tabular [arguments]" >&2; exit 2; }
[ $# -ge 1 ] || usage
case "$1" in
    image) main=io.lrnn.bench.claims.ImageFit ;;
    products) main=io.lrnn.bench.claims.Products ;;
    variance) main=io.lrnn.bench.claims.Variance ;;
    tabular) main=io.lrnn.bench.claims.Tabular ;;
    *) usage ;;
esac
shift

./mvnw -B -q -Pbench test-compile
./mvnw -B -q -Pbench exec:exec -Dbench.main="$main" -Djmh.args="--results $ROOT/docs/results.md $*"
