"""The remote backend (`serve --backend URL`): queries answered by a SPARQL store the release was
published into. client.py (the engine the app uses, install_backend), backend.py (HTTP to the
store, its publication record), dialect.py (what a store does beyond the protocol), dataset.py
(confining a query's dataset to the release), release.py (the pages' view of the store)."""
