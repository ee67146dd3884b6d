#!/usr/bin/env bash
# Load test of the predict endpoint with wrk (apt-get install wrk), against a trivial Spring Boot
# JSON endpoint started the same way on the same machine (bench/baseline/BaselineApp.java).
# Usage: bench/predict.sh [seconds per run, default 20]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-20}
THREADS=2
CONNECTIONS=32
SERVICE_PORT=18080
BASELINE_PORT=18081
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

./mvnw -B -q -Dmaven.test.skip=true package
JAR=$(ls target/lrnn-serve-*.jar | grep -v plain | head -n 1)
CLASSPATH_FILE=$(mktemp)
./mvnw -B -q dependency:build-classpath -Dmdep.outputFile="$CLASSPATH_FILE" -Dmdep.includeScope=runtime
JAVA_OPTS="-Xmx1g -XX:+UseParallelGC"
LOGS=$(mktemp -d)

cleanup() { kill "${PIDS[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -f "$CLASSPATH_FILE"; }
PIDS=()
trap cleanup EXIT

java $JAVA_OPTS -jar "$JAR" --server.port=$SERVICE_PORT --lrnn.models.store-directory="$LOGS/store" \
    --logging.level.root=WARN > "$LOGS/service.log" 2>&1 &
PIDS+=($!)
java $JAVA_OPTS -cp "$(cat "$CLASSPATH_FILE")" bench/baseline/BaselineApp.java --server.port=$BASELINE_PORT \
    --logging.level.root=WARN > "$LOGS/baseline.log" 2>&1 &
PIDS+=($!)
for port in $SERVICE_PORT $BASELINE_PORT; do
    for _ in $(seq 1 120); do
        curl -sf -o /dev/null "http://127.0.0.1:$port/actuator/health" 2>/dev/null && break
        curl -s -o /dev/null -XPOST -H 'Content-Type: application/json' -d '{"values":[1]}' \
            "http://127.0.0.1:$port/sum" 2>/dev/null && break
        sleep 1
    done
done

ROW1='{"instances": [[0.25, -0.5]]}'
ROW64=$(python3 -c 'import json,random; random.seed(1); print(json.dumps({"instances": [[random.uniform(-1,1), random.uniform(-1,1)] for _ in range(64)]}))')
SUM='{"values": [0.25, -0.5, 1.5, 2.0]}'

# run NAME URL BODY: prints "NAME requests/s p50 p99" from wrk's latency distribution.
run() {
    local out
    out=$(BODY="$3" wrk -t$THREADS -c$CONNECTIONS -d"${SECONDS_PER_RUN}s" --latency -s bench/post.lua "$2")
    local rps p50 p99 errors
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    errors=$(awk '/Non-2xx/ {print $5}' <<<"$out")
    printf '%-22s %10s req/s   p50 %-9s p99 %-9s non-2xx %s\n' "$1" "$rps" "$p50" "$p99" "${errors:-0}"
    echo "$rps" > "$LOGS/$1.rps"
}

# Warm up both JVMs' JIT before measuring.
BODY="$SUM" wrk -t$THREADS -c$CONNECTIONS -d10s -s bench/post.lua "http://127.0.0.1:$BASELINE_PORT/sum" >/dev/null
BODY="$ROW1" wrk -t$THREADS -c$CONNECTIONS -d10s -s bench/post.lua "http://127.0.0.1:$SERVICE_PORT/api/v1/models/demo/predict" >/dev/null
BODY="$ROW64" wrk -t$THREADS -c$CONNECTIONS -d5s -s bench/post.lua "http://127.0.0.1:$SERVICE_PORT/api/v1/models/demo/predict" >/dev/null

echo "wrk -t$THREADS -c$CONNECTIONS, ${SECONDS_PER_RUN}s per run, $(nproc) cores"
run baseline-sum "http://127.0.0.1:$BASELINE_PORT/sum" "$SUM"
run predict-1-row "http://127.0.0.1:$SERVICE_PORT/api/v1/models/demo/predict" "$ROW1"
run predict-64-rows "http://127.0.0.1:$SERVICE_PORT/api/v1/models/demo/predict" "$ROW64"
python3 - "$LOGS" <<'PY'
import sys, pathlib
d = pathlib.Path(sys.argv[1])
base = float((d / "baseline-sum.rps").read_text())
for name in ("predict-1-row", "predict-64-rows"):
    rps = float((d / f"{name}.rps").read_text())
    print(f"{name}: {rps / base:.2f} x the baseline's request rate ({rps * (64 if '64' in name else 1):.0f} rows/s)")
PY
