-- The query nodes alive now: each one upserts its row every few seconds (SegmentBalancer), so that a node can count
-- its peers, including those that hold no segment yet and so have no row in token_entry. node_id is Axon's node id,
-- the owner it writes into token_entry. last_seen is the database's clock, the one clock all nodes share.
CREATE TABLE read_model.processor_node (
    node_id   TEXT        PRIMARY KEY,
    last_seen TIMESTAMPTZ NOT NULL
);
