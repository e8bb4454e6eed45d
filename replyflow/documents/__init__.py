"""Official documents rendered with python-docx."""
