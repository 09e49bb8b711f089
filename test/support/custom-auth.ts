/**
 * A server whose custom-auth ARNs run the handlers of test/fixtures/triggers/custom-*.ts, a pool
 * wired to them, and the events those handlers noted (one JSON line per event in a file).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { poolWithClient } from "./pools.ts";
import { startServer, type StartOptions, type TestServer } from "./server.ts";

const FIXTURES = path.resolve(import.meta.dirname, "../fixtures/triggers");

export const ARNS = {
  DefineAuthChallenge: "arn:aws:lambda:us-east-1:123456789012:function:custom-define",
  CreateAuthChallenge: "arn:aws:lambda:us-east-1:123456789012:function:custom-create",
  VerifyAuthChallengeResponse: "arn:aws:lambda:us-east-1:123456789012:function:custom-verify",
};

export interface CustomAuthServer {
  server: TestServer;
  /** The events the handlers received since the last call, oldest first. */
  takeEvents(): Record<string, unknown>[];
  stop(): Promise<void>;
}

export async function customAuthServer(options: StartOptions = {}): Promise<CustomAuthServer> {
  const dir = mkdtempSync(path.join(tmpdir(), "lanyard-custom-auth-"));
  const log = path.join(dir, "events.jsonl");
  writeFileSync(log, "");
  const triggers = {
    "arn:aws:lambda:*:*:function:custom-define": { module: path.join(FIXTURES, "custom-define.ts") },
    "arn:aws:lambda:*:*:function:custom-create": { module: path.join(FIXTURES, "custom-create.ts") },
    "arn:aws:lambda:*:*:function:custom-verify": { module: path.join(FIXTURES, "custom-verify.ts") },
  };
  const server = await startServer({
    ...options,
    env: { ...options.env, LANYARD_TRIGGERS: JSON.stringify(triggers), CUSTOM_AUTH_EVENTS: log },
  });
  return {
    server,
    takeEvents() {
      const lines = readFileSync(log, "utf8").split("\n").filter(Boolean);
      writeFileSync(log, "");
      return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    },
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A pool with the three challenge triggers and a client that allows CUSTOM_AUTH (and SRP, refresh). */
export async function customAuthPool(
  admin: CognitoIdentityProviderClient,
  app: { PreventUserExistenceErrors?: "ENABLED" | "LEGACY" } = {},
) {
  return poolWithClient(admin, {
    pool: { PoolName: "custom-auth", LambdaConfig: ARNS },
    app: {
      ExplicitAuthFlows: ["ALLOW_CUSTOM_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      ...app,
    },
  });
}
