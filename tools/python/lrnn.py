"""A small PyTorch implementation of the LRNN served by LRNN Serve.

It follows the project's normative definition (docs: LRNN.md sections 1, 3 and 6): the same
layers, the same initialisation, and parameter names equal to the tensor names of model format
version 1, so that a network trained here (on a GPU, say) can be written with `save_model` and
served by the Java engine unchanged.

    config = {"task": "regression", "inputs": ["x1", "x2"], "outputs": ["y"],
              "layers": [{"type": "lrnn", "width": 64, "projection": 4, "hidden": 8,
                          "activation": "sin", "omega": 30.0, "layerNorm": True}]}
    net = LrnnNet(config)              # train net(x') with x' = (x - inputMean) / inputStd
    save_model(net, config, "out/", normalization=normalization_from(x, y))

`net(x)` returns the head's raw output (standardised targets, or logits); `predict` returns what
the served model returns (target values, or softmax probabilities) for raw feature rows.
"""

import datetime
import json
import math
import os
import struct

import torch
from torch import nn

FORMAT = "lrnn-model"
FORMAT_VERSION = 1
TRAINED_BY = "tools/python/lrnn.py (PyTorch %s)" % torch.__version__

_DTYPES = {"F64": (torch.float64, 8), "F32": (torch.float32, 4)}


def spder(t):
    """SPDER's sigma(t) = sin(t) * sqrt(|t|); its gradient at t = 0 is taken as cos(0) * 0 = 0."""
    # The clamp only changes |t| < tiny, where the value underflows to 0 anyway, and keeps the
    # gradient of sqrt finite there (LRNN.md section 4: the sin(t)/(2 sqrt|t|) term is 0 at 0).
    return torch.sin(t) * torch.sqrt(torch.clamp(t.abs(), min=torch.finfo(t.dtype).tiny))


_SIGMA = {"sin": torch.sin, "spder": spder}


class UnivariateFunctions(nn.Module):
    """The r x d functions g_ij(z) = sum_q v_ijq sigma(omega (a_ijq z + c_ijq)) + e_ij.

    Tensors a, c, v are [r, d, h] and e is [r, d]; with shared functions (g_ij = g_j) they are
    [d, h] and [d].
    """

    def __init__(self, r, d, h, activation="sin", omega=1.0, shared=False):
        super().__init__()
        if activation not in _SIGMA:
            raise ValueError("activation: expected sin or spder but found %r" % (activation,))
        shape = (d, h) if shared else (r, d, h)
        self.a = nn.Parameter(torch.empty(shape))
        self.c = nn.Parameter(torch.empty(shape))
        self.v = nn.Parameter(torch.empty(shape))
        self.e = nn.Parameter(torch.empty(shape[:-1]))
        self.h = h
        self.activation = activation
        self.omega = float(omega)
        self.reset_parameters()

    def reset_parameters(self):
        """LRNN.md section 3: a, c ~ U(-1, 1), v ~ U(-sqrt(6/h), sqrt(6/h)), e = 0."""
        with torch.no_grad():
            self.a.uniform_(-1, 1)
            self.c.uniform_(-1, 1)
            bound = math.sqrt(6.0 / self.h)
            self.v.uniform_(-bound, bound)
            self.e.zero_()

    def forward(self, z):
        """z: [B, r, d] projections -> g: [B, r, d]. Materialises the [B, r, d, h] hidden values."""
        t = self.omega * (self.a * z.unsqueeze(-1) + self.c)
        return (self.v * _SIGMA[self.activation](t)).sum(-1) + self.e


def mean_sigma_square(activation, omega, z_std):
    """E[sigma(omega (a z + c))^2] for a, c ~ U(-1, 1), z ~ N(0, z_std^2): the Java engine's midpoint rule
    (LrnnLayer.meanSigmaSquare: 64 x 64 points for a and c, 129 for z over +-6 z_std), in float64."""
    grid = (torch.arange(64, dtype=torch.float64) * 2 + 1) / 64 - 1
    u = torch.linspace(-6, 6, 129, dtype=torch.float64)
    weight = torch.exp(-0.5 * u * u)
    t = omega * (grid.view(1, 64, 1) * (u * z_std).view(129, 1, 1) + grid.view(1, 1, 64))
    s = torch.sin(t) ** 2
    if activation == "spder":
        s = s * t.abs()
    return float((weight * s.mean((1, 2))).sum() / weight.sum())


