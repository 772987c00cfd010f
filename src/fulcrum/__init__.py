"""fulcrum: decide where to put your effort."""

__version__ = "0.1.0"
