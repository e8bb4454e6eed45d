"""What the production configuration refuses to start with: each unsafe default, named with its setting."""
DEFAULT_SECRET = "dev-only-not-secret"
MIN_SECRET = 32


def unsafe_settings(config) -> list[str]:
    problems = []
    secret = config.get("SECRET_KEY") or ""
    if secret == DEFAULT_SECRET or len(secret) < MIN_SECRET:
        problems.append(f"REPLYFLOW_SECRET_KEY 未设置、仍是默认值或短于 {MIN_SECRET} 个字符：会话 Cookie 可被伪造。"
                        "可用 python -c \"import secrets; print(secrets.token_hex(32))\" 生成。")
    if config.get("DEBUG"):
        problems.append("DEBUG 已打开：出错时会向访问者显示源代码和调试控制台。")
    if config.get("TESTING"):
        problems.append("TESTING 已打开：这是测试配置。")
    if not config.get("WTF_CSRF_ENABLED", True):
        problems.append("WTF_CSRF_ENABLED 已关闭：表单可被跨站伪造提交。")
    from .auth.hashing import MIN_MEMORY_KIB, MIN_TIME_COST

    if config.get("ARGON2_MEMORY_KIB", 0) < MIN_MEMORY_KIB or config.get("ARGON2_TIME_COST", 0) < MIN_TIME_COST:
        problems.append(f"REPLYFLOW_ARGON2_MEMORY_KIB / REPLYFLOW_ARGON2_TIME_COST 低于 {MIN_MEMORY_KIB} KiB / "
                        f"{MIN_TIME_COST} 次：密码散列强度不足（默认 65536 / 3）。")
    if config.get("LOGIN_LOCK_AFTER", 0) < 1 or config.get("LOGIN_LOCK_AFTER", 0) > 10:
        problems.append("REPLYFLOW_LOGIN_LOCK_AFTER 应为 1–10 次（等保要求登录失败处理）。")
    if config.get("SESSION_IDLE_MINUTES", 0) < 1 or config.get("SESSION_IDLE_MINUTES", 0) > 30:
        problems.append("REPLYFLOW_SESSION_IDLE_MINUTES 应为 1–30 分钟。")
    if str(config.get("BASE_URL", "")).startswith("https://") and not config.get("SESSION_COOKIE_SECURE"):
        problems.append("BASE_URL 是 https，但 REPLYFLOW_COOKIE_SECURE=0：会话 Cookie 会经明文 http 发送。")
    return problems


def refuse_unsafe(app):
    """Raise at start-up (before any request) when the production configuration is unsafe."""
    if app.config.get("CONFIG_NAME") != "production":
        return
    problems = unsafe_settings(app.config)
    if problems:
        raise RuntimeError("拒绝以生产配置（REPLYFLOW_CONFIG=production）启动，请先修正：\n"
                           + "\n".join(f"  - {p}" for p in problems))
