"""PDF copies through LibreOffice, when the server has it: a kept-running LibreOffice (unoserver), PDFs cached by
the document's hash.

The .docx is converted as it is, as a recipient's LibreOffice opens it: what the PDF shows is what any reader of
the .docx gets (no converted-on-the-side copy). The Windows font names of official documents (仿宋_GB2312,
方正小标宋简体 ...) do not exist on Linux; a private fontconfig file maps them to Noto CJK so the PDF shows Chinese,
not boxes.

Starting LibreOffice takes seconds; converting in a running one a fraction of a second. Where unoserver and
LibreOffice's Python are at hand, each process starts one listener at its first conversion and keeps it
(REPLYFLOW_PDF_SERVER points to one run as a service instead), converting one document at a time through it; else
each conversion starts `soffice --convert-to pdf`.
"""
import atexit
import hashlib
import io
import logging
import os
import random
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import xmlrpc.client
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from . import spec

SERIF, SANS = "Noto Serif CJK SC", "Noto Sans CJK SC"
log = logging.getLogger(__name__)
#: part of every cache key: a new way of converting never serves an older PDF
CONVERSION = "docx-direct-1"


class PdfUnavailable(RuntimeError):
    pass


def soffice_path(configured: str | None = None) -> str | None:
    return configured or shutil.which("soffice") or shutil.which("libreoffice")


def fontconfig(settings: spec.DocumentSettings) -> str:
    aliases = {settings.title_font: SERIF, settings.body_font: SERIF, settings.heading2_font: SERIF,
               settings.page_number_font: SERIF, settings.heading1_font: SANS,
               "方正小标宋简体": SERIF, "仿宋_GB2312": SERIF, "仿宋": SERIF, "楷体_GB2312": SERIF, "楷体": SERIF,
               "宋体": SERIF, "黑体": SANS}
    rules = "".join(f'<alias binding="same"><family>{escape(name)}</family><prefer><family>{target}</family>'
                    f'</prefer></alias>' for name, target in aliases.items())
    return ('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
            f'<include ignore_missing="yes">/etc/fonts/fonts.conf</include>{rules}</fontconfig>')


def _environment(work: Path, settings: spec.DocumentSettings) -> dict:
    """A private HOME and fontconfig: conversions never touch a real user's profile."""
    (work / "fonts.conf").write_text(fontconfig(settings), encoding="utf-8")
    return {**os.environ, "HOME": str(work), "FONTCONFIG_FILE": str(work / "fonts.conf")}


