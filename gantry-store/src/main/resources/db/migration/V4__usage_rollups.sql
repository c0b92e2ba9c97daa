-- Usage roll-ups for dashboards, and the price catalog's admin edits (docs/architecture.md,
-- "Usage analytics and roll-ups"). Portable SQL: this file runs unchanged on H2 and PostgreSQL.
--
-- Latency and time to first token are kept as histograms of 30 log-spaced buckets so that
-- percentiles over any range come from summing counts: bucket 0 holds 0 ms, bucket i (1..29) holds
-- [2^(2(i-1)/3), 2^(2i/3)) ms, about 1.59 apart, and bucket 29 everything from ~6.8 min up.
-- Columns rather than an encoded string so that the database sums them (LatencyHistogram).

-- One row per hour and (team, user, key, model, provider), recomputed from usage_records.
CREATE TABLE usage_rollup_hourly (
    bucket_start        TIMESTAMP WITH TIME ZONE NOT NULL,
    team_id             VARCHAR(40),
    user_id             VARCHAR(40),
    key_id              VARCHAR(40),
    model               VARCHAR(200),           -- the model that answered, else the name asked for
    provider            VARCHAR(200),           -- deployment up to its first '/'
    requests            BIGINT       NOT NULL,
    errors              BIGINT       NOT NULL,  -- outcome other than 'ok'
    input_tokens        BIGINT       NOT NULL,
    output_tokens       BIGINT       NOT NULL,
    cached_input_tokens BIGINT       NOT NULL,
    cost_nanos          BIGINT       NOT NULL,
    latency_ms_sum      BIGINT       NOT NULL,
    ttft_count          BIGINT       NOT NULL,  -- requests that have a time to first token
    lat_00           BIGINT       NOT NULL,
    lat_01           BIGINT       NOT NULL,
    lat_02           BIGINT       NOT NULL,
    lat_03           BIGINT       NOT NULL,
    lat_04           BIGINT       NOT NULL,
    lat_05           BIGINT       NOT NULL,
    lat_06           BIGINT       NOT NULL,
    lat_07           BIGINT       NOT NULL,
    lat_08           BIGINT       NOT NULL,
    lat_09           BIGINT       NOT NULL,
    lat_10           BIGINT       NOT NULL,
    lat_11           BIGINT       NOT NULL,
    lat_12           BIGINT       NOT NULL,
    lat_13           BIGINT       NOT NULL,
    lat_14           BIGINT       NOT NULL,
    lat_15           BIGINT       NOT NULL,
    lat_16           BIGINT       NOT NULL,
    lat_17           BIGINT       NOT NULL,
    lat_18           BIGINT       NOT NULL,
    lat_19           BIGINT       NOT NULL,
    lat_20           BIGINT       NOT NULL,
    lat_21           BIGINT       NOT NULL,
    lat_22           BIGINT       NOT NULL,
    lat_23           BIGINT       NOT NULL,
    lat_24           BIGINT       NOT NULL,
    lat_25           BIGINT       NOT NULL,
    lat_26           BIGINT       NOT NULL,
    lat_27           BIGINT       NOT NULL,
    lat_28           BIGINT       NOT NULL,
    lat_29           BIGINT       NOT NULL,
    ttft_00          BIGINT       NOT NULL,
    ttft_01          BIGINT       NOT NULL,
    ttft_02          BIGINT       NOT NULL,
    ttft_03          BIGINT       NOT NULL,
    ttft_04          BIGINT       NOT NULL,
    ttft_05          BIGINT       NOT NULL,
    ttft_06          BIGINT       NOT NULL,
    ttft_07          BIGINT       NOT NULL,
    ttft_08          BIGINT       NOT NULL,
    ttft_09          BIGINT       NOT NULL,
    ttft_10          BIGINT       NOT NULL,
    ttft_11          BIGINT       NOT NULL,
    ttft_12          BIGINT       NOT NULL,
    ttft_13          BIGINT       NOT NULL,
    ttft_14          BIGINT       NOT NULL,
    ttft_15          BIGINT       NOT NULL,
    ttft_16          BIGINT       NOT NULL,
    ttft_17          BIGINT       NOT NULL,
    ttft_18          BIGINT       NOT NULL,
    ttft_19          BIGINT       NOT NULL,
    ttft_20          BIGINT       NOT NULL,
    ttft_21          BIGINT       NOT NULL,
    ttft_22          BIGINT       NOT NULL,
    ttft_23          BIGINT       NOT NULL,
    ttft_24          BIGINT       NOT NULL,
    ttft_25          BIGINT       NOT NULL,
    ttft_26          BIGINT       NOT NULL,
    ttft_27          BIGINT       NOT NULL,
    ttft_28          BIGINT       NOT NULL,
    ttft_29          BIGINT       NOT NULL
);
CREATE INDEX usage_rollup_hourly_bucket ON usage_rollup_hourly (bucket_start, key_id);

