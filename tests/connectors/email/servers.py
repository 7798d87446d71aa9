"""Real mail servers for the email-channel tests.

``dovecot`` (session scope) runs Debian's Dovecot 2.3 as an IMAP server on 127.0.0.1, with its
own configuration, mail and sockets in a temporary directory; ``imap_server`` hands it to one
test with an empty mailbox. ``smtp_capture`` (function scope) is an aiosmtpd server that records
what Django's SMTP email backend sends.
"""

import base64
import email
import email.policy
import imaplib
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any, cast

import pytest

DOVECOT = Path("/usr/sbin/dovecot")
HOST = "127.0.0.1"
START_TIMEOUT = 10.0
# Dovecot refuses to touch mail as root, and its login processes refuse to run as root: both
# run as the unprivileged accounts that Debian's dovecot-core package creates.
MAIL_ACCOUNTS = ("dovecot", "nobody")
LOGIN_ACCOUNTS = ("dovenull", "nobody")


# --- IMAP names ---------------------------------------------------------------------------------


def _utf7_encode(name: str) -> str:
    """RFC 3501 modified UTF-7 for a mailbox name (``Søppel`` -> ``S&APg-ppel``)."""
    out: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            chunk = base64.b64encode("".join(pending).encode("utf-16-be")).decode()
            out.append("&" + chunk.rstrip("=").replace("/", ",") + "-")
            pending.clear()

    for char in name:
        if 0x20 <= ord(char) <= 0x7E:
            flush()
            out.append("&-" if char == "&" else char)
        else:
            pending.append(char)
    flush()
    return "".join(out)


def _utf7_decode(name: str) -> str:
    def decode(match: re.Match[str]) -> str:
        chunk = match.group(1)
        if not chunk:
            return "&"
        chunk = chunk.replace(",", "/")
        return base64.b64decode(chunk + "=" * (-len(chunk) % 4)).decode("utf-16-be")

    return re.sub(r"&([^-]*)-", decode, name)


def _quoted(name: str) -> str:
    """A mailbox name as an IMAP quoted string (imaplib sends arguments as they are)."""
    escaped = _utf7_encode(name).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _unquoted(raw: str) -> str:
    if raw.startswith('"') and raw.endswith('"'):
        raw = re.sub(r"\\(.)", r"\1", raw[1:-1])
    return _utf7_decode(raw)


_LIST_LINE = re.compile(r'^\((?P<flags>[^)]*)\) (?P<delimiter>NIL|"(?:[^"\\]|\\.)*") (?P<name>.*)$')


def _list_names(data: list[Any]) -> list[str]:
    """Mailbox names from the untagged answers to LIST or LSUB (names may come as literals)."""
    names = []
    for item in data:
        if item is None:
            continue
        if isinstance(item, tuple):
            names.append(_utf7_decode(item[1].decode()))
            continue
        match = _LIST_LINE.match(item.decode())
        if match:
            names.append(_unquoted(match.group("name")))
    return names


def _check(result: tuple[str, list[Any]], what: str) -> list[Any]:
    status, data = result
    if status != "OK":
        raise imaplib.IMAP4.error(f"{what}: {status} {data!r}")
    return data


# --- Dovecot ------------------------------------------------------------------------------------


