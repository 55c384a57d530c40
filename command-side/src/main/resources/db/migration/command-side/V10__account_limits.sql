-- Each account's limits, for the rule that a parent's limits cover its children's: the parent's aggregate no longer
-- keeps its children's limits (issue #20), the directory does, written from AccountCreated and LimitsChanged in the
-- transaction that appends them. Accounts created before this migration take their latest limits from the store.
ALTER TABLE command_lookup.account_node ADD COLUMN limits JSONB NOT NULL DEFAULT '{}';

UPDATE command_lookup.account_node n
   SET limits = latest.limits
  FROM (SELECT DISTINCT ON (aggregate_identifier)
               aggregate_identifier,
               COALESCE(convert_from(payload, 'UTF8')::jsonb -> 'limits', '{}') AS limits
          FROM event_store.domain_event_entry
         WHERE payload_type IN ('dev.arbor.api.account.AccountCreated', 'dev.arbor.api.account.LimitsChanged')
         ORDER BY aggregate_identifier, sequence_number DESC) latest
 WHERE latest.aggregate_identifier = n.id::text
   AND jsonb_typeof(latest.limits) = 'object' AND latest.limits <> '{}';
