-- Emails are unique over all users, case-insensitively (stored lower-cased).
CREATE TABLE command_lookup.user_email (
    email   VARCHAR(320) PRIMARY KEY,
    user_id UUID NOT NULL
);

-- Registered devices: which account holds each, and serials unique among them.
CREATE TABLE command_lookup.device (
    id         UUID PRIMARY KEY,
    serial     VARCHAR(200) NOT NULL UNIQUE,
    account_id UUID NOT NULL
);
