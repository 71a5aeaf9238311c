"""claimledger: news articles in, an evidence-backed ledger of attributed claims out."""

__version__ = "0.1.0"
from claimledger.errors import ClaimledgerError
from claimledger.ledger import IngestReport, Ledger
from claimledger.models import Claim, Source

__all__ = ["Ledger", "IngestReport", "Claim", "Source", "ClaimledgerError", "__version__"]
