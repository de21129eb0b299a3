-- racelab's atomic increment (autocommit, one statement), for pgbench -M prepared.
-- :k and :delta come from -D k=... -D delta=1, so they travel as bind parameters like the app's.
UPDATE racelab_cell SET v = v + :delta, version = version + 1 WHERE k = :k;
