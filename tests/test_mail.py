"""`--send`: the drafts delivered to a real SMTP server (aiosmtpd) on 127.0.0.1 (issue 10, 3).

What arrives is read back and held against the `.eml` on disk. The server runs in
a thread of the test process, with a login and, for STARTTLS, a self-signed
certificate made by `openssl` that the client trusts through `SSL_CERT_FILE`.
The letters are stand-in PDFs (`stub_pdf`): real ones are in `test_letters.py`.

    .venv/bin/python -m pytest -q tests/test_mail.py
"""

from __future__ import annotations

import email
import email.policy
import socket
import ssl
import subprocess
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import click
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from test_letters_data import (
    COMPANY_EMAIL,
    LEDGER,
    parse_eml,
    run_letters,
    stub_pdf,
    write_ledger,
)

from beancount_ar.cli.letters import smtp_settings
from beancount_ar.documents.mail import SmtpSettings

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping
    from email.message import EmailMessage
    from pathlib import Path

    from click.testing import Result

__all__ = ["stub_pdf"]  # the fixture, used here by name

# A login without TLS, on 127.0.0.1 alone: what the plain-text tests do on purpose.
PLAIN_LOGIN = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")

USER = "ar@seminko.example"
PASSWORD = "correct horse battery staple"  # noqa: S105 - the test server's own
SMTP_VARIABLES = ("BEAN_AR_SMTP_HOST", "BEAN_AR_SMTP_PORT", "BEAN_AR_SMTP_USER",
                  "BEAN_AR_SMTP_STARTTLS", "BEAN_AR_SMTP_PASSWORD")


@dataclass
class Arrived:
    """One message as the server took it."""

    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    logged_in: bool
    over_tls: bool

    @property
    def message(self) -> EmailMessage:
        parsed = email.message_from_bytes(self.data, policy=email.policy.default)
        assert isinstance(parsed, email.message.EmailMessage)
        return parsed


@dataclass
class Inbox:
    """The handler: keeps every message; refuses the recipients in `refuse`."""

    refuse: set[str] = field(default_factory=set)
    messages: list[Arrived] = field(default_factory=list)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any,  # noqa: N802
                          address: str, rcpt_options: list[str]) -> str:
        del server, session, rcpt_options
        if address in self.refuse:
            return "550 5.1.1 no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        del server
        self.messages.append(Arrived(envelope.mail_from, list(envelope.rcpt_tos),
                                     envelope.content, bool(session.authenticated),
                                     session.ssl is not None))
        return "250 2.0.0 accepted"


def _login(server: Any, session: Any, envelope: Any, mechanism: str,
           auth_data: Any) -> AuthResult:
    del server, session, envelope, mechanism
    ok = (isinstance(auth_data, LoginPassword) and auth_data.login == USER.encode()
          and auth_data.password == PASSWORD.encode())
    return AuthResult(success=ok, handled=False)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@dataclass
class Server:
    port: int
    inbox: Inbox


@pytest.fixture
def smtp_server() -> Iterator[Callable[..., Server]]:
    """Start servers: `smtp_server(login=True, tls=context, refuse={...})`; all stop after."""
    running: list[Controller] = []

    def start(*, login: bool = False, tls: ssl.SSLContext | None = None,
              refuse: set[str] | None = None) -> Server:
        inbox = Inbox(refuse or set())
        port = free_port()
        controller = Controller(
            inbox, hostname="127.0.0.1", port=port, tls_context=tls,
            require_starttls=tls is not None, auth_required=login,
            auth_require_tls=tls is not None, authenticator=_login if login else None)
        controller.start()
        running.append(controller)
        return Server(port, inbox)

    yield start
    for controller in running:
        controller.stop()


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=localhost", "-addext",
                    "subjectAltName=DNS:localhost,IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)
    return cert, key


def server_tls(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*map(str, certificate))
    return context


def send(tmp_path: Path, *args: str | int, env: Mapping[str, str | None] | None = None,
         ledger: Path | None = None) -> tuple[Result, Path]:
    """`fake_dunning LEDGER -o DIR --send ARGS` with no SMTP settings from the environment."""
    out = tmp_path / "letters"
    clean: dict[str, str | None] = dict.fromkeys(SMTP_VARIABLES)
    clean.update(env or {})
    result = run_letters(ledger or write_ledger(tmp_path), "-o", out, "--send",
                         *map(str, args), env=clean)
    return result, out


def no_secret(result: Result) -> None:
    assert PASSWORD not in result.stdout
    assert PASSWORD not in result.stderr
    assert "Traceback" not in result.stderr


# --- delivered ----------------------------------------------------------------------------

