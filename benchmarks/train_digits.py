"""Epoch time of the NumPy twin against the PyTorch twin on the training notebook's task.

The task of docs/training.ipynb: a 64-32-10 tanh network with softmax cross-entropy,
trained by mini-batch SGD (batch size 32, 34 iterations per epoch) on scikit-learn's 8×8
digits, in float64. Both twins start from the same weights and train on the same batches,
epoch by epoch, alternating so that both see the same machine load. After warm-up epochs,
the median epoch time of each is reported with the ratio NumPy / PyTorch. Goal: ratio ≤ 1.
Not a test: timings vary with the machine and its load.

PyTorch runs on one thread, as in the notebook; `--torch-threads 0` keeps its default
(one thread per core) instead. The last line times the same loop written with plain
`torch.nn` / `torch.optim` and no nnref checks, to show what nnref's validation costs.

    python benchmarks/train_digits.py [--epochs N] [--warmup N] [--torch-threads N]
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
from tools.figs import training


def plain_torch_twin(state_dict: dict[str, np.ndarray]) -> torch.nn.Sequential:
    """The same network in bare `torch.nn`, holding the same weights."""
    net = torch.nn.Sequential(
        torch.nn.Linear(64, 32, dtype=torch.float64),
        torch.nn.Tanh(),
        torch.nn.Linear(32, 10, dtype=torch.float64),
    )
    net.load_state_dict({key: torch.from_numpy(value) for key, value in state_dict.items()})
    return net


def plain_torch_epoch(
    net: torch.nn.Sequential,
    opt: torch.optim.SGD,
    X: torch.Tensor,
    y: torch.Tensor,
    order: np.ndarray,
) -> float:
    total = 0.0
    for start in range(0, len(order), training.BATCH_SIZE):
        idx = torch.from_numpy(order[start : start + training.BATCH_SIZE])
        loss = torch.nn.functional.cross_entropy(net(X[idx]), y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        total += loss.item() * len(idx)
    return total / len(order)


def timed(epoch: Callable[[np.ndarray], float], order: np.ndarray) -> tuple[float, float]:
    start = time.perf_counter()
    loss = epoch(order)
    return time.perf_counter() - start, loss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=15, help="timed epochs (default 15)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed epochs first (default 3)")
    parser.add_argument(
        "--torch-threads", type=int, default=1, help="PyTorch threads; 0 keeps the default"
    )
    args = parser.parse_args()
    if args.torch_threads:
        torch.set_num_threads(args.torch_threads)

    data = training.digits()
    X_t, y_t = torch.from_numpy(data.X_train), torch.from_numpy(data.y_train)
    net_np, net_t = training.twins()
    net_plain = plain_torch_twin(net_np.state_dict())
    opt_np = nn_np.SGD(net_np.parameters(), lr=training.LR)
    opt_t = nn_t.SGD(net_t.parameters(), lr=training.LR)
    opt_plain = torch.optim.SGD(net_plain.parameters(), lr=training.LR)
    runs = {
        "NumPy twin": lambda order: training.numpy_epoch(
            net_np, opt_np, data.X_train, data.y_train, order
        ),
        "PyTorch twin": lambda order: training.torch_epoch(net_t, opt_t, X_t, y_t, order),
        "plain torch.nn": lambda order: plain_torch_epoch(net_plain, opt_plain, X_t, y_t, order),
    }

    times: dict[str, list[float]] = {name: [] for name in runs}
    losses: dict[str, list[float]] = {name: [] for name in runs}
    for k, order in enumerate(training.shuffles(len(data.X_train), args.warmup + args.epochs)):
        for name, epoch in runs.items():
            seconds, loss = timed(epoch, order)
            losses[name].append(loss)
            if k >= args.warmup:
                times[name].append(seconds)
    for name in runs:
        # Same start, same batches: the curves agree, or the timings compare different work.
        np.testing.assert_allclose(losses[name], losses["NumPy twin"], rtol=1e-10)

    median = {name: statistics.median(values) for name, values in times.items()}
    threads = torch.get_num_threads()
    print(
        f"digits, 64-32-10 tanh, float64, batch {training.BATCH_SIZE}: median of "
        f"{args.epochs} epochs after {args.warmup} warm-up epochs; torch threads: {threads}"
    )
    for name, seconds in median.items():
        print(f"  {name:15} {seconds * 1e3:8.2f} ms/epoch")
    ratio = median["NumPy twin"] / median["PyTorch twin"]
    verdict = "meets" if ratio <= 1.0 else "misses"
    print(f"  ratio NumPy / PyTorch: {ratio:.2f} ({verdict} the goal ≤ 1.0)")
    overhead = median["PyTorch twin"] / median["plain torch.nn"]
    print(f"  PyTorch twin / plain torch.nn: {overhead:.2f} (cost of nnref's input checks)")


if __name__ == "__main__":
    main()