INITS = ("uniform", "unit-variance")


class LrnnLayer(nn.Module):
    """One LRNN layer (LRNN.md section 1): n inputs -> r neurons.

    Z = U W^T + b (column i*d + j is projection j of neuron i), f_ij = 1 + gamma g_ij(Z_ij) with
    gamma = d^(-1/2), P_i = prod_j f_ij, then optionally LayerNorm over the r neurons.

    `init` is the Java trainer's LrnnInit: "uniform" (LRNN.md section 3) or "unit-variance" (v's bound
    set so that Var[g] = 1 at initialisation for unit-variance inputs, whatever sigma and omega).
    """

    def __init__(self, n, r, d, h, activation="sin", omega=1.0, shared_functions=False, layer_norm=False,
                 init="uniform"):
        super().__init__()
        if init not in INITS:
            raise ValueError("init: expected uniform or unit-variance but found %r" % (init,))
        self.r, self.d = r, d
        self.gamma = d ** -0.5
        self.proj = nn.Linear(n, r * d)
        self.g = UnivariateFunctions(r, d, h, activation, omega, shared_functions)
        self.norm = nn.LayerNorm(r, eps=1e-5) if layer_norm else None
        with torch.no_grad():
            bound = math.sqrt(6.0 / (n + d))   # Glorot as LRNN.md section 3 defines it
            self.proj.weight.uniform_(-bound, bound)
            self.proj.bias.zero_()
            if init == "unit-variance":
                z_std = math.sqrt(float((self.proj.weight.double() ** 2).mean()) * n)
                unit = math.sqrt(3.0 / (h * mean_sigma_square(activation, float(omega), z_std)))
                self.g.v.mul_(unit / math.sqrt(6.0 / h))

    def forward(self, u):
        z = self.proj(u).reshape(u.shape[0], self.r, self.d)
        p = (1 + self.gamma * self.g(z)).prod(-1)
        return self.norm(p) if self.norm is not None else p


class DenseLayer(nn.Linear):
    """Y = act(U W^T + b), act in tanh, relu, sine (sin(omega x)); tensors layers.{k}.weight/bias.

    Initialised like the Java engine: Glorot uniform, bias 0; sine layers take SIREN's scheme
    (first layer U(-1/n, 1/n), later ones U(-sqrt(6/n)/omega, sqrt(6/n)/omega)).
    """

    def __init__(self, n, width, activation="tanh", omega=1.0, first=False):
        super().__init__(n, width)
        if activation not in ("tanh", "relu", "sine"):
            raise ValueError("activation: expected tanh, relu or sine but found %r" % (activation,))
        self.activation = activation
        self.omega = float(omega)
        with torch.no_grad():
            if activation == "sine":
                bound = 1.0 / n if first else math.sqrt(6.0 / n) / self.omega
            else:
                bound = math.sqrt(6.0 / (n + width))
            self.weight.uniform_(-bound, bound)
            self.bias.zero_()

    def forward(self, u):
        y = super().forward(u)
        if self.activation == "tanh":
            return torch.tanh(y)
        if self.activation == "relu":
            return torch.relu(y)
        return torch.sin(self.omega * y)


def _layer_config(layer):
    """A layer entry of model.json with its defaults filled in (omega 1, no sharing, no norm)."""
    kind = layer.get("type")
    if kind == "lrnn":
        return {"type": "lrnn", "width": int(layer["width"]), "projection": int(layer["projection"]),
                "hidden": int(layer["hidden"]), "activation": layer.get("activation", "sin"),
                "omega": float(layer.get("omega", 1.0)),
                "sharedFunctions": bool(layer.get("sharedFunctions", False)),
                "layerNorm": bool(layer.get("layerNorm", False))}
    if kind == "dense":
        out = {"type": "dense", "width": int(layer["width"]), "activation": layer["activation"]}
        if out["activation"] == "sine":
            out["omega"] = float(layer.get("omega", 1.0))
        return out
    raise ValueError("layers[].type: expected lrnn or dense but found %r" % (kind,))


