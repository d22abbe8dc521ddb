"""Sealed storage: the identifying values taken out of the tables at six months (R-RET-02).

Masking does not hide values behind a view: it moves them out of the normal tables into
``sealed_pnr`` / ``sealed_api``, encrypted, and leaves keyed pseudonyms in their place. The
encryption is an envelope, as a key-management service would do it:

- each lifecycle run draws a fresh **data key** (AES-256-GCM) and stores it in ``sealing_key``
  only *wrapped* for the **unsealing key pair**'s public half (X25519 with a fresh ephemeral
  key, HKDF-SHA256, AES-GCM);
- every PNR's (or API manifest's) values become one AES-GCM ciphertext under that data key,
  authenticated with the PNR id, so a ciphertext cannot be moved to another PNR.

Masking therefore needs only the **public** key (``PIU_LAB_SEAL_PUBLIC_KEY``, or ``seal.pub``
in the per-user data folder). Reading the values back needs the **private** key
(``PIU_LAB_UNSEAL_KEY``, or ``unseal.key``, mode 0600), which is never in the database, never
in a backup of it, and is used by one code path only: the session facade's re-personalisation
under an authorisation of a court or an independent body that allows it (R-RET-04). On a
first run without either, a key pair is made in the per-user data folder (what ``make demo``
needs); a PIU keeps the private half with its security officer (``piu-lab lifecycle keygen``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import platformdirs
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from piu_lab.errors import ConfigurationError, PiuLabError

__all__ = [
    "PRIVATE_ENV",
    "PUBLIC_ENV",
    "DataKey",
    "SealError",
    "Unsealer",
    "keygen",
    "new_data_key",
    "open_payload",
    "private_key",
    "public_key",
    "seal_payload",
]

PUBLIC_ENV = "PIU_LAB_SEAL_PUBLIC_KEY"
PRIVATE_ENV = "PIU_LAB_UNSEAL_KEY"
_RAW = serialization.Encoding.Raw
_INFO = b"piu-lab sealing key wrap v1"


class SealError(PiuLabError):
    """Sealed values could not be opened (wrong key, or a ciphertext that was altered)."""


def _folder() -> Path:
    return Path(platformdirs.user_data_dir("piu-lab"))


def _raw_public(key: X25519PublicKey) -> bytes:
    return key.public_bytes(_RAW, serialization.PublicFormat.Raw)


def _write_private(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def keygen(folder: Path) -> tuple[Path, Path]:
    """Make an unsealing key pair in ``folder``: ``seal.pub`` (hex, for the lifecycle job) and
    ``unseal.key`` (hex, mode 0600, for the re-personalisation only). Refuses to overwrite."""
    pub, priv = folder / "seal.pub", folder / "unseal.key"
    if pub.exists() or priv.exists():
        raise ConfigurationError(f"a key pair already exists in {folder}", folder=str(folder))
    private = X25519PrivateKey.generate()
    raw = private.private_bytes(_RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    _write_private(priv, raw.hex().encode())
    pub.write_text(_raw_public(private.public_key()).hex() + "\n", "ascii")
    return pub, priv


def _hex_key(text: str, what: str) -> bytes:
    try:
        raw = bytes.fromhex(text.strip())
    except ValueError:
        raw = b""
    if len(raw) != 32:
        raise ConfigurationError(f"{what} must be 64 hex digits (a raw X25519 key)", what=what)
    return raw


def public_key() -> X25519PublicKey:
    """The public half masking encrypts for: ``PIU_LAB_SEAL_PUBLIC_KEY``, else ``seal.pub`` in
    the per-user data folder (a pair is made there on first use when neither exists)."""
    given = os.environ.get(PUBLIC_ENV, "")
    if given.strip():
        return X25519PublicKey.from_public_bytes(_hex_key(given, PUBLIC_ENV))
    pub = _folder() / "seal.pub"
    if not pub.exists():
        with contextlib.suppress(ConfigurationError):  # made meanwhile by another process
            keygen(_folder())
    return X25519PublicKey.from_public_bytes(_hex_key(pub.read_text("ascii"), str(pub)))


def private_key() -> X25519PrivateKey:
    """The private half, for re-personalisation only: ``PIU_LAB_UNSEAL_KEY`` or ``unseal.key``.
    Raises ``ConfigurationError`` when this machine does not hold it."""
    given = os.environ.get(PRIVATE_ENV, "")
    if given.strip():
        return X25519PrivateKey.from_private_bytes(_hex_key(given, PRIVATE_ENV))
    path = _folder() / "unseal.key"
    if not path.exists():
        raise ConfigurationError(
            "the unsealing key is not on this machine",
            hint=f"set {PRIVATE_ENV} or place unseal.key in {_folder()}",
        )
    return X25519PrivateKey.from_private_bytes(_hex_key(path.read_text("ascii"), str(path)))


def _fingerprint(key: X25519PublicKey) -> str:
    return hashlib.sha256(_raw_public(key)).hexdigest()[:16]


def _wrapping_key(shared: bytes, ephemeral: bytes) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral, info=_INFO)
    return hkdf.derive(shared)


@dataclass(frozen=True, slots=True)
class DataKey:
    """A data key in clear (only in memory, for one run) and its ``sealing_key`` row."""

    key_id: str
    key: bytes
    row: Mapping[str, Any]


def new_data_key(recipient: X25519PublicKey, now: datetime) -> DataKey:
    """A fresh AES-256 data key, wrapped for ``recipient`` (the row to store)."""
    key = AESGCM.generate_key(bit_length=256)
    ephemeral = X25519PrivateKey.generate()
    eph_pub = _raw_public(ephemeral.public_key())
    wrap = _wrapping_key(ephemeral.exchange(recipient), eph_pub)
    nonce = secrets.token_bytes(12)
    key_id = uuid.uuid4().hex
    row = {
        "key_id": key_id,
        "recipient": _fingerprint(recipient),
        "ephemeral_public": eph_pub,
        "wrap_nonce": nonce,
        "wrapped_key": AESGCM(wrap).encrypt(nonce, key, key_id.encode()),
        "created_at": now,
    }
    return DataKey(key_id, key, row)


def _default(value: object) -> object:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def seal_payload(key: DataKey, subject: str, payload: Mapping[str, Any]) -> tuple[bytes, bytes]:
    """``(nonce, ciphertext)`` of ``payload`` (JSON) under the data key, bound to ``subject``."""
    nonce = secrets.token_bytes(12)
    data = json.dumps(payload, separators=(",", ":"), default=_default).encode()
    return nonce, AESGCM(key.key).encrypt(nonce, data, subject.encode())


def open_payload(data_key: bytes, subject: str, nonce: bytes, ciphertext: bytes) -> Any:
    """The payload sealed for ``subject``; ``SealError`` when the key or the data are wrong."""
    try:
        data = AESGCM(data_key).decrypt(nonce, ciphertext, subject.encode())
    except InvalidTag as exc:
        raise SealError("sealed values could not be opened", subject=subject) from exc
    return json.loads(data)


class Unsealer:
    """Opens sealed payloads with the private key, unwrapping each data key once."""

    def __init__(self, private: X25519PrivateKey) -> None:
        self._private = private
        self._keys: dict[str, bytes] = {}

    def data_key(self, row: Mapping[str, Any]) -> bytes:
        key_id = str(row["key_id"])
        if key_id not in self._keys:
            eph = bytes(row["ephemeral_public"])
            shared = self._private.exchange(X25519PublicKey.from_public_bytes(eph))
            wrap = _wrapping_key(shared, eph)
            try:
                self._keys[key_id] = AESGCM(wrap).decrypt(
                    bytes(row["wrap_nonce"]), bytes(row["wrapped_key"]), key_id.encode()
                )
            except InvalidTag as exc:
                raise SealError(
                    "this unsealing key does not open the data key", key_id=key_id
                ) from exc
        return self._keys[key_id]

    def open(self, key_row: Mapping[str, Any], subject: str, nonce: bytes, data: bytes) -> Any:
        return open_payload(self.data_key(key_row), subject, bytes(nonce), bytes(data))
