-- Who each user is for authorization: its account, whether it is active, and its permissions. Written from the
-- user events in the transaction that appends them, so a command is authorized on committed, current state.
-- Users added before this migration are not in it: their tokens are refused until an admin re-adds them.
CREATE TABLE command_lookup.app_user (
    id          UUID        PRIMARY KEY,
    account_id  UUID        NOT NULL,
    active      BOOLEAN     NOT NULL,
    permissions TEXT[]      NOT NULL DEFAULT '{}'
);
