"""Installed as package data gcm_graph.resources.sparql_queries (see gcm_graph/resources)."""
