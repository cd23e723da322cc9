"""Unit tests of the pure core, `facilitate.core`: no server, no database, no clock."""
