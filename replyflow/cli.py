"""Flask commands: demo data, accounts, backup and restore, the audit chain, documents, reminders."""
import click
from sqlalchemy import inspect, select

from .extensions import db
from .models import Department, User
from .services import ServiceError
from .services import admin as admin_service
from .vocab import BODIES, ROLES

BODY_BY_LABEL = {label: code for code, label in BODIES.items()}


def _require_schema():
    if not inspect(db.engine).has_table("submission"):
        raise click.ClickException("数据库还没有表，请先运行：flask --app wsgi db upgrade")


def _user_named(username):
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise click.ClickException(f"没有用户名为「{username}」的账号。")
    return user


def _committed(call):
    """Run one service call and commit; a refusal rolls back and ends the command with its message."""
    try:
        result = call()
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        raise click.ClickException(error.message)
    return result


def _department(name):
    if not name:
        return None
    department = db.session.scalar(select(Department).where(Department.name == name))
    if department is None:
        raise click.ClickException(f"没有名为「{name}」的承办单位。")
    return department


def register(app):
    from .imports.commands import register as register_import

    register_import(app)

    @app.cli.command("demo")
    @click.option("--scale", type=int, default=0, help="再加 N 件合成提案建议（批量插入，用于性能测试）。")
    def demo_command(scale):
        """Load the demo data (once) and print one login per role."""
        from flask import current_app

        from . import demo

        if current_app.config.get("CONFIG_NAME") == "production":
            raise click.ClickException("生产配置下不能加载演示数据（演示账号的密码是公开的）。")
        _require_schema()
        if demo.is_loaded():
            click.echo("演示数据已存在，未重复加载。")
        else:
            loaded = demo.load_demo(out=click.echo)
            db.session.commit()
            click.echo(f"已加载演示数据：{len(loaded.departments)} 个承办单位，"
                       f"{demo.count_submissions()} 件提案建议。")
        if scale:
            from .demo.scale import add_synthetic
            from .maintenance import refresh_planner_statistics

            added = add_synthetic(scale)
            db.session.commit()
            refresh_planner_statistics()   # after a bulk load, or SQLite plans the list without its indexes
            click.echo(f"已批量加入 {added} 件合成提案建议。")
        demo.print_logins(click.echo)

    @app.cli.command("create-user")
    @click.option("--username", required=True)
    @click.option("--password", help="不提供则交互输入。")
    @click.option("--role", "roles", multiple=True, required=True, type=click.Choice(list(ROLES)))
    @click.option("--department", help="经办人、签发人所属单位名称。")
    @click.option("--body", type=click.Choice(list(BODY_BY_LABEL)), help="政协 或 人大。")
    @click.option("--name", help="显示名，默认同用户名。")
    @click.option("--email")
    def create_user_command(username, password, roles, department, body, name, email):
        """Create a login account; a member account gets its member record too."""
        _require_schema()
        if password is None:
            password = click.prompt("密码", hide_input=True, confirmation_prompt="再次输入密码")
        dept = _department(department)
        user = _committed(lambda: admin_service.save_user(
            None, username=username, name=name or username, email=email, password=password, roles=roles,
            department=dept, body=BODY_BY_LABEL.get(body), must_change=False))
        from .audit import log as audit

        audit.record("account_created", user, detail=f"命令行 create-user，角色：{'、'.join(user.role_labels)}")
        click.echo(f"已创建账号 {user.username}（{'、'.join(user.role_labels)}）。")

    @app.cli.command("set-roles")
    @click.option("--username", required=True)
    @click.option("--role", "roles", multiple=True, required=True, type=click.Choice(list(ROLES)))
    @click.option("--department", help="经办人、签发人所属单位名称。")
    @click.option("--body", type=click.Choice(list(BODY_BY_LABEL)), help="政协 或 人大。")
    def set_roles_command(username, roles, department, body):
        """Set an account's roles from the shell: the three administrators' accounts are kept here, and an
        account of an earlier version holding an administrator role beside another is split here."""
        _require_schema()
        user = _user_named(username)
        dept = _department(department)
        before = "、".join(user.role_labels) or "无"
        _committed(lambda: admin_service.grant_roles(user, roles=roles, department=dept, body=BODY_BY_LABEL.get(body)))
        from .audit import log as audit

        audit.record("roles_changed", user, detail=f"命令行 set-roles，角色：{before} → {'、'.join(user.role_labels)}")
        click.echo(f"{user.username} 的角色：{'、'.join(user.role_labels)}（其会话已结束）。")

    @app.cli.command("backup")
    @click.argument("dest", type=click.Path(file_okay=False))
    def backup_command(dest):
        """A consistent copy of the database and stored files in DEST, with a manifest of hashes."""
        from flask import current_app

        from . import backup as backups
        from .audit import log as audit

        _require_schema()
        try:
            manifest = backups.backup(dest, current_app.config["STORAGE_PATH"])
        except backups.BackupError as error:
            raise click.ClickException(str(error))
        audit.record("backup", None, detail=f"{dest}：{sum(manifest['rows'].values())} 行")
        click.echo(f"已备份到 {dest}：{len(manifest['rows'])} 张表 {sum(manifest['rows'].values())} 行，"
                   f"{len(manifest['files'])} 个文件（清单 {backups.MANIFEST}）。")

    @app.cli.command("restore")
    @click.argument("src", type=click.Path(exists=True, file_okay=False))
    @click.option("--yes", is_flag=True, help="不再询问，直接覆盖当前数据库。")
    def restore_command(src, yes):
        """Bring back a backup made by `flask backup`: the current database is replaced."""
        from flask import current_app

        from . import backup as backups
        from .audit import log as audit

        try:
            manifest = backups.check(src)
        except backups.BackupError as error:
            raise click.ClickException(str(error))
        if not yes:
            click.confirm(f"用 {manifest['made_at']} 的备份覆盖当前数据库？", abort=True)
        try:
            backups.restore(src, current_app.config["STORAGE_PATH"])
        except backups.BackupError as error:
            raise click.ClickException(str(error))
        audit.record("restore", None, detail=f"{src}（{manifest['made_at']}）")
        click.echo(f"已恢复 {manifest['made_at']} 的备份：{sum(manifest['rows'].values())} 行，行数与清单一致。")

    @app.cli.group("audit")
    def audit_group():
        """The security audit log."""

    @audit_group.command("verify")
    def audit_verify_command():
        """Walk the hash chain: report a changed, removed or inserted entry (exit 1)."""
        from .audit import log as audit

        _require_schema()
        checked, problems = audit.verify()
        if problems:
            for problem in problems:
                click.echo(f"!! {problem}", err=True)
            raise SystemExit(1)
        click.echo(f"审计日志完整：{checked} 条，哈希链无断点。")

    @app.cli.command("reset-password")
    @click.option("--username", required=True)
    @click.option("--password", help="不提供则交互输入（不回显）。")
    @click.option("--reset-code", is_flag=True, help="同时解除动态口令绑定（手机丢失或更换时），下次登录重新绑定。")
    def reset_password_command(username, password, reset_code):
        """Set an account's password from the shell (the password rules apply); its lock and sessions end."""
        from .audit import log as audit
        from .auth import lockout, passwords

        _require_schema()
        user = _user_named(username)
        if password is None:
            password = click.prompt("新密码", hide_input=True, confirmation_prompt="再次输入新密码")

        def reset():
            passwords.change(user, password)
            lockout.clear(username)
            if reset_code:
                user.totp_secret, user.totp_last_step = None, None

        _committed(reset)
        audit.record("password_reset", user, detail="命令行 reset-password，锁定和会话已解除"
                     + ("，动态口令已解除绑定" if reset_code else ""), user=user)
        click.echo(f"已为 {user.username}（{user.name}）设置新密码；其登录锁定和已登录的会话均已解除。")

    @app.cli.command("reply-docx")
    @click.option("--sitting", required=True, help="会议名称，如 市政协十五届四次会议")
    @click.option("--number", required=True, help="编号，如 294、0294、第0294号或 2025D048")
    @click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True))
    def reply_docx_command(sitting, number, output):
        """Write the current reply of a case: the signed copy once signed, else a draft."""
        from .documents.service import reply_bytes
        from .models import Sitting

        _require_schema()
        from .services import numbering

        sitting_row = db.session.scalar(select(Sitting).where(Sitting.name == sitting))
        if sitting_row is None:
            raise click.ClickException(f"没有名为「{sitting}」的会议。")
        found = numbering.find(sitting_row.id, number)
        if found is None:
            raise click.ClickException(f"{sitting}没有编号为「{number}」的件。")
        replies = [a.current_reply for a in found.answer_host.answering_assignments if a.current_reply]
        if not replies:
            raise click.ClickException(f"{found.reference}还没有答复件。")
        reply = max(replies, key=lambda r: (r.signed_at is not None, r.id))
        data = reply_bytes(reply)
        with open(output, "wb") as out:
            out.write(data)
        state = f"签发稿 SHA-256 {reply.signed_sha256}" if reply.signed_docx is not None else "草稿"
        click.echo(f"{found.reference}：{reply.doc_number or ''}（{state}）→ {output}")

    @app.cli.command("render-reply")
    @click.argument("spec_file", metavar="SPEC.json", type=click.Path(exists=True, dir_okay=False))
    @click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True),
                  help="输出的 .docx 路径")
    @click.option("--pdf", "with_pdf", is_flag=True, help="同时写出 LibreOffice 排出的同名 .pdf")
    def render_reply_command(spec_file, output, with_pdf):
        """Render a reply from a JSON file, without any case in the database (see README); exit 1 when a rule
        fails. The pages are set and checked in LibreOffice whenever it is installed."""
        from dataclasses import replace
        from pathlib import Path

        from .documents import punctuation
        from .documents.output import render_document
        from .documents.service import document_settings, page_converter
        from .documents.spec_file import SpecError, load
        from .services.replies import TEXT_FIELDS

        try:
            content = load(spec_file)
        except SpecError as error:
            raise click.ClickException(str(error)) from None
        # as a saved draft would be
        values, changes = punctuation.normalise_fields(vars(content), TEXT_FIELDS + ("issuer",))
        content = replace(content, **{f: values[f] for f in TEXT_FIELDS + ("issuer",)})
        if changes:
            click.echo(punctuation.summary(changes))
        if content.issue_date is None:
            from .clock import cn_date, today

            content = replace(content, issue_date=today())
            click.echo(f"未给出 issue_date：按今天（{cn_date(content.issue_date)}）编排成文日期和印发日期。")
        convert = page_converter()
        if with_pdf and convert is None:
            raise click.ClickException("生成并检查 PDF 需要 LibreOffice 和 poppler-utils（apt-get install "
                                       "libreoffice-writer-nogui python3-uno poppler-utils）。")
        rendered = render_document(content, settings=document_settings(), convert=convert)
        out = Path(output)
        out.write_bytes(rendered.docx)
        if with_pdf and rendered.pdf is not None:
            out.with_suffix(".pdf").write_bytes(rendered.pdf)
        click.echo(f"wrote {out}" + (f" and {out.with_suffix('.pdf')}" if with_pdf and rendered.pdf else ""))
        _echo_inspection(rendered.inspection, failed_only=True)
        raise SystemExit(1 if rendered.inspection.failed else 0)

    @app.cli.command("pdf-server")
    @click.option("--port", default=2003, show_default=True, help="监听端口（REPLYFLOW_PDF_SERVER=127.0.0.1:端口）")
    @click.option("--work", default="/var/lib/replyflow/pdf-server", show_default=True,
                  type=click.Path(file_okay=False), help="LibreOffice 的配置目录")
    def pdf_server_command(port, work):
        """Run the LibreOffice listener (unoserver) the web workers convert through, in the foreground (systemd)."""
        import os
        from pathlib import Path

        from .documents.pdf import PdfUnavailable, server_command, soffice_path, uno_python
        from .documents.service import document_settings

        soffice, python = soffice_path(app.config.get("SOFFICE")), uno_python(app.config.get("UNO_PYTHON") or None)
        if soffice is None or python is None:
            raise click.ClickException("需要 LibreOffice 及其 Python（apt-get install libreoffice-writer-nogui python3-uno）。")
        Path(work).mkdir(parents=True, exist_ok=True)
        try:
            args, env = server_command(soffice, python, document_settings(), Path(work), port, port + 1)
        except PdfUnavailable as error:
            raise click.ClickException(str(error)) from None
        click.echo(f"LibreOffice listener on 127.0.0.1:{port}")
        os.execvpe(args[0], args, env)

    @app.cli.command("check-docx")
    @click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
    def check_docx_command(files):
        """Check .docx files against GB/T 9704-2012, on the pages LibreOffice sets where it is installed (else
        the XML, saying so); exit code 1 when any rule fails."""
        from .documents.inspection import inspect
        from .documents.pdf import PdfUnavailable
        from .documents.service import document_settings, page_converter

        failed, convert = 0, page_converter()
        for path in files:
            click.echo(f"== {path}")
            try:
                with open(path, "rb") as f:
                    inspection = inspect(f.read(), document_settings(), convert)
            except (ValueError, PdfUnavailable) as error:
                click.echo(f"FAIL  {error}")
                failed += 1
                continue
            _echo_inspection(inspection)
            bad = len(inspection.failed)
            failed += bad
            click.echo(f"{len(inspection.results) - bad} passed, {bad} failed")
        raise SystemExit(1 if failed else 0)

    def _echo_inspection(inspection, failed_only=False):
        click.echo(inspection.mode_label)
        for r in inspection.results:
            if not (failed_only and r.passed):
                click.echo(f"{'PASS' if r.passed else 'FAIL'}  {r.rule}：{r.measured}")

    @app.cli.group("reminders")
    def reminders_group():
        """Deadline reminders."""

    @reminders_group.command("run")
    @click.option("--today", "today_", type=click.DateTime(formats=["%Y-%m-%d"]), help="扫描哪一天（默认今天）")
    def reminders_run(today_):
        """Run one reminder scan and one outbox drain; ends with `queued N, sent M, failed K`."""
        from datetime import datetime, time

        from . import clock
        from .jobs import run_once

        _require_schema()
        if today_ is not None:
            hour, minute = (int(x) for x in app.config["SCAN_TIME"].split(":"))
            with clock.frozen(datetime.combine(today_.date(), time(hour, minute))):
                queued, sent, failed = run_once(echo=click.echo)
        else:
            queued, sent, failed = run_once(echo=click.echo)
        click.echo(f"queued {queued}, sent {sent}, failed {failed}")

    @app.cli.command("scheduler")
    def scheduler_command():
        """Run the scheduler in the foreground: daily reminder scan, outbox drain every minute."""
        from .jobs import build_scheduler
        from .leader import SchedulerLock

        _require_schema()
        # several hosts may start one: the first runs the jobs, the others stand by to take over
        lock = SchedulerLock(db.engine)
        lock.wait(app.config["SCHEDULER_LOCK_RETRY_SECONDS"], echo=click.echo)
        scheduler = build_scheduler(app)
        click.echo(f"scheduler started: reminder scan daily at {app.config['SCAN_TIME']} Asia/Shanghai, "
                   "outbox every minute (Ctrl+C to stop)")
        try:
            scheduler.start()
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            lock.release()

