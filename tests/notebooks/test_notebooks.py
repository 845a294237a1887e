"""The notebooks run top to bottom on the bundled examples, and are stored without outputs."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))


@pytest.fixture
def this_python_kernel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A `python3` kernelspec for the interpreter running the tests.

    JUPYTER_PATH comes first in Jupyter's search, so a python3 kernel in the user's
    own Jupyter folder, which may be another Python without animekg, cannot win.
    """
    spec = tmp_path / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3", "language": "python"}), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    return "python3"


def test_there_are_notebooks() -> None:
    assert [p.name for p in NOTEBOOKS] == ["01_build_and_query.ipynb", "02_explore_network.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: clear its outputs"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_runs_top_to_bottom(path: Path, this_python_kernel: str) -> None:
    nb = nbformat.read(path, as_version=4)
    # The notebooks find examples/ from their own folder, as Jupyter and VS Code start them.
    NotebookClient(nb, timeout=600, kernel_name=this_python_kernel,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    shown = "".join(str(o.get("text", "")) + str(o.get("data", {})) for o in outputs)
    assert "Yoko Kanno" in shown
    if path.name.startswith("02"):
        html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
        assert any("<iframe srcdoc=" in h and "vis.Network" in h for h in html)
