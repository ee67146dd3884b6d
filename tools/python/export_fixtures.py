"""Writes the model-format-version-1 golden fixtures (src/test/resources/fixtures/format-v1/).

Each fixture is a model directory (model.json + weights.safetensors, F64) written by
lrnn.save_model, plus golden.json = {"inputs": raw feature rows, "outputs": what the served model
returns for them} (regression: target values after denormalisation; classification: softmax
probabilities). The Java test GoldenFixtureTest loads them with ModelFiles.read and must reproduce
the outputs to 1e-9. These files must keep loading forever: change them only on purpose.

Everything is seeded and in double precision; parameters are moved away from their initial
values by random noise so that every tensor (e, biases, LayerNorm affine) changes the outputs.
Before writing, the PyTorch outputs are checked against a plain-Python evaluation of the
formulas of LRNN.md section 1, and every tensor is checked to matter.

    /usr/bin/python3 tools/python/export_fixtures.py [output_dir]
"""

import hashlib
import json
import math
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

import lrnn  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
DEFAULT_OUT = os.path.join(ROOT, "src", "test", "resources", "fixtures", "format-v1")
CREATED_AT = "2026-11-29T00:00:00+00:00"   # fixed, so that regenerating gives identical files
ROWS = 16
NOISE = 0.1          # std of the noise added to every parameter
SELF_CHECK_TOL = 1e-12
MIN_EFFECT = 1e-6    # every tensor must move some output at least this much

FIXTURES = [
    {
        "name": "regression-lrnn-layernorm",
        "seed": 101,
        "config": {
            "task": "regression", "inputs": ["x1", "x2", "x3"], "outputs": ["y1", "y2"],
            "normalization": {"inputMean": [1.5, -2.0, 100.0], "inputStd": [0.5, 3.0, 20.0],
                              "targetMean": [10.0, -1.0], "targetStd": [2.5, 0.3]},
            "layers": [
                {"type": "lrnn", "width": 8, "projection": 3, "hidden": 4, "activation": "sin",
                 "omega": 30.0, "sharedFunctions": False, "layerNorm": True},
                {"type": "lrnn", "width": 6, "projection": 2, "hidden": 3, "activation": "sin",
                 "omega": 1.0, "sharedFunctions": False, "layerNorm": True},
            ],
        },
    },
    {
        # No normalization block at all: it is optional in format version 1.
        "name": "regression-lrnn-shared",
        "seed": 102,
        "config": {
            "task": "regression", "inputs": ["u", "v"], "outputs": ["f"],
            "layers": [
                {"type": "lrnn", "width": 5, "projection": 4, "hidden": 6, "activation": "sin",
                 "omega": 5.0, "sharedFunctions": True, "layerNorm": False},
                {"type": "lrnn", "width": 4, "projection": 2, "hidden": 3, "activation": "sin",
                 "omega": 1.0, "sharedFunctions": True, "layerNorm": False},
            ],
        },
    },
    {
        "name": "classification-dense-lrnn",
        "seed": 103,
        "config": {
            "task": "classification", "inputs": ["sepal_length", "sepal_width", "petal_length", "petal_width"],
            "outputs": ["setosa", "versicolor", "virginica"],
            "normalization": {"inputMean": [5.8, 3.0, 3.8, 1.2], "inputStd": [0.8, 0.4, 1.8, 0.8],
                              "targetMean": [], "targetStd": []},
            "layers": [
                {"type": "dense", "width": 6, "activation": "tanh"},
                {"type": "lrnn", "width": 5, "projection": 3, "hidden": 4, "activation": "sin",
                 "omega": 1.0, "sharedFunctions": False, "layerNorm": True},
            ],
        },
    },
    {
        "name": "regression-spder",
        "seed": 104,
        "config": {
            "task": "regression", "inputs": ["t", "s"], "outputs": ["y"],
            "normalization": {"inputMean": [0.5, -3.0], "inputStd": [0.25, 2.0],
                              "targetMean": [0.7], "targetStd": [1.9]},
            "layers": [
                {"type": "lrnn", "width": 6, "projection": 3, "hidden": 4, "activation": "spder",
                 "omega": 10.0, "sharedFunctions": False, "layerNorm": True},
                {"type": "dense", "width": 5, "activation": "sine", "omega": 30.0},
            ],
        },
    },
]


def raw_inputs(config, generator):
    """ROWS raw rows: standardised values U(-2, 2) mapped back through the normalisation."""
    n = len(config["inputs"])
    x = torch.rand(ROWS, n, dtype=torch.float64, generator=generator) * 4 - 2
    norm = config.get("normalization")
    if norm is not None:
        x = x * torch.tensor(norm["inputStd"], dtype=torch.float64) + torch.tensor(norm["inputMean"],
                                                                                   dtype=torch.float64)
    return x


