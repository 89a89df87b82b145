#!/usr/bin/env python3
"""PyTorch twins of GraphCompiler's benchmarks, timed the way the C# compare mode times them.

Each model uses the same shapes, initial-value scale, loss and step as the C# model: forward, loss,
backward, then a gradient-descent update in place. Every benchmark is measured with 1 and with 2
intra-op threads and the faster is reported. When OpenBLAS does not recognise the CPU and falls back
to old kernels, the script re-runs itself with OPENBLAS_CORETYPE naming the best kernels the CPU
supports, so that PyTorch and OpenBLAS are compared at their best. Output (stdout, one line each):

    INFO torch=<version> blas=<BLAS library loaded> openblas_core=<kernels in use> cpus=<usable cpus>
    PYTORCH name=<name> us=<median µs per step> threads=<intra-op threads of the faster run>
    OPENBLAS name=sgemm_1024 us=<median µs per call> gflops=<GFLOP/s> threads=<n> via=<numpy|torch>

digits_cnn_10_epochs adds accuracy=<test accuracy> (one "step" is a whole 10-epoch training run) and
conv2d_56x56x64 adds gflops=<GFLOP/s> (forward + input and filter gradients, 3 products per step).
char_lstm and char_gru (one Adam step of Embedding -> nn.LSTM / nn.GRU(256) x 100 steps -> Linear, batch 64,
vocabulary 100) run only when named with --only.

Usage: pytorch_reference.py [--samples N] [--only NAME ...]
"""

import argparse
import ctypes
import os
import statistics
import sys
import time

import torch
import torch.nn.functional as F

try:
    import numpy
except ImportError:  # numpy is optional: torch.mm then stands for OpenBLAS too
    numpy = None

WARMUP_SECONDS = 1.0  # same as StepTimer.Warmup
MIN_SAMPLE_SECONDS = 0.005  # same as StepTimer.MinSample
THREAD_CHOICES = (1, 2)
NAMES = ("two_hidden_layers", "mlp_784_512_512_10", "linear_regression", "sgemm_1024", "digits_cnn_10_epochs", "conv2d_56x56x64",
         "tiny_bert_step")
# Run only when named with --only: each step takes a tenth of a second or more (the compare mode agrees).
ON_REQUEST = ("char_lstm", "char_gru")
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def median_us(run_steps, samples):
    """Median µs per step: warm up, pick steps per sample so one sample lasts >= 5 ms, take the median."""
    start, calls = time.perf_counter(), 0
    while time.perf_counter() - start < WARMUP_SECONDS or calls < 3:
        run_steps(1)
        calls += 1
    steps = 1
    while timed(run_steps, steps) < MIN_SAMPLE_SECONDS and steps < (1 << 28):
        steps *= 2
    return statistics.median(timed(run_steps, steps) / steps * 1e6 for _ in range(samples))


def timed(run_steps, steps):
    begin = time.perf_counter()
    run_steps(steps)
    return time.perf_counter() - begin


def normal(shape, generator, std=1.0):
    return torch.randn(shape, generator=generator, dtype=torch.float32) * std


def sgd_trainer(params, loss_fn, lr):
    """Returns run_steps(n): n steps of forward, loss, backward, in-place SGD (one fused foreach update)."""

    def run_steps(n):
        for _ in range(n):
            loss = loss_fn()
            loss.backward()
            with torch.no_grad():
                grads = [p.grad for p in params]
                torch._foreach_add_(params, grads, alpha=-lr)
            for p in params:
                p.grad = None

    return run_steps


def two_hidden_layers(g):
    """x [200, 100] -> 50 -> 10, weights N(0, 0.1^2), zero biases, mean squared error, SGD lr 0.01."""
    x, y = normal((200, 100), g), normal((200, 10), g)
    w1, b1 = normal((100, 50), g, 0.1).requires_grad_(), torch.zeros(50, requires_grad=True)
    w2, b2 = normal((50, 10), g, 0.1).requires_grad_(), torch.zeros(10, requires_grad=True)

    def loss():
        h1 = x @ w1 + b1
        out = h1 @ w2 + b2
        return ((out - y) ** 2).mean()

    return sgd_trainer([w1, b1, w2, b2], loss, 0.01)


