"""PyTorch reference timings for the engine benchmark (bench/engine.sh, docs/performance.md).

The reference configuration, built with lrnn.py: input 2, two LRNN layers r = 64, d = 4, h = 8,
sin, omega 30 then 1, LayerNorm on both, per-neuron functions, a regression head with 1 output;
a batch of 16,384 rows, x uniform in [-1, 1]^2, target sin(pi x1) cos(pi x2) (as in
src/jmh/java/io/lrnn/bench/EngineBenchmark.java). CPU, 2 threads.

Measures, in seconds (each as {"median", "best", "runs"}: warmup calls, then timed runs):
  forward      net(x) under no_grad for the 16,384 rows
  train_step   zero_grad + forward + MSE + backward + Adam step over the 16,384 rows
  predict_row  net(x) under no_grad for 1 row (each run: the mean over a loop of 1,000 calls)
  predict_64   the same for 64 rows (loops of 200 calls)
  predict_row_1thread, predict_64_1thread: the same with torch.set_num_threads(1)
and prints one JSON object; peak_rss_mib is the process's peak resident set (getrusage).
With --report DIR it instead prints the comparison table of DIR/jmh.json (the JMH run of
EngineBenchmark) against DIR/torch-float32.json and DIR/torch-float64.json.

    /usr/bin/python3 tools/python/bench_reference.py [--dtype float32|float64] [--threads 2] > out.json
    /usr/bin/python3 tools/python/bench_reference.py --report target/bench
"""

import argparse
import json
import math
import os
import platform
import resource
import statistics
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lrnn  # noqa: E402

BATCH = 16384
SMALL_BATCH = 64
CONFIG = {
    "task": "regression", "inputs": ["x1", "x2"], "outputs": ["y"],
    "layers": [
        {"type": "lrnn", "width": 64, "projection": 4, "hidden": 8, "activation": "sin",
         "omega": 30.0, "sharedFunctions": False, "layerNorm": True},
        {"type": "lrnn", "width": 64, "projection": 4, "hidden": 8, "activation": "sin",
         "omega": 1.0, "sharedFunctions": False, "layerNorm": True},
    ],
}


def timed(fn, warmup, runs):
    """Timings (seconds) of `runs` calls after `warmup` untimed ones: median, best and all."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return {"median": statistics.median(times), "best": min(times), "runs": times}


def latency(fn, calls, repeats):
    """The mean time (seconds) of one call in a loop of `calls`, `repeats` times: median, best, all."""
    for _ in range(calls):
        fn()
    means = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        means.append((time.perf_counter() - start) / calls)
    return {"median": statistics.median(means), "best": min(means), "runs": means}


# Rows of the report: label, JMH benchmark of EngineBenchmark, key of this script's JSON.
REPORT_ROWS = [
    ("forward, 16,384 rows", "forwardBatch", "forward"),
    ("training step, 16,384 rows", "trainStep", "train_step"),
    ("predict, 1 row", "predictRow", "predict_row"),
    ("predict, 64 rows", "predictSmallBatch", "predict_64"),
    ("predict, 1 row (PyTorch 1 thread)", "predictRow", "predict_row_1thread"),
    ("predict, 64 rows (PyTorch 1 thread)", "predictSmallBatch", "predict_64_1thread"),
]
_UNIT = {"s/op": 1.0, "ms/op": 1e-3, "us/op": 1e-6, "\u00b5s/op": 1e-6, "ns/op": 1e-9}


def _num(seconds, unit):
    v = seconds / (1.0 if unit == "s" else 1e-6)
    return ("%.0f" if abs(v) >= 1000 else "%.4g") % v + " " + unit


def report(out):
    """Tables of the JMH results (out/jmh.json) against out/torch-float32.json and -float64.json."""
    jmh = {r["benchmark"].rsplit(".", 1)[1]: r for r in json.load(open(os.path.join(out, "jmh.json")))}
    engine = {}
    for name, r in jmh.items():
        m = r["primaryMetric"]
        scale = _UNIT[m["scoreUnit"]]
        iterations = [float(v) for fork in m["rawData"] for v in fork]
        alloc = float("nan")
        for key, sec in r.get("secondaryMetrics", {}).items():
            if key.lstrip("\u00b7") == "gc.alloc.rate.norm":
                alloc = float(sec["score"])
        engine[name] = {"mean": float(m["score"]) * scale, "error": float(m["scoreError"]) * scale,
                        "best": min(iterations) * scale, "alloc": alloc}
    for dtype in ("float32", "float64"):
        path = os.path.join(out, "torch-%s.json" % dtype)
        if not os.path.exists(path):
            continue
        ref = json.load(open(path))
        print()
        print("engine (float64, JMH, 2-thread pool) vs PyTorch %s %s (%d threads)"
              % (ref["torch"], dtype, ref["threads"]))
        print("%-36s %21s %10s   %10s %10s   %8s %6s" % ("", "engine mean +-99.9%", "best", "PyTorch med",
                                                       "best", "ratio", "best"))
        for label, bench, key in REPORT_ROWS:
            e, t = engine[bench], ref[key]
            unit = "s" if key in ("forward", "train_step") else "us"
            err = "+-%.0f%%" % (100 * e["error"] / e["mean"]) if e["error"] == e["error"] else ""
            print("%-36s %14s %6s %10s   %10s %10s   %8.2f %6.2f" % (
                label, _num(e["mean"], unit), err, _num(e["best"], unit), _num(t["median"], unit),
                _num(t["best"], unit), t["median"] / e["mean"], t["best"] / e["best"]))
    print()
    print("ratio = PyTorch median / engine mean, best = PyTorch best / engine best iteration;")
    print("> 1 means the engine is faster.")
    for label, bench, _ in REPORT_ROWS[:4]:
        print("engine allocation per operation, %-28s %12.0f bytes" % (label + ":", engine[bench]["alloc"]))
    for dtype in ("float32", "float64"):
        path = os.path.join(out, "torch-%s.json" % dtype)
        if os.path.exists(path):
            print("PyTorch %s peak RSS (all of the above in one process): %.0f MiB"
                  % (dtype, json.load(open(path))["peak_rss_mib"]))
    engine_path, torch_path = os.path.join(out, "memory-engine.json"), os.path.join(out, "memory-torch.json")
    if os.path.exists(engine_path) and os.path.exists(torch_path):
        e, t = json.load(open(engine_path)), json.load(open(torch_path))
        print()
        print("memory of %d full-batch training steps, each in a process of its own (MiB)" % e["steps"])
        print("%-34s %10s %10s %8s" % ("", "engine", "PyTorch", "ratio"))
        for label, key in (("peak resident set", "peak_rss_mib"), ("resident set before training", "rss_before_training_mib")):
            print("%-34s %10.0f %10.0f %8.2f" % (label, e[key], t[key], t[key] / e[key]))
        grown_e = e["peak_rss_mib"] - e["rss_before_training_mib"]
        grown_t = t["peak_rss_mib"] - t["rss_before_training_mib"]
        print("%-34s %10.0f %10.0f %8.2f" % ("growth during training", grown_e, grown_t, grown_t / grown_e))
        print("engine training state on the heap: %.1f MiB (%s GC, max heap %.0f MiB); PyTorch %s"
              % (e["training_state_mib"], e["gc"], e["max_heap_mib"], t["dtype"]))


def proc_status_mib(key):
    """A memory line of /proc/self/status (kB) in MiB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024.0
    raise KeyError(key)


