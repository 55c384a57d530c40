-- Usage counters the platform reports (UsageReported): the account's own last report, and each counter rolled up over
-- the account and its live descendants, with how many of them report it ({"connections": {"sum": 12, "accounts": 3}}),
-- kept by the projection by difference as descendant_count is. Accounts had no usage before this migration.
ALTER TABLE read_model.account ADD COLUMN usage JSONB NOT NULL DEFAULT '{}';
ALTER TABLE read_model.account ADD COLUMN subtree_usage JSONB NOT NULL DEFAULT '{}';
