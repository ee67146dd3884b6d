#!/usr/bin/env bash
# Runs the README's five-minute tour as written: starts the service with the README's run
# command on a free port and a fresh H2 file, executes the tour's bash block, and checks that
# the job succeeded and both predict APIs answered. Used by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${TOUR_PORT:-18090}
WORK=$(mktemp -d)
LOG="$WORK/service.log"

awk '/^## A five-minute tour/ {tour = 1} tour && /^```bash/ {block = 1; next} block && /^```/ {exit} block {print}' \
    README.md | sed "s/localhost:8080/localhost:$PORT/g" > "$WORK/tour.sh"
[ -s "$WORK/tour.sh" ] || { echo "README tour: no bash block found" >&2; exit 1; }

PORT=$PORT LRNN_GRPC_PORT=${TOUR_GRPC_PORT:--1} LRNN_DATABASE_URL="jdbc:h2:file:$WORK/lrnn;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH" \
    setsid ./mvnw -B -q spring-boot:run > "$LOG" 2>&1 &
SERVICE=$!
trap 'kill -- -$SERVICE 2>/dev/null || true; wait $SERVICE 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 180); do
    curl -sf -o /dev/null "localhost:$PORT/readyz" && break
    kill -0 $SERVICE 2>/dev/null || { cat "$LOG" >&2; echo "README tour: the service did not start" >&2; exit 1; }
    sleep 1
done

OUT="$WORK/tour.out"
timeout 300 bash -euo pipefail "$WORK/tour.sh" > "$OUT" 2>&1 || { cat "$OUT" >&2; echo "README tour: a command failed" >&2; exit 1; }
check() {
    grep -q "$1" "$OUT" || { cat "$OUT" >&2; echo "README tour: expected $2" >&2; exit 1; }
}
check '"model":"demo"' "a prediction from the example model"
check '"state":"SUCCEEDED"' "the training job to succeed"
check '"model":"product","version":"1"' "a prediction from the trained model"
check '"model_name":"product"' "an Open Inference Protocol answer"
echo "README tour: every command ran and answered as described"
