"""Write transactions taken in lots: a door hands a call (opening a ticket) to the batch writer, one process
that runs the calls waiting for it in one transaction, each in its own savepoint, instead of each web
process taking SQLite's single write lock for its own.

A lot shares the lock's turn, the COMMIT and the pages it writes (the tickets' indexes end on the same
pages), and the writer's page cache stays warm, where a web process's empties with every other process's
write. It is a process of its own, not a thread of the web's: a thread inside a transaction hands Python's
lock to the others at every statement.

The writer (``batch_writer``, started with ``manage.py run_batch_writer``) listens on a Unix socket beside
the database (``<name>-batch``, the owner's alone). A door calls ``run(function, **arguments)``: when the
function is marked ``@batched``, the database is SQLite, no transaction is open, the writer listens and
the arguments pickle (in at most ``MAX_CALL_BYTES``), the call goes to the writer and its result comes
back. Otherwise, and whenever the writer answers that the call failed there (its savepoint then rolled
back, so nothing of it is stored), the call runs here, as it always did, which also raises its error
here. Only a reply lost after the call was sent leaves the outcome unknown; that raises
``BatchWriterUnavailable`` rather than risk opening a ticket twice. The context variables registered with
``carries`` (the request's address, for the audit record) travel with the call.

Pickle is the wire format: the socket takes connections from the processes of its owner only, which read
the database itself anyway.
"""

import os
import pickle
import socket
import struct
import threading
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

_HEADER = struct.Struct("!I")
# A call this large (attachments, mostly) runs in its door: copying it through the writer would hold up
# every other call of its lot, and one transaction a ticket costs little beside such a request.
MAX_CALL_BYTES = 1024 * 1024
MAX_MESSAGE_BYTES = 256 * 1024 * 1024
# The longest path a Unix socket's address holds, less a margin for the platform's.
_MAX_SOCKET_PATH = 100

_registry: dict[str, Callable[..., Any]] = {}
_carried: dict[str, ContextVar] = {}
_local = threading.local()


class BatchWriterUnavailable(Exception):
    """The writer took the call but its answer never came: whether it was done is not known."""


def batched[F: Callable[..., Any]](function: F) -> F:
    """Mark ``function`` as one the batch writer may run (it must work inside a transaction it did not
    start, with keyword arguments and a result that pickle)."""
    _registry[name_of(function)] = function
    return function


def carries(variable: ContextVar) -> ContextVar:
    """Send ``variable``'s value with each call, and set it in the writer while the call runs."""
    _carried[variable.name] = variable
    return variable


def name_of(function: Callable[..., Any]) -> str:
    return f"{function.__module__}:{function.__qualname__}"


def registered(name: str) -> Callable[..., Any] | None:
    return _registry.get(name)


def carried() -> dict[str, ContextVar]:
    return _carried


def socket_path(database: str) -> str | None:
    """The writer's socket for ``database`` (a file's path), or None when the path is too long for one."""
    path = f"{database}-batch"
    return path if len(os.fsencode(path)) <= _MAX_SOCKET_PATH else None


def send_message(sock: socket.socket, payload: bytes) -> None:
    sock.sendall(_HEADER.pack(len(payload)) + payload)


def receive_message(sock: socket.socket) -> bytes | None:
    """The next message, or None when the other end closed the connection between messages."""
    header = _receive_exactly(sock, _HEADER.size, at_start=True)
    if header is None:
        return None
    (length,) = _HEADER.unpack(header)
    if length > MAX_MESSAGE_BYTES:
        raise ConnectionError(f"A message of {length} bytes is over the limit.")
    body = _receive_exactly(sock, length)
    assert body is not None
    return body


def _receive_exactly(sock: socket.socket, count: int, *, at_start: bool = False) -> bytes | None:
    chunks, left = [], count
    while left:
        chunk = sock.recv(min(left, 1 << 20))
        if not chunk:
            if at_start and left == count:
                return None
            raise ConnectionError("The connection closed in the middle of a message.")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def run[T](function: Callable[..., T], /, *, using: str = DEFAULT_DB_ALIAS, **arguments: Any) -> T:
    """``function(**arguments)``, in the batch writer of database ``using`` when it can be (see the
    module's docstring)."""
    request = _request(function, arguments, using)
    if request is not None:
        sock = _connected(using)
        if sock is not None:
            answer = _exchange(sock, request)
            if answer is not None:
                return pickle.loads(answer)  # noqa: S301 - from the writer, over its owner's socket
    return function(**arguments)


def _request(function: Callable[..., Any], arguments: dict[str, Any], using: str) -> bytes | None:
    name = name_of(function)
    connection = connections[using]
    if _registry.get(name) is not function or connection.vendor != "sqlite":
        return None
    if connection.in_atomic_block:
        return None  # the caller's transaction must hold the call
    context = {key: variable.get() for key, variable in _carried.items()}
    try:
        request = pickle.dumps((name, arguments, context), protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        return None  # an open file, say: run here
    return request if len(request) <= MAX_CALL_BYTES else None


def _connected(using: str) -> socket.socket | None:
    """This thread's connection to the writer, opened if need be; None when no writer listens."""
    connection = connections[using]
    path = socket_path(str(connection.settings_dict["NAME"]))
    sock: socket.socket | None = _sockets().get(path)
    if sock is not None:
        return sock
    if path is None:
        return None
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(path)
    except OSError:
        sock.close()
        return None
    # As long as a call may wait for the lock in the writer, and some more for the rest of its lot.
    sock.settimeout(float(connection.settings_dict["OPTIONS"].get("timeout", 5)) + 30)
    _sockets()[path] = sock
    return sock


def _sockets() -> dict[str | None, socket.socket]:
    """This thread's connections to writers, by socket path."""
    if not hasattr(_local, "sockets"):
        _local.sockets = {}
    return _local.sockets


def _forget(sock: socket.socket) -> None:
    sockets = _sockets()
    for path, known in list(sockets.items()):
        if known is sock:
            del sockets[path]
    sock.close()


def _exchange(sock: socket.socket, request: bytes) -> bytes | None:
    """The pickled result, or None when the call is to run here (not sent, or failed in the writer)."""
    try:
        send_message(sock, request)
    except OSError:
        # A writer that went away since the last call: nothing was taken, so the call may run here.
        _forget(sock)
        return None
    try:
        reply = receive_message(sock)
    except OSError as error:
        _forget(sock)
        raise BatchWriterUnavailable("The batch writer did not answer.") from error
    if reply is None:
        _forget(sock)
        raise BatchWriterUnavailable("The batch writer closed the connection before answering.")
    done, result = reply[:1], reply[1:]
    return result if done == b"1" else None
