"""Audit: the append-only, hash-chained log every domain writes to (and which imports none)."""
