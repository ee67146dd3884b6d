#!/usr/bin/env bash
# First-request latency after readiness, with and without the model warm-up: starts the real jar
# REPS times with lrnn.models.warm-up.iterations=0 and REPS times with the default, waits for
# /readyz, then times the first 1-row predict, the first 64-row predict, and then 200 of each
# (steady state: the median of the last 100). Prints per run and the medians' ratios. Then the
# engine alone (bench/warmup/EngineFirstCall.java): REPS fresh JVMs each way timing the first
# predictRow and 64-row predict with and without the same warm-up, against their medians.
# Usage: bench/warmup.sh [repetitions, default 5]
set -euo pipefail
cd "$(dirname "$0")/.."
REPS=${1:-5}

[ -n "${SKIP_BUILD:-}" ] || ./mvnw -B -q -o -Dmaven.test.skip=true package
JAR=$(ls target/lrnn-serve-*.jar | grep -v plain | head -n 1)
WORK=$(mktemp -d)
PID=
cleanup() { [ -z "$PID" ] || kill "$PID" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# run ITERATIONS REP: one start of the jar, one line of results.
run() {
    local port; port=$(free_port)
    local start; start=$(date +%s.%N)
    java -Xmx512m -XX:+UseParallelGC -jar "$JAR" --server.port="$port" \
        --spring.datasource.url="jdbc:h2:file:$WORK/db-$1-$2;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH" \
        --lrnn.models.warm-up.iterations="$1" --logging.level.root=WARN \
        --logging.level.io.lrnn.server.models.ModelWarmUp=INFO > "$WORK/log-$1-$2" 2>&1 &
    PID=$!
    for _ in $(seq 1 1200); do
        curl -sf -o /dev/null "http://127.0.0.1:$port/readyz" && break
        sleep 0.05
    done
    local ready; ready=$(python3 -c "import time; print(f'{time.time() - $start:.2f}')")
    python3 - "$port" "$1" "$ready" <<'PY'
import http.client, json, random, statistics, sys, time
port, iterations, ready = int(sys.argv[1]), sys.argv[2], sys.argv[3]
random.seed(1)
one = json.dumps({"instances": [[0.25, -0.5]]})
many = json.dumps({"instances": [[random.uniform(-1, 1), random.uniform(-1, 1)] for _ in range(64)]})
def predict(body):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    t = time.perf_counter()
    c.request("POST", "/api/v1/models/demo/predict", body, {"Content-Type": "application/json"})
    r = c.getresponse(); r.read()
    elapsed = time.perf_counter() - t
    c.close()
    assert r.status == 200, r.status
    return elapsed * 1000
first1 = predict(one)
first64 = predict(many)
steady1 = statistics.median([predict(one) for _ in range(200)][100:])
steady64 = statistics.median([predict(many) for _ in range(200)][100:])
print(f"iterations={iterations} ready={ready}s first-1={first1:.2f}ms steady-1={steady1:.2f}ms "
      f"first-64={first64:.2f}ms steady-64={steady64:.2f}ms")
PY
    kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
    grep -ho "warmed up in [0-9]* ms" "$WORK/log-$1-$2" | head -n 1 >&2 || true
}

DEFAULT=$(sed -n 's/.*LRNN_MODELS_WARM_UP_ITERATIONS:\([0-9]*\)}.*/\1/p' src/main/resources/application.yaml)
echo "$(nproc) cores, $REPS starts each, warm-up off (0) and default ($DEFAULT iterations)"
for rep in $(seq 1 "$REPS"); do
    for iterations in 0 "$DEFAULT"; do
        run "$iterations" "$rep" | tee -a "$WORK/results"
    done
done
python3 - "$WORK/results" "$DEFAULT" <<'PY'
import re, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    f = dict(re.findall(r"(\S+)=\s*([\d.]+)", line))
    rows.setdefault(f["iterations"], []).append({k: float(v) for k, v in f.items()})
def med(it, key):
    return statistics.median(r[key] for r in rows[it])
for it in ("0", sys.argv[2]):
    print(f"warm-up {it:>4}: ready {med(it, 'ready'):.2f}s, first 1-row {med(it, 'first-1'):.2f} ms = "
          f"{med(it, 'first-1') / med(it, 'steady-1'):.1f} x steady ({med(it, 'steady-1'):.2f} ms); first 64-row "
          f"{med(it, 'first-64'):.2f} ms = {med(it, 'first-64') / med(it, 'steady-64'):.1f} x steady "
          f"({med(it, 'steady-64'):.2f} ms)")
print(f"first 1-row request without / with warm-up: {med('0', 'first-1') / med(sys.argv[2], 'first-1'):.2f}; "
      f"first 64-row: {med('0', 'first-64') / med(sys.argv[2], 'first-64'):.2f}")
PY

echo "The engine alone, in fresh JVMs (first call and median of 1000, microseconds):"
CLASSPATH_FILE="$WORK/classpath"
./mvnw -B -q -o dependency:build-classpath -Dmdep.outputFile="$CLASSPATH_FILE" -Dmdep.includeScope=runtime
for rep in $(seq 1 "$REPS"); do
    for iterations in 0 "$DEFAULT"; do
        java -cp "target/classes:$(cat "$CLASSPATH_FILE")" bench/warmup/EngineFirstCall.java "$iterations"
    done
done