def test_send_delivers_each_draft_as_written(tmp_path: Path, stub_pdf: bytes,
                                             smtp_server: Callable[..., Server]) -> None:
    server = smtp_server()
    result, out = send(tmp_path, "--smtp-host", "127.0.0.1", "--smtp-port", server.port,
                       "--no-starttls")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "4 rows\n"
    arrived = {m.rcpt_tos[0]: m for m in server.inbox.messages}
    assert sorted(arrived) == ["ap@acme.example", "ucetni@kos.example"]
    kos = arrived["ucetni@kos.example"]
    assert kos.mail_from == COMPANY_EMAIL
    assert not kos.logged_in
    on_disk = parse_eml(out / "kos-2026-06-30.eml")
    assert kos.message["Subject"] == on_disk["Subject"] == \
        "Upomínka: faktury FA-2026-001, FA-2026-002"
    assert kos.message["Message-ID"] == on_disk["Message-ID"]
    assert kos.message["To"] == '"Kos a syn, s.r.o." <ucetni@kos.example>'
    (attachment,) = kos.message.iter_attachments()
    assert attachment.get_content() == stub_pdf
    assert attachment.get_filename() == "upominka-2026-06-30.pdf"
    lines = result.stderr.splitlines()
    assert f"kos: sent {out}/kos-2026-06-30.eml to ucetni@kos.example" in lines
    assert f"acme: sent {out}/acme-2026-06-30.eml to ap@acme.example" in lines
    assert lines[-1] == f"2 of 2 letter(s) sent through 127.0.0.1:{server.port}"
    assert any(line.startswith("bean-ar: nomail: no email: wrote") for line in lines)


@PLAIN_LOGIN
def test_send_logs_in_with_settings_from_the_environment(
        tmp_path: Path, stub_pdf: bytes, smtp_server: Callable[..., Server]) -> None:
    server = smtp_server(login=True)
    result, _ = send(tmp_path, env={
        "BEAN_AR_SMTP_HOST": "127.0.0.1", "BEAN_AR_SMTP_PORT": str(server.port),
        "BEAN_AR_SMTP_USER": USER, "BEAN_AR_SMTP_STARTTLS": "0",
        "BEAN_AR_SMTP_PASSWORD": PASSWORD})
    assert result.exit_code == 0, result.stderr
    assert len(server.inbox.messages) == 2
    assert all(m.logged_in for m in server.inbox.messages)
    no_secret(result)
    assert stub_pdf


def test_starttls_with_a_trusted_certificate(
        tmp_path: Path, stub_pdf: bytes, smtp_server: Callable[..., Server],
        certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    server = smtp_server(login=True, tls=server_tls(certificate))
    result, _ = send(tmp_path, "--smtp-host", "127.0.0.1", "--smtp-port", server.port,
                     "--smtp-user", USER, env={"BEAN_AR_SMTP_PASSWORD": PASSWORD})
    assert result.exit_code == 0, result.stderr
    assert [(m.over_tls, m.logged_in) for m in server.inbox.messages] == [(True, True)] * 2
    no_secret(result)
    assert stub_pdf


# --- failures: a message and exit 1, never a traceback, the drafts kept --------------------

def test_an_untrusted_certificate_is_a_message(
        tmp_path: Path, stub_pdf: bytes, smtp_server: Callable[..., Server],
        certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    server = smtp_server(login=True, tls=server_tls(certificate))
    result, out = send(tmp_path, "--smtp-host", "127.0.0.1", "--smtp-port", server.port,
                       "--smtp-user", USER, env={"BEAN_AR_SMTP_PASSWORD": PASSWORD})
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"bean-ar: nothing sent: TLS with the SMTP server 127.0.0.1:{server.port} failed: "
        f"CERTIFICATE_VERIFY_FAILED; the drafts are in {out}")
    assert server.inbox.messages == []
    assert (out / "kos-2026-06-30.eml").is_file()
    no_secret(result)
    assert stub_pdf


@PLAIN_LOGIN
def test_a_wrong_password_is_a_message(tmp_path: Path, stub_pdf: bytes,
                                       smtp_server: Callable[..., Server]) -> None:
    server = smtp_server(login=True)
    result, _ = send(tmp_path, "--smtp-host", "127.0.0.1", "--smtp-port", server.port,
                     "--no-starttls", "--smtp-user", USER,
                     env={"BEAN_AR_SMTP_PASSWORD": "wrong " + PASSWORD})
    assert result.exit_code == 1
    assert (f"bean-ar: nothing sent: the SMTP server 127.0.0.1:{server.port} refused the "
            f"login of {USER}: 535 5.7.8 Authentication credentials invalid") in result.stderr
    no_secret(result)
    assert stub_pdf


def test_a_server_without_starttls_is_a_message(tmp_path: Path, stub_pdf: bytes,
                                                smtp_server: Callable[..., Server]) -> None:
    server = smtp_server()
    result, _ = send(tmp_path, "--smtp-host", "127.0.0.1", "--smtp-port", server.port)
    assert result.exit_code == 1
    assert (f"the SMTP server 127.0.0.1:{server.port} does not offer STARTTLS; use "
            "--no-starttls only for a server on a private link") in result.stderr
    assert server.inbox.messages == []
    assert stub_pdf


def test_nothing_listening_is_a_message(tmp_path: Path, stub_pdf: bytes) -> None:
    port = free_port()
    result, out = send(tmp_path, "--smtp-host", "127.0.0.1", "--smtp-port", port,
                       "--no-starttls")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"bean-ar: nothing sent: cannot reach the SMTP server 127.0.0.1:{port}: connection "
        f"refused; the drafts are in {out}")
    assert stub_pdf


