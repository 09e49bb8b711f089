import { randomBytes, randomInt, randomUUID } from "node:crypto";

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";

function pick(alphabet: string, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += alphabet[randomInt(alphabet.length)];
  return s;
}

/** `<region>_<9 alphanumerics>`, like us-east-1_AbC123xYz. */
export function newPoolId(region: string): string {
  return `${region}_${pick(ALNUM, 9)}`;
}

/** 26 lower-case alphanumerics, like Cognito's app client ids. */
export function newClientId(): string {
  return pick(LOWER_ALNUM, 26);
}

/** 51 characters of base32-like lower-case alphanumerics, Cognito's client secret form. */
export function newClientSecret(): string {
  return pick(LOWER_ALNUM, 51);
}

/** `<clientId>--<n>`-style ids for client secrets. */
export function newClientSecretId(clientId: string): string {
  return `${clientId}--${randomBytes(6).readUIntBE(0, 6)}`;
}

export function newSub(): string {
  return randomUUID();
}

export function poolArn(region: string, accountId: string, poolId: string): string {
  return `arn:aws:cognito-idp:${region}:${accountId}:userpool/${poolId}`;
}

/** Parses `arn:aws:cognito-idp:<region>:<account>:userpool/<poolId>`. */
export function parsePoolArn(arn: string): { region: string; accountId: string; poolId: string } | undefined {
  const m = /^arn:aws[a-z-]*:cognito-idp:([a-z0-9-]+):(\d{12}):userpool\/([\w-]+_[0-9a-zA-Z]+)$/.exec(arn);
  return m ? { region: m[1]!, accountId: m[2]!, poolId: m[3]! } : undefined;
}

/** Epoch milliseconds to the wire's epoch seconds (with fractions, as AWS sends them). */
export function wireTime(ms: number): number {
  return ms / 1000;
}
