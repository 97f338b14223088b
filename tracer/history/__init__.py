"""A person's own history: their Alexa Voice History export in, a ledger log out.

This package owns reading what a person can download of their Alexa use (DESIGN.md section
12): the Voice History records, streamed in bounded memory (:mod:`~tracer.history.exports`);
matching a record's skill name to the skills tracer knows (:mod:`~tracer.history.matching`,
candidates from the model today, from a skill catalogue later); the rules that say which
interaction a record is (:mod:`~tracer.history.mapping`, a shipped mapping file and the
person's own); the import itself, which writes a ledger events log (:mod:`~tracer.history.imports`);
and what the person deleted, as a requests log (:mod:`~tracer.history.deletions`). It imports
the model and the ledger's log format, never the other way round; the letters a person sends
are the ledger's (:mod:`tracer.ledger.letters`). Transcripts are read only to map a record and
are written nowhere unless asked; nothing is sent anywhere.
"""

from __future__ import annotations

from .deletions import deletion_requests
from .exports import HistoryError, VoiceRecord, read_voice_history
from .imports import (
    Ambiguous,
    BadRecord,
    ImportResult,
    Unmapped,
    import_alexa,
    requests_path_for,
)
from .mapping import Mapper, Match, Rule, default_map_path, read_map
from .matching import Candidate, NameIndex, NameSource, model_candidates, normalise

__all__ = [
    "Ambiguous",
    "BadRecord",
    "Candidate",
    "HistoryError",
    "ImportResult",
    "Mapper",
    "Match",
    "NameIndex",
    "NameSource",
    "Rule",
    "Unmapped",
    "VoiceRecord",
    "default_map_path",
    "deletion_requests",
    "import_alexa",
    "model_candidates",
    "normalise",
    "read_map",
    "read_voice_history",
    "requests_path_for",
]
