#!/usr/bin/env bash
# Normal predict traffic while predict is flooded with maximal bodies (docs/security.md, "Predict").
#
#   bench/predict-flood.sh [seconds per run, default 20] [flood connections, default 8]
#
# Starts the service jar as the chart sizes it (-Xmx768m, -XX:+ExitOnOutOfMemoryError), warms it
# up, then measures 1-row predict requests with wrk (apt-get install -y wrk) twice in the same
# run: alone (the baseline), and while a small client floods both predict APIs from several
# connections with bodies just under lrnn.predict.max-body-size (~1.4M native rows, ~4M V2
# values, 1,000 valid rows padded with spaces). Prints each run's rate and p99, the flood's answers by status, every 5xx, whether the
# process is still alive, and its peak resident set (VmHWM from /proc/<pid>/status). SERVICE_ARGS
# adds service arguments, e.g. SERVICE_ARGS=--lrnn.predict.memory-share=0.05.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-20}
FLOODERS=${2:-8}
THREADS=2
CONNECTIONS=16
PORT=18090
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

./mvnw -B -q -Dmaven.test.skip=true package
JAR=$(ls target/lrnn-serve-*.jar | grep -v plain | head -n 1)
WORK=$(mktemp -d)
PID=
cleanup() { [ -z "$PID" ] || kill "$PID" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

java -Xmx768m -XX:+ExitOnOutOfMemoryError -jar "$JAR" --server.port=$PORT --logging.level.root=WARN \
    --spring.datasource.url="jdbc:h2:file:$WORK/lrnn;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH" \
    --lrnn.models.directory=models --lrnn.jobs.workers=0 ${SERVICE_ARGS:-} > "$WORK/service.log" 2>&1 &
PID=$!
for _ in $(seq 1 120); do
    curl -sf -o /dev/null "http://127.0.0.1:$PORT/readyz" && break
    sleep 1
done
curl -sf -o /dev/null "http://127.0.0.1:$PORT/readyz" || { cat "$WORK/service.log"; exit 1; }

URL="http://127.0.0.1:$PORT/api/v1/models/demo/predict"
ROW1='{"instances": [[0.25, -0.5]]}'

# run NAME: wrk's 1-row predict for SECONDS_PER_RUN; prints rate, p50, p99, non-2xx and socket errors.
run() {
    local out
    out=$(BODY="$ROW1" wrk -t$THREADS -c$CONNECTIONS -d"${SECONDS_PER_RUN}s" --latency -s bench/post.lua "$URL")
    printf '%-16s %10s req/s   p50 %-9s p99 %-9s non-2xx %s   socket errors %s\n' "$1" \
        "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" "$(awk '$1 == "50%" {print $2}' <<<"$out")" \
        "$(awk '$1 == "99%" {print $2}' <<<"$out")" "$(awk '/Non-2xx/ {print $5}' <<<"$out" | grep . || echo 0)" \
        "$(grep -o 'Socket errors:.*' <<<"$out" || echo none)"
}

BODY="$ROW1" wrk -t$THREADS -c$CONNECTIONS -d10s -s bench/post.lua "$URL" >/dev/null
echo "wrk -t$THREADS -c$CONNECTIONS 1-row predict, ${SECONDS_PER_RUN}s per run, $(nproc) cores; flood: $FLOODERS connections"
run alone

# The flood: each connection sends maximal bodies in turn (1.4M native rows, 4M V2 values, and a
# valid 1,000-row body padded with spaces to the limit, which is read whole and answered 200) on a raw socket, the
# body on a thread of its own, so an answer sent before the body is read is still counted.
python3 - "$PORT" "$FLOODERS" "$((SECONDS_PER_RUN + 4))" > "$WORK/flood.txt" <<'PY' &
import socket, sys, threading, time, collections
port, flooders, duration = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
limit = 8 * 1024 * 1024 - 64
def fill(head, rep, tail):
    n = (limit - len(head) - len(tail)) // len(rep)
    return (head + rep * n + tail).encode()
bodies = [("/api/v1/models/demo/predict", fill('{"instances": [[1,2]', ',[1,2]', ']}')),
          ("/v2/models/demo/infer", fill('{"inputs": [{"name": "input-0", "datatype": "FP64", "shape": [%d, 2], '
                                        '"data": [1' % ((limit // 2) // 2), ',1', ']}]}')),
          ("/api/v1/models/demo/predict", fill('{"instances": [' + ','.join(['[0.5,-0.5]'] * 1000), ' ', ']}'))]
counts, lock = collections.Counter(), threading.Lock()
def send(path, body):
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    head = ("POST %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\n"
            "Content-Length: %d\r\n\r\n" % (path, len(body))).encode()
    def write():
        try:
            s.sendall(head + body)
        except OSError:
            pass
    t = threading.Thread(target=write, daemon=True); t.start()
    answer = b""
    try:
        while True:  # the whole answer (Connection: close), so the server never writes to a closed socket
            chunk = s.recv(65536)
            if not chunk:
                break
            answer += chunk
        status = answer[9:12].decode(errors="replace") or "closed"
    except OSError as e:
        status = answer[9:12].decode(errors="replace") if len(answer) >= 12 else type(e).__name__
    s.close()
    return status
def flood(i):
    end = time.time() + duration
    k = i
    while time.time() < end:
        status = send(*bodies[k % 3]); k += 1
        with lock:
            counts[status] += 1
threads = [threading.Thread(target=flood, args=(i,)) for i in range(flooders)]
[t.start() for t in threads]; [t.join() for t in threads]
print("flood answers: " + ", ".join("%s x %d" % kv for kv in sorted(counts.items())))
print("flood 5xx: %d" % sum(v for k, v in counts.items() if k.startswith("5")))
PY
FLOOD=$!
sleep 3
run "during flood"
wait $FLOOD
cat "$WORK/flood.txt"
if kill -0 "$PID" 2>/dev/null; then
    echo "service: alive, /livez $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/livez")," \
        "peak RSS $(awk '/VmHWM/ {printf "%.0f MB", $2 / 1024}' /proc/$PID/status)"
else
    echo "service: DEAD"; tail -20 "$WORK/service.log"
fi
cp "$WORK/service.log" "${TMPDIR:-/tmp}/predict-flood-service.log"
echo "ERROR lines in the service log: $(grep -c ERROR "$WORK/service.log" || true)" \
    "(kept in ${TMPDIR:-/tmp}/predict-flood-service.log)"
grep ERROR "$WORK/service.log" | sed 's/^.*ERROR/ERROR/' | cut -c1-200 | sort | uniq -c | head -5 || true
