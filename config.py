"""Configuration classes. Every setting can be overridden by a REPLYFLOW_* environment variable."""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


def _env(name, default=None):
    return os.environ.get(f"REPLYFLOW_{name}", default)


class Config:
    SECRET_KEY = _env("SECRET_KEY", "dev-only-not-secret")   # the production configuration refuses it
    SQLALCHEMY_DATABASE_URI = _env(
        "DATABASE_URL", f"sqlite:///{BASE_DIR / 'instance' / 'replyflow.sqlite3'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    WTF_I18N_ENABLED = False  # use WTForms' bundled Chinese messages (forms_common.BaseForm)
    WTF_CSRF_TIME_LIMIT = None  # a clerk may keep a long form open all morning
    MAX_CONTENT_LENGTH = int(_env("MAX_UPLOAD_MB", "30")) * 1024 * 1024
    #: one attachment's limit; the request limit above leaves room for several
    ATTACHMENT_MAX_BYTES = int(_env("ATTACHMENT_MAX_MB", "20")) * 1024 * 1024
    #: where attachments, templates and signed replies are kept (storage.py): a path every web host shares;
    #: empty: beside a SQLite database file, else the instance folder's files/
    STORAGE_PATH = _env("STORAGE_PATH", "")
    PAGE_SIZE = int(_env("PAGE_SIZE", "20"))
    #: the case list counts its matches up to this many, then says 超过 N 件 (a full count of an archive costs more
    #: than the page)
    LIST_COUNT_CAP = int(_env("LIST_COUNT_CAP", "2000"))
    # a search's matches are counted this far (then 超过 500 件): one who finds more narrows the words
    SEARCH_COUNT_CAP = int(_env("SEARCH_COUNT_CAP", "500"))
    #: the most signed replies one 批量导出 zip holds; above it the user is asked to narrow the list
    #: (1,000 replies stream in a few seconds, the issue's target being 20 s)
    EXPORT_ZIP_LIMIT = int(_env("EXPORT_ZIP_LIMIT", "2000"))
    # statistics across all of a body's sittings are counted again after this many seconds (one sitting's always)
    STATISTICS_CACHE_SECONDS = int(_env("STATISTICS_CACHE_SECONDS", "600"))
    # the most cases ticked for one batch action (批量处理)
    BATCH_LIMIT = int(_env("BATCH_LIMIT", "500"))
    # the most cases in one 办理情况汇总表 (.xlsx)
    SUMMARY_EXPORT_LIMIT = int(_env("SUMMARY_EXPORT_LIMIT", "20000"))
    # an Excel import (登记导入): the largest file, and the most rows in one file
    IMPORT_MAX_BYTES = int(float(_env("IMPORT_MAX_MB", "10")) * 1024 * 1024)
    IMPORT_MAX_ROWS = int(_env("IMPORT_MAX_ROWS", "10000"))
    #: days before a due date at which an assignment counts as 即将到期
    DUE_SOON_DAYS = int(_env("DUE_SOON_DAYS", "7"))
    TIMEZONE = _env("TIMEZONE", "Asia/Shanghai")
    # GB/T 9704 document settings: font names (as installed on the offices' PCs), mark size, class marks
    DOC_TITLE_FONT = _env("DOC_TITLE_FONT", "方正小标宋简体")
    DOC_BODY_FONT = _env("DOC_BODY_FONT", "仿宋_GB2312")
    DOC_HEADING1_FONT = _env("DOC_HEADING1_FONT", "黑体")
    DOC_HEADING2_FONT = _env("DOC_HEADING2_FONT", "楷体_GB2312")
    DOC_PAGE_NUMBER_FONT = _env("DOC_PAGE_NUMBER_FONT", "宋体")
    DOC_MARK_SIZE_PT = int(_env("DOC_MARK_SIZE_PT", "36"))
    #: where （A）/（不公开） go: "left" (the 份号/密级 position) or "right"
    DOC_CLASS_MARKS = _env("DOC_CLASS_MARKS", "left")
    #: LibreOffice for PDFs and for checking documents on the page; found on PATH when not set
    SOFFICE = _env("SOFFICE")
    #: a LibreOffice listener run as a service (unoserver, host:port); empty: each process starts its own at its
    #: first conversion and keeps it, through LibreOffice's Python (UNO_PYTHON, found when empty)
    PDF_SERVER = _env("PDF_SERVER", "")
    UNO_PYTHON = _env("UNO_PYTHON", "")
    #: 0: start soffice for every conversion (seconds each) instead of keeping one running
    PDF_KEEP_RUNNING = _env("PDF_KEEP_RUNNING", "1") == "1"
    #: PDFs kept by the .docx's hash (a draft's preview opened again costs a file read); empty: instance/pdf-cache
    PDF_CACHE_PATH = _env("PDF_CACHE_PATH", "")
    PDF_CACHE_MB = int(_env("PDF_CACHE_MB", "500"))
    # e-mail: no SMTP host means e-mail is off (in-app notifications only)
    SMTP_HOST = _env("SMTP_HOST", "")
    SMTP_PORT = int(_env("SMTP_PORT", "25"))
    SMTP_SECURITY = _env("SMTP_SECURITY", "none")   # none / starttls / ssl
    SMTP_USER = _env("SMTP_USER", "")
    SMTP_PASSWORD = _env("SMTP_PASSWORD", "")
    MAIL_SENDER = _env("MAIL_SENDER", "提案建议办理系统 <noreply@localhost>")
    # SMS through the office's 短信平台 (an HTTP gateway): no URL means SMS is off. PARAMS is the request's
    # parameters (a query string, or a JSON object when it starts with "{") with {mobile}, {content} and
    # {key} (the message's own key, the same on every retry, for the gateway to drop a repeat); SUCCESS a
    # regular expression the answer's body must match (empty: any 2xx answer is success)
    SMS_URL = _env("SMS_URL", "")
    SMS_METHOD = _env("SMS_METHOD", "POST").upper()
    SMS_PARAMS = _env("SMS_PARAMS", "mobile={mobile}&content={content}&msgid={key}")
    SMS_SUCCESS = _env("SMS_SUCCESS", "")
    #: 短信签名 put before every text (【某某市政协】); empty where the gateway adds its own
    SMS_SIGNATURE = _env("SMS_SIGNATURE", "")
    SMS_TIMEOUT = float(_env("SMS_TIMEOUT", "10"))
    #: the address people open the app at, for links in e-mails
    BASE_URL = _env("BASE_URL", "http://127.0.0.1:5000")
    # reminders: days before a due date, how often once overdue, feedback chaser, the daily scan
    REMINDER_DAYS_BEFORE = [int(d) for d in _env("REMINDER_DAYS_BEFORE", "15,7,3,1,0").split(",")]
    REMINDER_OVERDUE_EVERY = int(_env("REMINDER_OVERDUE_EVERY", "3"))
    REMINDER_FEEDBACK_AFTER = int(_env("REMINDER_FEEDBACK_AFTER", "15"))
    #: 跟踪落实: a case under follow-up with no progress recorded for this many months is chased (then monthly)
    REMINDER_FOLLOW_UP_MONTHS = int(_env("REMINDER_FOLLOW_UP_MONTHS", "3"))
    SCAN_TIME = _env("SCAN_TIME", "08:30")
    #: how often a standing-by `flask scheduler` (another host holds the lock) tries to take over
    SCHEDULER_LOCK_RETRY_SECONDS = float(_env("SCHEDULER_LOCK_RETRY_SECONDS", "30"))
    #: start the scheduler inside the development server (production runs `flask scheduler`)
    EMBEDDED_SCHEDULER = _env("EMBEDDED_SCHEDULER", "0") == "1"
    # Argon2id (argon2-cffi): passes, memory and lanes of every new password hash, OWASP's 19 MiB / 2 / 1 (one of
    # its recommended settings of equal strength): 64 MiB hashes made four threads of a worker take 256 MB
    # at a morning's logins; a worker also hashes ARGON2_CONCURRENT at a time, the others wait their turn
    ARGON2_TIME_COST = int(_env("ARGON2_TIME_COST", "2"))
    ARGON2_MEMORY_KIB = int(_env("ARGON2_MEMORY_KIB", "19456"))
    ARGON2_PARALLELISM = int(_env("ARGON2_PARALLELISM", "1"))
    ARGON2_CONCURRENT = int(_env("ARGON2_CONCURRENT", "1"))
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # sessions end after this long without a request, and this long after login whatever happens
    SESSION_IDLE_MINUTES = int(_env("SESSION_IDLE_MINUTES", "30"))
    SESSION_MAX_HOURS = int(_env("SESSION_MAX_HOURS", "12"))
    # failed logins that lock a user name, and for how long (kept in the database: every worker sees it)
    LOGIN_LOCK_AFTER = int(_env("LOGIN_LOCK_AFTER", "5"))
    LOGIN_LOCK_MINUTES = int(_env("LOGIN_LOCK_MINUTES", "30"))
    #: login attempts per client address (Flask-Limiter syntax)
    LOGIN_RATE_LIMIT = _env("LOGIN_RATE_LIMIT", "30 per minute")
    #: where the per-address counts live: memory:// is per process; redis://host:6379 shares them
    RATELIMIT_STORAGE_URI = _env("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = False
    #: roles that log in with a second factor (a TOTP authenticator app), e.g. "admin,audit_admin,signer";
    #: empty: password only
    TOTP_ROLES = {r.strip() for r in _env("TOTP_ROLES", "").split(",") if r.strip()}
    #: count each request's SQL statements into an X-SQL-Statements header (benchmarks and tests)
    SQL_COUNT = _env("SQL_COUNT", "0") == "1"
    #: behind a reverse proxy (nginx): how many proxies set X-Forwarded-For/-Proto; 0 = none
    PROXY_FIX = int(_env("PROXY_FIX", "0"))


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test"
    SQLALCHEMY_DATABASE_URI = _env("TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = True
    # tests create dozens of accounts; a cheap hash keeps them fast (production refuses these)
    ARGON2_TIME_COST, ARGON2_MEMORY_KIB, ARGON2_PARALLELISM = 1, 8, 1
    # figures counted afresh in every test (the caching's own test sets it)
    STATISTICS_CACHE_SECONDS = 0
    # hundreds of logins from one address; the limit's own test sets a low one
    LOGIN_RATE_LIMIT = "100000 per minute"


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = _env("COOKIE_SECURE", "1") == "1"


CONFIGS = {"default": Config, "testing": TestConfig, "production": ProductionConfig}
