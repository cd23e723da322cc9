"""facilitate: live facilitation for citizen dialogue meetings."""

__version__ = "0.1.0"
