"""Drop-in names from other libraries, returning lrkit schedules.

Each submodule mirrors one library's schedule API (same names, parameters and
defaults) and is imported on its own, e.g. ``from lrkit.compat import optax``;
none imports the library it mirrors.
"""