class LrnnNet(nn.Module):
    """x -> layers -> linear head, built from a model.json-like dict.

    Uses the fields `layers`, `inputs`, `outputs` and `task` (regression or classification); the
    input size is len(inputs) and the head has K = len(outputs) outputs. Parameters are created
    in float32 unless `dtype` says otherwise (use torch.float64 for exact comparisons). `init` starts
    every LRNN layer as the Java trainer's LrnnInit does ("uniform" or "unit-variance"); it is not stored.
    """

    def __init__(self, config, dtype=None, init="uniform"):
        super().__init__()
        if config.get("task") not in ("regression", "classification"):
            raise ValueError("task: expected regression or classification but found %r" % (config.get("task"),))
        self.task = config["task"]
        self.layer_configs = [_layer_config(layer) for layer in config["layers"]]
        if not self.layer_configs:
            raise ValueError("layers: expected at least one layer but found none")
        n = len(config["inputs"])
        layers = []
        for k, spec in enumerate(self.layer_configs):
            if spec["type"] == "lrnn":
                layers.append(LrnnLayer(n, spec["width"], spec["projection"], spec["hidden"], spec["activation"],
                                        spec["omega"], spec["sharedFunctions"], spec["layerNorm"], init))
            else:
                layers.append(DenseLayer(n, spec["width"], spec["activation"], spec.get("omega", 1.0), first=k == 0))
            n = spec["width"]
        self.layers = nn.ModuleList(layers)
        self.head = nn.Linear(n, len(config["outputs"]))
        with torch.no_grad():
            bound = math.sqrt(6.0 / (n + len(config["outputs"])))
            self.head.weight.uniform_(-bound, bound)
            self.head.bias.zero_()
        if dtype is not None:
            self.to(dtype)

    def forward(self, x):
        """Standardised features [B, inputs] -> head output [B, K] (standardised targets or logits)."""
        for layer in self.layers:
            x = layer(x)
        return self.head(x)


def normalization_from(x, y=None):
    """Standardisation statistics (population std; 1 where a column is constant) for model.json.

    x: [B, inputs] raw features; y: [B, outputs] raw regression targets (None for classification).
    """
    def stats(t):
        t = torch.as_tensor(t, dtype=torch.float64)
        std = t.std(0, unbiased=False)
        std = torch.where(std > 0, std, torch.ones_like(std))
        return t.mean(0).tolist(), std.tolist()

    mean, std = stats(x)
    out = {"inputMean": mean, "inputStd": std, "targetMean": [], "targetStd": []}
    if y is not None:
        out["targetMean"], out["targetStd"] = stats(y)
    return out


def predict(net, x, normalization=None):
    """What the served model returns for raw rows x: target values, or class probabilities."""
    x = torch.as_tensor(x, dtype=next(net.parameters()).dtype)
    if normalization is not None:
        x = (x - x.new_tensor(normalization["inputMean"])) / x.new_tensor(normalization["inputStd"])
    with torch.no_grad():
        y = net(x)
    if net.task == "classification":
        return torch.softmax(y, -1)
    if normalization is not None and normalization.get("targetMean"):
        y = y * y.new_tensor(normalization["targetStd"]) + y.new_tensor(normalization["targetMean"])
    return y


def write_safetensors(tensors, path, dtype="F64", metadata=None):
    """Writes an ordered {name: tensor} as safetensors: u64 LE header size, JSON header, LE data."""
    if dtype not in _DTYPES:
        raise ValueError("dtype: expected F64 or F32 but found %r" % (dtype,))
    torch_dtype, size = _DTYPES[dtype]
    header, blobs, offset = {}, [], 0
    for name, tensor in tensors.items():
        t = tensor.detach().to("cpu", torch_dtype).contiguous()
        if not torch.isfinite(t).all():
            raise ValueError("%s: expected finite values but found NaN or Inf" % name)
        blob = struct.pack("<%d%s" % (t.numel(), "d" if size == 8 else "f"), *t.flatten().tolist())
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    header["__metadata__"] = {str(k): str(v) for k, v in (metadata or {}).items()}
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as out:
        out.write(struct.pack("<Q", len(text)))
        out.write(text)
        for blob in blobs:
            out.write(blob)


