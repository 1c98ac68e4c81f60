"""Test and benchmark harness: starts and stops real servers (gcm-graph, Virtuoso) on loopback.

Not part of the installed package: it runs apt-get (Virtuoso) and starts processes, which a
library must not do. tests/ find it through pytest's `pythonpath` (pyproject.toml), benchmarks/
by putting the repository root on sys.path.
"""