def reference_predict(state, config, rows):
    """Literal, loop-by-loop evaluation of LRNN.md sections 1 and 6 (the check on the PyTorch module).

    Returns (outputs, smallest |t| seen by an SPDER function)."""
    p = {name: t.tolist() for name, t in state.items()}
    norm = config.get("normalization")
    min_spder_t = math.inf
    outputs = []
    for row in rows:
        u = list(row)
        if norm is not None:
            u = [(x - m) / s for x, m, s in zip(u, norm["inputMean"], norm["inputStd"])]
        for k, layer in enumerate(config["layers"]):
            pre = "layers.%d." % k
            if layer["type"] == "dense":
                w, b, omega = p[pre + "weight"], p[pre + "bias"], layer.get("omega", 1.0)
                act = {"tanh": math.tanh, "relu": lambda x: max(x, 0.0),
                       "sine": lambda x: math.sin(omega * x)}[layer["activation"]]
                u = [act(sum(wi * x for wi, x in zip(w[o], u)) + b[o]) for o in range(len(b))]
                continue
            r, d, h = layer["width"], layer["projection"], layer["hidden"]
            omega, gamma, shared = layer["omega"], d ** -0.5, layer["sharedFunctions"]
            w, b = p[pre + "proj.weight"], p[pre + "proj.bias"]
            products = []
            for i in range(r):
                product = 1.0
                for j in range(d):
                    z = sum(wi * x for wi, x in zip(w[i * d + j], u)) + b[i * d + j]
                    a, c, v = (p[pre + "g." + t][j] if shared else p[pre + "g." + t][i][j] for t in "acv")
                    g = p[pre + "g.e"][j] if shared else p[pre + "g.e"][i][j]
                    for q in range(h):
                        t = omega * (a[q] * z + c[q])
                        if layer["activation"] == "spder":
                            min_spder_t = min(min_spder_t, abs(t))
                            g += v[q] * math.sin(t) * math.sqrt(abs(t))
                        else:
                            g += v[q] * math.sin(t)
                    product *= 1 + gamma * g
                products.append(product)
            if layer["layerNorm"]:
                mean = sum(products) / r
                var = sum((x - mean) ** 2 for x in products) / r
                alpha, beta = p[pre + "norm.weight"], p[pre + "norm.bias"]
                products = [alpha[i] * (x - mean) / math.sqrt(var + 1e-5) + beta[i] for i, x in enumerate(products)]
            u = products
        w, b = p["head.weight"], p["head.bias"]
        y = [sum(wi * x for wi, x in zip(w[o], u)) + b[o] for o in range(len(b))]
        if config["task"] == "classification":
            top = max(y)
            exps = [math.exp(x - top) for x in y]
            y = [x / sum(exps) for x in exps]
        elif norm is not None:
            y = [x * s + m for x, m, s in zip(y, norm["targetMean"], norm["targetStd"])]
        outputs.append(y)
    return outputs, min_spder_t


def build(fixture):
    """The perturbed network, its raw golden inputs and outputs."""
    config = fixture["config"]
    torch.manual_seed(fixture["seed"])
    net = lrnn.LrnnNet(config, dtype=torch.float64)
    with torch.no_grad():
        for tensor in net.state_dict().values():
            tensor.add_(NOISE * torch.randn_like(tensor))
    generator = torch.Generator().manual_seed(fixture["seed"] + 1000)
    x = raw_inputs(config, generator)
    return net, x, lrnn.predict(net, x, config.get("normalization"))


def check(fixture, net, x, y):
    """PyTorch versus the literal formulas; every tensor matters; no SPDER argument is 0."""
    config = fixture["config"]
    state = {name: t.clone() for name, t in net.state_dict().items()}
    expected, min_spder_t = reference_predict(state, config, x.tolist())
    diff = (y - torch.tensor(expected, dtype=torch.float64)).abs().max().item()
    if diff > SELF_CHECK_TOL:
        raise AssertionError("%s: PyTorch and the reference differ by %g" % (fixture["name"], diff))
    if min_spder_t < 1e-3:
        raise AssertionError("%s: an SPDER argument is %g, too close to 0" % (fixture["name"], min_spder_t))
    generator = torch.Generator().manual_seed(fixture["seed"])
    for name, tensor in state.items():
        changed = dict(state)
        changed[name] = tensor + 0.05 * torch.randn(tensor.shape, dtype=torch.float64, generator=generator)
        outputs, _ = reference_predict(changed, config, x.tolist())
        effect = (torch.tensor(outputs, dtype=torch.float64) - y).abs().max().item()
        if effect < MIN_EFFECT:
            raise AssertionError("%s: tensor %s does not change the outputs (%g)" % (fixture["name"], name, effect))
    return diff, min_spder_t


def export(fixture, out_dir):
    net, x, y = build(fixture)
    diff, min_spder_t = check(fixture, net, x, y)
    golden = {"inputs": x.tolist(), "outputs": y.tolist()}
    digest = "sha256:" + hashlib.sha256(json.dumps(golden["inputs"]).encode("utf-8")).hexdigest()
    config = dict(fixture["config"], provenance={
        "createdAt": CREATED_AT, "datasetDigest": digest,
        "config": {"seed": fixture["seed"], "noise": NOISE,
                   "note": "golden fixture: initialised, then perturbed by noise; not trained"}})
    target = os.path.join(out_dir, fixture["name"])
    lrnn.save_model(net, config, target, dtype="F64")
    with open(os.path.join(target, "golden.json"), "w") as out:
        json.dump(golden, out, indent=1)
        out.write("\n")
    # The written files must read back to the same predictions.
    back, model = lrnn.load_model(target)
    again = lrnn.predict(back, x, model.get("normalization"))
    if not torch.equal(again, y):
        raise AssertionError("%s: the saved model predicts differently" % fixture["name"])
    size = os.path.getsize(os.path.join(target, "weights.safetensors"))
    print("%-28s %5d bytes of weights, PyTorch vs reference %.1e, min |t| spder %s"
          % (fixture["name"], size, diff, "%.3g" % min_spder_t if math.isfinite(min_spder_t) else "-"))


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUT
    torch.set_num_threads(1)
    for fixture in FIXTURES:
        export(fixture, out_dir)


if __name__ == "__main__":
    main()
