"""Ingest of carrier messages: PNRGOV and PAXLST EDIFACT into stored PNR versions.

Bytes -> :mod:`.syntax` (tokens, repairs) -> :mod:`.message` (envelope, one slice per message,
content hash) -> :mod:`.pnrgov` / :mod:`.paxlst` (segment groups into records) with the Annex I
filter and deletion on receipt (:mod:`.sensitive`) -> :mod:`.reader` (one outcome per message)
-> :mod:`.pipeline` (store, duplicates, quarantine). Everything up to the reader is pure.
"""
