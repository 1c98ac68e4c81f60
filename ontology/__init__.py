"""Installed as package data gcm_graph.resources.ontology (see gcm_graph/resources)."""
