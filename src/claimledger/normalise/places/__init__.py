"""Offline gazetteer and toponym resolution (the code is in `index`)."""

from claimledger.normalise.places.index import (
    FEATURES,
    Gazetteer,
    find_places,
    gazetteer,
    km,
    resolve,
)

__all__ = ["FEATURES", "Gazetteer", "find_places", "gazetteer", "km", "resolve"]
