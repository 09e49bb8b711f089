/**
 * The seed file (docs/seed.md): pools as code, in YAML or JSON. Its resources use the request
 * shapes of the API (CreateUserPool, CreateUserPoolClient, CreateGroup, ...), without the
 * UserPoolId that their place in the file gives them; the collections of a pool are lower-case
 * keys (`clients`, `groups`, `users`, ...), the API's members are PascalCase as in the CLI's
 * `--cli-input-json`.
 *
 * `parseSeed` reads the file and checks it whole, before anything is applied: the seed keys by a
 * typed validator, every API-shaped resource against the generated shapes (the API's own
 * validation, so its errors are the API's), the ids against Cognito's forms, and the references
 * between resources (a user's groups). A SeedError names the file, the path inside it and the
 * AWS error.
 */
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { AwsError } from "../errors.ts";
import { InvalidParameterException } from "../generated/exceptions.ts";
import type { OperationName } from "../generated/operations.ts";
import { SHAPES } from "../generated/shapes.ts";
import type {
  CreateGroupRequest,
  CreateIdentityProviderRequest,
  CreateManagedLoginBrandingRequest,
  CreateResourceServerRequest,
  CreateUserPoolClientRequest,
  CreateUserPoolDomainRequest,
  CreateUserPoolRequest,
  SetUICustomizationRequest,
  SetUserPoolMfaConfigRequest,
} from "../generated/types.ts";
import { validateOperationInput } from "./call.ts";

type Without<T, K extends keyof T> = Omit<T, K>;

export interface SeedClient extends Without<CreateUserPoolClientRequest, "UserPoolId" | "GenerateSecret"> {
  /** 26 lower-case letters and digits. */
  ClientId: string;
  uiCustomization?: Without<SetUICustomizationRequest, "UserPoolId" | "ClientId">;
  managedLoginBranding?: Without<CreateManagedLoginBrandingRequest, "UserPoolId" | "ClientId">;
}

/** A user's TOTP authenticator: its secret, in the clear or sealed under the seed key. */
export interface SeedTotp {
  /** The base32 secret in the clear (a hand-written seed). */
  Secret?: string;
  /** The secret sealed under the seed key (`lanyard export --seed-key`). */
  SealedSecret?: string;
  FriendlyName?: string;
}

export interface SeedMfa {
  Totp?: SeedTotp;
  /** The factors enabled, as SetUserMFAPreference: SOFTWARE_TOKEN_MFA, SMS_MFA, EMAIL_OTP. */
  Enabled?: string[];
  Preferred?: string;
  WebAuthn?: boolean;
}

export interface SeedDevice {
  DeviceKey: string;
  DeviceGroupKey: string;
  DeviceName?: string;
  SrpSalt?: string;
  SrpVerifier?: string;
  Remembered: boolean;
  CreatedAt?: number;
  LastAuthenticatedAt?: number;
}

export interface SeedIdentity {
  ProviderName: string;
  /** The provider's subject attribute (`Cognito_Subject`) and value. */
  ProviderAttributeName: string;
  ProviderAttributeValue: string;
}

export interface SeedPasswordHash {
  /** An Argon2id hash in PHC form, as Lanyard stores it. */
  Hash: string;
  SrpSalt?: string;
  SrpVerifier?: string;
}

export interface SeedUser {
  Username: string;
  /** Attribute name to value (no `sub`). */
  Attributes?: Record<string, string>;
  /** Kept from an export: the user's sub (a UUID). */
  Sub?: string;
  Enabled?: boolean;
  Status?: "CONFIRMED" | "UNCONFIRMED" | "RESET_REQUIRED" | "FORCE_CHANGE_PASSWORD" | "EXTERNAL_PROVIDER";
  Groups?: string[];
  /** A password in the clear, hashed at the first start (checked against the pool's policy). */
  Password?: string;
  /** An exported hash (and SRP verifier): stored as it is. */
  PasswordHash?: SeedPasswordHash;
  /** The password is temporary: the user is FORCE_CHANGE_PASSWORD and must change it. */
  TemporaryPassword?: boolean;
  Mfa?: SeedMfa;
  Devices?: SeedDevice[];
  Identities?: SeedIdentity[];
}

