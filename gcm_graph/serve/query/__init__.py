"""The query engine: admission and fair sharing (fairness.py), the result cache (cache.py)."""
