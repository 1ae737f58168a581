"""PyTorch eager autograd on the Adjoint benchmark workloads (run by BenchmarkTable).

Usage: python3 pytorch_bench.py DATA_DIR [WARMUP_SECONDS ROUND_SECONDS ROUNDS]

DATA_DIR holds one folder per workload (W1, W2-100, ...) written by the Java side: inputs, and the
value and gradient of the hand-written Java gradient. Each workload is first checked against those
(a benchmark of wrong code is worthless), then timed: value plus gradient (forward and backward),
one thread, after a warm-up, as the mean over ROUNDS rounds of about ROUND_SECONDS each.

Prints one line per workload:
  RESULT <id> <nanoseconds per call> ok
  RESULT <id> - <reason>
and, when torch cannot be imported, a single line
  NO_TORCH <reason>
"""

import os
import re
import struct
import sys
import time

try:
    import torch
    import torch.nn.functional as F
except Exception as error:  # noqa: BLE001 - any failure to import means "no PyTorch"
    print("NO_TORCH %s: %s" % (type(error).__name__, error))
    sys.exit(0)

torch.set_num_threads(1)
try:
    torch.set_num_interop_threads(1)
except RuntimeError:
    pass
DOUBLE = torch.float64


def load(folder):
    """The arrays of one workload folder, by name: float64 or int64 tensors of their shapes."""
    arrays = {}
    with open(os.path.join(folder, "meta.txt")) as meta:
        for line in meta:
            parts = line.split()
            if not parts:
                continue
            name, kind, dims = parts[0], parts[1], [int(d) for d in parts[2:]]
            with open(os.path.join(folder, name + ".bin"), "rb") as data:
                raw = bytearray(data.read())
            if kind == "f64":
                tensor = torch.frombuffer(raw, dtype=DOUBLE) if raw else torch.zeros(0, dtype=DOUBLE)
            else:
                tensor = torch.frombuffer(raw, dtype=torch.int32).to(torch.int64)
            arrays[name] = tensor.reshape(dims).clone()
    return arrays


def param(tensor):
    return tensor.clone().requires_grad_(True)


# Each workload: a function from the loaded arrays to (parameters by name, loss closure). The
# closure computes the loss from the parameters; the same definitions as Workloads.java.

def w1(a):
    p = {k: param(a[k]) for k in ("a", "b", "c", "x", "y")}

    def loss():
        return torch.sigmoid(p["a"] * p["x"] + p["b"] * p["y"] + p["c"])

    return p, loss, lambda g: torch.stack([g[k] for k in ("a", "b", "c", "x", "y")])


def w2(a):
    p = {"x": param(a["x"])}

    def loss():
        x = p["x"]
        valley = x[1:] - x[:-1] * x[:-1]
        offset = 1 - x[:-1]
        return (100 * valley * valley + offset * offset).sum()

    return p, loss, None


def rosenbrock_term(xi, nxt):
    valley = nxt - xi * xi
    offset = 1 - xi
    return 100 * valley * valley + offset * offset


def w6(a):
    p = {"x": param(a["x"])}

    def loss():
        x = p["x"]
        return rosenbrock_term(x[:-1], x[1:]).sum()

    return p, loss, None


def w3(a):
    p = {"w": param(a["w"]), "b": param(a["b"])}
    X, y, lam = a["X"], a["y"], float(a["lambda"])

    def loss():
        w = p["w"]
        z = X @ w + p["b"]
        return F.binary_cross_entropy_with_logits(z, y) + 0.5 * lam * (w * w).sum()

    return p, loss, None


def w4(a):
    p = {k: param(a[k]) for k in ("W1", "b1", "W2", "b2")}
    X, labels = a["X"], a["labels"]

    def loss():
        hidden = torch.tanh(X @ p["W1"] + p["b1"])
        return F.cross_entropy(hidden @ p["W2"] + p["b2"], labels)

    return p, loss, None


