-- Every transaction that appends events takes its transaction id before it takes a global index. A statement trigger
-- fires before the statement evaluates the identity's nextval, and pg_current_xact_id() assigns the id if the
-- transaction has none yet. The query side's GapSafeEventStorageEngine relies on this order to prove, from snapshot
-- bounds alone, that a gap in the global index will never be filled (instead of guessing it from a timeout).

CREATE FUNCTION event_store.take_transaction_id() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    PERFORM pg_current_xact_id();
    RETURN NULL;
END
$$;

CREATE TRIGGER take_transaction_id_before_global_index
    BEFORE INSERT ON event_store.domain_event_entry
    FOR EACH STATEMENT EXECUTE FUNCTION event_store.take_transaction_id();
