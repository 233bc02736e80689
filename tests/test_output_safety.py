"""-o, --out-dir and stdout never destroy what they should not (issue 13 §4, §5).

Special files are written into, links are followed, modes kept, inputs never overwritten; a
full disk, a closed stdout or a signal gives one line and leaves the old target and no
temporary file. The signal and disk tests run the real command in a subprocess.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import refconv.api as api
import refconv.output
from refconv.cli import cli

from .corpus import corpus

pytestmark = pytest.mark.slow  # real processes: signals, full disks, FIFOs, links

ONE = "%0 Journal Article\n%T Title\n%A Doe, Jane\n%D 2001\n"
COMMAND = [sys.executable, "-m", "refconv"]
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def run(args, input=None):
    return CliRunner().invoke(cli, args, input=input)


def run_process(args, **kwargs) -> subprocess.CompletedProcess:
    """The real command (so fds, signals and the disk are real), bounded in time."""
    kwargs.setdefault("stdout", subprocess.PIPE)
    return subprocess.run([*COMMAND, *args], stderr=subprocess.PIPE, timeout=60, **kwargs)


@pytest.fixture
def enw(tmp_path) -> Path:
    path = tmp_path / "in.enw"
    path.write_text(ONE, encoding="utf-8")
    return path


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


# -- special files ------------------------------------------------------------------------


def device(tmp_path: Path, name: str) -> str:
    """A device to write to: as root a private node of /dev/NAME in ``tmp_path``, so a
    regression replaces that node, not the machine's (the old code did, as root); as a user
    the real one, which a user cannot replace."""
    real = f"/dev/{name}"
    if not os.path.exists(real):
        pytest.skip(f"no {real} on this system")
    if not IS_ROOT:
        return real
    path = tmp_path / name
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.stat(real).st_rdev)
    except OSError as exc:
        pytest.skip(f"cannot make a device node: {exc.strerror}")
    return str(path)


def test_dev_null_stays_a_device(enw, tmp_path):
    null = device(tmp_path, "null")
    before = os.stat(null)
    result = run(["convert", str(enw), "-o", null, "-t", "csljson"])
    assert (result.exit_code, result.stderr) == (0, "")
    after = os.stat(null)
    assert stat.S_ISCHR(after.st_mode)
    assert (after.st_ino, after.st_rdev, after.st_mode) == (
        before.st_ino,
        before.st_rdev,
        before.st_mode,
    )


def test_dev_null_as_an_unprivileged_user():
    """/dev is not writable for a user: -o /dev/null must not need a temporary file there.
    As root the test drops its effective uid for the call (the interpreter under /root
    could not be run as nobody)."""
    api.convert(ONE.encode(), None, "refer", "ris")  # imports done as ourselves
    if IS_ROOT:
        os.seteuid(65534)
    try:
        assert not os.access("/dev", os.W_OK, effective_ids=True)
        api.convert(ONE.encode(), os.devnull, "refer", "ris")
    finally:
        if IS_ROOT:
            os.seteuid(0)


def test_fifo_is_written_into_not_replaced(enw, tmp_path):
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    result = run(["convert", str(enw), "-o", str(fifo), "-t", "ris"])
    reader.join(30)
    assert (result.exit_code, result.stderr) == (0, "")
    assert b"TI  - Title" in got[0]
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert leftovers(tmp_path) == []


def test_socket_is_refused_not_replaced(enw, tmp_path):
    path = tmp_path / "s.sock"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
        result = run(["convert", str(enw), "-o", str(path), "-t", "ris"])
    assert result.exit_code == 1
    assert result.stderr == f"{path}: error: cannot write: No such device or address\n"
    assert stat.S_ISSOCK(path.stat().st_mode)


@pytest.mark.parametrize("redirect", [">", ">>"])
def test_dev_stdout_is_written_into(enw, tmp_path, redirect):
    """-o /dev/stdout (a /proc/self/fd link) onto a regular file: written into at its end,
    the file is the shell's, not replaced. A link of our own stands for /dev/stdout, which
    a regression would replace as root."""
    if not os.path.exists("/proc/self/fd"):
        pytest.skip("no /proc/self/fd on this system")
    dev_stdout = tmp_path / "stdout"
    dev_stdout.symlink_to("/proc/self/fd/1")
    out = tmp_path / "out.ris"
    out.write_text("OLD\n", encoding="utf-8")
    inode = out.stat().st_ino
    mode = "a" if redirect == ">>" else "w"
    with open(out, mode) as stdout:
        result = run_process(
            ["convert", str(enw), "-o", str(dev_stdout), "-t", "ris"], stdout=stdout
        )
    assert (result.returncode, result.stderr) == (0, b"")
    text = out.read_text("utf-8")
    assert text.startswith("OLD\nTY  - JOUR" if redirect == ">>" else "TY  - JOUR")
    assert out.stat().st_ino == inode


# -- links, modes, owners -----------------------------------------------------------------


def test_links_are_followed_and_the_real_file_replaced(enw, tmp_path, monkeypatch):
    real_dir = tmp_path / "real"
    real_dir.mkdir()
    real = real_dir / "refs.ris"
    real.write_text("OLD\n", encoding="utf-8")
    (tmp_path / "dir-link").symlink_to("real")  # a linked directory on the way
    (tmp_path / "one.ris").symlink_to("dir-link/refs.ris")
    (tmp_path / "two.ris").symlink_to(tmp_path / "one.ris")  # absolute, two levels
    temp_dirs = []
    create_temp = refconv.output._create_temp

    def spy(dir_fd, base):
        temp_dirs.append(os.readlink(f"/proc/self/fd/{dir_fd}"))
        return create_temp(dir_fd, base)

    monkeypatch.setattr(refconv.output, "_create_temp", spy)
    api.convert(str(enw), str(tmp_path / "two.ris"), to="ris")
    assert real.read_text("utf-8").startswith("TY  - JOUR")
    assert os.readlink(tmp_path / "two.ris") == str(tmp_path / "one.ris")
    assert os.readlink(tmp_path / "one.ris") == "dir-link/refs.ris"
    assert temp_dirs == [str(real_dir.resolve())]  # the rename stays in one file system
    assert leftovers(tmp_path) == leftovers(real_dir) == []


def test_dangling_link_creates_the_file_it_names(enw, tmp_path):
    (tmp_path / "link.ris").symlink_to("made.ris")
    result = run(["convert", str(enw), "-o", str(tmp_path / "link.ris")])
    assert (result.exit_code, result.stderr) == (0, "")
    assert (tmp_path / "link.ris").is_symlink()
    assert (tmp_path / "made.ris").read_text("utf-8").startswith("TY  - JOUR")


# -- links planted by another user (fs.protected_symlinks) ---------------------------------

OTHER_UID = 65534  # nobody
needs_root = pytest.mark.skipif(not IS_ROOT, reason="only root can give a link to another user")


def _plant(link: Path, target: str, uid: int) -> None:
    link.symlink_to(target)
    os.lchown(link, uid, -1)


@needs_root
@pytest.mark.parametrize("dir_mode", [0o1777, 0o0777, 0o1770], ids=["sticky+o+w", "o+w", "sticky"])
@pytest.mark.parametrize("link_owner", ["caller", "dir_owner", "other"])
@pytest.mark.parametrize("target_exists", [True, False], ids=["existing", "dangling"])
def test_a_link_in_a_sticky_world_writable_dir_is_followed_only_as_the_kernel_would(
    enw, tmp_path, dir_mode, link_owner, target_exists
):
    """As root, -o through another user's link in /tmp replaced or created any file. Rule:
    Linux fs.protected_symlinks (a link in a sticky o+w directory is followed only if its
    owner is the follower or the directory's owner)."""
    secure = tmp_path / "secure"
    secure.mkdir(mode=0o700)
    target = secure / "target.ris"
    if target_exists:
        target.write_text("OLD\n", encoding="utf-8")
    public = tmp_path / "pub"
    public.mkdir()
    os.chown(public, 4242, -1)
    public.chmod(dir_mode)
    uid = {"caller": os.geteuid(), "dir_owner": 4242, "other": OTHER_UID}[link_owner]
    link = public / "out.ris"
    _plant(link, str(target), uid)
    result = run(["convert", str(enw), "-o", str(link), "-t", "ris"])
    refused = dir_mode == 0o1777 and link_owner == "other"
    if refused:
        assert result.exit_code == 1
        assert result.stderr == (
            f"{link}: error: cannot write: not following a symbolic link owned by another user "
            f"(uid {OTHER_UID}) in the sticky world-writable directory {public}\n"
        )
        assert target.read_text("utf-8") == "OLD\n" if target_exists else not target.exists()
    else:
        assert (result.exit_code, result.stderr) == (0, "")
        assert target.read_text("utf-8").startswith("TY  - JOUR")
    assert link.is_symlink() and leftovers(public) == leftovers(secure) == []


@needs_root
@pytest.mark.parametrize(
    "chain",
    ["bad_second_level", "bad_directory_on_the_way", "bad_link_to_a_device", "relative_dotdot"],
)
def test_every_link_on_the_way_is_checked(enw, tmp_path, chain):
    """realpath() followed several levels at once; each level is now read and checked."""
    secure = tmp_path / "secure"
    secure.mkdir(mode=0o700)
    target = secure / "target.ris"
    target.write_text("OLD\n", encoding="utf-8")
    public = tmp_path / "pub"
    public.mkdir()
    public.chmod(0o1777)
    if chain == "bad_second_level":
        _plant(public / "bad", str(target), OTHER_UID)
        (tmp_path / "mine.ris").symlink_to(public / "bad")  # ours, outside: followed
        out, bad = tmp_path / "mine.ris", public / "bad"
    elif chain == "bad_directory_on_the_way":
        _plant(public / "dir", str(secure), OTHER_UID)
        out, bad = public / "dir" / "target.ris", public / "dir"
    elif chain == "bad_link_to_a_device":
        null = device(tmp_path, "null")
        _plant(public / "dev.ris", null, OTHER_UID)
        out, bad = public / "dev.ris", public / "dev.ris"
    else:
        (public / "sub").mkdir()
        _plant(public / "sub" / "up", "../../secure/target.ris", OTHER_UID)
        (public / "sub").chmod(0o1777)
        out, bad = public / "sub" / "up", public / "sub" / "up"
    result = run(["convert", str(enw), "-o", str(out), "-t", "ris"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{bad}: error: cannot write: not following a symbolic link")
    assert result.stderr.count("\n") == 1
    assert target.read_text("utf-8") == "OLD\n"
    assert leftovers(secure) == leftovers(public) == []


DIR_MODES = st.sampled_from([0o755, 0o777, 0o1777, 0o1770])
OWNERS = st.sampled_from([0, 4242, OTHER_UID])


@needs_root
@settings(max_examples=60, deadline=None)
@given(
    dirs=st.lists(st.tuples(DIR_MODES, OWNERS), min_size=1, max_size=3),
    chain=st.lists(st.tuples(st.integers(0, 2), OWNERS, st.booleans()), min_size=1, max_size=4),
    target_exists=st.booleans(),
)
def test_any_chain_of_links_is_followed_exactly_when_the_kernel_would(dirs, chain, target_exists):
    """Random chains of links through directories of random modes and owners: the output is
    written iff no link on the way is another user's in a sticky world-writable directory
    (owner neither root, the caller, nor the directory's owner), and nothing else changes."""
    with tempfile.TemporaryDirectory() as name:
        root = Path(name)
        root.chmod(0o755)
        src = root / "in.enw"
        src.write_text(ONE, encoding="utf-8")
        secure = root / "secure"
        secure.mkdir(mode=0o700)
        target = secure / "target.ris"
        if target_exists:
            target.write_text("OLD\n", encoding="utf-8")
        made = []
        for i, (mode, owner) in enumerate(dirs):
            d = root / f"d{i}"
            d.mkdir()
            os.chown(d, owner, -1)
            d.chmod(mode)
            made.append((d, mode, owner))
        next_path, refused = target, False
        for n, (where, owner, relative) in enumerate(reversed(chain)):
            d, mode, dir_owner = made[where % len(made)]
            link = d / f"link{n}"
            link.symlink_to(os.path.relpath(next_path, d) if relative else next_path)
            os.lchown(link, owner, -1)
            refused |= mode == 0o1777 and owner not in (0, dir_owner)
            next_path = link
        if refused:
            with pytest.raises(api.RefconvError, match="not following a symbolic link"):
                api.convert(str(src), str(next_path), to="ris")
            assert target.read_text("utf-8") == "OLD\n" if target_exists else not target.exists()
        else:
            api.convert(str(src), str(next_path), to="ris")
            assert target.read_text("utf-8").startswith("TY  - JOUR")
        for d, _, _ in made:
            assert all(p.is_symlink() for p in d.iterdir())  # links kept, no temporary file
        assert leftovers(secure) == []


def test_the_target_swapped_while_writing_is_not_replaced(enw, tmp_path):
    """The check is made on what is renamed over: another file put at the name meanwhile is
    kept, and the run fails with one line."""
    out = tmp_path / "out.ris"
    out.write_text("OLD\n", encoding="utf-8")
    other = tmp_path / "other"
    other.write_text("OTHER\n", encoding="utf-8")

    def swapping():
        for record in api.read(str(enw)):
            os.replace(other, out)
            yield record

    with pytest.raises(api.RefconvError, match="replaced by another file meanwhile"):
        api.write(swapping(), str(out), "ris")
    assert out.read_text("utf-8") == "OTHER\n"
    assert leftovers(tmp_path) == []


def test_a_directory_swapped_while_writing_does_not_redirect_the_output(enw, tmp_path):
    """The directory is opened once: renaming it and putting a link in its place during the
    write does not send the file to where the link points."""
    real_dir = tmp_path / "real"
    real_dir.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    def swapping():
        for record in api.read(str(enw)):
            real_dir.rename(tmp_path / "moved")
            real_dir.symlink_to(elsewhere)
            yield record

    api.write(swapping(), str(real_dir / "out.ris"), "ris")
    assert (tmp_path / "moved" / "out.ris").read_text("utf-8").startswith("TY  - JOUR")
    assert list(elsewhere.iterdir()) == []


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o444, 0o755, 0o1755, 0o2770])
def test_an_existing_target_keeps_its_mode(enw, tmp_path, mode):
    out = tmp_path / "refs.ris"
    out.write_text("OLD\n", encoding="utf-8")
    os.chmod(out, mode)
    result = run(["convert", str(enw), "-o", str(out)])
    assert result.exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == mode
    assert out.read_text("utf-8").startswith("TY  - JOUR")


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_a_new_target_gets_the_umask(enw, tmp_path, umask):
    out = tmp_path / "refs.ris"
    old = os.umask(umask)
    try:
        api.convert(str(enw), str(out), to="ris")
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask


@pytest.mark.skipif(not IS_ROOT, reason="only root can give a file to another owner")
def test_root_keeps_the_owner_and_group(enw, tmp_path):
    out = tmp_path / "refs.ris"
    out.write_text("OLD\n", encoding="utf-8")
    os.chown(out, 65534, 65534)
    api.convert(str(enw), str(out), to="ris")
    assert (out.stat().st_uid, out.stat().st_gid) == (65534, 65534)


# -- an output that is an input -----------------------------------------------------------


@pytest.mark.parametrize("how", ["same_path", "dot_path", "symlink", "hard_link", "linked_dir"])
def test_output_that_is_an_input_is_refused(enw, tmp_path, how):
    target = {
        "same_path": enw,
        "dot_path": tmp_path / "." / "in.enw",
        "symlink": tmp_path / "link.ris",
        "hard_link": tmp_path / "hard.ris",
        "linked_dir": tmp_path / "dir" / "in.enw",
    }[how]
    if how == "symlink":
        target.symlink_to(enw)
    elif how == "hard_link":
        os.link(enw, target)
    elif how == "linked_dir":
        (tmp_path / "dir").symlink_to(tmp_path)
    result = run(["convert", str(enw), "-o", str(target), "-t", "ris"])
    assert result.exit_code == 2
    assert result.stderr == f"error: the output {target} is the input {enw}; write elsewhere\n"
    assert enw.read_text("utf-8") == ONE
    assert api.check_distinct_output([str(tmp_path / "other.enw")], target) is None


@pytest.mark.parametrize("how", ["own_stem", "other_input", "hard_link"])
def test_out_dir_that_would_overwrite_an_input_is_refused(tmp_path, how):
    src = tmp_path / "src"
    src.mkdir()
    paper = src / "paper.enw"
    paper.write_text(ONE, encoding="utf-8")
    args = [str(paper)]
    if how == "own_stem":  # the refer writer's suffix is .enw: paper.enw -> src/paper.enw
        clash = paper
    elif how == "other_input":  # x.ris's output src/x.enw is another input, through a link
        clash = src / "x.enw"
        clash.write_text(ONE, encoding="utf-8")
        (tmp_path / "data.txt").symlink_to(clash)
        (src / "x.ris").write_text("TY  - BOOK\nTI  - X\nER  - \n", encoding="utf-8")
        args = [str(tmp_path / "data.txt"), str(src / "x.ris")]
    else:
        clash = src / "other.enw"
        os.link(paper, clash)
        (src / "other.ris").write_text("TY  - BOOK\nTI  - X\nER  - \n", encoding="utf-8")
        args = [str(paper), str(src / "other.ris")]
    out = tmp_path / "src"
    result = run(["convert", *args, "--out-dir", str(out), "-t", "refer", "-j", "1"])
    assert result.exit_code == 2, result.stderr
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("error: the output ") and "is the input" in result.stderr
    assert paper.read_text("utf-8") == clash.read_text("utf-8") == ONE


def test_stdout_appending_to_an_input_is_refused(enw):
    with open(enw, "a") as stdout:
        result = run_process(["convert", str(enw), "-t", "ris"], stdout=stdout)
    assert result.returncode == 2
    assert result.stderr.decode() == (
        f"error: the output <stdout> is the input {enw}; write elsewhere\n"
    )
    assert enw.read_text("utf-8") == ONE


@pytest.mark.parametrize("output", ["append_stdout", "write_stdout", "-o"])
@pytest.mark.parametrize("args", [["-"], []], ids=["dash", "implicit"])
def test_stdin_that_is_the_output_is_refused(enw, output, args):
    """``refconv convert - < a.enw >> a.enw`` read what it appended until the disk was full."""
    with open(enw, "rb") as stdin, open(enw, "r+b") as stdout:
        stdout.seek(0, os.SEEK_END)
        out = ["-o", str(enw)] if output == "-o" else []
        result = run_process(
            ["convert", *args, "-f", "refer", "-t", "refer", "-q", *out],
            stdin=stdin,
            stdout=subprocess.PIPE if output == "-o" else stdout,
        )
    where = str(enw) if output == "-o" else "<stdout>"
    assert (result.returncode, result.stderr.decode()) == (
        2,
        f"error: the output {where} is the input <stdin>; write elsewhere\n",
    )
    assert enw.read_text("utf-8") == ONE


@pytest.mark.parametrize("stdin_kind", ["other_file", "pipe"])
def test_stdin_that_is_not_the_output_is_read(enw, tmp_path, stdin_kind):
    other = tmp_path / "other.enw"
    other.write_text(ONE, encoding="utf-8")
    with open(enw, "ab") as stdout:
        if stdin_kind == "other_file":
            with open(other, "rb") as stdin:
                result = run_process(["convert", "-t", "refer", "-q"], stdin=stdin, stdout=stdout)
        else:
            result = run_process(
                ["convert", "-t", "refer", "-q"], input=ONE.encode(), stdout=stdout
            )
    assert (result.returncode, result.stderr) == (0, b"")
    assert enw.read_text("utf-8").startswith(ONE + "%0 Journal Article\n%F doe2001title")


def test_out_dir_naming_a_file_is_one_line(enw, tmp_path):
    result = run(["convert", str(enw), "--out-dir", str(enw), "-t", "ris"])
    assert result.exit_code == 2
    assert result.stderr == f"error: --out-dir {enw} exists and is not a directory\n"
    assert enw.read_text("utf-8") == ONE


# -- write errors -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> Path:
    """About 600 KB of Refer: more than a 64 KiB disk and a pipe's buffer hold."""
    path = tmp_path_factory.mktemp("big") / "big.enw"
    path.write_text(corpus(1500), encoding="utf-8")
    return path


@pytest.fixture
def small_disk(tmp_path) -> Path:
    """A 64 KiB tmpfs (needs root, as CI has)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if not IS_ROOT or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs: {done.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", str(mount)], check=False)


def test_full_disk_with_o_keeps_the_old_target(big, small_disk):
    out = small_disk / "refs.ris"
    out.write_text("OLD\n", encoding="utf-8")
    result = run_process(["convert", str(big), "-q", "-o", str(out)])
    assert result.returncode == 1
    assert result.stderr.decode() == f"{out}: error: cannot write: No space left on device\n"
    assert out.read_text("utf-8") == "OLD\n"
    assert leftovers(small_disk) == []


def test_full_disk_with_out_dir(big, small_disk, tmp_path):
    other = tmp_path / "small.enw"
    other.write_text(ONE, encoding="utf-8")
    result = run_process(["convert", str(big), str(other), "-q", "--out-dir", str(small_disk),
                          "-t", "ris", "-j", "2"])  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.decode() == (
        f"{small_disk / 'big.ris'}: error: cannot write: No space left on device\n"
    )
    assert not (small_disk / "big.ris").exists()
    assert (small_disk / "small.ris").read_text("utf-8").startswith("TY  - JOUR")
    assert leftovers(small_disk) == []


def test_full_disk_on_stdout(big, small_disk):
    with open(small_disk / "out.ris", "w") as stdout:
        result = run_process(["convert", str(big), "-q", "-t", "ris"], stdout=stdout)
    assert result.returncode == 1
    assert result.stderr.decode() == "<stdout>: error: cannot write: No space left on device\n"


@pytest.mark.parametrize("where", ["stdout", "-o"])
def test_dev_full(big, where, tmp_path):
    full = device(tmp_path, "full")
    if where == "stdout":
        with open(full, "w") as stdout:
            result = run_process(["convert", str(big), "-q", "-t", "ris"], stdout=stdout)
        label = "<stdout>"
    else:
        result = run_process(["convert", str(big), "-q", "-t", "ris", "-o", full])
        label = full
    assert result.returncode == 1
    assert result.stderr.decode() == f"{label}: error: cannot write: No space left on device\n"
    assert stat.S_ISCHR(os.stat(full).st_mode)


WARNS = "%0 Journal Article\n%T Title\n%D 20x20\n"  # one warning: the date


@pytest.mark.parametrize("stderr", ["dev_full", "closed"])
def test_an_unwritable_stderr_does_not_fail_a_good_conversion(tmp_path, stderr):
    """2>/dev/full printed '<stdout>: error: cannot write' (nowhere) and exited 1 although
    stdout was complete; 2>&- printed the warning into the output (print(file=None) is
    stdout). A warning that cannot be shown is lost, the output stands."""
    src = tmp_path / "w.enw"
    src.write_text(WARNS, encoding="utf-8")
    expected = run(["convert", str(src), "-t", "ris", "-q"]).stdout.encode()
    full = device(tmp_path, "full")
    for strict in ([], ["--strict"]):
        args = ["convert", str(src), "-t", "ris", *strict]
        if stderr == "dev_full":
            with open(full, "w") as sink:
                result = subprocess.run([*COMMAND, *args], stdout=subprocess.PIPE, stderr=sink,
                                        timeout=60)  # fmt: skip
        else:
            result = run_process(args, preexec_fn=lambda: os.close(2))
        if strict:  # the warning is an error: the run fails, whether it can say so or not
            assert (result.returncode, result.stdout) == (1, b"")
        else:
            assert (result.returncode, result.stdout) == (0, expected)


def test_closed_stdout_is_one_line(enw):
    result = run_process(["convert", str(enw), "-t", "ris"], preexec_fn=lambda: os.close(1))
    assert result.returncode == 1
    assert result.stderr.decode() == "<stdout>: error: cannot write: standard output is closed\n"


def test_a_fifo_whose_reader_leaves_is_one_line(big, tmp_path):
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)

    def read_a_little():
        with open(fifo, "rb") as stream:
            stream.read(10)

    reader = threading.Thread(target=read_a_little)
    reader.start()
    result = run_process(["convert", str(big), "-q", "-t", "ris", "-o", str(fifo)])
    reader.join(30)
    assert result.returncode == 1
    assert result.stderr.decode() == f"{fifo}: error: cannot write: Broken pipe\n"


# -- signals ------------------------------------------------------------------------------

STOPS = [
    pytest.param(signal.SIGINT, "refconv: interrupted", id="SIGINT"),
    pytest.param(signal.SIGTERM, "refconv: stopped by SIGTERM", id="SIGTERM"),
    pytest.param(signal.SIGHUP, "refconv: stopped by SIGHUP", id="SIGHUP"),
]
#: Every other signal whose default action ends the process and that can be caught
#: (signal(7)); SIGXFSZ and SIGPIPE are not here: Python ignores them (see below).
OTHER_NAMES = (
    "SIGQUIT",
    "SIGUSR1",
    "SIGUSR2",
    "SIGALRM",
    "SIGVTALRM",
    "SIGPROF",
    "SIGXCPU",
    "SIGABRT",
    "SIGSYS",
    "SIGTRAP",
)
OTHER_STOPS = [
    pytest.param(getattr(signal, name), f"refconv: stopped by {name}", id=name)
    for name in (*OTHER_NAMES, "SIGIO", "SIGPWR")
    if hasattr(signal, name)
]
if hasattr(signal, "SIGRTMIN"):  # real-time signals have no name of their own
    RT = signal.SIGRTMIN + 3
    OTHER_STOPS.append(pytest.param(RT, f"refconv: stopped by signal {RT}", id="SIGRTMIN+3"))


def _default_signals() -> None:
    """A child as started from a terminal: SIGINT not ignored even if ours is."""
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)


def _wait_for(condition, what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(n) for n in path.read_text().split()] if path.exists() else []


def _gone(pid: int) -> bool:
    """Ended (a zombie waiting for whoever adopted it counts as ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state.startswith(("Z", "X"))


@pytest.mark.parametrize(("signum", "message"), STOPS + OTHER_STOPS)
def test_a_signal_removes_the_temporary_file(tmp_path, signum, message):
    """The input is a FIFO that never ends, so the run is blocked mid-way with its
    temporary file open when the signal comes."""
    fifo = tmp_path / "in.enw"
    os.mkfifo(fifo)
    out = tmp_path / "out.json"
    out.write_text("OLD\n", encoding="utf-8")
    process = subprocess.Popen(
        [*COMMAND, "convert", str(fifo), "-o", str(out), "-t", "csljson"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=_default_signals,
    )
    try:
        with open(fifo, "w") as feed:
            feed.write(ONE + "\n")
            feed.flush()
            _wait_for(lambda: leftovers(tmp_path), "the temporary file")
            process.send_signal(signum)
            _, stderr = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 128 + signum
    assert stderr.decode() == message + "\n"
    assert out.read_text("utf-8") == "OLD\n"
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(not os.path.exists("/proc/self/task"), reason="needs /proc")
@pytest.mark.parametrize(("signum", "message"), STOPS + OTHER_STOPS[:2])
def test_a_signal_stops_the_batch_workers_and_removes_their_files(tmp_path, signum, message):
    """--out-dir -j 2: each worker blocked on its own FIFO; the signal goes to the parent
    only (as from kill), which stops its workers; no temporary file is left."""
    fifos = [tmp_path / "a.enw", tmp_path / "b.enw"]
    for fifo in fifos:
        os.mkfifo(fifo)
    out = tmp_path / "out"
    process = subprocess.Popen(
        [*COMMAND, "convert", *map(str, fifos), "--out-dir", str(out), "-t", "ris", "-j", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=_default_signals,
    )
    feeds = []
    try:
        for fifo in fifos:
            feeds.append(open(fifo, "w"))  # noqa: SIM115 - kept open: the workers block
            feeds[-1].write(ONE)
            feeds[-1].flush()
        _wait_for(lambda: out.is_dir() and len(leftovers(out)) == 2, "two temporary files")
        workers = _children(process.pid)
        process.send_signal(signum)
        try:
            _, stderr = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:  # say where it hangs (CI saw this once)
            tree = subprocess.run(["ps", "-o", "pid,ppid,stat,wchan:32,args", "-g",
                                   str(os.getpgid(process.pid))], capture_output=True,
                                  text=True, check=False).stdout  # fmt: skip
            pytest.fail(f"no exit 30 s after the signal; processes:\n{tree}")
        _wait_for(lambda: all(_gone(pid) for pid in workers), "the workers to end")
    finally:
        process.kill()
        for feed in feeds:
            feed.close()
    assert process.returncode == 128 + signum
    assert stderr.decode() == message + "\n"
    assert leftovers(out) == []
    assert list(out.iterdir()) == []


def test_an_ignored_signal_stays_ignored(tmp_path):
    """nohup-like: a signal ignored when refconv starts does not stop it; SIGPIPE and SIGXFSZ,
    which Python ignores so that a write fails with EPIPE or EFBIG, stay ignored."""
    fifo = tmp_path / "in.enw"
    os.mkfifo(fifo)
    out = tmp_path / "out.ris"

    def ignore_usr1():
        _default_signals()
        signal.signal(signal.SIGUSR1, signal.SIG_IGN)

    process = subprocess.Popen(
        [*COMMAND, "convert", str(fifo), "-o", str(out), "-t", "ris"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=ignore_usr1,
    )
    try:
        with open(fifo, "w") as feed:
            feed.write(ONE + "\n")
            feed.flush()
            _wait_for(lambda: leftovers(tmp_path), "the temporary file")
            for signum in (signal.SIGUSR1, signal.SIGPIPE, signal.SIGXFSZ):
                process.send_signal(signum)
            time.sleep(0.3)
            assert process.poll() is None
        _, stderr = process.communicate(timeout=30)
    finally:
        process.kill()
    assert (process.returncode, stderr) == (0, b"")
    assert out.read_text("utf-8").startswith("TY  - JOUR") and leftovers(tmp_path) == []


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("dir", "cannot write: Is a directory"),
        ("loop", "cannot write: Too many levels of symbolic links"),
        ("missing/out.ris", "cannot write: No such file or directory"),
        ("dangling-into-missing", "cannot write: No such file or directory"),
        ("file/out.ris", "cannot write: Not a directory"),
        ("link-to-file/out.ris", "cannot write: Not a directory"),
        ("loop/out.ris", "cannot write: Too many levels of symbolic links"),
        ("x" * 300 + ".ris", "cannot write: File name too long"),
        ("x" * 300 + "/out.ris", "cannot write: File name too long"),
    ],
    ids=lambda v: v[:20],
)
def test_targets_that_cannot_be_written_are_one_line(enw, tmp_path, target, message):
    (tmp_path / "dir").mkdir()
    (tmp_path / "loop").symlink_to("loop")
    (tmp_path / "dangling-into-missing").symlink_to("missing/x.ris")
    (tmp_path / "file").write_text("", encoding="utf-8")
    (tmp_path / "link-to-file").symlink_to("file")
    path = tmp_path / target
    result = run(["convert", str(enw), "-o", str(path), "-t", "ris"])
    assert result.exit_code == 1
    assert result.stderr == f"{path}: error: {message}\n"
    assert leftovers(tmp_path) == [] and (tmp_path / "dir").is_dir()


@pytest.mark.parametrize("option", ["-o", "--out-dir"])
def test_an_empty_output_path_is_one_line(enw, option, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # --out-dir '' wrote into the current directory
    result = run(["convert", str(enw), option, "", "-t", "ris"])
    assert result.exit_code == 1
    assert result.stderr == "error: cannot write: the output path is empty\n"
    assert list(tmp_path.iterdir()) == [enw]


@pytest.mark.skipif(not IS_ROOT or not shutil.which("setpriv"), reason="needs root and setpriv")
@pytest.mark.parametrize("where", ["-o", "--out-dir"])
def test_a_target_in_a_directory_we_cannot_search_is_one_line(tmp_path, where):
    """EACCES on the way to the target, as another user (tmp_path is root's, mode 0700)."""
    fd, name = tempfile.mkstemp(suffix=".enw", dir="/tmp")  # readable by nobody
    os.write(fd, ONE.encode())
    os.close(fd)
    src = Path(name)
    src.chmod(0o644)
    try:
        target = tmp_path / ("out.ris" if where == "-o" else "out")
        result = subprocess.run(
            ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", *COMMAND,
             "convert", str(src), where, str(target), "-t", "ris"],
            capture_output=True, timeout=60, cwd="/",
        )  # fmt: skip
    finally:
        src.unlink()
    assert result.returncode == 1
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{target}: error: cannot ")
    assert lines[0].endswith(": Permission denied")


def test_a_second_stop_signal_does_not_cut_the_cleanup_short():
    """The first SIGTERM raises ``Stopped``; one that comes while its cleanup runs (``^C^C``,
    or ``batch._stop`` sending again) is not raised in the middle of it."""
    from refconv.diagnostics import Stopped

    before = signal.getsignal(signal.SIGTERM)
    try:
        refconv.output.handle_stop_signals()
        with pytest.raises(Stopped):
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(1)
        os.kill(os.getpid(), signal.SIGTERM)  # during "cleanup": no second Stopped
        time.sleep(0.05)
    finally:
        signal.signal(signal.SIGTERM, before)


def _deaf_to_one_sigterm() -> None:  # a worker whose first SIGTERM fell before its read
    count = []
    signal.signal(signal.SIGTERM, lambda *_: count.append(1) if not count else sys.exit(0))
    while True:
        time.sleep(0.01)


def test_stopping_workers_sends_sigterm_again_until_they_end():
    """A SIGTERM that lands between Python's check for signals and a blocking read is not
    seen until the read ends (a worker on a FIFO waited 10 s, then was killed and left its
    temporary file): ``_stop`` sends it again, and the worker ends on the next one."""
    import multiprocessing

    from refconv.batch import _stop

    process = multiprocessing.get_context("fork").Process(target=_deaf_to_one_sigterm)
    process.start()
    time.sleep(0.3)
    started = time.monotonic()
    _stop([process], grace=10.0)
    assert process.exitcode == 0  # ended by its own handler, not SIGKILL
    assert time.monotonic() - started < 5
