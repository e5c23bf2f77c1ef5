-- The usage ledger (callbacks-spring-boot-starter): one row per LLM run. @@table@@ is replaced with
-- callbacks.ledger.table-name; @@table_name@@ with that name without its schema.
CREATE TABLE IF NOT EXISTS @@table@@ (
	run_id CHAR(36) NOT NULL PRIMARY KEY,
	chain_run_id CHAR(36) NOT NULL,
	started_at TIMESTAMP WITH TIME ZONE NOT NULL,
	usage_day DATE NOT NULL,
	duration_nanos BIGINT NOT NULL,
	time_to_first_token_nanos BIGINT,
	provider VARCHAR(255) NOT NULL,
	model VARCHAR(255) NOT NULL,
	client_name VARCHAR(255) NOT NULL,
	outcome VARCHAR(16) NOT NULL,
	streaming BOOLEAN NOT NULL,
	input_tokens BIGINT NOT NULL,
	output_tokens BIGINT NOT NULL,
	total_tokens BIGINT NOT NULL,
	cache_read_tokens BIGINT NOT NULL,
	cache_write_tokens BIGINT NOT NULL,
	cache_write_1h_tokens BIGINT NOT NULL,
	reasoning_tokens BIGINT NOT NULL,
	estimated BOOLEAN NOT NULL,
	cost_usd NUMERIC(30, 15),
	user_id VARCHAR(255),
	tenant_id VARCHAR(255),
	conversation_id VARCHAR(255),
	tags TEXT NOT NULL,
	metadata TEXT NOT NULL
);

CREATE INDEX IF NOT EXISTS @@table_name@@_started_idx ON @@table@@ (started_at);
CREATE INDEX IF NOT EXISTS @@table_name@@_tenant_idx ON @@table@@ (tenant_id, user_id, started_at);
CREATE INDEX IF NOT EXISTS @@table_name@@_conv_idx ON @@table@@ (conversation_id, started_at);
