"""Installed as package data gcm_graph.resources.sources (see gcm_graph/resources)."""
