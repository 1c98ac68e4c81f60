"""Installed as package data gcm_graph.resources.shapes (see gcm_graph/resources)."""