def read_safetensors(path):
    """Reads F64/F32 safetensors into an ordered {name: float64 tensor} (file order)."""
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length).decode("utf-8"))
        data = f.read()
    header.pop("__metadata__", None)
    tensors = {}
    for name, info in sorted(header.items(), key=lambda item: item[1]["data_offsets"][0]):
        begin, end = info["data_offsets"]
        fmt = {"F64": "d", "F32": "f"}[info["dtype"]]
        values = struct.unpack("<%d%s" % ((end - begin) // struct.calcsize(fmt), fmt), data[begin:end])
        tensors[name] = torch.tensor(values, dtype=torch.float64).reshape(info["shape"])
    return tensors


def _values(normalization, field, count, positive=False):
    values = [float(v) for v in normalization.get(field, [])]
    if len(values) != count:
        raise ValueError("normalization.%s: expected %d values but found %d" % (field, count, len(values)))
    for i, v in enumerate(values):
        if not math.isfinite(v) or (positive and v <= 0):
            raise ValueError("normalization.%s[%d]: expected a finite number%s but found %r"
                             % (field, i, " > 0" if positive else "", v))
    return values


def save_model(net, config, dir, dtype="F64", normalization=None, dataset_digest=None, training_config=None):
    """Writes `dir/model.json` and `dir/weights.safetensors` (model format version 1).

    `config` is the model.json-like dict `net` was built from (`task`, `inputs`, `outputs`,
    `layers`); its `normalization` is used unless `normalization` is given (the statistics the
    network was trained with: inputMean, inputStd and, for regression, targetMean, targetStd).
    `training_config` (a dict) and `dataset_digest` go into the provenance. dtype: F64 or F32.
    """
    layers = [_layer_config(layer) for layer in config["layers"]]
    if layers != net.layer_configs or config["task"] != net.task:
        raise ValueError("config: expected the layers and task the network was built from")
    state = net.state_dict()
    expected = LrnnNet(config, dtype=torch.float64).state_dict()
    for name in state:
        if name not in expected:
            raise ValueError("%s: expected no such tensor (not part of model format %d)" % (name, FORMAT_VERSION))
    for name, tensor in expected.items():
        if name not in state or tuple(state[name].shape) != tuple(tensor.shape):
            raise ValueError("%s: expected shape %s but found %s" % (
                name, list(tensor.shape), list(state[name].shape) if name in state else "none"))
    normalization = normalization if normalization is not None else config.get("normalization")
    model = {"format": FORMAT, "formatVersion": FORMAT_VERSION, "task": config["task"],
             "inputs": list(config["inputs"]), "outputs": list(config["outputs"])}
    if normalization is not None:
        targets = len(config["outputs"]) if config["task"] == "regression" else 0
        model["normalization"] = {
            "inputMean": _values(normalization, "inputMean", len(config["inputs"])),
            "inputStd": _values(normalization, "inputStd", len(config["inputs"]), positive=True),
            "targetMean": _values(normalization, "targetMean", targets),
            "targetStd": _values(normalization, "targetStd", targets, positive=True)}
    model["layers"] = layers
    given = dict(config.get("provenance") or {})
    provenance = {"createdAt": given.pop("createdAt", None)
                  or datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
                  "trainedBy": TRAINED_BY}
    given.pop("trainedBy", None)
    digest = dataset_digest if dataset_digest is not None else given.pop("datasetDigest", None)
    if digest is not None:
        provenance["datasetDigest"] = digest
    provenance["config"] = dict(training_config if training_config is not None else given.pop("config", None) or {})
    provenance.update((k, v) for k, v in given.items() if k not in ("datasetDigest", "config"))
    model["provenance"] = provenance
    os.makedirs(dir, exist_ok=True)
    with open(os.path.join(dir, "model.json"), "w") as out:
        json.dump(model, out, indent=2)
        out.write("\n")
    write_safetensors({name: state[name] for name in expected}, os.path.join(dir, "weights.safetensors"), dtype,
                      {"format": "pt", "producer": TRAINED_BY})


def load_model(dir, dtype=torch.float64):
    """Reads a model directory back: returns (net, model_json). Useful to fine-tune or to check."""
    with open(os.path.join(dir, "model.json")) as f:
        model = json.load(f)
    if model.get("format") != FORMAT or model.get("formatVersion") != FORMAT_VERSION:
        raise ValueError("format: expected %s version %d but found %s version %s" % (
            FORMAT, FORMAT_VERSION, model.get("format"), model.get("formatVersion")))
    net = LrnnNet(model, dtype=dtype)
    net.load_state_dict(read_safetensors(os.path.join(dir, "weights.safetensors")))
    return net, model
