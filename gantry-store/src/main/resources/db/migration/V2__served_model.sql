-- The catalog model that answered, next to the name the client asked for (which may be an alias).
ALTER TABLE usage_records ADD COLUMN served_model VARCHAR(200);
