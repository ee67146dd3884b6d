#!/usr/bin/env bash
# Engine vs PyTorch on the reference configuration, in one command (docs/performance.md).
#
#   bench/engine.sh
#
# Builds with the `bench` Maven profile, times the PyTorch reference in float32
# (tools/python/bench_reference.py), runs the JMH benchmark
# (src/jmh/java/io/lrnn/bench/EngineBenchmark.java, with -prof gc), times the PyTorch reference
# in float64 (the engine computes in float64) and prints a table of engine vs PyTorch with
# ratios PyTorch / engine (> 1: the engine is faster); then measures the memory of training
# steps (PyTorch and the engine, each in a process of its own) and the engine's scaling table.
# About 3 minutes on a quiet 2-core machine, up to 10 under load; every step has a timeout.
# Environment: PYTHON (default /usr/bin/python3, which has PyTorch), BENCH_FLOAT64=0 skips the
# float64 reference, BENCH_SCALING=0 skips the scaling table (EngineScaling, about 3 minutes),
# JMH_ARGS adds JMH options (e.g. "-wi 1 -i 2" for a quick look).
# Raw results are kept in target/bench/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
OUT="$ROOT/target/bench"
PYTHON="${PYTHON:-/usr/bin/python3}"
# The engine's memory runs: serial GC, so the heap grows only as far as it is used.
MEMORY_JVM="-XX:+UseSerialGC -Xms32m -Xmx256m"
mkdir -p "$OUT"
rm -f "$OUT"/*.json "$OUT"/*.txt
started=$SECONDS

step() { printf '== %s (%ds, load average %s)\n' "$1" $((SECONDS - started)) "$(cut -d' ' -f1 /proc/loadavg)"; }
fail() { echo "bench/engine.sh: $1 failed or timed out (exit $2)" >&2; exit 1; }

step "build: ./mvnw -B -q -Pbench test-compile"
timeout 600 ./mvnw -B -q -Pbench test-compile || fail "the build" $?

step "PyTorch reference, float32"
timeout 300 "$PYTHON" tools/python/bench_reference.py --dtype float32 > "$OUT/torch-float32.json" \
    || fail "the PyTorch float32 reference" $?
step "engine: JMH io.lrnn.bench.EngineBenchmark -prof gc"
timeout 600 ./mvnw -B -q -Pbench exec:exec \
    -Djmh.args="io.lrnn.bench.EngineBenchmark -prof gc -foe true -rf json -rff $OUT/jmh.json ${JMH_ARGS:-}" \
    > "$OUT/jmh.txt" || fail "the JMH run (log: $OUT/jmh.txt)" $?
if [ "${BENCH_FLOAT64:-1}" != 0 ]; then
    step "PyTorch reference, float64"
    timeout 300 "$PYTHON" tools/python/bench_reference.py --dtype float64 --warmup 1 --runs 3 \
        > "$OUT/torch-float64.json" || fail "the PyTorch float64 reference" $?
fi

step "memory of training steps: PyTorch float32, then the engine in a JVM of its own"
timeout 300 "$PYTHON" tools/python/bench_reference.py --memory > "$OUT/memory-torch.json" \
    || fail "the PyTorch memory run" $?
timeout 300 ./mvnw -B -q -Pbench exec:exec -Dbench.main=io.lrnn.bench.TrainingMemory \
    -Dbench.jvm="$MEMORY_JVM" -Djmh.args="" > "$OUT/memory-engine.json" || fail "the engine memory run" $?
if [ "${BENCH_SCALING:-1}" != 0 ]; then
    step "engine scaling with B, r, d and h"
    timeout 900 ./mvnw -B -q -Pbench exec:exec -Dbench.main=io.lrnn.bench.EngineScaling \
        -Dbench.jvm="$MEMORY_JVM -Xmx1g" -Djmh.args="" > "$OUT/scaling.md" || fail "the scaling run" $?
fi

sed -n '/^Benchmark /,$p' "$OUT/jmh.txt"
step "done"

{
    echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(java -version 2>&1 | head -n 1)"
    echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
    "$PYTHON" tools/python/bench_reference.py --report "$OUT"
    if [ -f "$OUT/scaling.md" ]; then
        echo
        echo "engine scaling (target/bench/scaling.md):"
        cat "$OUT/scaling.md"
    fi
} | tee "$OUT/summary.txt"
