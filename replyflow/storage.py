"""Stored files (attachments, department templates, signed replies and their PDFs) on a storage path that
the web hosts share (STORAGE_PATH: an NFS or other shared mount when there are several), not in the database.

Files are named by their SHA-256, so a file is written once however many rows hold it, two hosts writing
the same bytes cannot clash, and every read proves the bytes are the ones stored. A column of type
`StoredBytes` holds the name; the model reads and writes bytes as before. A file is written when its row
is flushed: a transaction that then rolls back leaves an unreferenced file, never a row without its file.
"""
import hashlib
import os
import tempfile
from pathlib import Path

from flask import current_app
from sqlalchemy import String
from sqlalchemy.types import TypeDecorator


class StorageError(Exception):
    pass


def root() -> Path:
    return Path(current_app.config["STORAGE_PATH"])


def path_of(key: str) -> Path:
    return root() / key[:2] / key


def put(data: bytes) -> str:
    key = hashlib.sha256(data).hexdigest()
    target = path_of(key)
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        try:
            with os.fdopen(handle, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(temporary, target)   # atomic: a reader sees the whole file or none
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    return key


def get(key: str) -> bytes:
    try:
        data = path_of(key).read_bytes()
    except OSError as error:
        raise StorageError(f"存储的文件 {key} 无法读取（{error.strerror}）：请检查 STORAGE_PATH。") from None
    if hashlib.sha256(data).hexdigest() != key:
        raise StorageError(f"存储的文件 {key} 已损坏（SHA-256 不符）。")
    return data


class StoredBytes(TypeDecorator):
    """bytes in Python, the file's SHA-256 in the column."""

    impl = String(64)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else put(bytes(value))

    def process_result_value(self, value, dialect):
        return None if value is None else get(value)
