CREATE TABLE read_model.app_user (
    id         UUID         PRIMARY KEY,
    email      VARCHAR(320) NOT NULL,
    name       VARCHAR(200) NOT NULL,
    account_id UUID         NOT NULL,
    status     VARCHAR(16)  NOT NULL,
    created_at TIMESTAMPTZ  NOT NULL,
    -- sequence number of the user's last applied event, as for accounts
    version    BIGINT       NOT NULL
);
CREATE INDEX app_user_account_idx ON read_model.app_user (account_id, id);

-- Registered devices; a removed device's row is deleted.
CREATE TABLE read_model.device (
    id            UUID         PRIMARY KEY,
    serial        VARCHAR(200) NOT NULL,
    name          VARCHAR(200) NOT NULL,
    account_id    UUID         NOT NULL,
    registered_at TIMESTAMPTZ  NOT NULL
);
CREATE INDEX device_account_idx ON read_model.device (account_id, id);