def mlp_784_512_512_10(g):
    """Batch 128: 784 -> ReLU 512 -> ReLU 512 -> 10, Glorot-uniform weights, zero biases, mean softmax cross-entropy."""
    x = normal((128, 784), g)
    labels = torch.randint(0, 10, (128,), generator=g)

    def glorot(fan_in, fan_out):
        limit = (6.0 / (fan_in + fan_out)) ** 0.5
        return ((torch.rand((fan_in, fan_out), generator=g) * 2 - 1) * limit).requires_grad_()

    w1, b1 = glorot(784, 512), torch.zeros(512, requires_grad=True)
    w2, b2 = glorot(512, 512), torch.zeros(512, requires_grad=True)
    w3, b3 = glorot(512, 10), torch.zeros(10, requires_grad=True)

    def loss():
        h1 = torch.relu(x @ w1 + b1)
        h2 = torch.relu(h1 @ w2 + b2)
        return F.cross_entropy(h2 @ w3 + b3, labels)

    return sgd_trainer([w1, b1, w2, b2, w3, b3], loss, 0.01)


def linear_regression(_):
    """TensorFlow's getting-started model: W = 0.3, b = -0.3, sum of squared errors over 4 points, lr 0.01."""
    x = torch.tensor([1.0, 2.0, 3.0, 4.0])
    y = torch.tensor([0.0, -1.0, -2.0, -3.0])
    w = torch.tensor([0.3], requires_grad=True)
    b = torch.tensor([-0.3], requires_grad=True)
    return sgd_trainer([w, b], lambda: ((w * x + b - y) ** 2).sum(), 0.01)


def sgemm_1024(g):
    """C = A·B, 1024x1024 float32, through torch.mm."""
    n = 1024
    a, b, c = normal((n, n), g), normal((n, n), g), torch.empty((n, n))

    def run_steps(steps):
        for _ in range(steps):
            torch.mm(a, b, out=c)

    return run_steps


def load_digits():
    """The UCI digits the C# samples ship (gzip CSV: 64 pixels 0-16, then the label), pixels scaled to [0, 1]."""
    import gzip
    with gzip.open(os.path.join(REPO_ROOT, "samples", "Digits", "data", "digits.csv.gz"), "rt") as f:
        rows = [list(map(float, line.split(","))) for line in f if line.strip()]
    data = torch.tensor(rows)
    return data[:, :64] / 16.0, data[:, 64].long()


DIGITS_ACCURACY = {}