export interface SeedPool extends Without<CreateUserPoolRequest, never> {
  /** `<region>_<9 letters and digits>`. */
  Id: string;
  mfaConfig?: Without<SetUserPoolMfaConfigRequest, "UserPoolId">;
  clients?: SeedClient[];
  groups?: Without<CreateGroupRequest, "UserPoolId">[];
  resourceServers?: Without<CreateResourceServerRequest, "UserPoolId">[];
  identityProviders?: Without<CreateIdentityProviderRequest, "UserPoolId">[];
  domains?: Without<CreateUserPoolDomainRequest, "UserPoolId">[];
  users?: SeedUser[];
}

export interface SeedFile {
  /** Delete what the file does not name: pools, and the resources and users of its pools. */
  prune?: boolean;
  pools: SeedPool[];
}

/** A refused seed file: the file, the path inside it, and the AWS error. */
export class SeedError extends Error {
  readonly file: string;
  readonly path: string;
  override readonly cause: AwsError;
  constructor(file: string, path: string, cause: AwsError) {
    super(`${file}: ${path}: ${cause.type}: ${cause.message}`);
    this.name = "SeedError";
    this.file = file;
    this.path = path;
    this.cause = cause;
  }
}

export const POOL_ID = /^[a-z]{2}(?:-[a-z]+)+-\d+_[0-9A-Za-z]{9}$/;
export const CLIENT_ID = /^[a-z0-9]{26}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The seed's own keys of each level, beside the API members of the level's shape. */
const POOL_KEYS = [
  "Id",
  "mfaConfig",
  "clients",
  "groups",
  "resourceServers",
  "identityProviders",
  "domains",
  "users",
] as const;
const CLIENT_KEYS = ["ClientId", "uiCustomization", "managedLoginBranding"] as const;
const USER_KEYS: ReadonlySet<string> = new Set([
  "Username",
  "Attributes",
  "Sub",
  "Enabled",
  "Status",
  "Groups",
  "Password",
  "PasswordHash",
  "TemporaryPassword",
  "Mfa",
  "Devices",
  "Identities",
]);
const STATUSES = new Set([
  "CONFIRMED",
  "UNCONFIRMED",
  "RESET_REQUIRED",
  "FORCE_CHANGE_PASSWORD",
  "EXTERNAL_PROVIDER",
]);
const FACTORS = new Set(["SOFTWARE_TOKEN_MFA", "SMS_MFA", "EMAIL_OTP"]);

const invalid = (message: string) => new InvalidParameterException(message);

/** Where in the file a check failed. */
class Checker {
  readonly file: string;
  constructor(file: string) {
    this.file = file;
  }

  fail(path: string, message: string): never {
    throw new SeedError(this.file, path, invalid(message));
  }

  object(value: unknown, path: string): Record<string, unknown> {
    if (typeof value !== "object" || value === null || Array.isArray(value))
      this.fail(path, "must be an object");
    return value as Record<string, unknown>;
  }

  list(value: unknown, path: string): unknown[] {
    if (value === undefined) return [];
    if (!Array.isArray(value)) this.fail(path, "must be a list");
    return value;
  }

  string(value: unknown, path: string, optional = false): void {
    if (value === undefined && optional) return;
    if (typeof value !== "string") this.fail(path, "must be a string");
  }

  boolean(value: unknown, path: string): void {
    if (value !== undefined && typeof value !== "boolean") this.fail(path, "must be true or false");
  }

  /** Only the keys of the level (the seed's own and the API shape's members). */
  keys(obj: Record<string, unknown>, path: string, own: Iterable<string>, shape?: string): void {
    const allowed = new Set(own);
    const members = shape ? SHAPES[shape] : undefined;
    if (members?.type === "structure") for (const m of Object.keys(members.members)) allowed.add(m);
    for (const k of Object.keys(obj))
      if (!allowed.has(k)) this.fail(`${path}.${k}`, `is not a key of this place in a seed file`);
  }

