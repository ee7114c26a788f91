-- Continuum controller schema v6: every index of telemetry_rollups holds the row's whole key.
-- The writer updates and locks rollup rows by their key (device, minute, model, version, placement).
-- Before the table has planner statistics (a new database, or PostgreSQL with autovacuum off), the
-- planner could take the (minute_start) or (model_name, version, minute_start) index for that lookup
-- and filter every device's row of the minute: 1.4 ms per update against 0.1 by the primary key, and
-- the writer fell behind at about 700 batches/s. With the key's columns in both, whichever index the
-- planner takes finds the one row. Leading columns are unchanged, so range reads keep their index.

DROP INDEX ix_telemetry_rollups_model_time;
CREATE INDEX ix_telemetry_rollups_model_time ON telemetry_rollups (model_name, version, minute_start, device_id, placement);

DROP INDEX ix_telemetry_rollups_time;
CREATE INDEX ix_telemetry_rollups_time ON telemetry_rollups (minute_start, device_id, model_name, version, placement);
