-- Usage rows are now added to the roll-ups as they are stored: each batch updates its groups' rows
-- in place (WHERE bucket_start = ? AND key_id = ? ...). These indexes find a group's row among a
-- day's rows; each replaces an index on bucket_start alone, which its first column still serves.
CREATE INDEX usage_rollup_daily_model_group ON usage_rollup_daily_model (bucket_start, model);
DROP INDEX usage_rollup_daily_model_bucket;
CREATE INDEX usage_rollup_daily_user_group ON usage_rollup_daily_user (bucket_start, user_id);
DROP INDEX usage_rollup_daily_user_bucket;
CREATE INDEX usage_rollup_daily_key_group ON usage_rollup_daily_key (bucket_start, key_id);
DROP INDEX usage_rollup_daily_key_bucket;

-- No query reads the ledger by day and key: reports read the roll-ups, and the ledger is read by
-- request id or by time range (usage_records_ts). The index cost every usage insert a third
-- B-tree to maintain.
DROP INDEX usage_records_day_key;
