-- The materialized path of ids from the root to the account itself: subtree and ancestor queries are index-backed
-- (GIN on the array), and moving a subtree rewrites the prefix of every path in it in one statement.
ALTER TABLE read_model.account ADD COLUMN path UUID[] NOT NULL DEFAULT '{}';
CREATE INDEX account_path_idx ON read_model.account USING GIN (path);
-- Children and descendants are listed in id order (ids are time-ordered) for keyset paging.
CREATE INDEX account_parent_id_idx ON read_model.account (parent_id, id);
