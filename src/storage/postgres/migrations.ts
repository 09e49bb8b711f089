/**
 * PostgreSQL schema, one entry per version, applied in order (each in its own transaction) under an
 * advisory lock, so several instances starting at once migrate one after the other.
 *
 * Text keys that are compared or ordered use COLLATE "C": byte order, as SQLite compares, so both
 * backends page in the same order and prefix ranges (cursor.ts prefixUpperBound) work whatever the
 * database's default collation. Timestamps are epoch milliseconds in BIGINT. JSON is kept as text,
 * byte for byte what the domain wrote (jsonb would reorder object keys).
 *
 * `seq` (insertion order, the key of list pages) is indexed only together with its pool, so the
 * planner can only page a pool through that pool's rows, never by walking every pool's.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE pools (
    id TEXT COLLATE "C" PRIMARY KEY,
    seq BIGINT GENERATED ALWAYS AS IDENTITY,
    name TEXT NOT NULL,
    region TEXT COLLATE "C" NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    settings TEXT NOT NULL,
    tags TEXT NOT NULL,
    user_count BIGINT NOT NULL DEFAULT 0
  );
  CREATE INDEX pools_by_region ON pools (region, seq);

  CREATE TABLE clients (
    pool_id TEXT COLLATE "C" NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    client_id TEXT COLLATE "C" NOT NULL,
    seq BIGINT GENERATED ALWAYS AS IDENTITY,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    settings TEXT NOT NULL,
    PRIMARY KEY (pool_id, client_id)
  );
  CREATE INDEX clients_by_pool ON clients (pool_id, seq);
  CREATE UNIQUE INDEX clients_by_id ON clients (client_id);

  CREATE TABLE client_secrets (
    pool_id TEXT COLLATE "C" NOT NULL,
    client_id TEXT COLLATE "C" NOT NULL,
    secret_id TEXT COLLATE "C" NOT NULL,
    secret TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (pool_id, client_id, secret_id),
    FOREIGN KEY (pool_id, client_id) REFERENCES clients (pool_id, client_id) ON DELETE CASCADE
  );

  CREATE TABLE users (
    pool_id TEXT COLLATE "C" NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    seq BIGINT GENERATED ALWAYS AS IDENTITY,
    username TEXT COLLATE "C" NOT NULL,
    username_key TEXT COLLATE "C" NOT NULL,
    sub TEXT COLLATE "C" NOT NULL,
    status TEXT COLLATE "C" NOT NULL,
    enabled TEXT COLLATE "C" NOT NULL,
    email TEXT COLLATE "C",
    email_key TEXT COLLATE "C",
    phone_number TEXT COLLATE "C",
    preferred_username TEXT COLLATE "C",
    preferred_username_key TEXT COLLATE "C",
    name TEXT COLLATE "C",
    given_name TEXT COLLATE "C",
    family_name TEXT COLLATE "C",
    attributes TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    password TEXT,
    password_history TEXT,
    state TEXT,
    PRIMARY KEY (pool_id, sub),
    UNIQUE (pool_id, username_key)
  );
  CREATE INDEX users_by_pool ON users (pool_id, seq);
  CREATE INDEX users_by_username ON users (pool_id, username_key, seq);
  CREATE INDEX users_by_email ON users (pool_id, email, seq);
  CREATE INDEX users_by_email_key ON users (pool_id, email_key, seq);
  CREATE INDEX users_by_phone ON users (pool_id, phone_number, seq);
  CREATE INDEX users_by_preferred ON users (pool_id, preferred_username, seq);
  CREATE INDEX users_by_preferred_key ON users (pool_id, preferred_username_key, seq);
  CREATE INDEX users_by_name ON users (pool_id, name, seq);
  CREATE INDEX users_by_given ON users (pool_id, given_name, seq);
  CREATE INDEX users_by_family ON users (pool_id, family_name, seq);
  CREATE INDEX users_by_status ON users (pool_id, status, seq);
  CREATE INDEX users_by_enabled ON users (pool_id, enabled, seq);
  CREATE INDEX users_by_sub ON users (pool_id, sub, seq);

  CREATE TABLE groups (
    pool_id TEXT COLLATE "C" NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    name TEXT COLLATE "C" NOT NULL,
    description TEXT,
    role_arn TEXT,
    precedence BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (pool_id, name)
  );

  CREATE TABLE group_members (
    pool_id TEXT COLLATE "C" NOT NULL,
    group_name TEXT COLLATE "C" NOT NULL,
    sub TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (pool_id, group_name, sub),
    FOREIGN KEY (pool_id, group_name) REFERENCES groups (pool_id, name) ON DELETE CASCADE ON UPDATE CASCADE,
    FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
  );
  CREATE INDEX group_members_by_user ON group_members (pool_id, sub, group_name);

  CREATE TABLE meta (
    key TEXT COLLATE "C" PRIMARY KEY,
    value TEXT NOT NULL
  );

  CREATE TABLE signing_keys (
    pool_id TEXT COLLATE "C" NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    kid TEXT COLLATE "C" NOT NULL,
    use TEXT NOT NULL,
    private_key TEXT NOT NULL,
    public_jwk TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (pool_id, kid)
  );

  CREATE TABLE auth_sessions (
    id TEXT COLLATE "C" PRIMARY KEY,
    pool_id TEXT COLLATE "C" NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    client_id TEXT NOT NULL,
    data TEXT NOT NULL,
    expires_at BIGINT NOT NULL
  );
  CREATE INDEX auth_sessions_by_pool ON auth_sessions (pool_id);
  CREATE INDEX auth_sessions_by_expiry ON auth_sessions (expires_at);

  CREATE TABLE codes (
    pool_id TEXT COLLATE "C" NOT NULL,
    sub TEXT COLLATE "C" NOT NULL,
    purpose TEXT COLLATE "C" NOT NULL,
    code_hash TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (pool_id, sub, purpose),
    FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
  );
  CREATE INDEX codes_by_expiry ON codes (expires_at);

  CREATE TABLE refresh_tokens (
    token_hash TEXT COLLATE "C" PRIMARY KEY,
    pool_id TEXT COLLATE "C" NOT NULL,
    client_id TEXT NOT NULL,
    sub TEXT COLLATE "C" NOT NULL,
    origin_jti TEXT COLLATE "C" NOT NULL,
    auth_time BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    replaced_at BIGINT,
    revoked_at BIGINT,
    FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
  );
  CREATE INDEX refresh_tokens_by_origin ON refresh_tokens (pool_id, origin_jti);
  CREATE INDEX refresh_tokens_by_user ON refresh_tokens (pool_id, sub);
  CREATE INDEX refresh_tokens_by_expiry ON refresh_tokens (expires_at);

  CREATE TABLE identity_providers (
    pool_id TEXT COLLATE "C" NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    provider_name TEXT COLLATE "C" NOT NULL,
    seq BIGINT GENERATED ALWAYS AS IDENTITY,
    provider_type TEXT NOT NULL,
    provider_details TEXT NOT NULL,
    attribute_mapping TEXT NOT NULL,
    acr_mapping TEXT,
    saml_metadata TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (pool_id, provider_name)
  );
  CREATE INDEX identity_providers_by_pool ON identity_providers (pool_id, seq);

  CREATE TABLE idp_identifiers (
    pool_id TEXT COLLATE "C" NOT NULL,
    identifier TEXT COLLATE "C" NOT NULL,
    provider_name TEXT COLLATE "C" NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (pool_id, identifier),
    FOREIGN KEY (pool_id, provider_name) REFERENCES identity_providers (pool_id, provider_name) ON DELETE CASCADE
  );
  CREATE INDEX idp_identifiers_by_provider ON idp_identifiers (pool_id, provider_name, position);

  CREATE TABLE identity_links (
    pool_id TEXT COLLATE "C" NOT NULL,
    provider_name TEXT COLLATE "C" NOT NULL,
    attribute_name TEXT COLLATE "C" NOT NULL,
    attribute_value TEXT COLLATE "C" NOT NULL,
    sub TEXT COLLATE "C" NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (pool_id, provider_name, attribute_name, attribute_value),
    FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
  );
  CREATE INDEX identity_links_by_user ON identity_links (pool_id, sub);
  `,
  `
  CREATE TABLE counters (
    pool_id TEXT COLLATE "C" NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    key TEXT COLLATE "C" NOT NULL,
    count INTEGER NOT NULL,
    since BIGINT NOT NULL,
    locked_until BIGINT,
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (pool_id, key)
  );
  CREATE INDEX counters_by_expiry ON counters (expires_at);
  `,
  `
  CREATE TABLE domains (
    domain TEXT COLLATE "C" PRIMARY KEY,
    pool_id TEXT COLLATE "C" NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    custom INTEGER NOT NULL,
    certificate_arn TEXT,
    security_policy TEXT,
    managed_login_version INTEGER NOT NULL,
    cloud_front TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
  );
  CREATE INDEX domains_by_pool ON domains (pool_id);

  CREATE TABLE resource_servers (
    pool_id TEXT COLLATE "C" NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    identifier TEXT COLLATE "C" NOT NULL,
    seq BIGINT GENERATED ALWAYS AS IDENTITY,
    name TEXT NOT NULL,
    scopes TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (pool_id, identifier)
  );
  CREATE INDEX resource_servers_by_pool ON resource_servers (pool_id, seq);

  CREATE TABLE ui_customizations (
    pool_id TEXT COLLATE "C" NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    client_id TEXT COLLATE "C" NOT NULL,
    css TEXT,
    image TEXT,
    image_type TEXT,
    version TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (pool_id, client_id)
  );

  CREATE TABLE managed_login_brandings (
    pool_id TEXT COLLATE "C" NOT NULL,
    branding_id TEXT COLLATE "C" NOT NULL,
    client_id TEXT COLLATE "C" NOT NULL,
    use_cognito_provided_values INTEGER NOT NULL,
    settings TEXT,
    assets TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (pool_id, branding_id),
    UNIQUE (pool_id, client_id),
    FOREIGN KEY (pool_id, client_id) REFERENCES clients (pool_id, client_id) ON DELETE CASCADE
  );
  `,
  `
  ALTER TABLE refresh_tokens ADD COLUMN scope TEXT;
  CREATE TABLE oauth_codes (
    code_hash TEXT COLLATE "C" PRIMARY KEY,
    pool_id TEXT COLLATE "C" NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    client_id TEXT COLLATE "C" NOT NULL,
    grant_data TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    redeemed_at BIGINT,
    origin_jti TEXT COLLATE "C"
  );
  CREATE INDEX oauth_codes_by_expiry ON oauth_codes (expires_at);
  `,
  `
  ALTER TABLE refresh_tokens ADD COLUMN device_key TEXT COLLATE "C";
  CREATE TABLE devices (
    device_key TEXT COLLATE "C" PRIMARY KEY,
    pool_id TEXT COLLATE "C" NOT NULL,
    sub TEXT COLLATE "C" NOT NULL,
    group_key TEXT COLLATE "C" NOT NULL,
    srp_salt TEXT,
    srp_verifier TEXT,
    name TEXT,
    remembered INTEGER NOT NULL,
    last_ip TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    last_authenticated_at BIGINT,
    FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
  );
  CREATE INDEX devices_by_user ON devices (pool_id, sub, device_key);
  `,
  `
  CREATE TABLE user_mfa (
    pool_id TEXT COLLATE "C" NOT NULL,
    sub TEXT COLLATE "C" NOT NULL,
    totp_secret TEXT,
    totp_verified INTEGER NOT NULL,
    totp_friendly_name TEXT,
    totp_last_step BIGINT,
    totp_enabled INTEGER NOT NULL,
    sms_enabled INTEGER NOT NULL,
    email_enabled INTEGER NOT NULL,
    preferred TEXT COLLATE "C",
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (pool_id, sub),
    FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
  );
  `,
  `
  CREATE TABLE passkeys (
    pool_id TEXT COLLATE "C" NOT NULL,
    credential_id TEXT COLLATE "C" NOT NULL,
    sub TEXT COLLATE "C" NOT NULL,
    public_key TEXT NOT NULL,
    sign_count BIGINT NOT NULL,
    transports TEXT NOT NULL,
    friendly_name TEXT NOT NULL,
    attachment TEXT,
    rp_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (pool_id, credential_id),
    FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
  );
  CREATE INDEX passkeys_by_user ON passkeys (pool_id, sub, credential_id);
  `,
  `
  ALTER TABLE user_mfa ADD COLUMN web_authn_enabled INTEGER NOT NULL DEFAULT 0;
  `,
  `
  CREATE TABLE risk_configurations (
    pool_id TEXT COLLATE "C" NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
    client_id TEXT COLLATE "C" NOT NULL,
    config TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (pool_id, client_id)
  );
  CREATE TABLE auth_events (
    pool_id TEXT COLLATE "C" NOT NULL,
    event_id TEXT COLLATE "C" NOT NULL,
    sub TEXT COLLATE "C" NOT NULL,
    created_at BIGINT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (pool_id, event_id),
    FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
  );
  CREATE INDEX auth_events_by_user ON auth_events (pool_id, sub, created_at, event_id);
  `,
  `
  CREATE TABLE terms (
    pool_id TEXT COLLATE "C" NOT NULL,
    terms_id TEXT COLLATE "C" NOT NULL,
    seq BIGINT GENERATED ALWAYS AS IDENTITY,
    client_id TEXT COLLATE "C" NOT NULL,
    terms_name TEXT COLLATE "C" NOT NULL,
    terms_source TEXT NOT NULL,
    enforcement TEXT NOT NULL,
    links TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (pool_id, terms_id),
    UNIQUE (pool_id, client_id, terms_name),
    FOREIGN KEY (pool_id, client_id) REFERENCES clients (pool_id, client_id) ON DELETE CASCADE
  );
  CREATE INDEX terms_by_pool ON terms (pool_id, seq);

  CREATE TABLE log_delivery (
    pool_id TEXT COLLATE "C" PRIMARY KEY REFERENCES pools (id) ON DELETE CASCADE,
    configurations TEXT NOT NULL,
    updated_at BIGINT NOT NULL
  );
  `,
  `
  CREATE TABLE pool_replicas (
    pool_id TEXT COLLATE "C" NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
    region TEXT COLLATE "C" NOT NULL,
    status TEXT NOT NULL,
    tags TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (pool_id, region)
  );
  CREATE TABLE provisioned_limits (
    region TEXT COLLATE "C" NOT NULL,
    category TEXT COLLATE "C" NOT NULL,
    value INTEGER NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (region, category)
  );
  CREATE TABLE limiter_instances (
    instance_id TEXT COLLATE "C" PRIMARY KEY,
    beat_at BIGINT NOT NULL
  );
  `,
  `
  CREATE TABLE user_sessions (
    pool_id TEXT COLLATE "C" NOT NULL,
    session_id TEXT COLLATE "C" NOT NULL,
    sub TEXT COLLATE "C" NOT NULL,
    type TEXT NOT NULL,
    client_id TEXT COLLATE "C" NOT NULL,
    origin_jti TEXT COLLATE "C",
    origin_session_id TEXT COLLATE "C",
    created_at BIGINT NOT NULL,
    last_active_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    device_type TEXT,
    last_ip TEXT,
    PRIMARY KEY (pool_id, session_id),
    FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
  );
  CREATE INDEX user_sessions_by_user ON user_sessions (pool_id, sub, created_at);
  CREATE INDEX user_sessions_by_origin ON user_sessions (pool_id, origin_jti);
  CREATE INDEX user_sessions_by_sso ON user_sessions (pool_id, origin_session_id);
  CREATE INDEX user_sessions_by_expiry ON user_sessions (expires_at);
  CREATE TABLE session_settings (
    pool_id TEXT COLLATE "C" NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
    client_id TEXT COLLATE "C" NOT NULL,
    settings TEXT NOT NULL,
    PRIMARY KEY (pool_id, client_id)
  );
  `,
  `
  CREATE TABLE import_jobs (
    job_id TEXT COLLATE "C" PRIMARY KEY,
    pool_id TEXT COLLATE "C" NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    seq BIGINT GENERATED ALWAYS AS IDENTITY,
    job_name TEXT NOT NULL,
    role_arn TEXT NOT NULL,
    password_hashing_algorithm TEXT,
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    started_at BIGINT,
    completed_at BIGINT,
    completion_message TEXT,
    imported BIGINT NOT NULL,
    skipped BIGINT NOT NULL,
    failed BIGINT NOT NULL,
    upload TEXT NOT NULL,
    upload_bytes BIGINT NOT NULL,
    heartbeat_at BIGINT
  );
  CREATE INDEX import_jobs_by_pool ON import_jobs (pool_id, seq);
  CREATE TABLE import_job_chunks (
    job_id TEXT COLLATE "C" NOT NULL REFERENCES import_jobs (job_id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (job_id, seq)
  );
  CREATE TABLE import_job_log (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id TEXT COLLATE "C" NOT NULL REFERENCES import_jobs (job_id) ON DELETE CASCADE,
    time BIGINT NOT NULL,
    result TEXT NOT NULL,
    line INTEGER,
    message TEXT NOT NULL
  );
  CREATE INDEX import_job_log_by_job ON import_job_log (job_id, seq);
  `,
];
