"""`flask --app wsgi import-submissions FILE.xlsx`: the web import from the shell, for an office's past years."""
from pathlib import Path

import click
from flask import current_app
from sqlalchemy import select

from ..extensions import db
from ..models import Sitting, User
from ..services import ServiceError
from .reader import FileRefused, read
from .service import import_rows


def register(app):
    @app.cli.command("import-submissions")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--sitting", "sitting_name", help="“会议”列未填写的行导入到此会议（会议全称）。")
    @click.option("--create-missing", is_flag=True, help="新建找不到的会议（待完善）、委员/代表和集体提出者。")
    @click.option("--dry-run", is_flag=True, help="只检查，不导入。")
    @click.option("--user", "username", help="记为登记人的账号（默认：系统）。")
    def import_submissions(file, sitting_name, create_missing, dry_run, username):
        """Register the rows of an .xlsx made from the import template; ends with `imported N of M rows`."""
        sitting = user = None
        if sitting_name:
            sitting = db.session.scalar(select(Sitting).where(Sitting.name == sitting_name.strip()))
            if sitting is None:
                raise click.ClickException(f"没有名为「{sitting_name}」的会议。")
        if username:
            user = db.session.scalar(select(User).where(User.username == username))
            if user is None:
                raise click.ClickException(f"没有用户名为「{username}」的账号。")
        try:
            sheet = read(file.read_bytes(), current_app.config["IMPORT_MAX_BYTES"],
                         current_app.config["IMPORT_MAX_ROWS"])
            report = import_rows(user, sheet.rows, sitting=sitting, create_missing=create_missing,
                                 source=file.name, from_shell=True, register=not dry_run)
        except (FileRefused, ServiceError) as refused:
            db.session.rollback()
            raise click.ClickException(str(refused)) from None
        total = len(sheet.rows)
        if not report.ok:
            db.session.rollback()
            for p in report.problems:
                click.echo(f"第{p.line}行 {p.column}：{p.message}", err=True)
            click.echo(f"imported 0 of {total} rows ({len(report.problems)} problems)")
            raise SystemExit(1)
        for name in report.created_sittings:
            click.echo(f"新建会议（待完善）：{name}")
        if report.created_members:
            click.echo(f"新建提出人 {len(report.created_members)} 位：{'、'.join(report.created_members)}")
        if dry_run:
            db.session.rollback()
            click.echo(f"imported 0 of {total} rows (dry run: all {total} can be imported)")
            return
        db.session.commit()
        click.echo(f"imported {len(report.imported)} of {total} rows")
