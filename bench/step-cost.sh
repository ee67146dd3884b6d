#!/usr/bin/env bash
# Cost of one full-batch training step of the paper's image shape (2 x (r 106, d 16, h 1), LayerNorm,
# 65,536 rows: a 256 x 256 image), for this checkout's engine and for the engine at BASE (a git
# revision, default the commit before the step-cost work), in one command, with the ratio.
#
#   bench/step-cost.sh [BASE] [StepCost arguments, e.g. --rows 16384 --runs 3 --act spder]
#
# The engine at BASE is compiled from `git show BASE:src/main/java/io/lrnn/engine/...` into
# target/step-cost/base; io.lrnn.bench.StepCost (src/jmh) uses only the engine's public API, so the
# same harness runs on both. One thread each (-XX:ActiveProcessorCount=1), run one after the other.
set -euo pipefail
cd "$(dirname "$0")/.."
BASE="${1:-31be426}"
[ $# -ge 1 ] && shift
./mvnw -B -q -Pbench test-compile
./mvnw -B -q -Pbench dependency:build-classpath -Dmdep.outputFile=target/step-cost/cp.txt -Dmdep.includeScope=test
DEPS="$(cat target/step-cost/cp.txt)"
SRC=target/step-cost/base-src
rm -rf "$SRC" target/step-cost/base && mkdir -p "$SRC" target/step-cost/base
for file in $(git ls-tree -r --name-only "$BASE" src/main/java/io/lrnn/engine); do
    mkdir -p "$SRC/$(dirname "$file")"
    git show "$BASE:$file" > "$SRC/$file"
done
javac -nowarn -d target/step-cost/base -cp "$DEPS" $(find "$SRC" -name '*.java')
javac -nowarn -d target/step-cost/base -cp "target/step-cost/base:$DEPS" src/jmh/java/io/lrnn/bench/StepCost.java
JVM=(-Xmx3g -XX:ActiveProcessorCount=1)
# The two engines take turns (ROUNDS times each, default 3), so that a change of the machine's load
# falls on both; each side's fastest figure is kept.
old=()
new=()
for round in $(seq "${ROUNDS:-3}"); do
    echo "== round $round: engine at $BASE"
    old+=("$(java "${JVM[@]}" -cp "target/step-cost/base:$DEPS" io.lrnn.bench.StepCost "$@")")
    echo "${old[-1]}"
    echo "== round $round: this checkout"
    new+=("$(java "${JVM[@]}" -cp "target/bench-build/test-classes:target/bench-build/classes:$DEPS" \
        io.lrnn.bench.StepCost "$@")")
    echo "${new[-1]}"
done
fastest() { sed -E "s/.*$1 ([0-9.]+) s.*/\\1/" | sort -g | head -1; }
a=$(printf '%s\n' "${old[@]}" | fastest "training step")
b=$(printf '%s\n' "${new[@]}" | fastest "training step")
c=$(printf '%s\n' "${old[@]}" | fastest "forward")
d=$(printf '%s\n' "${new[@]}" | fastest "forward")
awk -v a="$a" -v b="$b" -v c="$c" -v d="$d" -v base="$BASE" 'BEGIN { printf "speed-up over %s: training step %.2fx (%.2f s -> %.2f s), forward %.2fx (%.2f s -> %.2f s)\n", base, a / b, a, b, c / d, c, d }'
