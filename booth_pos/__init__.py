"""booth-pos: offline-first point of sale for county festival booths."""

__version__ = "0.1.0"
