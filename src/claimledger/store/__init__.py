"""The ledger's store: an SQLite file (`sqlite.Store`), or a database on a PostgreSQL server
shared by a team (`postgres.PostgresStore`), chosen by what `--db` names."""

from __future__ import annotations

from claimledger.store.sqlite import LedgerError, Store

__all__ = ["LedgerError", "Store", "open_store"]


def open_store(target: str, *, readonly: bool = False) -> Store:
    """The ledger `target` names: a `postgresql://` URL, or else an SQLite file."""
    from claimledger.store.postgres import PostgresStore, is_postgres

    if is_postgres(str(target)):
        return PostgresStore(str(target), readonly=readonly)
    return Store(target, readonly=readonly)
