"""Cut a worker process off the network: defence in depth behind the SERVICE/LOAD refusal.

pyoxigraph 0.5.13 dereferences ``SERVICE`` IRIs and ``LOAD`` sources itself, and its
``Store.query`` / ``Store.update`` have no option to stop it. The query workers and the update
process need no network at all (they read a file and talk to the server over an inherited
pipe), so each moves itself into a new, empty network namespace as it starts: there is no
interface but a loopback that is down, and a connection to any address fails at once. A query
that slipped past :mod:`icpc_kg.sparql_fetch` still reaches nothing.

Linux only, and only where namespaces may be made: with CAP_SYS_ADMIN (root, most CI
containers) a network namespace; otherwise inside a new user namespace, where the kernel
allows unprivileged ones. Where neither works (another OS, a locked-down container) the worker
runs as before and this is logged once at debug level: the refusal on the parsed query still
stands.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import sys

log = logging.getLogger("icpc_kg.sandbox")

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000


def _unshare(flags: int) -> bool:
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    return bool(libc.unshare(flags) == 0)


def drop_network() -> bool:
    """Move this process into an empty network namespace; whether it worked."""
    if not sys.platform.startswith("linux") or os.environ.get("ICPC_KG_KEEP_NETWORK"):
        return False
    try:
        if _unshare(CLONE_NEWNET) or _unshare(CLONE_NEWUSER | CLONE_NEWNET):
            return True
    except OSError:
        pass
    log.debug(
        "could not isolate worker %d from the network: %s",
        os.getpid(),
        os.strerror(ctypes.get_errno()),
    )
    return False
