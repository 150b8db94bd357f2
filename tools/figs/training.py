"""The training notebook's task, and its figure: both twins' loss curves on the 8×8 digits.

The notebook (docs/training.ipynb) spells its training loops out for the reader and draws its
own plots. This module runs the same task in compact form: the same split (1,077 training,
270 validation and 450 test images), the same 64-32-10 tanh network from the same seeds, the
same shuffles, batch size and learning rate, in float64. `benchmarks/train_digits.py` times
its epochs.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import torch
from matplotlib.figure import Figure
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from threadpoolctl import threadpool_limits

import nnref.numpy as nn_np
import nnref.torch as nn_t

EPOCHS = 30
BATCH_SIZE = 32
LR = 0.2


@dataclass
class Digits:
    X_train: np.ndarray
    X_val: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_val: np.ndarray
    y_test: np.ndarray


def digits() -> Digits:
    """scikit-learn's digits scaled to [0, 1] and split as in the notebook.

    A quarter is the test set; a fifth of the rest is the validation set.
    """
    data = load_digits()
    X_rest, X_test, y_rest, y_test = train_test_split(
        data.data / 16.0, data.target, test_size=0.25, random_state=0, stratify=data.target
    )
    X_train, X_val, y_train, y_val = train_test_split(
        X_rest, y_rest, test_size=0.2, random_state=0, stratify=y_rest
    )
    return Digits(X_train, X_val, X_test, y_train, y_val, y_test)


def shuffles(n_samples: int, epochs: int = EPOCHS) -> list[np.ndarray]:
    """One permutation of the training samples per epoch, shared by both twins."""
    rng = np.random.default_rng(0)
    return [rng.permutation(n_samples) for _ in range(epochs)]


def twins() -> tuple[nn_np.Sequential, nn_t.Sequential]:
    """The NumPy twin from its seeds and the PyTorch twin holding a copy of its weights."""
    net_np = nn_np.Sequential(
        nn_np.Linear(64, 32, seed=1), nn_np.Tanh(), nn_np.Linear(32, 10, seed=2)
    )
    net_t = nn_t.Sequential(nn_t.Linear(64, 32, seed=0), nn_t.Tanh(), nn_t.Linear(32, 10, seed=0))
    net_t.load_state_dict(net_np.state_dict())
    return net_np, net_t


def numpy_epoch(
    net: nn_np.Sequential, opt: nn_np.SGD, X: np.ndarray, y: np.ndarray, order: np.ndarray
) -> float:
    """One epoch of the NumPy twin (gradients by hand); returns its epoch loss.

    The epoch loss is the running mean of the mini-batch losses, as in the notebook.
    """
    total = 0.0
    for start in range(0, len(order), BATCH_SIZE):
        idx = order[start : start + BATCH_SIZE]
        logits = net(X[idx])
        total += float(nn_np.cross_entropy(logits, y[idx])) * len(idx)
        opt.zero_grad()
        net.backward(nn_np.cross_entropy_grad(logits, y[idx]))
        opt.step()
    return total / len(order)


def torch_epoch(
    net: nn_t.Sequential, opt: nn_t.SGD, X: torch.Tensor, y: torch.Tensor, order: np.ndarray
) -> float:
    """One epoch of the PyTorch twin (gradients by autograd); returns its epoch loss."""
    total = 0.0
    for start in range(0, len(order), BATCH_SIZE):
        idx = torch.from_numpy(order[start : start + BATCH_SIZE])
        loss = nn_t.cross_entropy(net(X[idx]), y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        total += loss.item() * len(idx)
    return total / len(order)


def loss_curves(epochs: int = EPOCHS) -> tuple[np.ndarray, np.ndarray]:
    """Train both twins from the same start on the same batches; their per-epoch losses."""
    data = digits()
    net_np, net_t = twins()
    opt_np = nn_np.SGD(net_np.parameters(), lr=LR)
    opt_t = nn_t.SGD(net_t.parameters(), lr=LR)
    X_t, y_t = torch.from_numpy(data.X_train), torch.from_numpy(data.y_train)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # tiny matrices: as in the notebook, one thread is fastest
    try:
        with threadpool_limits(1):  # and one BLAS thread for NumPy, as in the notebook
            curves = [
                (
                    numpy_epoch(net_np, opt_np, data.X_train, data.y_train, order),
                    torch_epoch(net_t, opt_t, X_t, y_t, order),
                )
                for order in shuffles(len(data.X_train), epochs)
            ]
    finally:
        torch.set_num_threads(threads)
    losses_np, losses_t = np.array(curves).T
    np.testing.assert_allclose(losses_t, losses_np, rtol=1e-10)
    return losses_np, losses_t


@functools.cache
def _figure_curves() -> tuple[np.ndarray, np.ndarray]:
    """The curves of the figure, trained once for both of its language variants."""
    return loss_curves()


#: NumPy: a line with open circles; PyTorch: crosses. Colour-blind-safe (Okabe–Ito blue and
#: vermillion), and the markers tell the two twins apart in greyscale too.
NUMPY_COLOUR, TORCH_COLOUR = "#0072B2", "#D55E00"
#: The words of the figure, one dict per language (terms as in docs/glossary.zh.md).
LABELS = {
    "en": {
        "numpy": "NumPy twin",
        "torch": "PyTorch twin",
        "x": "epoch",
        "y": "mean loss per epoch",
    },
    "zh": {
        "numpy": "NumPy 孪生实现",
        "torch": "PyTorch 孪生实现",
        "x": "轮次",
        "y": "每个轮次的平均损失",
    },
}


def training_loss(fig: Figure, lang: str = "en") -> None:
    """Epoch loss (running mean of the mini-batch cross-entropies): NumPy twin (circles),
    PyTorch twin (crosses inside them)."""
    labels = LABELS[lang]
    fig.set_layout_engine("constrained")
    ax = fig.subplots()
    losses_np, losses_t = _figure_curves()
    epochs = np.arange(1, len(losses_np) + 1)
    # Circles larger than the crosses, so that each cross sits inside its circle.
    ax.plot(
        epochs,
        losses_np,
        "-o",
        color=NUMPY_COLOUR,
        markersize=9,
        markerfacecolor="none",
        label=labels["numpy"],
    )
    ax.plot(epochs, losses_t, "x", color=TORCH_COLOUR, markeredgewidth=1.5, label=labels["torch"])
    ax.set_yscale("log")
    ax.set_xlabel(labels["x"])
    ax.set_ylabel(labels["y"])
    ax.legend()


training_loss.size = (6.0, 3.5)

FIGURES = {"training-loss": training_loss}
