"""Cost of one gradient: back-propagation against finite differences.

The network of docs/training.ipynb (64-32-10 tanh, softmax cross-entropy, float64, P = 2410
parameters) on one mini-batch of 32 of scikit-learn's 8×8 digits. For each twin it times a
forward pass alone and a forward pass followed by the backward pass (`net.backward` in the
NumPy twin, `loss.backward()` in the PyTorch twin), each the median of many repeats, and
reports what the backward pass costs in forward passes (goal: 1 to 2, as the page says).
Then it takes the gradient of the NumPy twin by central finite differences, 2P forward
passes timed once, and reports how many forward-and-backward passes that time would buy.
The two gradients must agree, or the timings compare different work. The back-propagation
page (docs/backprop.md) explains the counts; this script measures them. Not a test:
timings vary with the machine and its load.

PyTorch runs on one thread, as in the notebook; `--torch-threads 0` keeps its default.

    python benchmarks/backprop_cost.py [--repeat N] [--torch-threads N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

# The repo root must be importable first: the task lives in tools/figs/training.py.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
import torch

from nnref import numpy as nn_np
from nnref import torch as nn_t
from nnref.gradcheck import numerical_gradient, relative_error
from tools.figs import training


def median_time(run: Callable[[], object], repeat: int) -> float:
    """Median wall time of `run()` in seconds, after a few untimed warm-up calls."""
    for _ in range(5):
        run()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def finite_difference_gradient(net: nn_np.Sequential, X: np.ndarray, y: np.ndarray) -> dict:
    """Central differences for every parameter: two forward passes per entry."""
    grads = {}
    for name, parameter in net.named_parameters():
        original = parameter.data

        def loss_at(values: np.ndarray, parameter: nn_np.Parameter = parameter) -> float:
            parameter.data = values
            return float(nn_np.cross_entropy(net(X), y))

        try:
            grads[name] = numerical_gradient(loss_at, original)
        finally:
            parameter.data = original
    return grads


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=300, help="timed repeats (default 300)")
    parser.add_argument(
        "--torch-threads", type=int, default=1, help="PyTorch threads; 0 keeps the default"
    )
    args = parser.parse_args()
    if args.torch_threads:
        torch.set_num_threads(args.torch_threads)

    data = training.digits()
    X, y = data.X_train[: training.BATCH_SIZE], data.y_train[: training.BATCH_SIZE]
    X_t, y_t = torch.from_numpy(X), torch.from_numpy(y)
    net_np, net_t = training.twins()
    P = sum(parameter.data.size for parameter in net_np.parameters())

    def np_forward() -> object:
        return nn_np.cross_entropy(net_np(X), y)

    def np_forward_backward() -> object:
        logits = net_np(X)
        loss = nn_np.cross_entropy(logits, y)
        net_np.zero_grad()
        net_np.backward(nn_np.cross_entropy_grad(logits, y))
        return loss

    def torch_forward() -> object:
        with torch.no_grad():
            return nn_t.cross_entropy(net_t(X_t), y_t)

    def torch_forward_backward() -> object:
        loss = nn_t.cross_entropy(net_t(X_t), y_t)
        net_t.zero_grad()
        loss.backward()
        return loss

    timings = {}
    for twin, forward, both in [
        ("NumPy twin", np_forward, np_forward_backward),
        ("PyTorch twin", torch_forward, torch_forward_backward),
    ]:
        timings[twin] = (median_time(forward, args.repeat), median_time(both, args.repeat))

    np_forward_backward()
    backprop = {name: p.grad.copy() for name, p in net_np.named_parameters()}
    start = time.perf_counter()
    numeric = finite_difference_gradient(net_np, X, y)
    fd_seconds = time.perf_counter() - start
    worst = max(relative_error(numeric[name], backprop[name]) for name in backprop)
    if worst > 1e-6:
        raise SystemExit(f"finite differences and back-propagation disagree: {worst:.1e}")

    print(
        f"digits, 64-32-10 tanh, cross-entropy, float64, batch {training.BATCH_SIZE}, "
        f"P = {P} parameters; medians of {args.repeat} runs; "
        f"torch threads: {torch.get_num_threads()}"
    )
    for twin, (forward, both) in timings.items():
        ratio = (both - forward) / forward
        print(
            f"  {twin:12}  forward {forward * 1e3:6.3f} ms, forward + backward "
            f"{both * 1e3:6.3f} ms: the backward pass costs {ratio:.2f} forward passes"
        )
    forward, both = timings["NumPy twin"]
    print(
        f"  finite differences (NumPy twin): 2P = {2 * P} forward passes, "
        f"{fd_seconds * 1e3:.0f} ms ({fd_seconds / (2 * P) * 1e3:.3f} ms each): "
        f"{fd_seconds / both:.0f} times forward + backward"
    )
    print(f"  largest relative difference between the two gradients: {worst:.1e}")


if __name__ == "__main__":
    main()