@dataclass
class DovecotServer:
    """A running Dovecot with one user; helpers to arrange and inspect its mailbox over IMAP."""

    host: str
    port: int
    user: str
    password: str
    log_path: Path
    imaps_port: int | None = None  # IMAP over TLS, when openssl could make a certificate
    certfile: Path | None = None  # the self-signed certificate, to trust as a CA
    delimiter: str = "."  # the hierarchy separator of maildir++: "Arkiv.2024"

    @contextmanager
    def connect(self) -> Iterator[imaplib.IMAP4]:
        """A logged-in stdlib IMAP connection, logged out afterwards."""
        client = imaplib.IMAP4(self.host, self.port, timeout=10)
        try:
            _check(client.login(self.user, self.password), "LOGIN")
            yield client
        finally:
            with suppress(imaplib.IMAP4.error, OSError):
                client.logout()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def append(self, raw: bytes, folder: str = "INBOX", flags: Iterable[str] = ()) -> int:
        """Store a message; returns its UID (from UIDPLUS' APPENDUID)."""
        flag_list = f"({' '.join(flags)})" if flags else None
        with self.connect() as client:
            data = _check(client.append(_quoted(folder), flag_list, None, raw), "APPEND")
        match = re.search(rb"APPENDUID \d+ (\d+)", data[0] or b"")
        if not match:
            raise imaplib.IMAP4.error(f"APPEND did not report the UID: {data!r}")
        return int(match.group(1))

    def uids(self, folder: str = "INBOX", criteria: str = "ALL") -> list[int]:
        with self.connect() as client:
            _check(client.select(_quoted(folder), readonly=True), f"SELECT {folder}")
            data = _check(client.uid("SEARCH", criteria), "UID SEARCH")
        return [int(uid) for uid in (data[0] or b"").split()]

    def flags(self, uid: int, folder: str = "INBOX") -> set[str]:
        """The message's flags, without looking at it (no \\Seen is set)."""
        with self.connect() as client:
            _check(client.select(_quoted(folder), readonly=True), f"SELECT {folder}")
            data = _check(client.uid("FETCH", str(uid), "(FLAGS)"), "UID FETCH")
        if not data or data[0] is None:
            raise LookupError(f"no message with UID {uid} in {folder}")
        # \Recent belongs to whichever session saw the message first, not to the message.
        return {flag.decode() for flag in imaplib.ParseFlags(data[0])} - {"\\Recent"}

    def folders(self) -> list[str]:
        with self.connect() as client:
            return sorted(_list_names(_check(client.list(), "LIST")))

    def create_folder(self, name: str, subscribe: bool = True) -> None:
        with self.connect() as client:
            _check(client.create(_quoted(name)), f"CREATE {name}")
            if subscribe:
                _check(client.subscribe(_quoted(name)), f"SUBSCRIBE {name}")

    def clear(self, folder: str = "INBOX") -> None:
        """Delete every message of the folder and expunge."""
        with self.connect() as client:
            self._clear(client, folder)

    def reset(self) -> None:
        """An empty INBOX and no other folder, subscription or message: one test's clean slate."""
        with self.connect() as client:
            self._clear(client, "INBOX")
            for name in _list_names(_check(client.lsub(), "LSUB")):
                client.unsubscribe(_quoted(name))
            # Children before their parents; a parent that only existed through its children
            # (\Noselect) is gone with them, so DELETE may answer NO for it.
            others = [n for n in _list_names(_check(client.list(), "LIST")) if n != "INBOX"]
            for name in sorted(others, key=len, reverse=True):
                client.delete(_quoted(name))
            left = [n for n in _list_names(_check(client.list(), "LIST")) if n != "INBOX"]
        assert not left, f"Dovecot kept folders after reset: {left}"

    @staticmethod
    def _clear(client: imaplib.IMAP4, folder: str) -> None:
        data = _check(client.select(_quoted(folder)), f"SELECT {folder}")
        if int(data[0] or 0):
            _check(client.store("1:*", "+FLAGS.SILENT", r"(\Deleted)"), "STORE")
        _check(client.expunge(), "EXPUNGE")
        _check(client.close(), "CLOSE")


def _free_ports(count: int) -> list[int]:
    """Distinct TCP ports nobody listens on now (never 143 or 993: the kernel hands out
    ephemeral ones)."""
    with ExitStack() as stack:
        socks = [stack.enter_context(socket.socket()) for _ in range(count)]
        for sock in socks:
            sock.bind((HOST, 0))
        return [sock.getsockname()[1] for sock in socks]


