-- External ids are unique over all accounts, deleted ones included: a deleted account keeps its row and its id.
ALTER TABLE command_lookup.account_node ADD COLUMN external_id VARCHAR(200);
ALTER TABLE command_lookup.account_node ADD CONSTRAINT account_node_external_id_uk UNIQUE (external_id);
