"""Minutes made from a meeting record. Pure functions: a record in, a document out."""