def _kill_group(process: subprocess.Popen):
    """End a process started in a session of its own and everything it started: soffice's oosplash and soffice.bin
    outlive their parent otherwise. A polite TERM first (unoserver passes it on to LibreOffice), then KILL to what
    is left of the group."""
    for sig, wait in ((signal.SIGTERM, 5), (signal.SIGKILL, 1)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:   # nothing of the group is left
            break
        try:
            process.wait(wait)
        except subprocess.TimeoutExpired:
            pass


def convert_once(data: bytes, settings: spec.DocumentSettings, soffice: str, timeout: int = 120) -> bytes:
    """One `soffice --convert-to pdf` in a fresh profile (seconds: LibreOffice starts and stops)."""
    with tempfile.TemporaryDirectory(prefix="replyflow-pdf-") as tmp:
        work = Path(tmp)
        (work / "reply.docx").write_bytes(data)
        process = subprocess.Popen(
            [soffice, f"-env:UserInstallation=file://{work / 'profile'}", "--headless", "--norestore",
             "--convert-to", "pdf", "--outdir", str(work), str(work / "reply.docx")],
            env=_environment(work, settings), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            raise PdfUnavailable(f"PDF 转换失败：LibreOffice 在 {timeout} 秒内没有完成") from None
        finally:
            _kill_group(process)
        pdf = work / "reply.pdf"
        if process.returncode != 0 or not pdf.exists():
            raise PdfUnavailable(f"PDF 转换失败：LibreOffice 没有生成文件（退出码 {process.returncode}）。")
        return pdf.read_bytes()


class _Transport(xmlrpc.client.Transport):
    def __init__(self, timeout: float):
        super().__init__()
        self._timeout = timeout

    def make_connection(self, host):
        connection = super().make_connection(host)
        connection.timeout = self._timeout
        return connection


def uno_python(configured: str | None = None) -> str | None:
    """A Python that imports LibreOffice's `uno` (Debian's python3 with python3-uno, or LibreOffice's own)."""
    candidates = [configured] if configured else ["/usr/bin/python3", "/usr/lib/libreoffice/program/python",
                                                  "/opt/libreoffice/program/python"]
    for python in filter(None, candidates):
        try:
            if subprocess.run([python, "-c", "import uno"], capture_output=True, timeout=30).returncode == 0:
                return python
        except (OSError, subprocess.TimeoutExpired):
            continue
    return None


def _unoserver_package() -> tuple[Path, Path] | None:
    """(the unoserver package, its metadata folder) as installed beside this code, or None."""
    try:
        from importlib import metadata

        dist = metadata.distribution("unoserver")
    except Exception:   # not installed: conversions start soffice each time
        return None
    site = Path(dist.locate_file(""))
    info = next((p for p in site.glob("unoserver-*.dist-info") if p.name.startswith(f"unoserver-{dist.version}")), None)
    return (site / "unoserver", info) if info is not None and (site / "unoserver").is_dir() else None


def _import_folder(work: Path) -> Path:
    """A folder of the listener's own (inside its private work folder) holding only unoserver, for LibreOffice's
    Python to import: nothing else of this environment on its path, and nothing another user could have put there."""
    found = _unoserver_package()
    if found is None:
        raise PdfUnavailable("unoserver 未安装（pip install -r requirements.txt）")
    folder = work / "python"
    folder.mkdir(exist_ok=True)
    for target in found:
        link = folder / target.name
        if not link.exists():
            link.symlink_to(target)
    return folder


def server_command(soffice: str, python: str, settings: spec.DocumentSettings, work: Path, port: int,
                   uno_port: int, interface: str = "127.0.0.1") -> tuple[list[str], dict]:
    """(arguments, environment) that run a LibreOffice listener (unoserver) with the documents' font aliases and a
    profile of its own in `work`."""
    env = {**_environment(work, settings), "PYTHONPATH": str(_import_folder(work))}
    return [python, "-m", "unoserver.server", "--interface", interface, "--port", str(port),
            "--uno-interface", "127.0.0.1", "--uno-port", str(uno_port), "--executable", soffice,
            "--user-installation", str(work / "profile"), "--conversion-timeout", "120"], env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Listener:
    """A LibreOffice kept running behind unoserver: started at the first conversion, stopped at exit, started again
    when it died. Conversions through it go one at a time."""

    def __init__(self, soffice: str, python: str, settings: spec.DocumentSettings, address: str | None = None):
        self.soffice, self.python, self.settings = soffice, python, settings
        self.address = address            # host:port of a listener run as a service; None: start our own
        self.external = address is not None
        self.process: subprocess.Popen | None = None
        self.work: tempfile.TemporaryDirectory | None = None
        self.lock = threading.Lock()
        #: after a failed start, not tried again before this time (monotonic): each try costs up to a minute
        self.resting_until = 0.0

    def _start(self, timeout: float = 45):
        self.work = tempfile.TemporaryDirectory(prefix="replyflow-unoserver-")
        port = _free_port()
        args, env = server_command(self.soffice, self.python, self.settings, Path(self.work.name), port, _free_port())
        self.process = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        start_new_session=True)
        self.address = f"127.0.0.1:{port}"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise PdfUnavailable("LibreOffice 监听进程启动失败")
            try:
                self._proxy(5).info()
                log.info("LibreOffice listener up at %s (pid %s)", self.address, self.process.pid)
                return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise PdfUnavailable("LibreOffice 监听进程未在限时内就绪")

    def _proxy(self, timeout: float):
        return xmlrpc.client.ServerProxy(f"http://{self.address}", allow_none=True, transport=_Transport(timeout))

    def stop(self):
        if self.process is not None:
            _kill_group(self.process)   # unoserver and the LibreOffice it started, dead or alive
        self.process = None
        if self.work is not None:
            self.work.cleanup()
            self.work = None

    def convert(self, data: bytes, timeout: float = 120) -> bytes:
        with self.lock:
            own = not self.external
            for attempt in range(2):
                if own and (self.process is None or self.process.poll() is not None):
                    self.stop()
                    if time.monotonic() < self.resting_until:
                        raise PdfUnavailable("LibreOffice 监听进程刚才启动失败，稍后再试")
                    try:
                        self._start()
                    except PdfUnavailable:
                        self.stop()
                        self.resting_until = time.monotonic() + RETRY_START_AFTER
                        raise
                try:
                    result = self._proxy(timeout).convert(None, data, None, "pdf", None, [], False, None, None)
                    return result.data
                except (OSError, xmlrpc.client.Error) as error:
                    if attempt or not own:
                        raise PdfUnavailable(f"PDF 转换失败：{error}") from error
                    log.warning("the LibreOffice listener failed (%s): starting it again", error)
                    self.stop()
        raise AssertionError("unreachable")


#: seconds a process waits before starting its LibreOffice listener again after a start failed
RETRY_START_AFTER = 300
_listeners: dict[tuple, Listener] = {}
_listeners_lock = threading.Lock()


def _listener(soffice: str, settings: spec.DocumentSettings, address: str | None,
              python: str | None) -> Listener | None:
    key = (soffice, settings, address, python)
    with _listeners_lock:
        if key not in _listeners:
            found = python or uno_python()
            if address is None and (found is None or _unoserver_package() is None):
                _listeners[key] = None
            else:
                _listeners[key] = Listener(soffice, found, settings, address)
        return _listeners[key]


@atexit.register
def stop_listeners():
    for listener in list(_listeners.values()):
        if listener is not None:
            listener.stop()


class PdfCache:
    """PDFs kept on disk by the SHA-256 of the .docx (and of the way it was converted): a draft opened again, or a
    check run again on the same text, costs a file read. Pruned to `limit_mb`, least recently used first."""

    def __init__(self, folder: Path | None, limit_mb: int = 500):
        self.folder, self.limit = folder, limit_mb * 1024 * 1024

    @staticmethod
    def key(data: bytes, settings: spec.DocumentSettings, converter: str = "") -> str:
        """The hash of what the document holds (its parts, not the zip's dates, which differ each time the same
        draft is rendered) and of the way it is converted (the LibreOffice installed: another sets other pages)."""
        digest = hashlib.sha256(CONVERSION.encode() + repr(settings).encode() + converter.encode())
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                for name in sorted(archive.namelist()):
                    digest.update(name.encode() + b"\0" + archive.read(name))
        except zipfile.BadZipFile:
            digest.update(data)
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.pdf"

    def get(self, key: str) -> bytes | None:
        if self.folder is None:
            return None
        path = self._path(key)
        try:
            data = path.read_bytes()
            os.utime(path)
            return data
        except OSError:
            return None

    def put(self, key: str, pdf: bytes):
        """Keep `pdf`; a cache that cannot be written is said in the log and costs nothing else."""
        if self.folder is None:
            return
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
            with os.fdopen(handle, "wb") as f:
                f.write(pdf)
            os.replace(temporary, path)
            if random.random() < 0.02:
                self.prune()
        except OSError as error:
            log.warning("the PDF cache at %s cannot be written: %s", self.folder, error)

    def prune(self):
        files = []
        for path in self.folder.glob("*/*.pdf"):
            try:
                stat = path.stat()
            except OSError:   # another worker pruned it a moment ago
                continue
            files.append((stat.st_atime, stat.st_size, path))
        total = 0
        for _, size, path in sorted(files, reverse=True):
            total += size
            if total > self.limit:
                path.unlink(missing_ok=True)


def _installed(binary: str | None) -> str:
    """Which LibreOffice is installed: its program's path and when it was put there."""
    if binary is None:
        return ""
    path = os.path.realpath(binary)
    try:
        return f"{path}:{os.stat(path).st_mtime_ns}"
    except OSError:
        return path


def docx_to_pdf(data: bytes, settings: spec.DocumentSettings | None = None, soffice: str | None = None,
                cache: PdfCache | None = None, server: str | None = None, python: str | None = None,
                keep_running: bool = True) -> bytes:
    """The PDF of a .docx as LibreOffice sets it: from the cache, else through a listener, else one soffice run."""
    settings = settings or spec.DocumentSettings()
    binary = soffice_path(soffice)
    key = PdfCache.key(data, settings, _installed(binary) if server is None else server)
    if cache is not None and (hit := cache.get(key)) is not None:
        return hit
    if binary is None and server is None:
        raise PdfUnavailable("服务器未安装 LibreOffice，无法生成 PDF。")
    listener = _listener(binary, settings, server, python) if keep_running or server else None
    if listener is not None:
        try:
            pdf = listener.convert(data)
        except PdfUnavailable as error:
            if binary is None:
                raise
            log.warning("converting without the listener: %s", error)
            pdf = convert_once(data, settings, binary)
    else:
        pdf = convert_once(data, settings, binary)
    if cache is not None:
        cache.put(key, pdf)
    return pdf
