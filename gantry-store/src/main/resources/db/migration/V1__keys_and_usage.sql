-- Portable SQL: this file runs unchanged on H2 (embedded default) and PostgreSQL.

CREATE TABLE api_keys (
    id             VARCHAR(40)  PRIMARY KEY,
    name           VARCHAR(200) NOT NULL,
    key_hash       CHAR(64)     NOT NULL UNIQUE,  -- SHA-256 of the secret; the secret itself is never stored
    display_prefix VARCHAR(40)  NOT NULL,
    role           VARCHAR(20)  NOT NULL,
    models         VARCHAR(4000) NOT NULL,        -- allowed model patterns, one per line; empty = all
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at     TIMESTAMP WITH TIME ZONE,
    revoked_at     TIMESTAMP WITH TIME ZONE,
    updated_at     TIMESTAMP WITH TIME ZONE NOT NULL -- replicas poll this to refresh their key caches
);
CREATE INDEX api_keys_updated_at ON api_keys (updated_at);

CREATE TABLE usage_records (
    request_id          VARCHAR(40)  PRIMARY KEY,
    ts                  TIMESTAMP WITH TIME ZONE NOT NULL,
    usage_day           DATE         NOT NULL,    -- UTC day of ts: the grouping and partitioning key
    key_id              VARCHAR(40),
    endpoint            VARCHAR(40)  NOT NULL,
    model               VARCHAR(200),
    deployment          VARCHAR(400),
    input_tokens        BIGINT       NOT NULL,
    output_tokens       BIGINT       NOT NULL,
    cached_input_tokens BIGINT       NOT NULL,
    estimated           BOOLEAN      NOT NULL,
    cost_nanos          BIGINT       NOT NULL,    -- USD * 1e9
    http_status         INTEGER      NOT NULL,
    outcome             VARCHAR(20)  NOT NULL,
    latency_ms          BIGINT       NOT NULL,
    ttft_ms             BIGINT,
    stream              BOOLEAN      NOT NULL
);
CREATE INDEX usage_records_ts ON usage_records (ts);
CREATE INDEX usage_records_day_key ON usage_records (usage_day, key_id);