def test_a_refused_recipient_fails_that_letter_alone(
        tmp_path: Path, stub_pdf: bytes, smtp_server: Callable[..., Server]) -> None:
    server = smtp_server(refuse={"ap@acme.example"})
    result, out = send(tmp_path, "--smtp-host", "127.0.0.1", "--smtp-port", server.port,
                       "--no-starttls")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert ("bean-ar: acme: not sent: every recipient refused: ap@acme.example "
            "(550 5.1.1 no such mailbox here)") in lines
    assert f"kos: sent {out}/kos-2026-06-30.eml to ucetni@kos.example" in lines
    assert f"1 of 2 letter(s) sent through 127.0.0.1:{server.port}" in lines
    assert lines[-1] == ("bean-ar: 1 letter(s) not made, written or sent; the others are in "
                         f"{out}")
    assert [m.rcpt_tos for m in server.inbox.messages] == [["ucetni@kos.example"]]
    assert stub_pdf


def test_the_password_never_goes_unencrypted_to_another_host(tmp_path: Path,
                                                            stub_pdf: bytes) -> None:
    result, _ = send(tmp_path, "--smtp-host", "mail.example.invalid", "--no-starttls",
                     "--smtp-user", USER, env={"BEAN_AR_SMTP_PASSWORD": PASSWORD})
    assert result.exit_code == 1
    assert ("bean-ar: nothing sent: refusing to send the SMTP password unencrypted to "
            "mail.example.invalid; use --starttls (or a server on localhost)") in result.stderr
    no_secret(result)
    assert stub_pdf


# --- usage: refused before the command runs (exit 2) --------------------------------------

@pytest.mark.parametrize(("args", "env", "message"), [
    (["--send"], {}, "--send needs -o DIR: the letters sent are kept there"),
    (["-o", "DIR", "--send"], {}, "--send needs an SMTP server: --smtp-host HOST"),
    (["-o", "DIR", "--send", "--smtp-host", "h", "--smtp-user", "u"], {},
     "--smtp-user u: set the password in BEAN_AR_SMTP_PASSWORD"),
    (["-o", "DIR", "--send", "--smtp-host", "h"], {"BEAN_AR_SMTP_PASSWORD": PASSWORD},
     "BEAN_AR_SMTP_PASSWORD is set but no SMTP user"),
    (["-o", "DIR", "--send", "--smtp-host", "h"], {"BEAN_AR_SMTP_STARTTLS": "maybe"},
     "Invalid value for '--starttls"),
    (["-o", "DIR", "--send", "--smtp-host", "h", "--smtp-port", "0"], {},
     "Invalid value for '--smtp-port'"),
])
def test_send_settings_are_checked_before_anything_runs(
        tmp_path: Path, args: list[str], env: dict[str, str], message: str) -> None:
    ledger = write_ledger(tmp_path)
    clean: dict[str, str | None] = dict.fromkeys(SMTP_VARIABLES)
    clean.update(env)
    result = run_letters(ledger, *[str(tmp_path / a) if a == "DIR" else a for a in args],
                         env=clean)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""  # the report did not run
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ledger.beancount"]
    no_secret(result)


def test_send_needs_the_companys_email(tmp_path: Path, stub_pdf: bytes) -> None:
    ledger = write_ledger(tmp_path, LEDGER.replace(f'  email: "{COMPANY_EMAIL}"\n', ""))
    result, out = send(tmp_path, "--smtp-host", "127.0.0.1", ledger=ledger)
    assert result.exit_code == 2
    assert ("bean-ar: cannot --send: the company (ar-company) has no email; it is the "
            "letters' From address") in result.stderr
    assert not out.exists()
    assert stub_pdf


def test_settings_defaults_and_the_password_out_of_their_text(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BEAN_AR_SMTP_PASSWORD", raising=False)
    assert smtp_settings("h", None, None, starttls=True) == SmtpSettings("h", 587)
    assert smtp_settings("h", None, None, starttls=False).port == 25
    monkeypatch.setenv("BEAN_AR_SMTP_PASSWORD", PASSWORD)
    settings = smtp_settings("h", 2525, USER, starttls=True)
    assert settings.password == PASSWORD
    assert PASSWORD not in repr(settings)
    assert PASSWORD not in str(settings)
    with pytest.raises(click.UsageError):
        smtp_settings(None, None, USER, starttls=True)
