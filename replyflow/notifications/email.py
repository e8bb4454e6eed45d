"""Sending one e-mail through the configured SMTP server."""
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


def send(settings: SmtpSettings, to: str, subject: str, body: str, timeout: float = 15):
    """Send or raise (OSError / smtplib.SMTPException): the outbox decides what a failure means."""
    message = build_message(settings, to, subject, body)
    if settings.security == "ssl":
        client = smtplib.SMTP_SSL(settings.host, settings.port, timeout=timeout, context=ssl.create_default_context())
    else:
        client = smtplib.SMTP(settings.host, settings.port, timeout=timeout)
    with client:
        if settings.security == "starttls":
            client.starttls(context=ssl.create_default_context())
        if settings.user:
            client.login(settings.user, settings.password)
        client.send_message(message)
