"""nnref: neural-network basics, verified.

Two twin implementations of the same small toolkit (activations, layers, losses, SGD):

* `nnref.numpy` derives every gradient by hand with NumPy;
* `nnref.torch` builds on PyTorch and takes every gradient from autograd.

Both share the public names and their meaning, so a page can show the same computation
twice and the tests can check that the two agree. `nnref.example` holds the worked 2-2-2
network as plain Python numbers, and `nnref.gradcheck` has finite-difference tools.
`nnref.scalar` is a micrograd-style autograd engine on single numbers, in pure Python (no
NumPy), that runs under MicroPython as well.

Importing `nnref` itself loads neither NumPy twin nor PyTorch.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
