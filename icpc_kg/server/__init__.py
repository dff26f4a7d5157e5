"""``icpc-kg serve``: the SPARQL endpoint, linked-data pages, query API and validation service.

from icpc_kg.server import create_app, ServerConfig
"""

from icpc_kg.server.app import create_app
from icpc_kg.server.config import ServerConfig

__all__ = ["ServerConfig", "create_app"]
