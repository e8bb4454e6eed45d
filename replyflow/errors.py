"""Error pages in Chinese; workflow refusals become 403 or a message, never a traceback."""
from flask import render_template
from flask_wtf.csrf import CSRFError

from .extensions import db
from .storage import StorageError
from .workflow.engine import NotAllowed

MESSAGES = {
    400: "请求有误。",
    403: "您无权访问此页面或执行此操作。",
    404: "页面不存在，或您无权查看。",
    405: "不支持此操作方式。",
    413: "上传的文件太大。",
    429: "操作过于频繁，请稍后再试。",
    500: "系统内部错误，请稍后再试或联系管理员。",
}


def register(app):
    def render(code, message=None):
        return render_template("error.html", code=code, message=message or MESSAGES[code]), code

    for code in MESSAGES:
        app.register_error_handler(code, lambda e, code=code: render(code))

    @app.errorhandler(NotAllowed)
    def not_allowed(error):
        db.session.rollback()
        return render(403, error.message)

    @app.errorhandler(StorageError)
    def storage_error(error):
        # the row names a file the storage path does not give back (unmounted share, lost or altered file)
        app.logger.error("stored file unreadable: %s", error)
        db.session.rollback()
        return render_template("error.html", code=503,
                               message="文件暂时无法读取，请稍后再试；如仍如此，请联系系统管理员检查文件存储。"), 503

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render(400, "页面已过期或表单校验失败，请刷新页面后重试。")
