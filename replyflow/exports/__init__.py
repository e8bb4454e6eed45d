"""Exports of the case list: the 办理情况汇总表 (.xlsx)."""
