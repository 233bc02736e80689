"""Our layer over citeproc-py: text protection, fixes where it disagrees with citeproc-js, caches.

* ``protect``: record text in as noncharacter marks, the rendered entry out through one escape
  step (``finish``); no citeproc-py import, so the writer may use it before citeproc-py loads.
* ``formatter``: the formatters we give citeproc-py, which write marks instead of markup.
* ``fixes`` and ``bibliography``: one function per citeproc-py defect, each naming the CSL
  section or citeproc-js behaviour it follows.
* ``caches``: what citeproc-py recomputes per entry though it depends on the style only.
* ``installed``: ``INSTALLED``, the one process-global record the patches share (why it must
  be global is said there).

``install`` patches citeproc-py's classes, once per process; the writer uses it, the text
functions of ``protect``, the formatters and ``SORT_FAILURES``.
"""

from __future__ import annotations

from refconv.formats.formatted.citeproc.installed import INSTALLED, SORT_FAILURES

# The text functions stay in ``protect`` (``protect.protect``...): a function re-exported here
# under the module's own name would hide the module.
__all__ = ["INSTALLED", "SORT_FAILURES", "install"]


def install(*, fast: bool = True) -> None:
    """Apply the fixes to citeproc-py's classes, and with ``fast`` (the default) the caches.

    Once per process: a later call changes nothing, whatever its ``fast``. The slow path
    exists so that tests can prove the caches change no output."""
    if INSTALLED.fast is not None:
        return
    from refconv.formats.formatted.citeproc import caches, fixes

    INSTALLED.fast = fast
    fixes.install()
    if fast:
        caches.install()
