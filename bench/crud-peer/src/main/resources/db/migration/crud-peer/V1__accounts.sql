-- The CRUD peer's tables: an account row per account with its seats and device count, a row per device, and an
-- audit row per command. Ancestors are a materialized path, as a CRUD service would keep them to check an ancestor's
-- suspension without walking the tree.
CREATE TABLE account (
    id         UUID PRIMARY KEY,
    root_id    UUID        NOT NULL,
    parent_id  UUID REFERENCES account (id),
    ancestors  UUID[]      NOT NULL,
    name       TEXT        NOT NULL,
    status     TEXT        NOT NULL DEFAULT 'ACTIVE',
    seats      BIGINT      NOT NULL CHECK (seats >= 0),
    devices    BIGINT      NOT NULL DEFAULT 0 CHECK (devices >= 0 AND devices <= seats),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX account_parent ON account (parent_id);

CREATE TABLE device (
    id         UUID PRIMARY KEY,
    account_id UUID         NOT NULL REFERENCES account (id),
    serial     VARCHAR(200) NOT NULL UNIQUE,
    name       TEXT         NOT NULL
);
CREATE INDEX device_account ON device (account_id);

CREATE TABLE audit (
    position   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id UUID        NOT NULL,
    type       TEXT        NOT NULL,
    actor      TEXT        NOT NULL,
    at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    payload    JSONB       NOT NULL
);
CREATE INDEX audit_account ON audit (account_id, position);
