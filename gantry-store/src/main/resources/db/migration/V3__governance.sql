-- Users, teams, budgets and limits, the audit chain, encrypted provider secrets (docs/governance.md).
-- Portable SQL: this file runs unchanged on H2 (embedded default) and PostgreSQL.
-- Every table with budget and limit fields has the same six columns: null means no limit.

CREATE TABLE users (
    id               VARCHAR(40)  PRIMARY KEY,
    email            VARCHAR(320) UNIQUE,           -- lower-cased; null for service accounts without one
    display_name     VARCHAR(200) NOT NULL,
    status           VARCHAR(20)  NOT NULL,
    role             VARCHAR(20)  NOT NULL,
    kind             VARCHAR(20)  NOT NULL,
    budget_usd_nanos BIGINT,
    budget_tokens    BIGINT,
    budget_period    VARCHAR(10)  NOT NULL,
    rpm              INTEGER,
    tpm              INTEGER,
    max_parallel     INTEGER,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL -- also moved when the user's memberships change
);
CREATE INDEX users_updated_at ON users (updated_at);

CREATE TABLE teams (
    id               VARCHAR(40)   PRIMARY KEY,
    name             VARCHAR(200)  NOT NULL UNIQUE,
    description      VARCHAR(2000) NOT NULL,
    budget_usd_nanos BIGINT,
    budget_tokens    BIGINT,
    budget_period    VARCHAR(10)   NOT NULL,
    rpm              INTEGER,
    tpm              INTEGER,
    max_parallel     INTEGER,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX teams_updated_at ON teams (updated_at);

CREATE TABLE team_members (
    team_id    VARCHAR(40) NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id    VARCHAR(40) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    team_role  VARCHAR(20) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_user ON team_members (user_id);

CREATE TABLE org_settings (
    id               INTEGER     PRIMARY KEY CHECK (id = 1),
    budget_usd_nanos BIGINT,
    budget_tokens    BIGINT,
    budget_period    VARCHAR(10) NOT NULL,
    rpm              INTEGER,
    tpm              INTEGER,
    max_parallel     INTEGER,
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL
);
INSERT INTO org_settings (id, budget_period, updated_at) VALUES (1, 'month', CURRENT_TIMESTAMP);

-- No foreign keys to users and teams: a key must keep naming the user it belonged to after that
-- user is deleted (a key whose user is gone is refused, whereas a key without a user would keep its
-- stored role), and deleting users or teams rewrites their keys in the same transaction instead.
ALTER TABLE api_keys ADD COLUMN user_id VARCHAR(40);
ALTER TABLE api_keys ADD COLUMN team_id VARCHAR(40);
ALTER TABLE api_keys ADD COLUMN metadata VARCHAR(4000) DEFAULT '{}' NOT NULL; -- JSON object of string tags
ALTER TABLE api_keys ADD COLUMN last_used_at TIMESTAMP WITH TIME ZONE;        -- does not move updated_at
ALTER TABLE api_keys ADD COLUMN budget_usd_nanos BIGINT;
ALTER TABLE api_keys ADD COLUMN budget_tokens BIGINT;
ALTER TABLE api_keys ADD COLUMN budget_period VARCHAR(10) DEFAULT 'month' NOT NULL;
ALTER TABLE api_keys ADD COLUMN rpm INTEGER;
ALTER TABLE api_keys ADD COLUMN tpm INTEGER;
ALTER TABLE api_keys ADD COLUMN max_parallel INTEGER;
ALTER TABLE api_keys ADD COLUMN previous_hash VARCHAR(64);                   -- the secret before the last rotation
ALTER TABLE api_keys ADD COLUMN previous_valid_until TIMESTAMP WITH TIME ZONE; -- which works until then
CREATE INDEX api_keys_user ON api_keys (user_id);
CREATE INDEX api_keys_team ON api_keys (team_id);
CREATE INDEX api_keys_previous_hash ON api_keys (previous_hash);

-- Who spent, as it was when the request was made, so that budgets add up without joining keys.
-- No index on them: every index costs each usage insert (the gateway's busiest write), and the
-- spend queries that read them run at start-up and scan by time.
ALTER TABLE usage_records ADD COLUMN user_id VARCHAR(40);
ALTER TABLE usage_records ADD COLUMN team_id VARCHAR(40);

CREATE TABLE audit_log (
    seq         BIGINT        PRIMARY KEY,          -- 1, 2, 3... with no gaps: audit_head hands them out
    at          TIMESTAMP WITH TIME ZONE NOT NULL,
    actor_id    VARCHAR(40),
    actor_name  VARCHAR(320),
    action      VARCHAR(100)  NOT NULL,
    target_type VARCHAR(40),
    target_id   VARCHAR(200),
    before_json VARCHAR(100000),
    after_json  VARCHAR(100000),
    address     VARCHAR(100),
    prev_hash   VARCHAR(64)   NOT NULL,
    hash        VARCHAR(64)   NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor ON audit_log (actor_id, seq);
CREATE INDEX audit_log_target ON audit_log (target_type, target_id, seq);

-- The chain's last link. An append locks this row, takes seq + 1 and the hash to chain to, and
-- moves it in the same transaction as its insert: replicas sharing the database append one at a time.
CREATE TABLE audit_head (
    id   INTEGER     PRIMARY KEY CHECK (id = 1),
    seq  BIGINT      NOT NULL,
    hash VARCHAR(64) NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE provider_secrets (
    provider   VARCHAR(200)  PRIMARY KEY,
    ciphertext VARCHAR(8000) NOT NULL,              -- v1:base64(nonce || AES-256-GCM ciphertext), see SecretCipher
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);
