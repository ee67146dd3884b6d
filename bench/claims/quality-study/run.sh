#!/usr/bin/env bash
# The model-quality study of docs/results.md (issue 11), run by `bench/claims.sh image [quick]`.
#
#   quick: 64 x 64 only. The fitting regime (about 12k parameters for 4,096 pixels): every family on
#          the shared grid (fit-grid.txt) on the zone plate, then each family's best recipe there on
#          the astronaut and Cameraman. The compression regime (about 1.9k parameters): the whole grid
#          (compress-grid.txt) on all three images. 200 full-batch steps, PSNR every 10 steps.
#   full:  quick, then Cameraman 256 x 256 (cameraman-256.txt) for STEPS_256 steps (default 30).
#   256:   only the long Cameraman 256 x 256 runs of docs/results.md: the paper's shape
#          (paper-256-omega5.txt) for the paper's 1,000 steps on two threads (about 2.3 hours on an
#          idle 2-core machine), then the compression-regime pair (compress-256-pair.txt, 200 steps,
#          about 8 minutes), with the PSNR-against-steps plot of the first.
#
# Logs go to target/quality-study/; the tables and one PSNR-against-time SVG per image and regime
# are written by bench/claims/study_report.py to target/quality-study/report.md and docs/. Runs
# single-threaded at nice 19 (BENCH_JVM, default -Xmx1500m -XX:ActiveProcessorCount=1).
set -euo pipefail
cd "$(dirname "$0")/../../.."
MODE="${1:-full}"
DIR=bench/claims/quality-study
OUT=target/quality-study
mkdir -p "$OUT"
./mvnw -B -q -Pbench test-compile
./mvnw -B -q -Pbench dependency:build-classpath -Dmdep.outputFile="$OUT/cp.txt" -Dmdep.includeScope=test
CP="target/bench-build/test-classes:target/bench-build/classes:$(cat "$OUT/cp.txt")"
# shellcheck disable=SC2086
study() { nice -n 19 java ${BENCH_JVM:--Xmx1500m -XX:ActiveProcessorCount=1} -cp "$CP" io.lrnn.bench.claims.InitStudy --curve "$@"; }
every() { seq -s, "$1" "$1" "$2"; }
if [ "$MODE" = 256 ]; then
    BENCH_JVM="-Xmx4g -XX:ActiveProcessorCount=2" study --threads 2 --image cameraman --size 256 --steps 1000 \
        --report "$(every 20 1000)" --recipes $DIR/paper-256-omega5.txt > $OUT/paper-256-omega5-1000.log
    study --image cameraman --size 256 --steps 200 --report "$(every 10 200)" --recipes $DIR/compress-256-pair.txt \
        > $OUT/compress-256-pair.log
    python3 bench/claims/study_report.py --svg-dir docs --regime "compression-256=$OUT/compress-256-pair.log" \
        > $OUT/report-256.md
    python3 bench/claims/study_report.py --plot docs/results-psnr-cameraman-256.svg \
        "PSNR against steps: Cameraman 256, about 200k parameters" steps \
        "LRNN-sin, 1e-3=$OUT/paper-256-omega5-1000.log" "SIREN, 3e-3=$DIR/logs/siren-256-equal.log" \
        "SIREN, 1e-3=$DIR/logs/siren-256-equal-1e-3.log" "SIREN 3 x 256, 1e-4=$DIR/logs/cameraman-256-siren-1e-4.log"
    echo "tables: $OUT/report-256.md"
    exit
fi
study --image zone --size 64 --steps 200 --report "$(every 10 200)" --recipes $DIR/fit-grid.txt > $OUT/fit-zone.log
python3 bench/claims/study_report.py --best-recipes $OUT/fit-zone.log > $OUT/fit-best.txt
study --image astronaut,cameraman --size 64 --steps 200 --report "$(every 10 200)" --recipes $OUT/fit-best.txt \
    > $OUT/fit-others.log
study --image zone,astronaut,cameraman --size 64 --steps 200 --report "$(every 10 200)" \
    --recipes $DIR/compress-grid.txt > $OUT/compress.log
regimes=(--regime "fitting=$OUT/fit-zone.log,$OUT/fit-others.log" --regime "compression=$OUT/compress.log")
if [ "$MODE" != quick ]; then
    steps="${STEPS_256:-30}"
    study --image cameraman --size 256 --steps "$steps" --report "$(every 5 "$steps")" --recipes $DIR/cameraman-256.txt \
        > $OUT/cameraman-256.log
    regimes+=(--regime "cameraman-256=$OUT/cameraman-256.log")
fi
python3 bench/claims/study_report.py --svg-dir docs "${regimes[@]}" > $OUT/report.md
echo "tables: $OUT/report.md"
