"""Shell integration: click's completion for bash, zsh and fish, and the shipped man page."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from refconv import manpage

from .conftest import ROOT

REFCONV = os.path.join(os.path.dirname(sys.executable), "refconv")
MAN_PAGE = ROOT / "refconv" / "man" / "refconv.1"


def complete(shell: str, words: str) -> list[str]:
    """What the completion of ``words`` (the cursor after the last) offers in ``shell``."""
    parts = words.split(" ")
    env = {
        **os.environ,
        "_REFCONV_COMPLETE": f"{shell}_complete",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(parts) - 1),
    }
    if shell == "fish":
        env["COMP_CWORD"] = parts[-1]
    done = subprocess.run([REFCONV], env=env, capture_output=True, text=True, check=True)
    return done.stdout.splitlines()


def test_bash_completes_output_formats():
    assert complete("bash", "refconv convert -t b") == ["plain,biblatex", "plain,bibtex"]
    offered = complete("bash", "refconv convert -t ")
    assert {"plain,csljson", "plain,ris", "plain,text", "plain,html"} <= set(offered)


def test_bash_completes_input_formats_styles_and_locales():
    assert complete("bash", "refconv convert -f r") == ["plain,refer", "plain,ris"]
    styles = complete("bash", "refconv convert --style modern-language-a")
    assert "plain,modern-language-association" in styles
    assert complete("bash", "refconv convert --locale de-") == [
        "plain,de-AT",
        "plain,de-CH",
        "plain,de-DE",
    ]
    assert "plain,--out-dir" in complete("bash", "refconv convert --ou")


def test_zsh_completion_carries_descriptions():
    assert complete("zsh", "refconv convert -t css") in ([], [""])
    lines = complete("zsh", "refconv convert -t cslj")
    assert lines[:3] == [
        "plain",
        "csljson",
        "CSL-JSON array of items (citeproc, pandoc --citeproc)",
    ]


def test_fish_completion():
    lines = complete("fish", "refconv convert -t ri")
    assert lines == ["plain,ris\tRIS tagged records (EndNote, Zotero, Mendeley import)"]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts_are_generated(shell):
    env = {**os.environ, "_REFCONV_COMPLETE": f"{shell}_source"}
    script = subprocess.run([REFCONV], env=env, capture_output=True, text=True, check=True)
    assert "_REFCONV_COMPLETE" in script.stdout and "refconv" in script.stdout


def test_bash_completion_script_registers_itself():
    if shutil.which("bash") is None:
        pytest.skip("no bash")
    command = 'eval "$(_REFCONV_COMPLETE=bash_source refconv)" && complete -p refconv'
    env = {**os.environ, "PATH": os.path.dirname(REFCONV) + os.pathsep + os.environ["PATH"]}
    done = subprocess.run(["bash", "-c", command], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "_refconv_completion" in done.stdout


def test_shipped_man_page_is_up_to_date():
    assert MAN_PAGE.read_text(encoding="utf-8") == manpage.render(), (
        "run: python -m refconv.manpage > refconv/man/refconv.1"
    )


def test_man_page_covers_every_command_and_option():
    from refconv.cli import cli

    page = MAN_PAGE.read_text(encoding="utf-8")
    for name, command in cli.commands.items():
        assert f'.SS "refconv {name}"' in page
        for param in command.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("-"):
                    assert opt.replace("-", "\\-") in page, (name, opt)


def test_man_page_renders_without_warnings():
    groff = shutil.which("groff")
    if groff is None:
        if os.environ.get("CI"):
            pytest.fail("groff is missing")
        pytest.skip("groff is not installed")
    done = subprocess.run(
        [groff, "-man", "-ww", "-Tutf8", "-P-cbou", str(MAN_PAGE)], capture_output=True, text=True
    )
    assert done.returncode == 0 and done.stderr == "", done.stderr
    assert "refconv convert" in done.stdout and "EXIT STATUS" in done.stdout


# File names (issue 20, item 1): inputs, -o and --out-dir answer with click's "file"/"dir"
# items, which each shell's script turns into its own file or directory completion.
@pytest.mark.parametrize(
    ("words", "kind", "value"),
    [
        ("refconv convert pap", "file", "pap"),
        ("refconv convert a.enw pap", "file", "pap"),
        ("refconv convert -o re", "file", "re"),
        ("refconv convert --output=re", "file", "re"),
        ("refconv convert --out-dir o", "dir", "o"),
        ("refconv check ex", "file", "ex"),
        ("refconv convert ", "file", ""),
    ],
)
def test_file_names_complete_in_every_shell(words, kind, value):
    assert complete("bash", words) == [f"{kind},{value}"]
    assert complete("zsh", words)[:2] == [kind, value]
    assert complete("fish", words) == [f"{kind},{value}"]


@pytest.mark.parametrize(("shell", "fallback"), [
    ("bash", "compopt -o default"), ("zsh", "_path_files -f"), ("fish", "__fish_complete_path"),
])  # fmt: skip
def test_each_script_turns_a_file_item_into_file_completion(shell, fallback):
    env = {**os.environ, "_REFCONV_COMPLETE": f"{shell}_source"}
    script = subprocess.run([REFCONV], env=env, capture_output=True, text=True, check=True)
    assert fallback in script.stdout


def test_bash_completes_real_file_names(tmp_path):
    """The whole path as bash runs it: the completion function, then bash's own file
    completion that ``compopt -o default`` asks for (``compgen -f`` gives the same names)."""
    if shutil.which("bash") is None:
        pytest.skip("no bash")
    (tmp_path / "paper.enw").write_text("%T x\n", encoding="utf-8")
    (tmp_path / "papers").mkdir()
    command = (
        'eval "$(_REFCONV_COMPLETE=bash_source refconv)"; '
        "COMP_WORDS=(refconv convert pap); COMP_CWORD=2; "
        "_refconv_completion 2>/dev/null; "
        'echo "reply=${#COMPREPLY[@]}"; compgen -f -- pap | sort'
    )
    env = {**os.environ, "PATH": os.path.dirname(REFCONV) + os.pathsep + os.environ["PATH"]}
    done = subprocess.run(["bash", "-c", command], env=env, capture_output=True, text=True,
                          cwd=tmp_path)  # fmt: skip
    assert done.stdout.splitlines() == ["reply=0", "paper.enw", "papers"]
