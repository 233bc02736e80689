"""The man page ``refconv.1``, generated from the click commands so that it cannot drift from
``--help``. The generated file is shipped in ``refconv/man/`` (and installed into
``share/man/man1``); ``tests/test_shell.py`` fails when it is out of date.

    python -m refconv.manpage > refconv/man/refconv.1
"""

from __future__ import annotations

import inspect

import click

from refconv import __version__
from refconv.codes import MEANINGS

DATE = "2026-11-30"  # of the last change to the command line; bump with it

EXIT_STATUS = [
    ("0", "Success; warnings may have been printed."),
    ("1", "Bad data or an I/O failure: an unreadable or undecodable input, a line longer "
     "than 64 MiB, an entry that could not be parsed (the rest is converted, an -o target "
     "is left untouched), an output that cannot be written (a full disk, a closed standard "
     "output, a link another user owns in a sticky world-writable directory), a closed "
     "standard input, any warning under --strict; for check, any problem. A standard error "
     "that cannot be written does not fail a run."),
    ("2", "Usage error: an unknown option, format, style, locale or encoding; no output "
     "format; input whose format cannot be told; an output that is one of the inputs "
     "(standard input included); an --out-dir that is a file."),
    ("128 + N", "Stopped by signal N (SIGHUP 129, SIGINT 130, SIGQUIT 131, SIGTERM 143, and "
     "every other signal that would end the process and is not ignored), after removing the "
     "temporary files of -o and --out-dir."),
]  # fmt: skip

DIAGNOSTICS = """\
Warnings, errors and notes go to standard error as FILE:LINE: LEVEL: MESSAGE lines. With
--diagnostics json each is one JSON object on a line with the keys path, line (null when
unknown), level (error, warning, note), code and message; usage errors and signals too, and
the summaries of check and --report as one object of level summary. The codes:"""

ENVIRONMENT = [
    ("_REFCONV_COMPLETE", "Shell completion, as click defines it: "
     'eval "$(_REFCONV_COMPLETE=bash_source refconv)" in ~/.bashrc (zsh_source for zsh, '
     "fish_source for fish)."),
]  # fmt: skip

EXAMPLES = [
    "refconv convert paper.enw -t csljson > refs.json",
    "refconv convert a.enw b.refer -o refs.bib --latex",
    "cat paper.enw | refconv convert -f refer -t ris",
    "refconv convert refs.enw -t html --style ieee --standalone -o refs.html",
    "refconv convert *.enw --out-dir bib/ -t bibtex --jobs 4",
    "refconv check refs.enw",
    "refconv styles vancouver",
]


def _escape(text: str) -> str:
    """Text → roff: backslashes, leading dots and quotes, hyphens that are minus signs, and
    non-ASCII characters as ``\\[uXXXX]`` (groff reads its input as Latin-1)."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    if not text.isascii():
        text = "".join(c if c.isascii() else f"\\[u{ord(c):04X}]" for c in text)
    lines = []
    for line in text.split("\n"):
        if line.startswith((".", "'")):
            line = "\\&" + line
        lines.append(line)
    return "\n".join(lines)


def _paragraphs(help_text: str) -> list[str]:
    """click help → roff: paragraphs, with click's ``\\b`` blocks kept as they are."""
    out = []
    for block in inspect.cleandoc(help_text).split("\n\n"):
        if block.startswith("\b\n"):
            out += [".PP", ".nf", _escape(block[2:]), ".fi"]
        else:
            out += [".PP", _escape(" ".join(line.strip() for line in block.splitlines()))]
    return out


def _options(command: click.Command, ctx: click.Context) -> list[str]:
    out = []
    for param in command.get_params(ctx):
        if not isinstance(param, click.Option):
            continue
        record = param.get_help_record(ctx)
        if record is None:
            continue
        names, text = record
        out += [".TP", f"\\fB{_escape(names)}\\fR", _escape(text)]
    return out


def render(group: click.Group | None = None) -> str:
    """The whole man page, as roff text."""
    if group is None:
        from refconv.cli import cli

        group = cli
    # make_context applies the group's context_settings (-h as well as --help)
    ctx = group.make_context("refconv", [], resilient_parsing=True)
    lines = [
        f'.TH REFCONV 1 "{DATE}" "refconv {__version__}" "User Commands"',
        ".SH NAME",
        "refconv \\- convert bibliographic records between Refer/EndNote, RIS, BibTeX, "
        "CSL\\-JSON and formatted references",
        ".SH SYNOPSIS",
    ]
    for name, command in group.commands.items():
        usage = " ".join(command.collect_usage_pieces(ctx))
        lines += [f".B refconv {name}", _escape(usage), ".br"]
    lines += [".SH DESCRIPTION", *_paragraphs(group.help or "")]
    lines += [".SH COMMANDS"]
    for name, command in group.commands.items():
        sub = command.make_context(name, [], parent=ctx, resilient_parsing=True)
        lines += [f'.SS "refconv {name}"', *_paragraphs(command.help or "")]
        lines += _options(command, sub)
    lines += [".SH EXIT STATUS"]
    for code, text in EXIT_STATUS:
        lines += [".TP", f"\\fB{code}\\fR", _escape(text)]
    lines += [".SH DIAGNOSTICS", *_paragraphs(DIAGNOSTICS)]
    for code, (level, meaning) in MEANINGS.items():
        lines += [".TP", f"\\fB{_escape(code)}\\fR ({level})", _escape(meaning)]
    lines += [".SH ENVIRONMENT"]
    for name, text in ENVIRONMENT:
        lines += [".TP", f"\\fB{_escape(name)}\\fR", _escape(text)]
    lines += [".SH EXAMPLES", ".nf", *(_escape(e) for e in EXAMPLES), ".fi"]
    lines += [
        ".SH SEE ALSO",
        "\\fBrefer\\fR(1), \\fBbibtex\\fR(1), \\fBbiber\\fR(1), \\fBpandoc\\fR(1); "
        "the README of refconv for the format details.",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(render(), end="")
