"""Registering submissions in bulk from an Excel workbook (登记导入): the template, the preview, the import."""