def w5(a):
    p = {k: param(a[k]) for k in ("W", "U", "b")}
    xs = a["xs"]

    def loss():
        W, U, b = p["W"], p["U"], p["b"]
        h = torch.zeros(W.shape[0], dtype=DOUBLE)
        for t in range(xs.shape[0]):
            h = torch.tanh(W @ h + U @ xs[t] + b)
        return 0.5 * (h * h).sum()

    return p, loss, None


WORKLOADS = [
    ("W1", "W1", w1),
    ("W2-100", "W2-100", w2),
    ("W2-1000", "W2-1000", w2),
    ("W2-10000", "W2-10000", w2),
    ("W3", "W3", w3),
    ("W4", "W4", w4),
    ("W5", "W5", w5),
    ("W6", "W2-10000", w6),
]


def step(params, loss):
    """One value-and-gradient call: fresh gradients, forward, backward."""
    for t in params.values():
        t.grad = None
    value = loss()
    value.backward()
    return value


def check(ident, arrays, params, loss, stack):
    value = step(params, loss)
    expected = float(arrays["value"])
    if not abs(float(value) - expected) <= 1e-9 + 1e-7 * abs(expected):
        return "value %r, Java %r" % (float(value), expected)
    if stack is not None:
        grads = {k: t.grad for k, t in params.items()}
        pairs = [("grad", stack(grads), arrays["grad"])]
    else:
        pairs = [(k, params[k].grad, arrays["grad." + k]) for k in params]
    for name, got, want in pairs:
        got = got.reshape(want.shape)
        scale = max(1.0, float(want.abs().max())) if want.numel() else 1.0
        if not torch.allclose(got, want, rtol=1e-7, atol=1e-10 * scale):
            worst = float((got - want).abs().max())
            return "gradient %s differs from Java's by up to %g" % (name, worst)
    return None


def timed(params, loss, seconds):
    """(calls, elapsed seconds) for about `seconds` of back-to-back calls."""
    calls = 0
    sink = 0.0
    start = time.perf_counter()
    deadline = start + seconds
    batch = 1
    while True:
        for _ in range(batch):
            sink += float(step(params, loss))
        calls += batch
        now = time.perf_counter()
        if now >= deadline:
            return calls, now - start, sink
        batch = min(batch * 2, 1024)


def main():
    folder = sys.argv[1]
    warmup = float(sys.argv[2]) if len(sys.argv) > 2 else 3.0
    round_seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0
    rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    config = torch.__config__.show()
    blas = ", ".join(m.group(0) for m in re.finditer(r"(BLAS_INFO|LAPACK_INFO)=[^,\s]*", config))
    torch.ones(64, 64, dtype=DOUBLE) @ torch.ones(64, 64, dtype=DOUBLE)  # loads the BLAS
    try:
        with open("/proc/self/maps") as maps:
            loaded = sorted({line.split()[-1] for line in maps if "blas" in line.lower() and "/" in line})
        blas += "; loaded: " + (" ".join(os.path.basename(os.path.dirname(p)) + "/" + os.path.basename(p)
                                          for p in loaded) or "none")
    except OSError:
        pass
    print("INFO torch %s, %d thread(s), %s" % (torch.__version__, torch.get_num_threads(), blas or "BLAS unknown"))
    sys.stdout.flush()
    for ident, data, make in WORKLOADS:
        path = os.path.join(folder, data)
        if not os.path.isdir(path):
            print("RESULT %s - no data" % ident)
            continue
        arrays = load(path)
        params, loss, stack = make(arrays)
        problem = check(ident, arrays, params, loss, stack)
        if problem is not None:
            print("RESULT %s - MISMATCH %s" % (ident, problem))
            sys.stdout.flush()
            continue
        timed(params, loss, warmup)
        per_call = []
        for _ in range(rounds):
            calls, elapsed, _ = timed(params, loss, round_seconds)
            per_call.append(elapsed / calls)
        mean = sum(per_call) / len(per_call)
        print("RESULT %s %.1f ok" % (ident, mean * 1e9))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