-- The same per UTC day, summed from usage_rollup_hourly.
CREATE TABLE usage_rollup_daily (
    bucket_start        TIMESTAMP WITH TIME ZONE NOT NULL,
    team_id             VARCHAR(40),
    user_id             VARCHAR(40),
    key_id              VARCHAR(40),
    model               VARCHAR(200),           -- the model that answered, else the name asked for
    provider            VARCHAR(200),           -- deployment up to its first '/'
    requests            BIGINT       NOT NULL,
    errors              BIGINT       NOT NULL,  -- outcome other than 'ok'
    input_tokens        BIGINT       NOT NULL,
    output_tokens       BIGINT       NOT NULL,
    cached_input_tokens BIGINT       NOT NULL,
    cost_nanos          BIGINT       NOT NULL,
    latency_ms_sum      BIGINT       NOT NULL,
    ttft_count          BIGINT       NOT NULL,  -- requests that have a time to first token
    lat_00           BIGINT       NOT NULL,
    lat_01           BIGINT       NOT NULL,
    lat_02           BIGINT       NOT NULL,
    lat_03           BIGINT       NOT NULL,
    lat_04           BIGINT       NOT NULL,
    lat_05           BIGINT       NOT NULL,
    lat_06           BIGINT       NOT NULL,
    lat_07           BIGINT       NOT NULL,
    lat_08           BIGINT       NOT NULL,
    lat_09           BIGINT       NOT NULL,
    lat_10           BIGINT       NOT NULL,
    lat_11           BIGINT       NOT NULL,
    lat_12           BIGINT       NOT NULL,
    lat_13           BIGINT       NOT NULL,
    lat_14           BIGINT       NOT NULL,
    lat_15           BIGINT       NOT NULL,
    lat_16           BIGINT       NOT NULL,
    lat_17           BIGINT       NOT NULL,
    lat_18           BIGINT       NOT NULL,
    lat_19           BIGINT       NOT NULL,
    lat_20           BIGINT       NOT NULL,
    lat_21           BIGINT       NOT NULL,
    lat_22           BIGINT       NOT NULL,
    lat_23           BIGINT       NOT NULL,
    lat_24           BIGINT       NOT NULL,
    lat_25           BIGINT       NOT NULL,
    lat_26           BIGINT       NOT NULL,
    lat_27           BIGINT       NOT NULL,
    lat_28           BIGINT       NOT NULL,
    lat_29           BIGINT       NOT NULL,
    ttft_00          BIGINT       NOT NULL,
    ttft_01          BIGINT       NOT NULL,
    ttft_02          BIGINT       NOT NULL,
    ttft_03          BIGINT       NOT NULL,
    ttft_04          BIGINT       NOT NULL,
    ttft_05          BIGINT       NOT NULL,
    ttft_06          BIGINT       NOT NULL,
    ttft_07          BIGINT       NOT NULL,
    ttft_08          BIGINT       NOT NULL,
    ttft_09          BIGINT       NOT NULL,
    ttft_10          BIGINT       NOT NULL,
    ttft_11          BIGINT       NOT NULL,
    ttft_12          BIGINT       NOT NULL,
    ttft_13          BIGINT       NOT NULL,
    ttft_14          BIGINT       NOT NULL,
    ttft_15          BIGINT       NOT NULL,
    ttft_16          BIGINT       NOT NULL,
    ttft_17          BIGINT       NOT NULL,
    ttft_18          BIGINT       NOT NULL,
    ttft_19          BIGINT       NOT NULL,
    ttft_20          BIGINT       NOT NULL,
    ttft_21          BIGINT       NOT NULL,
    ttft_22          BIGINT       NOT NULL,
    ttft_23          BIGINT       NOT NULL,
    ttft_24          BIGINT       NOT NULL,
    ttft_25          BIGINT       NOT NULL,
    ttft_26          BIGINT       NOT NULL,
    ttft_27          BIGINT       NOT NULL,
    ttft_28          BIGINT       NOT NULL,
    ttft_29          BIGINT       NOT NULL
);
CREATE INDEX usage_rollup_daily_bucket ON usage_rollup_daily (bucket_start, key_id);

