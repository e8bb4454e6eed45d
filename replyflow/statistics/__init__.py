"""统计分析 and the 办理工作情况报告: a sitting's (or all sittings') figures, charts, workbook and report draft."""
