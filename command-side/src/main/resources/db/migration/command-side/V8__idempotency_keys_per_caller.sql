-- Idempotency keys belong to the caller who sent them ("<actor> <key>"): another caller's retry with the same key
-- must neither replay a response it may not see nor be refused because of a request it did not send.
ALTER TABLE command_lookup.idempotency_key ALTER COLUMN key TYPE VARCHAR(300);
