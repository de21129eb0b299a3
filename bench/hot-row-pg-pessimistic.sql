-- racelab's pessimistic increment: lock the row, compute value + 1 in the client, write it, commit.
-- \gset carries v (and version) into client variables, as the app does with its ResultSet.
BEGIN;
SELECT v, version FROM racelab_cell WHERE k = :k FOR UPDATE \gset
\set next :v + 1
UPDATE racelab_cell SET v = :next, version = version + 1 WHERE k = :k;
COMMIT;
