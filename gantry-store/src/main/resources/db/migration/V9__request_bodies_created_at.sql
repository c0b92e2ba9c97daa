-- Captured bodies are deleted by age (usage.body_retention_days), oldest first.
CREATE INDEX request_bodies_created_at ON request_bodies (created_at);
