"""refconv: convert bibliographic records between Refer/EndNote, RIS, BibTeX, CSL-JSON and
formatted references, from the command line or from Python.

    >>> import refconv
    >>> records = list(refconv.read(b"%0 Book\\n%A Doe, Jane\\n%T A Title\\n%D 2001\\n"))
    >>> records[0].names["author"][0].family
    'Doe'
"""

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
from refconv.diagnostics import Collected, Diagnostic, Diagnostics, RefconvError
from refconv.formats.base import Reader, Writer
from refconv.model import Date, Name, Record
from refconv.plugins import register_reader, register_writer

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
