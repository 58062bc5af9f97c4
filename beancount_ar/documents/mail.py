"""Email drafts of collection letters (RFC 5322 `.eml`), and sending them through SMTP.

    message = letter_draft(letter, pdf, sender=Address("Seed s.r.o.", addr_spec="ar@seed.cz"),
                           to=addresses("ap@acme.example"))
    data = message.as_bytes()             # what the `.eml` holds and what is sent
    with SmtpSession(SmtpSettings("mail.example.com", 587, starttls=True,
                                  user="ar", password=secret)) as session:
        session.send(sender, recipients, data)

A draft is a `multipart/mixed` message under `email.policy.SMTP` (CRLF line ends,
RFC 2047 words for a Czech subject or name): a short plain-text body in the
letter's language and the letter as a PDF attachment. Ledger text never reaches a
header raw: names are put on one line and addresses are parsed and checked first.

Sending refuses, before it connects, to send a password unencrypted to any host
but this machine's loopback address; every failure is a `SendError` that says
what went wrong and never holds the password.
"""

from __future__ import annotations

import ipaddress
import re
import smtplib
import socket
import ssl
from dataclasses import dataclass, field
from email.errors import MessageError
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, getaddresses, localtime, make_msgid
from typing import TYPE_CHECKING, final

from beancount_ar.documents.letter_render import attachment_name, letter_body, letter_subject

if TYPE_CHECKING:
    from collections.abc import Sequence
    from types import TracebackType

    from beancount_ar.documents.letters import LetterDocument

__all__ = ["SendError", "SmtpSession", "SmtpSettings", "addresses", "letter_draft",
           "one_line"]

TIMEOUT = 30  # seconds for connecting and for each reply of the server
_SPACES = re.compile(r"\s+")


class SendError(Exception):
    """The server could not be used, or refused a message; the message says why."""


def one_line(text: str) -> str:
    r"""`text` with every run of white space (line breaks too) as one space: a header's name.

        >>> one_line("Acme\n  Corp ")
        'Acme Corp'
    """
    return _SPACES.sub(" ", text).strip()


def addresses(text: str, display_name: str = "") -> list[Address] | None:
    """The addresses written in an `email:` detail (`,` or `;` between them); None if any is bad.

        >>> [str(a) for a in addresses("ap@acme.example; Jana <jana@acme.example>", "Acme")]
        ['Acme <ap@acme.example>', 'Jana <jana@acme.example>']
        >>> addresses("ap at acme") is None, addresses("ap@"), addresses("")
        (True, None, [])
    """
    written = text.replace(";", ",").strip().strip(",").strip()
    if not written:
        return []
    if "\r" in written or "\n" in written:
        return None  # one detail, one line: anything after a line break is no address of it
    found = []
    for name, spec in getaddresses([written]):
        address = _address(one_line(name) or one_line(display_name), spec)
        if address is None:
            return None
        found.append(address)
    return found


def _address(name: str, spec: str) -> Address | None:
    if not spec.isascii() or spec.count("@") != 1 or any(c.isspace() for c in spec):
        return None
    try:
        address = Address(display_name=name, addr_spec=spec)
    except (ValueError, IndexError, MessageError):
        return None
    return address if address.username and address.domain else None


