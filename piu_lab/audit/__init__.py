"""The tamper-evident audit log: append-only events chained by SHA-256, signed checkpoints."""

from piu_lab.audit.chain import GENESIS, BreakKind, VerifyResult, event_hash, verify_chain
from piu_lab.audit.checkpoint import (
    Checkpoint,
    generate_keypair,
    load_private_key,
    load_public_key,
    make_checkpoint,
    verify_against,
)
from piu_lab.audit.events import AuditAction, AuditDraft, AuditEvent, Decision
from piu_lab.audit.log import AuditLog, StoredEvent

__all__ = [
    "GENESIS",
    "AuditAction",
    "AuditDraft",
    "AuditEvent",
    "AuditLog",
    "BreakKind",
    "Checkpoint",
    "Decision",
    "StoredEvent",
    "VerifyResult",
    "event_hash",
    "generate_keypair",
    "load_private_key",
    "load_public_key",
    "make_checkpoint",
    "verify_against",
    "verify_chain",
]
