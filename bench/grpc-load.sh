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
    -Djmh.args="--grpc-port $GRPC_PORT --http-port $HTTP_PORT --seconds $SECONDS_PER_CASE --concurrency $CONCURRENCY" \
    | tee "$LOGS/java.txt"

# Then both once more with C clients, lighter than the JVM's, at the same concurrency: REST with
# wrk (apt-get install wrk), gRPC with h2load (apt-get install nghttp2-client; it prints no
# percentiles, and does not read gRPC's status, so the server's count of failed ModelInfer calls
# is printed after). Each gets 5 s of warm-up.
if command -v wrk >/dev/null && command -v h2load >/dev/null; then
    nice -n 19 ./mvnw -B -q -Pbench exec:exec -Dbench.main=io.lrnn.bench.GrpcLoad -Dbench.jvm="-Xmx256m" \
        -Djmh.args="--write-frames $LOGS"
    for rows in 1 64; do
        body=$(python3 -c "import json,random; random.seed($rows); print(json.dumps({'inputs': [{'name': 'input-0',
            'shape': [$rows, 2], 'datatype': 'FP64', 'data': [random.uniform(-1, 1) for _ in range(2 * $rows)]}]}))")
        url="http://127.0.0.1:$HTTP_PORT/v2/models/demo/infer"
        BODY="$body" nice -n 19 wrk -t1 -c"$CONCURRENCY" -d5s -s bench/post.lua "$url" > /dev/null
        out=$(BODY="$body" nice -n 19 wrk -t1 -c"$CONCURRENCY" -d"${SECONDS_PER_CASE}s" --latency -s bench/post.lua "$url")
        rest=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
        p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
        errors=$(awk '/Non-2xx/ {print $5}' <<<"$out")
        h2=(nice -n 19 h2load -t1 -c"$CONCURRENCY" -m1 -d "$LOGS/grpc-$rows.bin" -H 'content-type: application/grpc'
            -H 'te: trailers' "http://127.0.0.1:$GRPC_PORT/inference.GRPCInferenceService/ModelInfer")
        "${h2[@]}" -D 5 > /dev/null
        out=$("${h2[@]}" -D "$SECONDS_PER_CASE")
        grpc=$(awk '/^finished in/ {print $4}' <<<"$out")
        mean=$(awk '/^time for request:/ {print $6}' <<<"$out")
        name=$([ "$rows" = 1 ] && echo "1-row" || echo "64-rows")
        printf 'rest-%-9s %10.0f req/s   (wrk)      p99 %-9s non-2xx %s\n' "$name" "$rest" "$p99" "${errors:-0}"
        printf 'grpc-%-9s %10.0f req/s   (h2load)   mean %s; gRPC/REST %.2f x with C clients\n' "$name" "$grpc" \
            "$mean" "$(python3 -c "print($grpc / $rest)")"
    done
    curl -s "http://127.0.0.1:$HTTP_PORT/actuator/prometheus" | awk '/^lrnn_grpc_server_seconds_count/ && /ModelInfer/' \
        | sed 's/^/server: /'
fi
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
