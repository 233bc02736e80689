"""refconv: convert bibliographic records between Refer/EndNote, RIS, BibTeX, CSL-JSON and
formatted references, from the command line or from Python.

    >>> import refconv
    >>> records = list(refconv.read(b"%0 Book\\n%A Doe, Jane\\n%T A Title\\n%D 2001\\n"))
    >>> records[0].names["author"][0].family
    'Doe'
"""

from typing import TYPE_CHECKING, Any

from refconv.diagnostics import Collected, Diagnostic, Diagnostics, RefconvError
from refconv.formats.base import Reader, Writer
from refconv.model import Date, Name, Record
from refconv.plugins import register_reader, register_writer

if TYPE_CHECKING:
    from refconv.api import (
        SkippedRecords,
        assign_keys,
        convert,
        convert_batch,
        from_csl,
        key_requests,
        read,
        to_csl,
        write,
    )

#: The library functions, imported on first use (PEP 562): the command line does not need
#: ``api`` and ``batch`` (and the pathlib they load) to convert one file (issue 18).
_API = frozenset({"SkippedRecords", "assign_keys", "convert", "convert_batch", "from_csl",
                  "key_requests", "read", "to_csl", "write"})  # fmt: skip


def __getattr__(name: str) -> Any:
    if name in _API:
        from refconv import api

        return getattr(api, name)
    raise AttributeError(f"module 'refconv' has no attribute {name!r}")


__version__ = "0.1.0"

__all__ = [
    "Collected",
    "Date",
    "Diagnostic",
    "Diagnostics",
    "Name",
    "Reader",
    "Record",
    "RefconvError",
    "SkippedRecords",
    "Writer",
    "__version__",
    "assign_keys",
    "convert",
    "convert_batch",
    "from_csl",
    "key_requests",
    "read",
    "register_reader",
    "register_writer",
    "to_csl",
    "write",
]
