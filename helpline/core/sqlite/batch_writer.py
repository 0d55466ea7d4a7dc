"""The batch writer (``batching``): one process that takes the calls the doors send it and runs those that
are waiting in one transaction, each in its own savepoint.

It waits for a call, then takes every other call already sent (up to ``MAX_LOT``), so a lot is what
arrived while the last one ran: one call alone under a light load, no waiting added to gather more. A call
that raises rolls back its savepoint alone and is answered "run it yourself" (the door then runs it in its
own transaction, and gives its error as before); a lot whose transaction fails (a BEGIN that timed out
waiting for the lock, a COMMIT that failed) is answered so for every call in it. The answers go out once
the lot has committed and its ``on_commit`` hooks have run, so a door answers its client only for work
stored.
"""

import contextlib
import importlib
import logging
import os
import pickle
import selectors
import signal
import socket
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction

from helpline.core.sqlite import batching
from helpline.core.sqlite.checkpoints import Checkpointer

MAX_LOT = 32
log = logging.getLogger(__name__)


@dataclass
class _Call:
    sock: socket.socket
    request: bytes
    answer: bytes = b"0"


class BatchWriter:
    def __init__(self, path: str, using: str = DEFAULT_DB_ALIAS):
        self.path, self.using = path, using
        self.selector = selectors.DefaultSelector()
        self.listener: socket.socket | None = None
        self.running = False
        self.lots = 0
        self.calls = 0
        self.handed_back = 0  # answered "run it yourself"

    def listen(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)  # a writer's that ended without removing it
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        mask = os.umask(0o177)  # the owner's alone
        try:
            listener.bind(self.path)
        finally:
            os.umask(mask)
        listener.listen(128)
        listener.setblocking(False)
        self.selector.register(listener, selectors.EVENT_READ)
        self.listener = listener
        self.running = True

    def serve(self, poll_seconds: float = 1.0) -> None:
        """Until ``stop``, which takes effect within ``poll_seconds``."""
        while self.running:
            lot = self._gather(timeout=poll_seconds)
            if lot:
                self.run_lot(lot)

    def stop(self, *_ignored) -> None:
        self.running = False

    def close(self) -> None:
        for key in list(self.selector.get_map().values()):
            with contextlib.suppress(OSError):
                key.fileobj.close()  # type: ignore[union-attr]
        self.selector.close()
        if self.listener is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.path)
            self.listener = None

    def _gather(self, timeout: float) -> list[_Call]:
        lot: list[_Call] = []
        wait: float | None = timeout
        while len(lot) < MAX_LOT:
            events = self.selector.select(wait)
            if not events:
                break
            for key, _ in events:
                if key.fileobj is self.listener:
                    self._accept()
                else:
                    self._read(key.fileobj, lot)  # type: ignore[arg-type]
            wait = 0  # then whatever else is already waiting, without waiting for more
        return lot

    def _accept(self) -> None:
        assert self.listener is not None
        with contextlib.suppress(BlockingIOError):
            sock, _ = self.listener.accept()
            sock.setblocking(True)
            sock.settimeout(10)  # a door sends a call whole: one stalled midway is dropped
            self.selector.register(sock, selectors.EVENT_READ)

    def _read(self, sock: socket.socket, lot: list[_Call]) -> None:
        try:
            request = batching.receive_message(sock)
        except OSError:
            request = None
        if request is None:
            self._drop(sock)
        else:
            self.selector.unregister(sock)  # until it is answered: a door sends one call at a time
            lot.append(_Call(sock, request))

    def _drop(self, sock: socket.socket) -> None:
        with contextlib.suppress(KeyError, ValueError):
            self.selector.unregister(sock)
        sock.close()

    def run_lot(self, lot: list[_Call]) -> None:
        connection = connections[self.using]
        connection.close_if_unusable_or_obsolete()
        committed: list[bool] = []
        try:
            with transaction.atomic(using=self.using):
                transaction.on_commit(lambda: committed.append(True), using=self.using)  # runs first
                for call in lot:
                    call.answer = _run_call(call.request, self.using)
        except Exception:
            if committed:  # a later hook raised: the lot is stored, and each door is told so
                log.exception("A hook of a lot of %d calls failed after its commit.", len(lot))
            else:
                log.exception("A lot of %d calls failed; each is run by its door instead.", len(lot))
                for call in lot:
                    call.answer = b"0"
            if connection.connection is not None and not connection.is_usable():
                connection.close()
        self.lots += 1
        self.calls += len(lot)
        self.handed_back += sum(call.answer[:1] != b"1" for call in lot)
        for call in lot:
            try:
                batching.send_message(call.sock, call.answer)
            except OSError:
                self._drop(call.sock)
            else:
                self.selector.register(call.sock, selectors.EVENT_READ)


def _run_call(request: bytes, using: str) -> bytes:
    """The pickled result, prefixed "1"; "0" when the call is not the writer's to run, or raised."""
    try:
        name, arguments, context = pickle.loads(request)  # noqa: S301 - the owner's own processes
        function = _function(name)
    except Exception:
        log.exception("A call the batch writer cannot read.")
        return b"0"
    if function is None:
        log.error("%s is not marked @batched; its door runs it.", name)
        return b"0"
    tokens = [
        (variable, variable.set(context[key]))
        for key, variable in batching.carried().items()
        if key in context
    ]
    try:
        with transaction.atomic(using=using):
            # Pickled inside the savepoint: a result that cannot be sent back is not stored either.
            return b"1" + pickle.dumps(function(**arguments), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:
        log.debug("%s raised in the batch writer; its door runs it.", name, exc_info=True)
        return b"0"
    finally:
        for variable, token in reversed(tokens):
            variable.reset(token)


def _function(name: str):
    module, _, _ = name.partition(":")
    found = batching.registered(name)
    if found is None:
        importlib.import_module(module)
        found = batching.registered(name)
    return found


def serve_forever(path: str) -> BatchWriter:
    connection: Any = connections[DEFAULT_DB_ALIAS]  # Helpline's backend (``base``), set by the settings
    writer = BatchWriter(path)
    writer.listen()
    signal.signal(signal.SIGTERM, writer.stop)
    signal.signal(signal.SIGINT, writer.stop)
    # Every door waits while the writer does anything: its checkpoints run beside it.
    checkpointer = Checkpointer(str(connection.settings_dict["NAME"]))
    connection.checkpointer = checkpointer
    try:
        writer.serve()
    finally:
        writer.close()
        connection.checkpointer = None
        checkpointer.stop()
    return writer
