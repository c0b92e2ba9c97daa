-- Console log-ins. The browser holds a random token in an HttpOnly cookie; only its SHA-256 is
-- stored, so a copy of this table lets no one in. A session acts as the key it was opened with:
-- revoking that key ends it too.
CREATE TABLE console_sessions (
    token_hash CHAR(64)    PRIMARY KEY,
    key_id     VARCHAR(40) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX console_sessions_expires_at ON console_sessions (expires_at);
