-- The topmost SUSPENDED account on the path (the account itself included), kept on the row by the projection on
-- create, suspend, unsuspend, delete, reactivate and move. Reads then need no subquery per row to tell the effective
-- status (docs/performance.md). Deleted accounts keep the column too; the view hides it for them.
ALTER TABLE read_model.account ADD COLUMN suspended_by UUID;

UPDATE read_model.account a
   SET suspended_by = (SELECT s.id FROM read_model.account s
                        WHERE s.id = ANY (a.path) AND s.status = 'SUSPENDED'
                        ORDER BY s.depth LIMIT 1)
 WHERE a.path && ARRAY(SELECT id FROM read_model.account WHERE status = 'SUSPENDED');
