"""Sending SMS through the 短信平台 government offices run: an HTTP gateway configured by REPLYFLOW_SMS_*.

Gateways differ in URL, method and parameter names, so the request is a template. Every message carries its
outbox key ({key}): a retry after an answer that never came sends the same key, and the gateway (they all
take a 业务流水号 / msgid for this) drops the repeat instead of texting twice."""
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass


@dataclass(frozen=True)
class SmsSettings:
    url: str
    method: str = "POST"
    params: str = "mobile={mobile}&content={content}&msgid={key}"
    success: str = ""
    signature: str = ""
    timeout: float = 10.0


def sms_settings(config) -> SmsSettings | None:
    """None when no gateway URL is set: SMS is off."""
    if not config.get("SMS_URL"):
        return None
    return SmsSettings(url=config["SMS_URL"], method=config["SMS_METHOD"], params=config["SMS_PARAMS"],
                       success=config["SMS_SUCCESS"], signature=config["SMS_SIGNATURE"],
                       timeout=config["SMS_TIMEOUT"])


class GatewayError(Exception):
    """The gateway did not accept the message (an error answer, or no answer)."""


def message_key(message_id: int) -> str:
    """The outbox message's key, the same on every try."""
    return f"rf{message_id}"


def fill(template: str, values: dict) -> str:
    """The template with each {name} replaced, escaped for where it stands (JSON string or query value)."""
    as_json = template.lstrip().startswith("{")

    def value(match):
        raw = values.get(match.group(1))
        if raw is None:
            return match.group(0)
        return json.dumps(str(raw), ensure_ascii=False)[1:-1] if as_json else urllib.parse.quote(str(raw), safe="")

    return re.sub(r"\{(mobile|content|key)\}", value, template)


def build_request(settings: SmsSettings, mobile: str, content: str, key: str) -> urllib.request.Request:
    params = fill(settings.params, {"mobile": mobile, "content": settings.signature + content, "key": key})
    if settings.method == "GET":
        joiner = "&" if "?" in settings.url else "?"
        return urllib.request.Request(settings.url + joiner + params, method="GET")
    kind = "application/json" if settings.params.lstrip().startswith("{") else "application/x-www-form-urlencoded"
    return urllib.request.Request(settings.url, data=params.encode("utf-8"), method=settings.method,
                                  headers={"Content-Type": f"{kind}; charset=utf-8"})


class Gateway:
    """Sends one message per request. `down`: the last request got no answer at all (refused, timed out),
    so the outbox leaves the rest for the next drain instead of waiting for the same timeout again."""

    def __init__(self, settings: SmsSettings):
        self.settings = settings
        self.down = False
        self._success = re.compile(settings.success) if settings.success else None

    def send(self, mobile: str, content: str, key: str):
        request = build_request(self.settings, mobile, content, key)
        try:
            with urllib.request.urlopen(request, timeout=self.settings.timeout) as response:
                answer = response.read(4096).decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            raise GatewayError(f"短信平台返回 HTTP {error.code}") from error
        except (OSError, ValueError) as error:   # refused, reset, timed out, a bad URL
            self.down = True
            raise GatewayError(f"短信平台无应答：{error}") from error
        self.down = False
        if self._success is not None and not self._success.search(answer):
            raise GatewayError(f"短信平台未接受：{answer[:200]}")

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        pass
