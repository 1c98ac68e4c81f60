"""From extracted records to RDF: one named graph per source, provenance on every fact."""
