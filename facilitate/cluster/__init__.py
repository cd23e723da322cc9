"""Cluster mode: servers sharing one PostgreSQL log, with Redis between them (docs/cluster.md)."""
