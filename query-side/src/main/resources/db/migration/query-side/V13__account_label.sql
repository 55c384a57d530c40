-- An account's optional label (unique among the live children of one parent, which the command side enforces),
-- shown in its view and searched with label==...; accounts created before labels have none.
ALTER TABLE read_model.account ADD COLUMN label VARCHAR(63);
CREATE INDEX account_label_idx ON read_model.account (label) WHERE label IS NOT NULL;
