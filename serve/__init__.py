"""The SPARQL endpoint: `animekg serve`.

    from animekg.serve import ServeConfig, SparqlServer
    with SparqlServer("animekg-store", port=0, config=ServeConfig(timeout=5)) as server:
        print(server.url + "/sparql")

``api.serve`` runs one until Ctrl+C. Queries run in worker processes under a time limit
(see ``workers``); ``protocol`` is the SPARQL 1.1 Protocol, ``formats`` the content
negotiation, ``page`` the query page and network view.
"""

from .config import ServeConfig, ServeError
from .server import SparqlServer, serve_until_stopped

__all__ = ["ServeConfig", "ServeError", "SparqlServer", "serve_until_stopped"]
