"""The pure domain of facilitate.

Nothing in this package touches asyncio, Starlette, SQLite, the clock or randomness: time and ids
are passed in, so every rule can be tested in microseconds and replayed from the event log.
"""