def _account(candidates: tuple[str, ...]) -> pwd.struct_passwd:
    for name in candidates:
        with suppress(KeyError):
            return pwd.getpwnam(name)
    raise LookupError(f"none of the accounts {candidates} exists")


def _dovecot_version() -> str:
    result = subprocess.run(  # noqa: S603
        [str(DOVECOT), "--version"], capture_output=True, text=True, check=False
    )
    return result.stdout.strip() or result.stderr.strip()


def _self_signed_cert(tmp: Path) -> tuple[Path, Path] | None:
    """A certificate for 127.0.0.1 and its key, made by openssl; None without openssl."""
    openssl = shutil.which("openssl")
    if openssl is None:
        return None
    cert, key = tmp / "cert.pem", tmp / "key.pem"
    result = subprocess.run(  # noqa: S603
        [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "2", "-subj", f"/CN={HOST}", "-addext", f"subjectAltName=IP:{HOST}",
         "-keyout", str(key), "-out", str(cert)],
        capture_output=True, check=False,
    )  # fmt: skip
    return (cert, key) if result.returncode == 0 else None


def _ssl_conf(tls: tuple[Path, Path] | None) -> str:
    if tls is None:
        return "ssl = no\n"
    cert, key = tls
    return f"ssl = yes\nssl_cert = <{cert}\nssl_key = <{key}\n"


def _imaps_listener(imaps_port: int | None) -> str:
    if imaps_port is None:
        return ""
    return f"""\
  inet_listener imaps {{
    address = {HOST}
    port = {imaps_port}
    ssl = yes
  }}
"""


def _dovecot_conf(
    tmp: Path, port: int, imaps_port: int | None, tls: tuple[Path, Path] | None
) -> str:
    mail, login = _account(MAIL_ACCOUNTS), _account(LOGIN_ACCOUNTS)
    return f"""\
protocols = imap
listen = {HOST}
base_dir = {tmp}/run
state_dir = {tmp}/state
log_path = {tmp}/dovecot.log
instance_name = nordesk-test-{port}
default_internal_user = root
default_internal_group = root
default_login_user = {login.pw_name}
mail_uid = {mail.pw_uid}
mail_gid = {mail.pw_gid}
first_valid_uid = 1
first_valid_gid = 1
mail_location = maildir:{tmp}/mail/%u
mail_fsync = never
{_ssl_conf(tls)}\
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
passdb {{
  driver = passwd-file
  args = {tmp}/users
}}
userdb {{
  driver = static
  args = home={tmp}/home/%u
}}
namespace inbox {{
  inbox = yes
  mailbox Drafts {{
    special_use = \\Drafts
  }}
  mailbox Junk {{
    special_use = \\Junk
  }}
  mailbox Sent {{
    special_use = \\Sent
  }}
  mailbox Trash {{
    special_use = \\Trash
  }}
}}
protocol imap {{
  mail_max_userip_connections = 100
}}
service imap-login {{
  inet_listener imap {{
    address = {HOST}
    port = {port}
  }}
{_imaps_listener(imaps_port)}\
}}
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
"""


def _prepare_dovecot_dir(tmp: Path, user: str, password: str) -> None:
    mail = _account(MAIL_ACCOUNTS)
    tmp.chmod(0o711)  # the mail account walks through to its maildir
    for name in ("state", "mail", "home"):
        (tmp / name).mkdir(mode=0o700)
    (tmp / "run").mkdir()
    (tmp / "run").chmod(0o755)  # Dovecot's base_dir: it would fix this itself, with a warning
    for name in ("mail", "home"):
        shutil.chown(tmp / name, mail.pw_uid, mail.pw_gid)
    (tmp / "users").write_text(f"{user}:{{PLAIN}}{password}::::::\n")


def _greets(port: int) -> bool:
    """Whether an IMAP greeting comes on the port (an open port alone is not enough: the login
    process behind it may still fail)."""
    try:
        with socket.create_connection((HOST, port), timeout=1) as sock:
            return sock.recv(256).startswith(b"* OK")
    except OSError:
        return False


