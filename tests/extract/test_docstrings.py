"""The examples in the extraction modules' docstrings hold (tracklists has its own test)."""

from __future__ import annotations

import doctest
import importlib

import pytest


@pytest.mark.parametrize("module", ["credits", "cues", "pipeline", "reading", "scorer", "training"])
def test_the_docstring_examples_hold(module):
    result = doctest.testmod(importlib.import_module(f"animekg.extract.{module}"))
    assert result.attempted >= 1 and result.failed == 0
