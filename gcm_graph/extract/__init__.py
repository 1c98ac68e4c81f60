"""One parser per source document. Parsers return plain dataclasses with line numbers; no RDF here."""
