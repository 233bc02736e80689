"""refconv: convert bibliographic records between Refer/EndNote, CSL-JSON and other formats."""

__version__ = "0.1.0"

__all__ = ["__version__"]
