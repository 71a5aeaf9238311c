"""The analyst's workspace: `claimledger serve`, a web app over the ledger.

Server-rendered pages (Jinja2, every field escaped) with a little JavaScript of its own for
the maps, and a JSON API under /api/ described by an OpenAPI document (/api/openapi.json).
Pages, API and downloads read through `Ledger`, as the CLI does: no SQL here. Everything the
pages load ships inside the package (static/: the app's style and script, Leaflet, the
countries of Natural Earth as the map's only layer), so the app works with no network.
"""

from claimledger.web.app import create_app

__all__ = ["create_app"]
