-- The rest of the account view: limits, configuration, and counts kept by the projection so lists read them cheaply
-- (devices are seats_used). Counts cover live (not deleted) accounts, like the lists.
ALTER TABLE read_model.account ADD COLUMN limits JSONB NOT NULL DEFAULT '{}';
ALTER TABLE read_model.account ADD COLUMN config JSONB NOT NULL
    DEFAULT '{"billable": false, "properties": {}, "defaultChildLimits": {}}';
ALTER TABLE read_model.account ADD COLUMN child_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE read_model.account ADD COLUMN descendant_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE read_model.account ADD COLUMN user_count INTEGER NOT NULL DEFAULT 0;