  /**
   * An API-shaped resource, checked as the API checks the operation's input. The error's path
   * goes down to the member the validation message names, when it names one.
   */
  api(name: OperationName & Parameters<typeof validateOperationInput>[0], input: object, path: string): void {
    try {
      validateOperationInput(name, input);
    } catch (e) {
      if (!(e instanceof AwsError)) throw e;
      throw new SeedError(this.file, memberOf(path, input, e.message), e);
    }
  }
}

/** The path of the first member a validation message names (`at 'callbackURLs'`), in the file's spelling. */
export function memberOf(path: string, input: object, message: string): string {
  const at = /at '([A-Za-z0-9]+)/.exec(message)?.[1];
  if (!at) return path;
  const key = Object.keys(input).find((k) => k.toLowerCase() === at.toLowerCase());
  return key ? `${path}.${key}` : path;
}

function strip<T extends object>(obj: T, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (!keys.includes(k)) out[k] = v;
  return out;
}

/** The API part of a pool (CreateUserPool's input). */
export function poolInput(pool: SeedPool): CreateUserPoolRequest {
  return strip(pool, POOL_KEYS) as unknown as CreateUserPoolRequest;
}

/** The API part of a client (CreateUserPoolClient's input, without UserPoolId). */
export function clientInput(client: SeedClient): Without<CreateUserPoolClientRequest, "UserPoolId"> {
  return strip(client, CLIENT_KEYS) as unknown as Without<CreateUserPoolClientRequest, "UserPoolId">;
}

