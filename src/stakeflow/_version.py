"""The package version, kept in one place below every layer (the report prints it)."""

__version__ = "0.1.0"
