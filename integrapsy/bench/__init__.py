"""Benchmark, load and fault tooling: not an app, no models.

Unlike the rest of the core, this package may import every app (cases, interpreters,
ambassadors...): it generates their rows and measures their pages. Nothing in the project
imports it, except the ``benchmark`` management command and its tests.
"""
