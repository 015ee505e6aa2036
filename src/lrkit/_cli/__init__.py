"""The ``lrkit`` command line."""

from lrkit._cli.main import main

__all__ = ["main"]