def _wait_for_dovecot(process: subprocess.Popen[bytes], server: DovecotServer) -> str:
    """'' once Dovecot greets and lets the user in, else why not."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return f"Dovecot exited with status {process.returncode}"
        if _greets(server.port):
            try:
                with server.connect():
                    return ""
            except (imaplib.IMAP4.error, OSError) as error:
                return f"Dovecot greets but the login fails: {error}"
        time.sleep(0.05)
    return f"Dovecot did not greet on {HOST}:{server.port} within {START_TIMEOUT:.0f} s"


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def dovecot() -> Iterator[DovecotServer]:
    """A real Dovecot IMAP server on 127.0.0.1 for the whole session (see ``imap_server``)."""
    if not DOVECOT.exists():
        pytest.skip("Dovecot is not installed: run `make mailservers`")
    tmp = Path(tempfile.mkdtemp(prefix="nordesk-dovecot-"))
    try:
        yield from _run_dovecot(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _run_dovecot(tmp: Path) -> Iterator[DovecotServer]:
    port, imaps_port = _free_ports(2)
    server = DovecotServer(
        host=HOST,
        port=port,
        user="support@nordesk.test",
        password="secret",
        log_path=tmp / "dovecot.log",
    )
    _prepare_dovecot_dir(tmp, server.user, server.password)
    tls = _self_signed_cert(tmp)
    if tls is not None:
        server.imaps_port, server.certfile = imaps_port, tls[0]
    conf = tmp / "dovecot.conf"
    conf.write_text(_dovecot_conf(tmp, server.port, server.imaps_port, tls))
    with (tmp / "stderr.log").open("wb") as stderr:
        process = subprocess.Popen(  # noqa: S603
            [str(DOVECOT), "-F", "-c", str(conf)],
            stdin=subprocess.DEVNULL,
            stdout=stderr,
            stderr=stderr,
        )
    try:
        problem = _wait_for_dovecot(process, server)
        if problem:
            _stop(process)
            output = (tmp / "stderr.log").read_text(errors="replace")
            pytest.fail(
                f"{problem} (Dovecot {_dovecot_version()}).\n{output}{server.log()}", pytrace=False
            )
        yield server
    finally:
        _stop(process)


@pytest.fixture
def imap_server(dovecot: DovecotServer) -> DovecotServer:
    """The session's Dovecot with an empty INBOX and no other folder."""
    dovecot.reset()
    return dovecot


# --- SMTP ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CapturedMail:
    envelope_from: str
    recipients: list[str]
    raw: bytes
    message: EmailMessage


@dataclass
class SmtpCapture:
    """What the SMTP server received, in order of arrival."""

    host: str
    port: int
    messages: list[CapturedMail] = field(default_factory=list)

    def wait_for(self, count: int, timeout: float = 5) -> list[CapturedMail]:
        """Poll until at least ``count`` messages arrived; they are returned."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        if len(self.messages) < count:
            arrived = [(m.recipients, m.message["Subject"]) for m in self.messages]
            raise AssertionError(f"expected {count} message(s) within {timeout} s, got {arrived}")
        return list(self.messages)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=email.policy.default)
        self.messages.append(
            CapturedMail(
                envelope_from=envelope.mail_from,
                recipients=list(envelope.rcpt_tos),
                raw=raw,
                message=cast(EmailMessage, message),
            )
        )
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_capture(settings: Any) -> Iterator[SmtpCapture]:
    """An SMTP server on 127.0.0.1 that records every message; Django's SMTP backend sends to
    it for the test."""
    from aiosmtpd.controller import Controller

    capture = SmtpCapture(host=HOST, port=_free_ports(1)[0])
    controller = Controller(capture, hostname=HOST, port=capture.port, enable_SMTPUTF8=True)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = HOST
    settings.EMAIL_PORT = capture.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield capture
    finally:
        controller.stop()
