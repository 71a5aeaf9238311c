"""The errors claimledger raises on purpose, each with a message for the person who ran it
(what went wrong and what to do). Each also derives from the built-in error it is a kind of,
so code that catches `ValueError` or `LookupError` still catches it.

    try:
        ledger = Ledger("war.db", readonly=True)
    except ClaimledgerError as exc:
        print(exc)
"""

from __future__ import annotations


class ClaimledgerError(Exception):
    """Base of the errors below: `LedgerError` (a ledger file that cannot be opened or used),
    `AmbiguousId` (an id prefix that fits several claims or events), `CorpusError` (an
    evaluation corpus that cannot be read or scored), `ModelNotFound` (a spaCy model that is
    not installed), `FetchError` (a URL that could not be fetched)."""
