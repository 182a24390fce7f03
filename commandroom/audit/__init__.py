"""The tamper-evident audit trail: the chain, its anchor outside the database, verification."""
