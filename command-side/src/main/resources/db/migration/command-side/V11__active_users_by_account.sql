-- The active users of an account, which deleting it with ?users=deactivate deactivates (AccountDirectory.activeUsersOf).
CREATE INDEX app_user_active_by_account ON command_lookup.app_user (account_id, id) WHERE active;
