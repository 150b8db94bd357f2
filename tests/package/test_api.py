"""The public surface: both twins export the same names, in the same modules, with the same
signatures; importing the NumPy twin (or `nnref` itself) never imports PyTorch."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

import pytest

import nnref
import nnref.example
import nnref.numpy
import nnref.torch

ROOT = Path(__file__).resolve().parents[2]
SUBMODULES = ["activations", "layers", "losses", "optim", "init", "example"]
# Names whose objects differ in kind on purpose: the PyTorch twin re-exports torch's own.
TORCH_OWN = {"Module", "Parameter", "no_grad"}


def _run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_version() -> None:
    assert nnref.__version__ == "0.1.0"


def test_top_level_all_is_identical() -> None:
    assert nnref.numpy.__all__ == nnref.torch.__all__
    assert len(set(nnref.numpy.__all__)) == len(nnref.numpy.__all__)


@pytest.mark.parametrize("submodule", SUBMODULES)
def test_submodule_all_is_identical(submodule: str) -> None:
    numpy_module = getattr(nnref.numpy, submodule)
    torch_module = getattr(nnref.torch, submodule)
    assert numpy_module.__name__ == f"nnref.numpy.{submodule}"
    assert torch_module.__name__ == f"nnref.torch.{submodule}"
    assert sorted(numpy_module.__all__) == sorted(torch_module.__all__)


@pytest.mark.parametrize("twin", [nnref.numpy, nnref.torch], ids=["numpy", "torch"])
def test_every_name_lives_in_its_submodule(twin) -> None:
    union = [name for sub in SUBMODULES for name in getattr(twin, sub).__all__]
    assert sorted(union) == sorted(twin.__all__)
    for sub in SUBMODULES:
        module = getattr(twin, sub)
        for name in module.__all__:
            assert getattr(twin, name) is getattr(module, name), f"{twin.__name__}.{name}"
            if name not in TORCH_OWN or twin is nnref.numpy:
                assert getattr(module, name).__module__ == module.__name__, name


def _public_parameters(obj) -> list[tuple[str, object, object]]:
    target = obj.__init__ if inspect.isclass(obj) else obj
    signature = inspect.signature(target)
    return [
        (parameter.name, parameter.kind, parameter.default is inspect.Parameter.empty)
        for parameter in signature.parameters.values()
        if parameter.name != "self"
    ]


@pytest.mark.parametrize("name", sorted(set(nnref.numpy.__all__) - TORCH_OWN))
def test_signatures_match(name: str) -> None:
    # Same parameter names, kinds and required-ness; defaults differ only in framework
    # spelling (np.float64 vs torch.float64).
    assert _public_parameters(getattr(nnref.numpy, name)) == _public_parameters(
        getattr(nnref.torch, name)
    )


@pytest.mark.parametrize(
    ("twin", "name"),
    [(nnref.numpy, name) for name in nnref.numpy.__all__]
    + [(nnref.torch, name) for name in nnref.torch.__all__ if name not in TORCH_OWN],
    ids=lambda value: getattr(value, "__name__", value),
)
def test_public_objects_have_docstrings_with_examples(twin, name: str) -> None:
    doc = inspect.getdoc(getattr(twin, name)) or ""
    assert ">>>" in doc, f"{twin.__name__}.{name} has no example"


def test_numpy_twin_does_not_import_torch() -> None:
    result = _run_python("import nnref.numpy, sys; assert 'torch' not in sys.modules")
    assert result.returncode == 0, result.stderr


def test_package_root_imports_nothing_heavy() -> None:
    code = (
        "import nnref, nnref.example, nnref.gradcheck, sys; "
        "assert 'torch' not in sys.modules; assert 'nnref.numpy' not in sys.modules"
    )
    result = _run_python(code)
    assert result.returncode == 0, result.stderr


def test_example_data_is_plain_python() -> None:
    ex = nnref.example
    assert ex.INPUTS == (0.05, 0.10)
    assert ex.TARGETS == (0.01, 0.99)
    assert ex.W1 == ((0.15, 0.20), (0.25, 0.30))
    assert ex.B1 == (0.35, 0.35)
    assert ex.W2 == ((0.40, 0.45), (0.50, 0.55))
    assert ex.B2 == (0.60, 0.60)
    assert ex.LEARNING_RATE == 0.5
    assert sorted(ex.__all__) == ["B1", "B2", "INPUTS", "LEARNING_RATE", "TARGETS", "W1", "W2"]
    for name in ex.__all__:
        value = getattr(ex, name)
        flat = [value] if isinstance(value, float) else list(_flatten(value))
        assert all(type(v) is float for v in flat), name


def _flatten(value):
    for item in value:
        if isinstance(item, tuple):
            yield from _flatten(item)
        else:
            yield item


def test_py_typed_marker_exists() -> None:
    assert (ROOT / "nnref" / "py.typed").is_file()


def test_importing_the_torch_twin_without_torch_names_the_install_command() -> None:
    # A fresh interpreter in which `import torch` fails, as where PyTorch is not installed.
    code = (
        "import sys\n"
        "sys.modules['torch'] = None\n"
        "try:\n"
        "    import nnref.torch\n"
        "except ImportError as error:\n"
        "    print(error)\n"
    )
    result = _run_python(code)
    assert result.returncode == 0, result.stderr
    assert 'pip install "nnref[torch]"' in result.stdout
    assert "nnref.numpy works without it" in result.stdout
