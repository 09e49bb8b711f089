/** SQLite schema, one entry per version. Applied in order, each in its own transaction. */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE pools (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    region TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    settings TEXT NOT NULL,
    tags TEXT NOT NULL,
    user_count INTEGER NOT NULL DEFAULT 0
  );

  CREATE INDEX pools_by_region ON pools (region, seq);

  CREATE TABLE clients (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    pool_id TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
    client_id TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    settings TEXT NOT NULL,
    UNIQUE (pool_id, client_id)
  );
  CREATE INDEX clients_by_pool ON clients (pool_id, seq);

  CREATE TABLE client_secrets (
    pool_id TEXT NOT NULL,
    client_id TEXT NOT NULL,
    secret_id TEXT NOT NULL,
    secret TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (pool_id, client_id, secret_id),
    FOREIGN KEY (pool_id, client_id) REFERENCES clients (pool_id, client_id) ON DELETE CASCADE
  );

  CREATE TABLE users (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    pool_id TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
    username TEXT NOT NULL,
    username_key TEXT NOT NULL,
    sub TEXT NOT NULL,
    status TEXT NOT NULL,
    enabled TEXT NOT NULL,
    email TEXT,
    email_key TEXT,
    phone_number TEXT,
    preferred_username TEXT,
    preferred_username_key TEXT,
    name TEXT,
    given_name TEXT,
    family_name TEXT,
    attributes TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    password TEXT,
    password_history TEXT,
    UNIQUE (pool_id, username_key),
    UNIQUE (pool_id, sub)
  );
  CREATE INDEX users_by_pool ON users (pool_id, seq);
  CREATE INDEX users_by_username ON users (pool_id, username_key, seq);
  CREATE INDEX users_by_email ON users (pool_id, email, seq);
  CREATE INDEX users_by_email_key ON users (pool_id, email_key);
  CREATE INDEX users_by_phone ON users (pool_id, phone_number, seq);
  CREATE INDEX users_by_preferred ON users (pool_id, preferred_username, seq);
  CREATE INDEX users_by_preferred_key ON users (pool_id, preferred_username_key);
  CREATE INDEX users_by_name ON users (pool_id, name, seq);
  CREATE INDEX users_by_given ON users (pool_id, given_name, seq);
  CREATE INDEX users_by_family ON users (pool_id, family_name, seq);
  CREATE INDEX users_by_status ON users (pool_id, status, seq);
  CREATE INDEX users_by_enabled ON users (pool_id, enabled, seq);
  CREATE INDEX users_by_sub ON users (pool_id, sub, seq);

  CREATE TABLE groups (
    pool_id TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description TEXT,
    role_arn TEXT,
    precedence INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (pool_id, name)
  );

  CREATE TABLE group_members (
    pool_id TEXT NOT NULL,
    group_name TEXT NOT NULL,
    sub TEXT NOT NULL,
    PRIMARY KEY (pool_id, group_name, sub),
    FOREIGN KEY (pool_id, group_name) REFERENCES groups (pool_id, name) ON DELETE CASCADE ON UPDATE CASCADE,
    FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
  );
  CREATE INDEX group_members_by_user ON group_members (pool_id, sub, group_name);
  `,
  `
  ALTER TABLE users ADD COLUMN state TEXT;

  CREATE UNIQUE INDEX clients_by_id ON clients (client_id);

  CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );

  CREATE TABLE signing_keys (
    pool_id TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
    kid TEXT NOT NULL,
    use TEXT NOT NULL,
    private_key TEXT NOT NULL,
    public_jwk TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (pool_id, kid)
  );

  CREATE TABLE auth_sessions (
    id TEXT PRIMARY KEY,
    pool_id TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
    client_id TEXT NOT NULL,
    data TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE INDEX auth_sessions_by_expiry ON auth_sessions (expires_at);

  CREATE TABLE codes (
    pool_id TEXT NOT NULL,
    sub TEXT NOT NULL,
    purpose TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (pool_id, sub, purpose),
    FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
  );
  CREATE INDEX codes_by_expiry ON codes (expires_at);

  CREATE TABLE refresh_tokens (
    token_hash TEXT PRIMARY KEY,
    pool_id TEXT NOT NULL,
    client_id TEXT NOT NULL,
    sub TEXT NOT NULL,
    origin_jti TEXT NOT NULL,
    auth_time INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    replaced_at INTEGER,
    revoked_at INTEGER,
    FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
  );
  CREATE INDEX refresh_tokens_by_origin ON refresh_tokens (pool_id, origin_jti);
  CREATE INDEX refresh_tokens_by_user ON refresh_tokens (pool_id, sub);
  CREATE INDEX refresh_tokens_by_expiry ON refresh_tokens (expires_at);
  `,
  `
  CREATE TABLE identity_providers (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    pool_id TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
    provider_name TEXT NOT NULL,
    provider_type TEXT NOT NULL,
    provider_details TEXT NOT NULL,
    attribute_mapping TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (pool_id, provider_name)
  );

  CREATE TABLE idp_identifiers (
    pool_id TEXT NOT NULL,
    identifier TEXT NOT NULL,
    provider_name TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (pool_id, identifier),
    FOREIGN KEY (pool_id, provider_name) REFERENCES identity_providers (pool_id, provider_name) ON DELETE CASCADE
  );
  CREATE INDEX idp_identifiers_by_provider ON idp_identifiers (pool_id, provider_name, position);

  CREATE TABLE identity_links (
    pool_id TEXT NOT NULL,
    provider_name TEXT NOT NULL,
    attribute_name TEXT NOT NULL,
    attribute_value TEXT NOT NULL,
    sub TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (pool_id, provider_name, attribute_name, attribute_value),
    FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
  );
  CREATE INDEX identity_links_by_user ON identity_links (pool_id, sub);
  `,
  `
  ALTER TABLE identity_providers ADD COLUMN acr_mapping TEXT;
  ALTER TABLE identity_providers ADD COLUMN saml_metadata TEXT;
  `,
  `
  CREATE TABLE counters (
    pool_id TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    count INTEGER NOT NULL,
    since INTEGER NOT NULL,
    locked_until INTEGER,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (pool_id, key)
  );
  CREATE INDEX counters_by_expiry ON counters (expires_at);
  `,
  `
  CREATE TABLE domains (
    domain TEXT PRIMARY KEY,
    pool_id TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
    custom INTEGER NOT NULL,
    certificate_arn TEXT,
    security_policy TEXT,
    managed_login_version INTEGER NOT NULL,
    cloud_front TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX domains_by_pool ON domains (pool_id);

  CREATE TABLE resource_servers (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    pool_id TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
    identifier TEXT NOT NULL,
    name TEXT NOT NULL,
    scopes TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (pool_id, identifier)
  );
  CREATE INDEX resource_servers_by_pool ON resource_servers (pool_id, seq);

  CREATE TABLE ui_customizations (
    pool_id TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
    client_id TEXT NOT NULL,
    css TEXT,
    image TEXT,
    image_type TEXT,
    version TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (pool_id, client_id)
  );

  CREATE TABLE managed_login_brandings (
    pool_id TEXT NOT NULL,
    branding_id TEXT NOT NULL,
    client_id TEXT NOT NULL,
    use_cognito_provided_values INTEGER NOT NULL,
    settings TEXT,
    assets TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (pool_id, branding_id),
    UNIQUE (pool_id, client_id),
    FOREIGN KEY (pool_id, client_id) REFERENCES clients (pool_id, client_id) ON DELETE CASCADE
  );
  `,
  `
  ALTER TABLE refresh_tokens ADD COLUMN scope TEXT;
  CREATE TABLE oauth_codes (
    code_hash TEXT PRIMARY KEY,
    pool_id TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
    client_id TEXT NOT NULL,
    grant_data TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    redeemed_at INTEGER,
    origin_jti TEXT
  );
  CREATE INDEX oauth_codes_by_expiry ON oauth_codes (expires_at);
  `,
  `
  ALTER TABLE refresh_tokens ADD COLUMN device_key TEXT;
  CREATE TABLE devices (
    device_key TEXT PRIMARY KEY,
    pool_id TEXT NOT NULL,
    sub TEXT NOT NULL,
    group_key TEXT NOT NULL,
    srp_salt TEXT,
    srp_verifier TEXT,
    name TEXT,
    remembered INTEGER NOT NULL,
    last_ip TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    last_authenticated_at INTEGER,
    FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
  );
  CREATE INDEX devices_by_user ON devices (pool_id, sub, device_key);
  `,
  `
  CREATE TABLE user_mfa (
    pool_id TEXT NOT NULL,
    sub TEXT NOT NULL,
    totp_secret TEXT,
    totp_verified INTEGER NOT NULL,
    totp_friendly_name TEXT,
    totp_last_step INTEGER,
    totp_enabled INTEGER NOT NULL,
    sms_enabled INTEGER NOT NULL,
    email_enabled INTEGER NOT NULL,
    preferred TEXT,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (pool_id, sub),
    FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
  );
  `,
  `
  CREATE TABLE passkeys (
    pool_id TEXT NOT NULL,
    credential_id TEXT NOT NULL,
    sub TEXT NOT NULL,
    public_key TEXT NOT NULL,
    sign_count INTEGER NOT NULL,
    transports TEXT NOT NULL,
    friendly_name TEXT NOT NULL,
    attachment TEXT,
    rp_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
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
    pool_id TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
    client_id TEXT NOT NULL,
    config TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (pool_id, client_id)
  );
  CREATE TABLE auth_events (
    pool_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    sub TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (pool_id, event_id),
    FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
  );
  CREATE INDEX auth_events_by_user ON auth_events (pool_id, sub, created_at, event_id);
  `,
  `
  CREATE TABLE terms (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    pool_id TEXT NOT NULL,
    terms_id TEXT NOT NULL,
    client_id TEXT NOT NULL,
    terms_name TEXT NOT NULL,
    terms_source TEXT NOT NULL,
    enforcement TEXT NOT NULL,
    links TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (pool_id, terms_id),
    UNIQUE (pool_id, client_id, terms_name),
    FOREIGN KEY (pool_id, client_id) REFERENCES clients (pool_id, client_id) ON DELETE CASCADE
  );
  CREATE INDEX terms_by_pool ON terms (pool_id, seq);

  CREATE TABLE log_delivery (
    pool_id TEXT PRIMARY KEY REFERENCES pools(id) ON DELETE CASCADE,
    configurations TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );
  `,
  `
  CREATE TABLE pool_replicas (
    pool_id TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
    region TEXT NOT NULL,
    status TEXT NOT NULL,
    tags TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (pool_id, region)
  );
  CREATE TABLE provisioned_limits (
    region TEXT NOT NULL,
    category TEXT NOT NULL,
    value INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (region, category)
  );
  CREATE TABLE limiter_instances (
    instance_id TEXT PRIMARY KEY,
    beat_at INTEGER NOT NULL
  );
  `,
  `
  CREATE TABLE user_sessions (
    pool_id TEXT NOT NULL,
    session_id TEXT NOT NULL,
    sub TEXT NOT NULL,
    type TEXT NOT NULL,
    client_id TEXT NOT NULL,
    origin_jti TEXT,
    origin_session_id TEXT,
    created_at INTEGER NOT NULL,
    last_active_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
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
    pool_id TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
    client_id TEXT NOT NULL,
    settings TEXT NOT NULL,
    PRIMARY KEY (pool_id, client_id)
  );
  `,
  `
  CREATE TABLE import_jobs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    pool_id TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
    job_id TEXT NOT NULL UNIQUE,
    job_name TEXT NOT NULL,
    role_arn TEXT NOT NULL,
    password_hashing_algorithm TEXT,
    status TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    started_at INTEGER,
    completed_at INTEGER,
    completion_message TEXT,
    imported INTEGER NOT NULL,
    skipped INTEGER NOT NULL,
    failed INTEGER NOT NULL,
    upload TEXT NOT NULL,
    upload_bytes INTEGER NOT NULL,
    heartbeat_at INTEGER
  );
  CREATE INDEX import_jobs_by_pool ON import_jobs (pool_id, seq);
  CREATE TABLE import_job_chunks (
    job_id TEXT NOT NULL REFERENCES import_jobs(job_id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (job_id, seq)
  );
  CREATE TABLE import_job_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id TEXT NOT NULL REFERENCES import_jobs(job_id) ON DELETE CASCADE,
    time INTEGER NOT NULL,
    result TEXT NOT NULL,
    line INTEGER,
    message TEXT NOT NULL
  );
  CREATE INDEX import_job_log_by_job ON import_job_log (job_id, seq);
  `,
  // Every SQLite index ends in the rowid, which is seq: the unique indexes on (pool_id, username_key)
  // and (pool_id, sub) hold the same entries as these two, and the planner already chose them for
  // every query these could serve. Dropping them saves about 110 bytes per user.
  `
  DROP INDEX users_by_username;
  DROP INDEX users_by_sub;
  `,
];