function checkUser(c: Checker, value: unknown, path: string, groups: ReadonlySet<string>): void {
  const u = c.object(value, path);
  c.keys(u, path, USER_KEYS);
  c.string(u.Username, `${path}.Username`);
  if (u.Attributes !== undefined) {
    const attrs = c.object(u.Attributes, `${path}.Attributes`);
    for (const [k, v] of Object.entries(attrs)) c.string(v, `${path}.Attributes.${k}`);
    if ("sub" in attrs) c.fail(`${path}.Attributes.sub`, "sub is set by the server (or by Sub)");
  }
  if (u.Sub !== undefined && !(typeof u.Sub === "string" && UUID.test(u.Sub)))
    c.fail(`${path}.Sub`, "must be a UUID in lower case");
  c.boolean(u.Enabled, `${path}.Enabled`);
  c.boolean(u.TemporaryPassword, `${path}.TemporaryPassword`);
  if (u.Status !== undefined && !STATUSES.has(u.Status as string))
    c.fail(`${path}.Status`, `must be one of ${[...STATUSES].join(", ")}`);
  c.list(u.Groups, `${path}.Groups`).forEach((g, i) => {
    c.string(g, `${path}.Groups[${i}]`);
    if (!groups.has(g as string)) c.fail(`${path}.Groups[${i}]`, `names no group of the pool: ${String(g)}`);
  });
  c.string(u.Password, `${path}.Password`, true);
  if (u.Password !== undefined && u.PasswordHash !== undefined)
    c.fail(path, "give Password or PasswordHash, not both");
  if (u.PasswordHash !== undefined) {
    const h = c.object(u.PasswordHash, `${path}.PasswordHash`);
    c.keys(h, `${path}.PasswordHash`, ["Hash", "SrpSalt", "SrpVerifier"]);
    c.string(h.Hash, `${path}.PasswordHash.Hash`);
    c.string(h.SrpSalt, `${path}.PasswordHash.SrpSalt`, true);
    c.string(h.SrpVerifier, `${path}.PasswordHash.SrpVerifier`, true);
    if ((h.SrpSalt === undefined) !== (h.SrpVerifier === undefined))
      c.fail(`${path}.PasswordHash`, "SrpSalt and SrpVerifier go together");
  }
  if (u.Mfa !== undefined) {
    const m = c.object(u.Mfa, `${path}.Mfa`);
    c.keys(m, `${path}.Mfa`, ["Totp", "Enabled", "Preferred", "WebAuthn"]);
    if (m.Totp !== undefined) {
      const t = c.object(m.Totp, `${path}.Mfa.Totp`);
      c.keys(t, `${path}.Mfa.Totp`, ["Secret", "SealedSecret", "FriendlyName"]);
      c.string(t.Secret, `${path}.Mfa.Totp.Secret`, true);
      c.string(t.SealedSecret, `${path}.Mfa.Totp.SealedSecret`, true);
      c.string(t.FriendlyName, `${path}.Mfa.Totp.FriendlyName`, true);
      if ((t.Secret === undefined) === (t.SealedSecret === undefined))
        c.fail(`${path}.Mfa.Totp`, "give Secret or SealedSecret");
      if (t.Secret !== undefined && !/^[A-Z2-7]{16,}=*$/.test(t.Secret as string))
        c.fail(`${path}.Mfa.Totp.Secret`, "must be a base32 secret");
    }
    c.list(m.Enabled, `${path}.Mfa.Enabled`).forEach((f, i) => {
      if (!FACTORS.has(f as string))
        c.fail(`${path}.Mfa.Enabled[${i}]`, `must be one of ${[...FACTORS].join(", ")}`);
    });
    if (m.Preferred !== undefined && !FACTORS.has(m.Preferred as string))
      c.fail(`${path}.Mfa.Preferred`, `must be one of ${[...FACTORS].join(", ")}`);
    c.boolean(m.WebAuthn, `${path}.Mfa.WebAuthn`);
  }
  c.list(u.Devices, `${path}.Devices`).forEach((d, i) => {
    const p = `${path}.Devices[${i}]`;
    const dev = c.object(d, p);
    c.keys(dev, p, [
      "DeviceKey",
      "DeviceGroupKey",
      "DeviceName",
      "SrpSalt",
      "SrpVerifier",
      "Remembered",
      "CreatedAt",
      "LastAuthenticatedAt",
    ]);
    c.string(dev.DeviceKey, `${p}.DeviceKey`);
    c.string(dev.DeviceGroupKey, `${p}.DeviceGroupKey`);
    if (typeof dev.Remembered !== "boolean") c.fail(`${p}.Remembered`, "must be true or false");
  });
  c.list(u.Identities, `${path}.Identities`).forEach((d, i) => {
    const p = `${path}.Identities[${i}]`;
    const link = c.object(d, p);
    c.keys(link, p, ["ProviderName", "ProviderAttributeName", "ProviderAttributeValue"]);
    c.string(link.ProviderName, `${p}.ProviderName`);
    c.string(link.ProviderAttributeName, `${p}.ProviderAttributeName`);
    c.string(link.ProviderAttributeValue, `${p}.ProviderAttributeValue`);
  });
}

function unique(c: Checker, items: unknown[], key: string, path: string): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const v = (item as Record<string, unknown>)[key];
    if (typeof v !== "string") return;
    if (seen.has(v)) c.fail(`${path}[${i}].${key}`, `${v} appears twice`);
    seen.add(v);
  });
}

const DUMMY_POOL = "us-east-1_AAAAAAAAA";
const DUMMY_CLIENT = "a".repeat(26);

