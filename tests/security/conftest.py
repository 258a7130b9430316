"""Fixtures for the security suite: readers with a known password (tests/readers.py)."""

from __future__ import annotations

from tests.readers import _fast_password_hashing, other_reader, reader  # noqa: F401
