-- A page of an account's descendants is read breadth-first, (depth, id), from one of these indexes: the ancestor at
-- depth k - 1 is path[k], so the descendants of an account at depth d are the rows of level d + 1 with path[d + 1]
-- equal to its id, already in page order. The GIN index on path finds a subtree too, but unordered: a page of 1,000
-- out of 10,000 descendants sorted all 10,000 each time (docs/performance.md). Levels 1 to 10 serve accounts down to
-- depth 9, the deepest with children under the default arbor.max-depth of 10; deeper ones fall back to the GIN index.
CREATE INDEX account_descendants_level_1_idx ON read_model.account ((path[1]), depth, id) WHERE depth >= 1;
CREATE INDEX account_descendants_level_2_idx ON read_model.account ((path[2]), depth, id) WHERE depth >= 2;
CREATE INDEX account_descendants_level_3_idx ON read_model.account ((path[3]), depth, id) WHERE depth >= 3;
CREATE INDEX account_descendants_level_4_idx ON read_model.account ((path[4]), depth, id) WHERE depth >= 4;
CREATE INDEX account_descendants_level_5_idx ON read_model.account ((path[5]), depth, id) WHERE depth >= 5;
CREATE INDEX account_descendants_level_6_idx ON read_model.account ((path[6]), depth, id) WHERE depth >= 6;
CREATE INDEX account_descendants_level_7_idx ON read_model.account ((path[7]), depth, id) WHERE depth >= 7;
CREATE INDEX account_descendants_level_8_idx ON read_model.account ((path[8]), depth, id) WHERE depth >= 8;
CREATE INDEX account_descendants_level_9_idx ON read_model.account ((path[9]), depth, id) WHERE depth >= 9;
CREATE INDEX account_descendants_level_10_idx ON read_model.account ((path[10]), depth, id) WHERE depth >= 10;