def memory(net, x, y, optimizer, loss_fn, steps=3):
    """Peak resident set of full-batch training steps, and the resident set before the first one."""
    before = proc_status_mib("VmRSS")
    start = time.perf_counter()
    for _ in range(steps):
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(net(x), y)
        loss.backward()
        optimizer.step()
    print(json.dumps({"torch": torch.__version__, "dtype": str(x.dtype).replace("torch.", ""),
                      "threads": torch.get_num_threads(), "steps": steps,
                      "seconds_per_step": (time.perf_counter() - start) / steps, "loss": float(loss),
                      "peak_rss_mib": proc_status_mib("VmHWM"), "rss_before_training_mib": before}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dtype", choices=["float32", "float64"], default="float32")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--memory", action="store_true",
                        help="only run 3 training steps and print the process's memory (as TrainingMemory.java)")
    parser.add_argument("--report", metavar="DIR",
                        help="print the comparison of DIR/jmh.json with DIR/torch-*.json and exit")
    args = parser.parse_args()
    if args.report:
        report(args.report)
        return

    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    dtype = getattr(torch, args.dtype)
    net = lrnn.LrnnNet(CONFIG, dtype=dtype)
    x = torch.rand(BATCH, 2, dtype=dtype) * 2 - 1
    y = torch.sin(math.pi * x[:, :1]) * torch.cos(math.pi * x[:, 1:])
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = torch.nn.MSELoss()

    if args.memory:
        memory(net, x, y, optimizer, loss_fn)
        return

    def forward():
        with torch.no_grad():
            return net(x)

    def train_step():
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(net(x), y)
        loss.backward()
        optimizer.step()
        return loss

    row = x[:1].clone()
    small = x[:SMALL_BATCH].clone()

    def predict_row():
        with torch.no_grad():
            return net(row)

    def predict_small():
        with torch.no_grad():
            return net(small)

    results = {"forward": timed(forward, args.warmup, args.runs),
               "train_step": timed(train_step, args.warmup, args.runs),
               "predict_row": latency(predict_row, 1000, 5),
               "predict_64": latency(predict_small, 200, 5)}
    # The engine's 1-row and 64-row paths run in the calling thread: the same in PyTorch.
    torch.set_num_threads(1)
    results["predict_row_1thread"] = latency(predict_row, 1000, 5)
    results["predict_64_1thread"] = latency(predict_small, 200, 5)
    torch.set_num_threads(args.threads)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(json.dumps(dict({
        "torch": torch.__version__, "python": platform.python_version(), "dtype": args.dtype,
        "threads": torch.get_num_threads(), "batch": BATCH,
        "parameters": sum(p.numel() for p in net.parameters()),
        "peak_rss_mib": peak_kib / 1024.0}, **results), indent=1))


if __name__ == "__main__":
    main()
