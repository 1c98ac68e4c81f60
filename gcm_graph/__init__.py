"""gcm-graph: the Global Compact for Migration as a validated, published knowledge graph."""

__version__ = "0.1.0"
