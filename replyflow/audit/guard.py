"""The database side of append-only: triggers that refuse to change or remove audit rows. Used by the
migration that creates the table; tests that empty every table lift it for that moment."""

POSTGRES = [
    """CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql""",
    "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
    "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()",
    # the head may move on, never go away (that would restart the chain unseen)
    "CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head "
    "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
    "CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()",
]
POSTGRES_DROP = ["DROP TRIGGER IF EXISTS audit_head_no_truncate ON audit_head",
                 "DROP TRIGGER IF EXISTS audit_head_no_delete ON audit_head",
                 "DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log",
                 "DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log",
                 "DROP FUNCTION IF EXISTS audit_log_append_only()"]

SQLITE = [
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE refused'); END",
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: DELETE refused'); END",
    "CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head "
    "BEGIN SELECT RAISE(ABORT, 'audit_head may not be removed'); END",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS audit_log_no_update", "DROP TRIGGER IF EXISTS audit_log_no_delete",
               "DROP TRIGGER IF EXISTS audit_head_no_delete"]


def statements(dialect: str, drop: bool = False) -> list[str]:
    if dialect == "postgresql":
        return POSTGRES_DROP if drop else POSTGRES
    return SQLITE_DROP if drop else SQLITE
