-- Where an account sits in its tree, for rules about ancestors: the path of ids from the root to the account
-- itself, its depth (root 0), and whether it is itself suspended (effective suspension = any account on the path).
ALTER TABLE command_lookup.account_node ADD COLUMN path UUID[] NOT NULL DEFAULT '{}';
ALTER TABLE command_lookup.account_node ADD COLUMN depth INTEGER NOT NULL DEFAULT 0;
ALTER TABLE command_lookup.account_node ADD COLUMN suspended BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE command_lookup.account_node ADD COLUMN deleted BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX account_node_path_idx ON command_lookup.account_node USING GIN (path);
