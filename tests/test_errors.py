"""Every error claimledger raises on purpose derives from ClaimledgerError, and still from
the built-in error it is a kind of."""

from __future__ import annotations

import pytest

from claimledger import ClaimledgerError, Ledger
from claimledger.evaluate import CorpusError
from claimledger.ingest.fetch import FetchError
from claimledger.ledger import AmbiguousId
from claimledger.nlp.pipeline import ModelNotFound
from claimledger.store.sqlite import LedgerError


@pytest.mark.parametrize("error, kind", [(LedgerError, RuntimeError), (AmbiguousId, LookupError),
                                         (CorpusError, ValueError),
                                         (ModelNotFound, RuntimeError),
                                         (FetchError, Exception)])
def test_one_base_for_claimledgers_errors(error, kind):
    assert issubclass(error, ClaimledgerError) and issubclass(error, kind)


def test_a_missing_ledger_is_a_claimledger_error(tmp_path):
    with pytest.raises(ClaimledgerError, match="no ledger at"):
        Ledger(str(tmp_path / "none.db"), readonly=True)
