/**
 * The server's metrics, in the Prometheus text format (`GET /metrics`, src/http/metrics.ts), with
 * prom-client. Every metric is a counter or a histogram incremented where the event happens, or a
 * gauge read only when scraped: the hot path adds a label lookup and a number, nothing more.
 * Where metrics are off (`--metrics off`) the services get NO_METRICS and nothing is measured.
 */
import client from "prom-client";
import type { Metrics } from "./context.ts";
import { passwordHashQueue } from "./crypto/password-hash.ts";

/** Metrics that measure nothing. */
export const NO_METRICS: Metrics = { event() {}, tokensIssued() {} };

/** Latency buckets (seconds) for requests and storage transactions: 0.5 ms to 10 s. */
const LATENCY = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The security-trail events (domain/audit.ts) that are lockouts, by kind. */
const LOCKOUTS: Readonly<Record<string, string>> = {
  "password check refused: locked out": "password",
  "MFA code refused: locked out": "mfa",
};
/** The security-trail events that are a message with a code sent. */
const SENT = new Set(["message sent", "message handed to custom sender"]);

/** The sign-in operations, counted by flow (AuthFlow or ChallengeName) and result. */
const SIGN_INS = new Set([
  "InitiateAuth",
  "AdminInitiateAuth",
  "RespondToAuthChallenge",
  "AdminRespondToAuthChallenge",
]);
/** The operations and routes that revoke tokens, by how. */
const REVOCATIONS: Readonly<Record<string, string>> = {
  RevokeToken: "revoke",
  "POST /oauth2/revoke": "revoke",
  GlobalSignOut: "global_sign_out",
  AdminUserGlobalSignOut: "global_sign_out",
};

export class PromMetrics implements Metrics {
  readonly registry = new client.Registry();
  private readonly requests = new client.Counter({
    name: "lanyard_requests_total",
    help: "Requests answered, by operation (the API's operation, or the method and route) and HTTP status.",
    labelNames: ["operation", "status"] as const,
    registers: [this.registry],
  });
  private readonly latency = new client.Histogram({
    name: "lanyard_request_duration_seconds",
    help: "Time from receiving a request to answering it, by operation and HTTP status.",
    labelNames: ["operation", "status"] as const,
    buckets: LATENCY,
    registers: [this.registry],
  });
  private readonly signIns = new client.Counter({
    name: "lanyard_sign_ins_total",
    help: "Sign-in steps (InitiateAuth, RespondToAuthChallenge and their Admin forms) by flow and result: tokens, challenge, or the error answered.",
    labelNames: ["flow", "result"] as const,
    registers: [this.registry],
  });
  private readonly lockouts = new client.Counter({
    name: "lanyard_lockouts_total",
    help: "Attempts refused because the user is locked out after too many failures, by kind (password, mfa).",
    labelNames: ["kind"] as const,
    registers: [this.registry],
  });
  private readonly codesSent = new client.Counter({
    name: "lanyard_codes_sent_total",
    help: "Messages with a code or a temporary password sent (or handed to a custom sender trigger), by channel and purpose.",
    labelNames: ["channel", "purpose"] as const,
    registers: [this.registry],
  });
  private readonly issued = new client.Counter({
    name: "lanyard_tokens_issued_total",
    help: "Token sets issued, to users (sign-ins and refreshes) or to app clients (client credentials).",
    labelNames: ["to"] as const,
    registers: [this.registry],
  });
  private readonly revoked = new client.Counter({
    name: "lanyard_tokens_revoked_total",
    help: "Successful revocations: of one refresh token (revoke) or of all of a user's (global_sign_out).",
    labelNames: ["how"] as const,
    registers: [this.registry],
  });
  private readonly storage = new client.Histogram({
    name: "lanyard_storage_transaction_seconds",
    help: "Duration of storage transactions, by result (commit or rollback).",
    labelNames: ["result"] as const,
    buckets: LATENCY,
    registers: [this.registry],
  });
  private readonly hashWait = new client.Histogram({
    name: "lanyard_password_hash_queue_wait_seconds",
    help: "How long each password hash or check waited for a free hashing slot.",
    buckets: [0, 0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  constructor() {
    const queue = passwordHashQueue();
    queue.onWait = (seconds) => this.hashWait.observe(seconds);
    new client.Gauge({
      name: "lanyard_password_hash_queue_depth",
      help: "Password hashes and checks waiting for a free hashing slot.",
      registers: [this.registry],
      collect() {
        this.set(passwordHashQueue().depth);
      },
    });
    new client.Gauge({
      name: "lanyard_password_hash_active",
      help: "Password hashes and checks running now.",
      registers: [this.registry],
      collect() {
        this.set(passwordHashQueue().active);
      },
    });
    // Node's own: the event-loop lag (nodejs_eventloop_lag_*), heap, GC and process figures.
    client.collectDefaultMetrics({ register: this.registry });
  }

  event(name: string, fields: Readonly<Record<string, unknown>>): void {
    const lockout = LOCKOUTS[name];
    if (lockout !== undefined) this.lockouts.inc({ kind: lockout });
    else if (SENT.has(name))
      this.codesSent.inc({ channel: String(fields.channel ?? "-"), purpose: String(fields.purpose ?? "-") });
  }

  tokensIssued(to: "user" | "client"): void {
    this.issued.inc({ to });
  }

  /**
   * The request counter's and the latency histogram's series of each operation and status, made
   * once: finding a series from its labels hashes them, on every request otherwise. Operations and
   * statuses are a fixed, small set (unknown targets are counted under one name).
   */
  private readonly series = new Map<
    string,
    { count: client.Counter.Internal; latency: client.Histogram.Internal<"operation" | "status"> }
  >();

  /** One request answered. */
  request(operation: string, status: number, seconds: number, flow?: string, result?: string): void {
    const key = `${operation}\n${status}`;
    let series = this.series.get(key);
    if (series === undefined) {
      const labels = { operation, status: String(status) };
      series = { count: this.requests.labels(labels), latency: this.latency.labels(labels) };
      this.series.set(key, series);
    }
    series.count.inc();
    series.latency.observe(seconds);
    if (flow !== undefined && SIGN_INS.has(operation)) this.signIns.inc({ flow, result: result ?? "-" });
    const how = REVOCATIONS[operation];
    if (how !== undefined && status === 200) this.revoked.inc({ how });
  }

  /** One storage transaction finished. */
  transaction(seconds: number, committed: boolean): void {
    this.storage.observe({ result: committed ? "commit" : "rollback" }, seconds);
  }

  /** The Prometheus text exposition. */
  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
