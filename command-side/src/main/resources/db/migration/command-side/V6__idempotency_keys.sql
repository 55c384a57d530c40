-- Idempotency keys of POST requests, shared by all command-side nodes. A key is claimed in the same transaction as
-- the command it guards (so a command and its key commit together or not at all); the response is stored right
-- after, for retries to replay. Rows older than arbor.idempotency-retention (24 h) are removed.
CREATE TABLE command_lookup.idempotency_key (
    key               VARCHAR(200) PRIMARY KEY,
    fingerprint       CHAR(64)     NOT NULL,
    result            TEXT         NOT NULL,
    response_status   INTEGER,
    response_location TEXT,
    response_body     TEXT,
    created_at        TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX idempotency_key_created_idx ON command_lookup.idempotency_key (created_at);
