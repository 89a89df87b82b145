"""The PyTorch CUDA eager side of benchmarks/compare-pytorch-cuda.sh: the MLP 784-512-512-10 SGD train step.

Prints `PYTORCH name=mlp_784_512_512_10_b<batch> us=<median µs per step> device=<gpu name>` per batch size.
The step is the one of benchmarks/pytorch_reference.py (Glorot-uniform weights, zero biases, mean softmax
cross-entropy, SGD at 0.01) on the GPU; `loss.item()` ends each step, as our step returns the loss to the host.
"""
import statistics
import sys
import time

import torch
import torch.nn.functional as F


def step_fn(batch, device, g):
    x = torch.randn((batch, 784), generator=g).to(device)
    labels = torch.randint(0, 10, (batch,), generator=g).to(device)

    def glorot(fan_in, fan_out):
        limit = (6.0 / (fan_in + fan_out)) ** 0.5
        return ((torch.rand((fan_in, fan_out), generator=g) * 2 - 1) * limit).to(device).requires_grad_()

    params = [glorot(784, 512), torch.zeros(512, device=device, requires_grad=True),
              glorot(512, 512), torch.zeros(512, device=device, requires_grad=True),
              glorot(512, 10), torch.zeros(10, device=device, requires_grad=True)]
    w1, b1, w2, b2, w3, b3 = params

    def step():
        h1 = torch.relu(x @ w1 + b1)
        h2 = torch.relu(h1 @ w2 + b2)
        loss = F.cross_entropy(h2 @ w3 + b3, labels)
        for p in params:
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= 0.01 * p.grad
        return loss.item()

    return step


def main():
    batches = [int(a) for a in sys.argv[1:]] or [128, 4096]
    device = torch.device("cuda")
    name = torch.cuda.get_device_name(device)
    for batch in batches:
        step = step_fn(batch, device, torch.Generator().manual_seed(batch))
        for _ in range(20):
            step()
        samples = []
        for _ in range(31):
            steps, start = 0, time.perf_counter()
            while steps == 0 or time.perf_counter() - start < 0.005:
                step()
                steps += 1
            samples.append((time.perf_counter() - start) * 1e6 / steps)
        print(f"PYTORCH name=mlp_784_512_512_10_b{batch} us={statistics.median(samples):.1f} device=\"{name}\"")


if __name__ == "__main__":
    main()