def digits_cnn_10_epochs(g):
    """The DigitsCnn sample's model: Conv(3x3, 16) -> ReLU -> MaxPool(2) -> Flatten -> Dense(10), Adam 1e-3,
    batch 32, 10 epochs over 1437 shuffled training images; one step is a whole run from fresh weights."""
    images, labels = load_digits()
    order = torch.randperm(len(labels), generator=g)
    train, test = order[:1437], order[1437:]
    x_train, y_train = images[train].reshape(-1, 1, 8, 8), labels[train]
    x_test, y_test = images[test].reshape(-1, 1, 8, 8), labels[test]

    def run_steps(n):
        for _ in range(n):
            torch.manual_seed(1)
            model = torch.nn.Sequential(torch.nn.Conv2d(1, 16, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                                        torch.nn.Flatten(), torch.nn.Linear(144, 10))
            optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
            for _ in range(10):
                perm = torch.randperm(len(y_train))
                for start in range(0, len(y_train), 32):
                    batch = perm[start:start + 32]
                    optimizer.zero_grad(set_to_none=True)
                    F.cross_entropy(model(x_train[batch]), y_train[batch]).backward()
                    optimizer.step()
            with torch.no_grad():
                DIGITS_ACCURACY["last"] = (model(x_test).argmax(1) == y_test).float().mean().item()

    return run_steps


CONV_FLOPS = 3 * 2.0 * 32 * 56 * 56 * (3 * 3 * 64) * 64


def conv2d_56x56x64(g):
    """torch.nn.functional.conv2d, batch 32, 64 -> 64 channels, 56x56, 3x3, padding 1: forward and backward
    for both the input and the weights (the C# side: forward, input gradient, filter gradient)."""
    x = normal((32, 64, 56, 56), g).requires_grad_()
    w = normal((64, 64, 3, 3), g, 0.05).requires_grad_()
    dy = normal((32, 64, 56, 56), g)

    def run_steps(n):
        for _ in range(n):
            y = F.conv2d(x, w, padding=1)
            gx, gw = torch.autograd.grad(y, (x, w), dy)

    return run_steps


def char_rnn(recurrent):
    """A character language model's train step: Embedding(100, 64) -> LSTM or GRU(256) over 100 steps ->
    Linear(256, 100), mean cross-entropy, Adam 2e-3; batch 64 of random ids (as the C# side)."""
    def build(g):
        torch.manual_seed(1)
        ids = torch.randint(0, 100, (64, 100), generator=g)
        targets = torch.randint(0, 100, (64, 100), generator=g)
        embedding, rnn, dense = torch.nn.Embedding(100, 64), recurrent(64, 256, batch_first=True), torch.nn.Linear(256, 100)
        params = list(embedding.parameters()) + list(rnn.parameters()) + list(dense.parameters())
        optimizer = torch.optim.Adam(params, lr=2e-3)

        def run_steps(n):
            for _ in range(n):
                optimizer.zero_grad(set_to_none=True)
                outputs, _ = rnn(embedding(ids))
                F.cross_entropy(dense(outputs).reshape(-1, 100), targets.reshape(-1)).backward()
                optimizer.step()

        return run_steps

    return build


TINY_BERT = dict(vocab=5000, seq=64, hidden=128, layers=2, heads=4, intermediate=512, predictions=10, batch=32)


class TinyBert(torch.nn.Module):
    """samples/TinyBert's pre-training model: BERT's embeddings (word, segment, learned position) with LayerNorm,
    post-norm encoder layers (4-head self-attention with the padding mask, exact-erf GELU feed-forward), the tanh
    pooler, the masked-LM head at gathered positions (dense+GELU, LayerNorm, tied word embeddings + bias) and the
    2-way next-sentence head; eps 1e-12 and truncated-normal(0.02) weights as BERT."""

    def __init__(self, c):
        super().__init__()
        h, eps = c["hidden"], 1e-12
        self.c = c
        self.word = torch.nn.Embedding(c["vocab"], h)
        self.segment = torch.nn.Embedding(2, h)
        self.position = torch.nn.Parameter(torch.empty(c["seq"], h))
        self.embedding_norm = torch.nn.LayerNorm(h, eps=eps)
        self.layers = torch.nn.ModuleList()
        for _ in range(c["layers"]):
            self.layers.append(torch.nn.ModuleDict(dict(
                qkv=torch.nn.Linear(h, 3 * h), out=torch.nn.Linear(h, h), attention_norm=torch.nn.LayerNorm(h, eps=eps),
                intermediate=torch.nn.Linear(h, c["intermediate"]), output=torch.nn.Linear(c["intermediate"], h),
                output_norm=torch.nn.LayerNorm(h, eps=eps))))
        self.pooler = torch.nn.Linear(h, h)
        self.transform = torch.nn.Linear(h, h)
        self.transform_norm = torch.nn.LayerNorm(h, eps=eps)
        self.output_bias = torch.nn.Parameter(torch.zeros(c["vocab"]))
        self.seq_relationship = torch.nn.Linear(h, 2)
        for name, p in self.named_parameters():
            if p.dim() == 2:
                torch.nn.init.trunc_normal_(p, std=0.02, a=-0.04, b=0.04)
            elif "norm" in name and name.endswith("weight"):
                torch.nn.init.ones_(p)
            else:
                torch.nn.init.zeros_(p)

    def forward(self, ids, segments, mask, positions):
        c = self.c
        b, t, h, heads = ids.shape[0], c["seq"], c["hidden"], c["heads"]
        x = self.embedding_norm(self.word(ids) + self.segment(segments) + self.position)
        additive = (1.0 - mask[:, None, None, :].float()) * -1e9
        for layer in self.layers:
            q, k, v = layer["qkv"](x).view(b, t, 3, heads, h // heads).permute(2, 0, 3, 1, 4)
            scores = torch.softmax(q @ k.transpose(-1, -2) / (h // heads) ** 0.5 + additive, dim=-1)
            attended = (scores @ v).transpose(1, 2).reshape(b, t, h)
            x = layer["attention_norm"](x + layer["out"](attended))
            x = layer["output_norm"](x + layer["output"](F.gelu(layer["intermediate"](x))))
        pooled = torch.tanh(self.pooler(x[:, 0]))
        rows = x.reshape(-1, h)[(positions + torch.arange(b)[:, None] * t).reshape(-1)]  # BERT's gather_indexes
        rows = self.transform_norm(F.gelu(self.transform(rows)))
        return rows @ self.word.weight.t() + self.output_bias, self.seq_relationship(pooled)


def tiny_bert_step(g):
    """One pre-training step of the tiny BERT on a fixed random batch of 32 sequences of 64 tokens (the last 8 padding),
    10 predictions each: masked-LM + next-sentence cross-entropy, backward, AdamW (decay 0.01 except biases and
    LayerNorm, eps 1e-6) with BERT's warm-up + linear-decay schedule."""
    c = TINY_BERT
    b, t, p = c["batch"], c["seq"], c["predictions"]
    torch.manual_seed(1)
    model = TinyBert(c)
    ids = torch.randint(5, c["vocab"], (b, t), generator=g)
    mask = torch.ones(b, t, dtype=torch.long)
    mask[:, t - 8:] = 0
    ids[mask == 0] = 0
    segments = torch.zeros(b, t, dtype=torch.long)
    segments[:, t // 2:t - 8] = 1
    positions = torch.stack([torch.randperm(t - 9, generator=g)[:p] + 1 for _ in range(b)])
    labels = torch.randint(5, c["vocab"], (b * p,), generator=g)
    next_sentence = torch.randint(0, 2, (b,), generator=g)
    decayed = [q for n, q in model.named_parameters() if "bias" not in n and "norm" not in n]
    plain = [q for n, q in model.named_parameters() if "bias" in n or "norm" in n]
    optimizer = torch.optim.AdamW([dict(params=decayed, weight_decay=0.01), dict(params=plain, weight_decay=0.0)], lr=1e-3, eps=1e-6)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: min((s + 1) / 100, max(0.0, 1 - s / 1000)))

    def run_steps(n):
        for _ in range(n):
            optimizer.zero_grad(set_to_none=True)
            mlm, nsp = model(ids, segments, mask, positions)
            loss = F.cross_entropy(mlm, labels, ignore_index=-100) + F.cross_entropy(nsp, next_sentence)
            loss.backward()
            optimizer.step()
            schedule.step()

    return run_steps


def loaded_blas():
    """The BLAS shared library this process has mapped (Debian picks it through alternatives)."""
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if "blas" in line.lower() and "/" in line}
    except OSError:
        return None
    resolved = sorted({os.path.realpath(p) for p in paths})
    return next((p for p in resolved if "openblas" in p), resolved[0] if resolved else None)


def set_blas_threads(threads):
    """torch.set_num_threads does not reach OpenBLAS's own pool; set it directly when OpenBLAS is loaded."""
    torch.set_num_threads(threads)
    library = loaded_blas()
    if library and "openblas" in library:
        try:
            ctypes.CDLL(library).openblas_set_num_threads(ctypes.c_int(threads))
        except (OSError, AttributeError):
            pass


# OpenBLAS's kernels by capability, worst to best; a CPU newer than the library (or one behind a hypervisor
# that hides its model) is detected as an old core such as "Prescott" and gets SSE3 kernels.
OPENBLAS_CORE_RANK = {"haswell": 1, "zen": 1, "skylakex": 2, "cooperlake": 3, "sapphirerapids": 3}


def openblas_core():
    library = loaded_blas()
    if not library or "openblas" not in library:
        return None
    lib = ctypes.CDLL(library)
    lib.openblas_get_corename.restype = ctypes.c_char_p
    return lib.openblas_get_corename().decode()


def best_core_for_cpu():
    """The best OpenBLAS core type this CPU's flags allow (None when unknown)."""
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            flags = next((set(line.split(":", 1)[1].split()) for line in cpuinfo if line.startswith("flags")), set())
    except OSError:
        return None
    if {"avx512f", "avx512bw", "avx512vl", "avx512dq"} <= flags:
        return "Cooperlake" if "avx512_bf16" in flags else "SkylakeX"
    if {"avx2", "fma"} <= flags:
        return "Haswell"
    return None


def ensure_tuned_openblas():
    """Re-executes with OPENBLAS_CORETYPE set when OpenBLAS picked weaker kernels than the CPU supports."""
    core = openblas_core()
    best = best_core_for_cpu()
    if core is None or best is None or "OPENBLAS_CORETYPE" in os.environ:
        return core
    if OPENBLAS_CORE_RANK.get(core.lower(), 0) < OPENBLAS_CORE_RANK[best.lower()]:
        print(f"# OpenBLAS detected core '{core}' (weaker than this CPU); re-running with OPENBLAS_CORETYPE={best}",
              file=sys.stderr, flush=True)
        os.environ["OPENBLAS_CORETYPE"] = best
        os.execv(sys.executable, [sys.executable] + sys.argv)
    return core


def numpy_sgemm(n):
    a = numpy.random.default_rng(3).standard_normal((n, n), dtype=numpy.float32)
    b = numpy.random.default_rng(4).standard_normal((n, n), dtype=numpy.float32)
    c = numpy.empty((n, n), dtype=numpy.float32)

    def run_steps(steps):
        for _ in range(steps):
            numpy.matmul(a, b, out=c)

    return run_steps


def fastest(make_run, samples):
    """(median µs, threads) of the faster of the thread choices."""
    best = None
    for threads in THREAD_CHOICES:
        set_blas_threads(threads)
        us = median_us(make_run(), samples)
        print(f"# threads={threads} us={us:.6g}", file=sys.stderr)
        if best is None or us < best[0]:
            best = (us, threads)
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", type=int, default=31)
    parser.add_argument("--only", action="append", choices=NAMES + ON_REQUEST)
    args = parser.parse_args()
    torch.set_num_interop_threads(1)
    torch.mm(torch.ones(64, 64), torch.ones(64, 64))  # loads the BLAS so that it can be named
    core = ensure_tuned_openblas()
    print(f"INFO torch={torch.__version__} blas={loaded_blas() or 'unknown'} openblas_core={core or 'n/a'} "
          f"cpus={len(os.sched_getaffinity(0))}", flush=True)

    builders = {
        "two_hidden_layers": two_hidden_layers,
        "mlp_784_512_512_10": mlp_784_512_512_10,
        "linear_regression": linear_regression,
        "sgemm_1024": sgemm_1024,
        "digits_cnn_10_epochs": digits_cnn_10_epochs,
        "conv2d_56x56x64": conv2d_56x56x64,
        "char_lstm": char_rnn(torch.nn.LSTM),
        "char_gru": char_rnn(torch.nn.GRU),
        "tiny_bert_step": tiny_bert_step,
    }
    for name in NAMES + ON_REQUEST:
        if (args.only and name not in args.only) or (not args.only and name in ON_REQUEST):
            continue
        print(f"# {name}", file=sys.stderr)
        samples = min(args.samples, 5) if name == "digits_cnn_10_epochs" else min(args.samples, 11) if name.startswith("char_") else args.samples
        us, threads = fastest(lambda: builders[name](torch.Generator().manual_seed(1)), samples)
        extra = ""
        if name == "digits_cnn_10_epochs":
            extra = f" accuracy={DIGITS_ACCURACY['last']:.4f}"
        elif name == "conv2d_56x56x64":
            extra = f" gflops={CONV_FLOPS / (us * 1e3):.1f}"
        print(f"PYTORCH name={name} us={us:.6g} threads={threads}{extra}", flush=True)
        if name == "sgemm_1024":
            via = "numpy" if numpy is not None else "torch"
            make = (lambda: numpy_sgemm(1024)) if numpy is not None else (lambda: sgemm_1024(torch.Generator().manual_seed(1)))
            blas_us, blas_threads = fastest(make, args.samples)
            gflops = 2.0 * 1024 ** 3 / (blas_us * 1e3)
            print(f"OPENBLAS name={name} us={blas_us:.6g} gflops={gflops:.1f} threads={blas_threads} via={via}", flush=True)


if __name__ == "__main__":
    main()
