-- Where an account was before each move of it or of an account above it: the path it had until the move's position
-- (the AccountMoved event's global index). A user's history and audit reads show an account's event only if the
-- account lay in the user's subtree at the event's position, so an account moved in shows nothing from before.
-- Keyed by id (the account's) as every read-model table is, for the rebuild's and verification's row matching.
-- Filled by the accounts processor from the moves it projects: a read model projected before this table existed
-- holds none of the earlier moves until it is rebuilt (docs/operations.md).
CREATE TABLE read_model.account_former_path (
    id             UUID     NOT NULL,  -- the account
    until_position BIGINT   NOT NULL,  -- global index of the move that ended this path
    path           UUID[]   NOT NULL,  -- ancestors and itself, root first, before that move
    PRIMARY KEY (id, until_position)
);
