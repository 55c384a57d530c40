-- Every event once, with who did it and why, for the audit trail across accounts (newest first). Filled by the
-- "audit" processor, which can be replayed on its own.
CREATE TABLE read_model.audit_log (
    position       BIGINT        PRIMARY KEY,  -- global index in the event store
    aggregate_id   VARCHAR(255)  NOT NULL,
    sequence       BIGINT        NOT NULL,
    occurred_at    TIMESTAMPTZ   NOT NULL,
    type           VARCHAR(100)  NOT NULL,
    account_id     UUID,
    actor          VARCHAR(256),
    correlation_id VARCHAR(256),
    reason         VARCHAR(1024),
    payload        JSONB         NOT NULL
);
CREATE INDEX audit_log_actor_idx ON read_model.audit_log (actor, position);
CREATE INDEX audit_log_account_idx ON read_model.audit_log (account_id, position);
CREATE INDEX audit_log_type_idx ON read_model.audit_log (type, position);
CREATE INDEX audit_log_occurred_at_idx ON read_model.audit_log (occurred_at);
