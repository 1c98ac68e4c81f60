"""The HTTP layer: the routes (one blueprint per module: sparql, pages, dumps, health,
analysis_page), the responses and pages they share (responses.py, site.py, views.py,
queryform.py), the templates and static files, and the WSGI server runners (wsgi.py for one
instance, replicas.py for several behind one port). Queries are answered through the engine
interface of gcm_graph.serve.query.jobs; the remote backend is installed by the app factory."""
