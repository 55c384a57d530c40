-- name=like=acme* and externalId=like=... are case-insensitive prefix searches: lower(column) LIKE lower(pattern).
-- text_pattern_ops lets a btree index serve LIKE prefixes whatever the database's collation.
CREATE INDEX account_name_prefix_idx ON read_model.account (lower(name) text_pattern_ops);
CREATE INDEX account_external_id_prefix_idx ON read_model.account (lower(external_id) text_pattern_ops);