def letter_draft(letter: LetterDocument, pdf: bytes, *, sender: Address,
                 to: Sequence[Address]) -> EmailMessage:
    """The email of `letter`: its subject and body in the letter's language, the PDF attached."""
    message = EmailMessage(policy=SMTP)
    message["From"] = sender
    message["To"] = list(to)
    message["Subject"] = one_line(letter_subject(letter))
    message["Date"] = format_datetime(localtime())
    message["Message-ID"] = make_msgid(domain=sender.domain)
    message.set_content(letter_body(letter), charset="utf-8")
    message["Content-Language"] = letter.language  # moves with the text into its own part
    message.add_attachment(pdf, maintype="application", subtype="pdf",
                           filename=attachment_name(letter))
    return message


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send: the password is never part of its text (`repr`)."""

    host: str
    port: int
    starttls: bool = True
    user: str | None = None
    password: str | None = field(default=None, repr=False)

    @property
    def where(self) -> str:
        """`mail.example.com:587`, for messages."""
        return f"{self.host}:{self.port}"


def is_loopback(host: str) -> bool:
    """Whether `host` is this machine: `localhost`, 127.0.0.0/8 or ::1 (no name is looked up).

        >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("mail.example")
        (True, True, False)
    """
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@final
class SmtpSession:
    """One connection to the server for a run's messages: connect, STARTTLS, login.

    Raises:
        SendError: on entering, when the server cannot be reached or refuses TLS or
            the login; from `send`, when it refuses a message.
    """

    def __init__(self, settings: SmtpSettings) -> None:
        """Remember the settings; nothing is sent before `with`."""
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpSession:
        """Connect, say EHLO, switch to TLS when asked and log in when a user is given."""
        settings = self.settings
        if settings.user and not settings.starttls and not is_loopback(settings.host):
            raise SendError(f"refusing to send the SMTP password unencrypted to "
                            f"{settings.host}; use --starttls (or a server on localhost)")
        try:
            smtp = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT)
        except (OSError, smtplib.SMTPException) as error:
            raise SendError(f"cannot reach the SMTP server {settings.where}: "
                            f"{_reason(error)}") from None
        self._smtp = smtp
        step = "EHLO"
        try:
            smtp.ehlo()
            if settings.starttls:
                step = "STARTTLS"
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if settings.user:
                step = "a login (AUTH)"
                smtp.login(settings.user, settings.password or "")
        except smtplib.SMTPNotSupportedError:
            self.close()
            hint = ("; use --no-starttls only for a server on a private link"
                    if step == "STARTTLS" else "")
            raise SendError(f"the SMTP server {settings.where} does not offer {step}{hint}",
                            ) from None
        except smtplib.SMTPAuthenticationError as error:
            self.close()
            raise SendError(f"the SMTP server {settings.where} refused the login of "
                            f"{settings.user}: {_reply(error.smtp_code, error.smtp_error)}"
                            ) from None
        except ssl.SSLError as error:
            self.close()
            raise SendError(f"TLS with the SMTP server {settings.where} failed: "
                            f"{error.reason or error}") from None
        except (OSError, smtplib.SMTPException) as error:
            self.close()
            raise SendError(f"the SMTP server {settings.where} failed at {step}: "
                            f"{_reason(error)}") from None
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        """Say QUIT, or just drop a connection that is already gone."""
        self.close()

    def close(self) -> None:
        """End the connection politely when it still stands."""
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()

    def send(self, sender: str, recipients: Sequence[str], data: bytes) -> None:
        """Send one message as it is (the `.eml`'s bytes) from `sender` to `recipients`.

        Raises:
            SendError: the server refused the sender, every recipient or the message,
                or the connection broke (then every later `send` fails too).
        """
        if self._smtp is None:
            raise SendError(f"the connection to {self.settings.where} is closed")
        try:
            refused = self._smtp.sendmail(sender, list(recipients), data)
        except smtplib.SMTPRecipientsRefused as error:
            raise SendError("every recipient refused: " + _refusals(error.recipients)) from None
        except smtplib.SMTPSenderRefused as error:
            raise SendError(f"sender {sender} refused: "
                            f"{_reply(error.smtp_code, error.smtp_error)}") from None
        except smtplib.SMTPResponseException as error:
            raise SendError(f"refused: {_reply(error.smtp_code, error.smtp_error)}") from None
        except (OSError, smtplib.SMTPException) as error:
            self._smtp = None
            raise SendError(f"the connection to {self.settings.where} broke: "
                            f"{_reason(error)}") from None
        if refused:
            raise SendError("some recipients refused: " + _refusals(refused))


def _reply(code: int, text: bytes | str) -> str:
    words = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return f"{code} {one_line(words)}"


def _refusals(refused: dict[str, tuple[int, bytes]]) -> str:
    return "; ".join(f"{who} ({_reply(code, text)})" for who, (code, text) in refused.items())


def _reason(error: BaseException) -> str:
    if isinstance(error, socket.gaierror):
        return "no such host"
    if isinstance(error, TimeoutError | socket.timeout):
        return "timed out"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return one_line(str(error)) or type(error).__name__
