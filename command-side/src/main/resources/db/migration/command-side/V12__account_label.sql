-- Each account's optional label, unique among the live children of one parent: the index decides in the
-- transaction that appends the event giving a label (creation, details), a new parent (a move) or life back (a
-- reactivation), so two concurrent commands can never both take one. A deleted account leaves the index, so its
-- label is free again; roots have no parent and so no siblings (an organization's label tells nothing of another's).
-- Accounts created before labels have none.
ALTER TABLE command_lookup.account_node ADD COLUMN label VARCHAR(63);
CREATE UNIQUE INDEX account_node_sibling_label_uk ON command_lookup.account_node (parent_id, label)
 WHERE label IS NOT NULL AND NOT deleted;