function checkPool(c: Checker, value: unknown, path: string, clientIds: Set<string>): void {
  const pool = c.object(value, path);
  c.keys(pool, path, POOL_KEYS, "CreateUserPoolRequest");
  if (typeof pool.Id !== "string" || !POOL_ID.test(pool.Id))
    c.fail(`${path}.Id`, "a pool id is <region>_<9 letters and digits>, like us-east-1_AbC123xYz");
  c.api("CreateUserPool", poolInput(pool as unknown as SeedPool), path);
  if (pool.mfaConfig !== undefined)
    c.api(
      "SetUserPoolMfaConfig",
      { ...c.object(pool.mfaConfig, `${path}.mfaConfig`), UserPoolId: DUMMY_POOL },
      `${path}.mfaConfig`,
    );
  const clients = c.list(pool.clients, `${path}.clients`);
  clients.forEach((v, i) => {
    const p = `${path}.clients[${i}]`;
    const client = c.object(v, p);
    c.keys(client, p, CLIENT_KEYS, "CreateUserPoolClientRequest");
    if ("GenerateSecret" in client) c.fail(`${p}.GenerateSecret`, "give the secret itself: ClientSecret");
    if (typeof client.ClientId !== "string" || !CLIENT_ID.test(client.ClientId))
      c.fail(`${p}.ClientId`, "an app client id is 26 lower-case letters and digits");
    if (clientIds.has(client.ClientId)) c.fail(`${p}.ClientId`, `${client.ClientId} appears twice`);
    clientIds.add(client.ClientId);
    c.api(
      "CreateUserPoolClient",
      { ...clientInput(client as unknown as SeedClient), UserPoolId: DUMMY_POOL },
      p,
    );
    if (client.uiCustomization !== undefined) {
      const ui = c.object(client.uiCustomization, `${p}.uiCustomization`);
      c.api(
        "SetUICustomization",
        { ...ui, UserPoolId: DUMMY_POOL, ClientId: DUMMY_CLIENT },
        `${p}.uiCustomization`,
      );
    }
    if (client.managedLoginBranding !== undefined) {
      const b = c.object(client.managedLoginBranding, `${p}.managedLoginBranding`);
      c.api(
        "CreateManagedLoginBranding",
        { ...b, UserPoolId: DUMMY_POOL, ClientId: DUMMY_CLIENT },
        `${p}.managedLoginBranding`,
      );
    }
  });
  const each = (
    key: "groups" | "resourceServers" | "identityProviders" | "domains",
    op: Parameters<Checker["api"]>[0],
    id: string,
  ) => {
    const items = c.list(pool[key], `${path}.${key}`);
    items.forEach((v, i) =>
      c.api(op, { ...c.object(v, `${path}.${key}[${i}]`), UserPoolId: DUMMY_POOL }, `${path}.${key}[${i}]`),
    );
    unique(c, items, id, `${path}.${key}`);
    return items;
  };
  const groups = each("groups", "CreateGroup", "GroupName");
  each("resourceServers", "CreateResourceServer", "Identifier");
  each("identityProviders", "CreateIdentityProvider", "ProviderName");
  each("domains", "CreateUserPoolDomain", "Domain");
  const groupNames = new Set(groups.map((g) => (g as { GroupName: string }).GroupName));
  const users = c.list(pool.users, `${path}.users`);
  users.forEach((u, i) => checkUser(c, u, `${path}.users[${i}]`, groupNames));
  unique(c, users, "Username", `${path}.users`);
  unique(c, users, "Sub", `${path}.users`);
}

/** Checks a parsed seed document; `file` names it in errors. */
export function checkSeed(doc: unknown, file: string): SeedFile {
  const c = new Checker(file);
  const root = c.object(doc ?? {}, "(top)");
  c.keys(root, "(top)", ["prune", "pools"]);
  c.boolean(root.prune, "prune");
  const pools = c.list(root.pools, "pools");
  const clientIds = new Set<string>();
  pools.forEach((p, i) => checkPool(c, p, `pools[${i}]`, clientIds));
  unique(c, pools, "Id", "pools");
  return root as unknown as SeedFile;
}

/**
 * A seed document: JSON read as JSON (JSON.parse reads large files a hundred times faster than the
 * YAML parser), anything else as YAML (of which JSON is a part).
 */
function parseDocument(text: string): unknown {
  if (/^\s*[{[]/.test(text)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // YAML's flow style also starts with a brace: let the YAML parser read it, or say why not.
    }
  }
  return parseYaml(text, { maxAliasCount: 100 });
}

/** Reads and checks a seed file (YAML, of which JSON is a part). */
export function readSeed(file: string): SeedFile {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new SeedError(file, "(file)", invalid(`cannot read the file: ${(e as Error).message}`));
  }
  let doc: unknown;
  try {
    doc = parseDocument(text);
  } catch (e) {
    throw new SeedError(file, "(file)", invalid(`not YAML or JSON: ${(e as Error).message}`));
  }
  return checkSeed(doc, file);
}