-- The same per UTC day without user and key: a month of it is a few thousand rows whatever the
-- traffic, where the daily table has a row per key and model a day. Dashboards of callers who read
-- every key, not split or filtered by user or key, read this one (RollupRepository.sum).
CREATE TABLE usage_rollup_daily_model (
    bucket_start        TIMESTAMP WITH TIME ZONE NOT NULL,
    team_id             VARCHAR(40),
    model               VARCHAR(200),           -- the model that answered, else the name asked for
    provider            VARCHAR(200),           -- deployment up to its first '/'
    requests            BIGINT       NOT NULL,
    errors              BIGINT       NOT NULL,  -- outcome other than 'ok'
    input_tokens        BIGINT       NOT NULL,
    output_tokens       BIGINT       NOT NULL,
    cached_input_tokens BIGINT       NOT NULL,
    cost_nanos          BIGINT       NOT NULL,
    latency_ms_sum      BIGINT       NOT NULL,
    ttft_count          BIGINT       NOT NULL,  -- requests that have a time to first token
    lat_00           BIGINT       NOT NULL,
    lat_01           BIGINT       NOT NULL,
    lat_02           BIGINT       NOT NULL,
    lat_03           BIGINT       NOT NULL,
    lat_04           BIGINT       NOT NULL,
    lat_05           BIGINT       NOT NULL,
    lat_06           BIGINT       NOT NULL,
    lat_07           BIGINT       NOT NULL,
    lat_08           BIGINT       NOT NULL,
    lat_09           BIGINT       NOT NULL,
    lat_10           BIGINT       NOT NULL,
    lat_11           BIGINT       NOT NULL,
    lat_12           BIGINT       NOT NULL,
    lat_13           BIGINT       NOT NULL,
    lat_14           BIGINT       NOT NULL,
    lat_15           BIGINT       NOT NULL,
    lat_16           BIGINT       NOT NULL,
    lat_17           BIGINT       NOT NULL,
    lat_18           BIGINT       NOT NULL,
    lat_19           BIGINT       NOT NULL,
    lat_20           BIGINT       NOT NULL,
    lat_21           BIGINT       NOT NULL,
    lat_22           BIGINT       NOT NULL,
    lat_23           BIGINT       NOT NULL,
    lat_24           BIGINT       NOT NULL,
    lat_25           BIGINT       NOT NULL,
    lat_26           BIGINT       NOT NULL,
    lat_27           BIGINT       NOT NULL,
    lat_28           BIGINT       NOT NULL,
    lat_29           BIGINT       NOT NULL,
    ttft_00          BIGINT       NOT NULL,
    ttft_01          BIGINT       NOT NULL,
    ttft_02          BIGINT       NOT NULL,
    ttft_03          BIGINT       NOT NULL,
    ttft_04          BIGINT       NOT NULL,
    ttft_05          BIGINT       NOT NULL,
    ttft_06          BIGINT       NOT NULL,
    ttft_07          BIGINT       NOT NULL,
    ttft_08          BIGINT       NOT NULL,
    ttft_09          BIGINT       NOT NULL,
    ttft_10          BIGINT       NOT NULL,
    ttft_11          BIGINT       NOT NULL,
    ttft_12          BIGINT       NOT NULL,
    ttft_13          BIGINT       NOT NULL,
    ttft_14          BIGINT       NOT NULL,
    ttft_15          BIGINT       NOT NULL,
    ttft_16          BIGINT       NOT NULL,
    ttft_17          BIGINT       NOT NULL,
    ttft_18          BIGINT       NOT NULL,
    ttft_19          BIGINT       NOT NULL,
    ttft_20          BIGINT       NOT NULL,
    ttft_21          BIGINT       NOT NULL,
    ttft_22          BIGINT       NOT NULL,
    ttft_23          BIGINT       NOT NULL,
    ttft_24          BIGINT       NOT NULL,
    ttft_25          BIGINT       NOT NULL,
    ttft_26          BIGINT       NOT NULL,
    ttft_27          BIGINT       NOT NULL,
    ttft_28          BIGINT       NOT NULL,
    ttft_29          BIGINT       NOT NULL
);
CREATE INDEX usage_rollup_daily_model_bucket ON usage_rollup_daily_model (bucket_start);


-- Roll-ups of one hour by two replicas at once would both delete, then both insert: a recompute
-- locks this row first, so they take turns.
CREATE TABLE usage_rollup_lock (
    id INTEGER PRIMARY KEY CHECK (id = 1)
);
INSERT INTO usage_rollup_lock (id) VALUES (1);

-- Prices set through the admin API, over the catalog shipped in prices.json: micro-dollars per
-- million tokens, as Price keeps them.
CREATE TABLE model_prices (
    model                      VARCHAR(200) PRIMARY KEY,
    input_micros_per_mtok      BIGINT       NOT NULL,
    output_micros_per_mtok     BIGINT       NOT NULL,
    cached_input_micros_per_mtok BIGINT     NOT NULL,
    updated_at                 TIMESTAMP WITH TIME ZONE NOT NULL
);
