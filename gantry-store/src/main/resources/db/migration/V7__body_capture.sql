-- Prompt and completion capture, per team and off by default. A captured request's bodies live
-- beside its usage row, not in it: the usage table stays narrow for the analytics that scan it.
-- Each body is cut at 1 MiB of UTF-8 bytes (a million characters at most); truncated says so.
ALTER TABLE teams ADD COLUMN capture_bodies BOOLEAN DEFAULT FALSE NOT NULL;

CREATE TABLE request_bodies (
    request_id    VARCHAR(40) PRIMARY KEY,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    request_body  VARCHAR(1000000),
    response_body VARCHAR(1000000),
    truncated     BOOLEAN NOT NULL
);
