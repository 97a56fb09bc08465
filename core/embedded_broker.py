"""The embedded job queue: kombu's filesystem transport, made safe for several processes.

A first run (`make run`, and the embedded leg of the test suite) needs a Celery broker that
needs no server. kombu's filesystem transport is one: a message is a ``.msg`` file in a queue
folder. But its producer *creates* the file and only then writes the bytes, while a consumer
may rename the file away and read it in between. The consumer then reads an empty or cut
message, raises ``JSONDecodeError`` and the worker stops with "Unrecoverable error"; the
message is gone with it. Upstream: kombu issue #1551 ("Filesystem transport: race condition
between producer and consumer"), open as of kombu 5.7. Its exchange tables have the same kind
of race: a new table is created empty, then locked and written, so a producer that reads it in
between fails to publish.

This transport keeps kombu's folders and file names (a queue folder written by kombu's own
transport is still read) and changes how files are written and taken:

* **Whole messages only.** A message is written to ``tmp/`` and renamed into the queue folder.
  A rename within one filesystem is atomic: a consumer sees the whole file or nothing.
* **Taken once, kept until acknowledged.** A consumer takes a message by renaming it into its
  own claim folder (``claimed/<owner>/``); of two consumers only one rename succeeds. The file
  stays there until the task is acknowledged (``acks_late``), and goes back to the queue if
  the worker shuts down before that.
* **A dead worker's messages come back.** Each process that takes messages holds a POSIX lock
  on its claim folder for its lifetime; the kernel drops the lock when the process dies, even
  by SIGKILL. Any consumer (at start and then every ``claim_check_seconds``) puts the messages
  of an unlocked claim folder back into the queue, marked redelivered: a job is run at least
  once, never lost (our tasks are idempotent, as ``acks_late`` requires).
* **An unreadable message never stops the worker.** A file that is not a kombu message (empty,
  cut, not JSON, wrong shape) is moved to ``unreadable/`` and logged, and the worker takes the
  next one.
* **Exchange tables** are rewritten whole (temporary file, then rename) under a lock of their
  own, so readers never see a half-written table and two workers starting at once keep both
  bindings.

PostgreSQL + Redis remain the production path; this is the broker of a first run and of CI's
embedded leg. Settings: ``config/settings/base.py`` (``CELERY_BROKER_TRANSPORT``).
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import logging
import os
import socket
import threading
import time
import uuid
from pathlib import Path
from queue import Empty
from typing import Any

from kombu.transport import filesystem
from kombu.utils.encoding import bytes_to_str, str_to_bytes
from kombu.utils.json import dumps, loads

logger = logging.getLogger(__name__)

MESSAGE_SUFFIX = ".msg"
OWNER_LOCK = "owner.lock"


def _write_whole(folder: Path, target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` so that no reader ever sees part of it: a temporary file
    in ``folder`` (same filesystem as ``target``), written and closed, then renamed over it."""
    tmp = folder / f".{uuid.uuid4().hex}.tmp"
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _queue_of(filename: str) -> str | None:
    """The queue a message file belongs to: ``<ms>_<uuid>.<queue>.msg`` (kombu's names)."""
    if not filename.endswith(MESSAGE_SUFFIX) or filename.startswith("."):
        return None
    return filename.partition(".")[2][: -len(MESSAGE_SUFFIX)] or None


