"""Sending e-mail through the configured SMTP server: one connection reused for many messages."""
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, parseaddr


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str = "none"   # none / starttls / ssl
    user: str = ""
    password: str = ""
    sender: str = "提案建议办理系统 <noreply@localhost>"


def smtp_settings(config) -> SmtpSettings | None:
    """None when no SMTP host is set: e-mail is off."""
    if not config.get("SMTP_HOST"):
        return None
    return SmtpSettings(host=config["SMTP_HOST"], port=config["SMTP_PORT"], security=config["SMTP_SECURITY"],
                        user=config["SMTP_USER"], password=config["SMTP_PASSWORD"], sender=config["MAIL_SENDER"])


def build_message(settings: SmtpSettings, to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    name, address = parseaddr(settings.sender)
    message["From"] = formataddr((name, address))
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body, charset="utf-8")
    return message


def _prepare(settings: SmtpSettings, to: str, subject: str, body: str):
    """A function sending the message on a client (built once, sent again on a new connection if need be)."""
    message = build_message(settings, to, subject, body)
    return lambda client: client.send_message(message)


def connect(settings: SmtpSettings, timeout: float = 15) -> smtplib.SMTP:
    """An open connection, TLS and login done, or raise (OSError / smtplib.SMTPException)."""
    if settings.security == "ssl":
        client = smtplib.SMTP_SSL(settings.host, settings.port, timeout=timeout, context=ssl.create_default_context())
    else:
        client = smtplib.SMTP(settings.host, settings.port, timeout=timeout)
    try:
        if settings.security == "starttls":
            client.starttls(context=ssl.create_default_context())
        if settings.user:
            client.login(settings.user, settings.password)
    except BaseException:
        client.close()
        raise
    return client


def is_broken(exc: BaseException) -> bool:
    """Whether the failure was the connection's (gone, timed out, 421 closing) rather than the message's."""
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return True
    if isinstance(exc, smtplib.SMTPResponseException):   # a reply code: the server is still talking
        return exc.smtp_code == 421
    if isinstance(exc, smtplib.SMTPException):   # recipients refused, SMTPUTF8 not supported …
        return False
    return isinstance(exc, OSError)   # socket errors, timeouts, TLS


class Connection:
    """One SMTP connection for many messages: opened at the first send, and opened again once when it
    breaks under a message. `down` tells the caller the last attempt to open one failed: the server is
    unreachable, so trying the next messages now would only wait for the same timeout again."""

    def __init__(self, settings: SmtpSettings, timeout: float = 15):
        self.settings, self.timeout = settings, timeout
        self.client: smtplib.SMTP | None = None
        self.down = False
        self.opened = 0   # connections opened, for the benchmark and tests

    def _open(self):
        self.close()
        try:
            self.client = connect(self.settings, self.timeout)
        except BaseException:
            self.down = True
            raise
        self.down = False
        self.opened += 1

    def send(self, to: str, subject: str, body: str):
        """Send or raise: the outbox decides what a failure means."""
        transmit = _prepare(self.settings, to, subject, body)
        reused = self.client is not None
        if not reused:
            self._open()
        try:
            transmit(self.client)
            return
        except Exception as exc:
            if not is_broken(exc):
                raise   # smtplib has sent RSET: the connection serves the next message
            self.close(polite=False)
            if not reused:
                raise   # a fresh connection broke: no second one for this message
        self._open()   # the reused one had gone stale or was dropped: once more on a new one
        try:
            transmit(self.client)
        except Exception as exc:
            if is_broken(exc):
                self.close(polite=False)
            raise

    def close(self, polite: bool = True):
        """QUIT when it still works; a broken one is just closed (a QUIT could wait for the timeout)."""
        client, self.client = self.client, None
        if client is None:
            return
        try:
            if polite:
                client.quit()
        except Exception:
            pass
        finally:
            client.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


def send(settings: SmtpSettings, to: str, subject: str, body: str, timeout: float = 15):
    """One e-mail on a connection of its own; send or raise (OSError / smtplib.SMTPException)."""
    with Connection(settings, timeout) as connection:
        connection.send(to, subject, body)
