"""verify: check an article's claims and attributions against its sources."""

__version__ = "0.1.0"

__all__ = ["__version__"]