class _ClaimFolder:
    """This process's folder of messages taken and not yet acknowledged, locked while the
    process lives (``fcntl.lockf``: a POSIX lock belongs to the process, is not inherited by
    forked children and is dropped by the kernel when the process dies)."""

    def __init__(self, claimed_root: Path, tmp_root: Path) -> None:
        self.pid = os.getpid()
        name = f"{socket.gethostname()}-{self.pid}-{uuid.uuid4().hex[:8]}"
        # Made and locked under tmp/, then renamed into claimed/: nobody ever sees it unlocked.
        staging = tmp_root / f".claim-{name}"
        staging.mkdir(parents=True)
        self._lock_file = open(staging / OWNER_LOCK, "wb")  # noqa: SIM115  (held for life)
        fcntl.lockf(self._lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        self.path = claimed_root / name
        os.rename(staging, self.path)
        atexit.register(self.remove_if_empty)

    def remove_if_empty(self) -> None:
        """At a clean exit: nothing left to acknowledge, nothing to keep."""
        if os.getpid() != self.pid or any(self.path.glob(f"*{MESSAGE_SUFFIX}")):
            return
        with contextlib.suppress(OSError):
            (self.path / OWNER_LOCK).unlink()
            self.path.rmdir()


_process_claims: dict[tuple[int, Path], _ClaimFolder] = {}
_process_claims_lock = threading.Lock()


def _claim_folder(claimed_root: Path, tmp_root: Path) -> _ClaimFolder:
    """The claim folder of this process (one per process and broker folder, shared by its
    channels, so that no channel of a live process takes back another's messages)."""
    key = (os.getpid(), claimed_root)
    with _process_claims_lock:
        folder = _process_claims.get(key)
        if folder is None:
            folder = _process_claims[key] = _ClaimFolder(claimed_root, tmp_root)
        return folder


class Channel(filesystem.Channel):
    """kombu's filesystem channel with atomic writes, claims kept until acknowledged, dead
    workers' claims put back, and unreadable messages set aside (module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._claims: dict[str, Path] = {}  # delivery tag -> claimed file
        self._no_ack_queues: set[str] = set()  # consumed without acknowledgements
        self._next_claim_check = 0.0

    # --- folders -----------------------------------------------------------------------------

    def _folder(self, option: str, name: str) -> Path:
        """A folder beside the queue folder unless the transport options name one."""
        default = Path(self.data_folder_in).parent / name
        folder = Path(self.transport_options.get(option) or default)
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    @property
    def tmp_folder(self) -> Path:
        return self._folder("tmp_folder", "tmp")

    @property
    def claimed_folder(self) -> Path:
        return self._folder("claimed_folder", "claimed")

    @property
    def unreadable_folder(self) -> Path:
        return self._folder("unreadable_folder", "unreadable")

    @property
    def claim_check_seconds(self) -> float:
        return float(self.transport_options.get("claim_check_seconds", 30))

    # --- writing -----------------------------------------------------------------------------

    def _put(self, queue: str, payload: dict, **kwargs: Any) -> None:
        """Put a message onto ``queue``: whole, or not at all."""
        # kombu's name: <time>_<uuid>.<queue>.msg, oldest first. Wall-clock milliseconds,
        # zero-padded, so the order holds across reboots too (kombu uses the monotonic clock).
        name = f"{time.time_ns() // 1_000_000:015d}_{uuid.uuid4()}.{queue}{MESSAGE_SUFFIX}"
        try:
            _write_whole(
                self.tmp_folder,
                Path(self.data_folder_out) / name,
                str_to_bytes(dumps(payload)),
            )
        except OSError as exc:
            raise filesystem.ChannelError(f"Cannot add {name!r} to the queue folder") from exc

    # --- taking ------------------------------------------------------------------------------

    def _get(self, queue: str) -> dict:
        """Take the oldest readable message of ``queue`` (kept in this process's claim folder
        until acknowledged); unreadable ones are set aside on the way."""
        if time.monotonic() >= self._next_claim_check:
            self._next_claim_check = time.monotonic() + self.claim_check_seconds
            self.claims_restore_abandoned()
        folder = Path(self.data_folder_in)
        names = sorted(n for n in os.listdir(folder) if _queue_of(n) == queue)
        claims = _claim_folder(self.claimed_folder, self.tmp_folder).path
        for name in names:
            claimed = claims / name
            try:
                os.rename(folder / name, claimed)
            except OSError:
                continue  # another consumer took it first
            try:
                payload = self._read_message(claimed)
            except (OSError, ValueError, KeyError, TypeError) as exc:
                self._set_aside(claimed, exc)
                continue
            if queue in self._no_ack_queues:
                claimed.unlink(missing_ok=True)  # nobody will acknowledge it
            else:
                self._claims[payload["properties"]["delivery_tag"]] = claimed
            return payload
        raise Empty()

    def _read_message(self, path: Path) -> dict:
        """The message in ``path``, or an error when kombu could not deliver it."""
        payload = loads(bytes_to_str(path.read_bytes()))
        if not isinstance(payload, dict) or not isinstance(payload.get("properties"), dict):
            raise ValueError("not a kombu message (no properties)")
        if not isinstance(payload["properties"].get("delivery_info"), dict):
            raise ValueError("not a kombu message (no delivery_info)")
        self.Message(payload, channel=self)  # what the consumer will do: body decodes, tag set
        return payload

    def _set_aside(self, path: Path, error: BaseException) -> None:
        target = self.unreadable_folder / path.name
        try:
            os.replace(path, target)
        except OSError:
            logger.exception("Could not set aside the unreadable job message %s", path)
            with contextlib.suppress(OSError):
                path.unlink()
            return
        logger.error(
            "Set aside an unreadable job message (%s: %s): %s. The worker goes on; the file "
            "is kept for inspection.",
            type(error).__name__,
            error,
            target,
        )

    # --- acknowledging -----------------------------------------------------------------------

    def _release(self, delivery_tag: str) -> None:
        if (claimed := self._claims.pop(delivery_tag, None)) is not None:
            with contextlib.suppress(FileNotFoundError):
                claimed.unlink()

    def basic_consume(self, queue: str, no_ack: bool, *args: Any, **kwargs: Any) -> Any:
        if no_ack:
            self._no_ack_queues.add(queue)
        return super().basic_consume(queue, no_ack, *args, **kwargs)

    def basic_get(self, queue: str, no_ack: bool = False, **kwargs: Any) -> Any:
        message = super().basic_get(queue, no_ack=no_ack, **kwargs)
        if message is not None and no_ack:
            self._release(message.delivery_tag)
        return message

    def basic_ack(self, delivery_tag: str, multiple: bool = False) -> None:
        super().basic_ack(delivery_tag, multiple=multiple)
        self._release(delivery_tag)
        self.connection.capacity_freed.set()

    def basic_reject(self, delivery_tag: str, requeue: bool = False) -> None:
        super().basic_reject(delivery_tag, requeue=requeue)  # requeue: _restore writes a copy
        self._release(delivery_tag)
        self.connection.capacity_freed.set()

    def _restore(self, message: Any) -> None:
        """Back to the queue (a shutdown with tasks not yet acknowledged, or a requeue): a
        fresh whole copy marked redelivered, then the claim goes."""
        message.delivery_info["redelivered"] = True  # what Celery reads (kombu marks the body)
        super()._restore(message)
        self._release(message.delivery_tag)

    # --- dead consumers ----------------------------------------------------------------------

    def claims_restore_abandoned(self) -> int:
        """Put back into the queue the messages that a dead process took and never
        acknowledged. Returns how many came back."""
        mine = _claim_folder(self.claimed_folder, self.tmp_folder).path
        restored = 0
        for folder in self.claimed_folder.iterdir():
            if folder == mine or not folder.is_dir():
                continue
            try:
                lock_file = open(folder / OWNER_LOCK, "rb+")  # noqa: SIM115
            except FileNotFoundError:
                continue  # being cleaned up by another consumer
            with lock_file:
                try:
                    fcntl.lockf(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    continue  # its process is alive
                restored += self._restore_folder(folder)
        return restored

    def _restore_folder(self, folder: Path) -> int:
        restored = 0
        for path in sorted(folder.glob(f"*{MESSAGE_SUFFIX}")):
            try:
                payload = loads(bytes_to_str(path.read_bytes()))
                payload["redelivered"] = True
                payload["properties"]["delivery_info"]["redelivered"] = True
                data = str_to_bytes(dumps(payload))
            except FileNotFoundError:
                continue
            except (OSError, ValueError, TypeError, KeyError) as exc:
                self._set_aside(path, exc)
                continue
            # Same name: it keeps its place (oldest first) in the queue.
            _write_whole(self.tmp_folder, Path(self.data_folder_out) / path.name, data)
            path.unlink(missing_ok=True)
            restored += 1
        with contextlib.suppress(OSError):
            (folder / OWNER_LOCK).unlink()
            folder.rmdir()
        if restored:
            logger.warning(
                "Put back %d job message(s) that a stopped worker had taken (%s)",
                restored,
                folder.name,
            )
        return restored

    # --- exchange tables ---------------------------------------------------------------------

    @contextlib.contextmanager
    def _table_lock(self, exchange: str):
        file = self._exchange_file(exchange)  # validates the name
        self.control_folder.mkdir(parents=True, exist_ok=True)
        with open(file.with_name(f"{file.name}.lock"), "ab") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield file
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _read_table(self, file: Path) -> list:
        try:
            table = loads(bytes_to_str(file.read_bytes()))
        except FileNotFoundError:
            return []
        except (OSError, ValueError) as exc:
            raise filesystem.ChannelError(f"Cannot read the exchange table {file}") from exc
        return [filesystem.exchange_queue_t(*row) for row in table]

    def get_table(self, exchange: str) -> list:
        # Tables are replaced whole by rename: a plain read sees an old or a new one.
        return self._read_table(self._exchange_file(exchange))

    def _queue_bind(self, exchange: str, routing_key: str, pattern: str, queue: str) -> None:
        row = filesystem.exchange_queue_t(routing_key or "", pattern or "", queue or "")
        with self._table_lock(exchange) as file:
            table = self._read_table(file)
            if row not in table:
                table.insert(0, row)
                _write_whole(self.control_folder, file, str_to_bytes(dumps(table)))

    def _delete(self, queue: str, exchange: str, routing_key: str, pattern: str, *args, **kw):
        # kombu's virtual channel forgets the queue; then the row leaves the exchange table.
        super(filesystem.Channel, self)._delete(queue, exchange, routing_key, pattern, *args, **kw)
        row = filesystem.exchange_queue_t(routing_key or "", pattern or "", queue or "")
        with self._table_lock(exchange) as file:
            table = self._read_table(file)
            if row in table:
                table.remove(row)
                _write_whole(self.control_folder, file, str_to_bytes(dumps(table)))


class Transport(filesystem.Transport):
    """The embedded broker's transport (``CELERY_BROKER_TRANSPORT``)."""

    Channel = Channel
    global_state = filesystem.virtual.BrokerState()

    def __init__(self, client: Any, **kwargs: Any) -> None:
        super().__init__(client, **kwargs)
        # Set when a message is acknowledged or rejected (the pool may run another job).
        self.capacity_freed = threading.Event()

    def drain_events(self, connection: Any, timeout: float | None = None) -> None:
        """kombu's polling loop, except that the wait between two looks at the queue folder
        ends early when a job finishes: a worker whose prefetch limit is reached takes the
        next message as soon as it may, not a polling interval later."""
        started = time.monotonic()
        interval = self.polling_interval
        if timeout and interval and interval > timeout:
            interval = timeout
        while True:
            self.capacity_freed.clear()
            try:
                self.cycle.get(self._deliver, timeout=timeout)
            except Empty:
                if timeout is not None and time.monotonic() - started >= timeout:
                    raise TimeoutError() from None  # socket.timeout, as kombu raises
                if interval is not None:
                    self.capacity_freed.wait(interval)
            else:
                return


def unreadable_messages(folder: Path) -> int:
    """How many unreadable messages were set aside in ``folder`` (for the health page)."""
    try:
        return sum(1 for name in os.listdir(folder) if name.endswith(MESSAGE_SUFFIX))
    except FileNotFoundError:
        return 0
