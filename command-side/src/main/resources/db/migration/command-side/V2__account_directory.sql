-- Where each account sits in its tree, for decisions that must not load (and lock) an aggregate to find out.
-- Written by a subscribing event handler in the same transaction as the events.
CREATE TABLE command_lookup.account_node (
    id        UUID PRIMARY KEY,
    root_id   UUID NOT NULL,
    parent_id UUID
);
CREATE INDEX account_node_parent_idx ON command_lookup.account_node (parent_id);
