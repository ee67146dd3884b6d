#!/usr/bin/env bash
# Load test of the Open Inference Protocol's infer over gRPC next to REST (V2 JSON) in the same
# run, against the service and its example model `demo`: 1-row and 64-row requests, requests/s
# and p99 of each, and the gRPC/REST ratios (io.lrnn.bench.GrpcLoad, one closed-loop client for
# both; ghz is not packaged). Runs at nice 19.
# Two rounds of each case after a warm-up: about 5 x (seconds per case) + 20 s, plus the build.
# Usage: bench/grpc-load.sh [seconds per case and round, default 15] [requests in flight, default: cores]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_CASE=${1:-15}
CONCURRENCY=${2:-$(nproc)}
HTTP_PORT=18090
GRPC_PORT=18091

nice -n 19 ./mvnw -B -q -Dmaven.test.skip=true package
nice -n 19 ./mvnw -B -q -Pbench test-compile
JAR=$(ls target/lrnn-serve-*.jar | grep -v plain | head -n 1)
LOGS=$(mktemp -d)

cleanup() { [ -n "${SERVICE:-}" ] && kill "$SERVICE" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT

nice -n 19 java -Xmx1g -XX:+UseParallelGC -jar "$JAR" --server.port=$HTTP_PORT --lrnn.grpc.port=$GRPC_PORT \
    --spring.datasource.url="jdbc:h2:mem:grpc-load;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH" \
    --logging.level.root=WARN > "$LOGS/service.log" 2>&1 &
SERVICE=$!
for _ in $(seq 1 120); do
    curl -sf -o /dev/null "http://127.0.0.1:$HTTP_PORT/readyz" && break
    sleep 1
done
curl -sf -o /dev/null "http://127.0.0.1:$HTTP_PORT/readyz" || { cat "$LOGS/service.log"; exit 1; }

echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
nice -n 19 ./mvnw -B -q -Pbench exec:exec -Dbench.main=io.lrnn.bench.GrpcLoad -Dbench.jvm="-Xmx512m" \
    -Djmh.args="--grpc-port $GRPC_PORT --http-port $HTTP_PORT --seconds $SECONDS_PER_CASE --concurrency $CONCURRENCY"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
