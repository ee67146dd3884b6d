#!/usr/bin/env bash
# One experiment of the paper's claims, reproduced small, in one command (docs/results.md).
#
#   bench/claims.sh image [quick|256] the model-quality study (bench/claims/quality-study/run.sh)
#   bench/claims.sh imagefit|products|variance|tabular|all [extra experiment arguments]
#   bench/claims.sh init --image zone --size 64 --steps 200 --recipes bench/claims/init-study/zone-64-b1.txt
#
# `image` fits every family on the study's grids (64 x 64; `quick` stops there) and then Cameraman
# 256 x 256, and writes its tables to target/quality-study/report.md and its plots to docs/; `256`
# runs only the long 256 x 256 runs (the paper's shape for 1,000 steps: hours).
#
# Builds once with the `bench` Maven profile, then runs io.lrnn.bench.claims.{ImageFit,Products,
# Variance,Tabular} (src/jmh/java/io/lrnn/bench/claims/), which replaces its own section of
# docs/results.md between <!-- begin:NAME --> and <!-- end:NAME --> and leaves the rest alone
# (`variance` also writes docs/results-variance.svg; `tabular` reads bench/claims/data/).
# `all` runs the four in turn. `init` (io.lrnn.bench.claims.InitStudy, the initialisation study of
# docs/results.md) prints one markdown row per recipe and writes nothing; its recipe files are in
# bench/claims/init-study/ (run it single-threaded: BENCH_JVM="-Xmx2g -XX:ActiveProcessorCount=1"). Seeds are fixed; each experiment takes a few minutes on a 2-core
# machine. Extra arguments go to the experiment (e.g. `--seeds 1` for a quick look; each class's
# javadoc lists its options). BENCH_JVM sets the JVM options (default -Xmx2g).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"

usage() { echo "usage: bench/claims.sh image [quick|256] | imagefit|products|variance|tabular|init|all [arguments]" >&2; exit 2; }
main_of() {
    case "$1" in
        imagefit) echo io.lrnn.bench.claims.ImageFit ;;
        products) echo io.lrnn.bench.claims.Products ;;
        variance) echo io.lrnn.bench.claims.Variance ;;
        tabular) echo io.lrnn.bench.claims.Tabular ;;
        init) echo io.lrnn.bench.claims.InitStudy ;;
        *) usage ;;
    esac
}
[ $# -ge 1 ] || usage
if [ "$1" = image ]; then
    shift
    exec bench/claims/quality-study/run.sh "$@"
fi
case "$1" in
    all) experiments=(imagefit products variance tabular) ;;
    *) main_of "$1" > /dev/null; experiments=("$1") ;;
esac
shift

./mvnw -B -q -Pbench test-compile
for name in "${experiments[@]}"; do
    [ ${#experiments[@]} -eq 1 ] || echo "== $name"
    ./mvnw -B -q -Pbench exec:exec -Dbench.main="$(main_of "$name")" -Dbench.jvm="${BENCH_JVM:--Xmx2g}" \
        -Djmh.args="--results $ROOT/docs/results.md $*"
done
