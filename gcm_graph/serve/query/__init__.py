"""The query engine: what a query may do (policy.py, from a parse tree, for every route and
`gcm-graph query`), where it runs (the worker pool, pool.py, on
the embedded store, store.py, inside a network sandbox, sandbox.py), what it is asked and answers
(jobs.py, the interface the HTTP layer and the remote backend share), and the description of a
resource computed from the store (describe.py); who may run a query when (fair sharing among
clients, fairness.py) and answers already computed (cache.py), both applied by admission.py.
Nothing here knows about HTTP routes."""
