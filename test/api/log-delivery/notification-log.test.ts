/**
 * userNotification records: a message the delivery cannot deliver (an SMTP server that refuses the
 * recipient) writes an ERROR record in Cognito's shape to the pool's file, or to stdout.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  type CognitoIdentityProviderClient,
  SetLogDeliveryConfigurationCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { SMTPServer } from "smtp-server";
import { rejectsWith } from "../../support/assert.ts";
import { poolWithClient } from "../../support/pools.ts";
import { testPostgresUrl } from "../../support/postgres.ts";
import { startServer, type TestServer } from "../../support/server.ts";

const LOG_GROUP = "arn:aws:logs:us-east-1:123456789012:log-group:user-pool-exported";

/** An SMTP server that refuses every recipient. */
async function refusingSmtp(): Promise<{ smtp: SMTPServer; port: number }> {
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(_address, _session, callback) {
      callback(Object.assign(new Error("Mailbox unavailable"), { responseCode: 550 }));
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  return { smtp, port: (smtp.server.address() as AddressInfo).port };
}

async function signUpRefused(cognito: CognitoIdentityProviderClient, clientId: string, username: string) {
  await rejectsWith(
    cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: username,
        Password: "Corr3ct-Horse!",
        UserAttributes: [{ Name: "email", Value: `${username}@example.com` }],
      }),
    ),
    "CodeDeliveryFailureException",
    400,
  );
}

const exportNotifications = (cognito: CognitoIdentityProviderClient, UserPoolId: string) =>
  cognito.send(
    new SetLogDeliveryConfigurationCommand({
      UserPoolId,
      LogConfigurations: [
        {
          EventSource: "userNotification",
          LogLevel: "ERROR",
          CloudWatchLogsConfiguration: { LogGroupArn: LOG_GROUP },
        },
      ],
    }),
  );

describe("userNotification log records", () => {
  let smtp: SMTPServer;
  let port: number;
  before(async () => {
    ({ smtp, port } = await refusingSmtp());
  });
  after(() => new Promise<void>((resolve) => smtp.close(() => resolve())));
  const smtpEnv = () => ({
    LANYARD_DELIVERY: "smtp",
    LANYARD_SMTP_HOST: "127.0.0.1",
    LANYARD_SMTP_PORT: String(port),
  });

  describe("the file sink", () => {
    let dir: string;
    let server: TestServer;
    let cognito: CognitoIdentityProviderClient;
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), "lanyard-logs-"));
      server = await startServer({
        args: ["--memory", "--log-delivery-dir", join(dir, "logs")],
        env: smtpEnv(),
      });
      cognito = server.client();
    });
    after(async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    test("a refused email is one ERROR record in the pool's file, readable by the owner only", async () => {
      const opts = { pool: { AutoVerifiedAttributes: ["email" as const] } };
      const { poolId, clientId } = await poolWithClient(cognito, opts);
      const quiet = await poolWithClient(cognito, opts);
      await exportNotifications(cognito, poolId);
      const before = Date.now();
      await signUpRefused(cognito, clientId, "ruth");
      await signUpRefused(cognito, quiet.clientId, "sam");

      const file = join(dir, "logs", `${poolId}.userNotification.jsonl`);
      const lines = readFileSync(file, "utf8").trim().split("\n");
      assert.equal(lines.length, 1);
      const record = JSON.parse(lines[0]!);
      assert.deepEqual(Object.keys(record), [
        "eventTimestamp",
        "eventSource",
        "logLevel",
        "message",
        "logSourceId",
      ]);
      assert.match(record.eventTimestamp, /^\d{13}$/);
      assert.ok(
        Number(record.eventTimestamp) >= before - 1000 && Number(record.eventTimestamp) <= Date.now(),
      );
      assert.equal(record.eventSource, "USER_NOTIFICATION");
      assert.equal(record.logLevel, "ERROR");
      assert.deepEqual(record.logSourceId, { userPoolId: poolId });
      assert.deepEqual(Object.keys(record.message), ["details"]);
      assert.match(record.message.details, /EMAIL message delivery failed/);
      assert.doesNotMatch(lines[0]!, /ruth@example\.com/, "the destination is not logged");

      assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.equal(statSync(join(dir, "logs")).mode & 0o077, 0, "the directory is the owner's only");
      // The pool that exports nothing gets no file.
      assert.equal(existsSync(join(dir, "logs", `${quiet.poolId}.userNotification.jsonl`)), false);

      await signUpRefused(cognito, clientId, "tess");
      assert.equal(readFileSync(file, "utf8").trim().split("\n").length, 2, "records are appended");
    });
  });

  test(
    "with a data directory, the records go to <data>/log-delivery by default",
    { skip: testPostgresUrl() !== undefined && "PostgreSQL has no data directory" },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "lanyard-data-"));
      const server = await startServer({ args: ["--data", dir], env: smtpEnv() });
      try {
        const cognito = server.client();
        const { poolId, clientId } = await poolWithClient(cognito, {
          pool: { AutoVerifiedAttributes: ["email"] },
        });
        await exportNotifications(cognito, poolId);
        await signUpRefused(cognito, clientId, "vera");
        const file = join(dir, "log-delivery", `${poolId}.userNotification.jsonl`);
        assert.equal(JSON.parse(readFileSync(file, "utf8")).eventSource, "USER_NOTIFICATION");
      } finally {
        await server.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  test("the file sink without a directory to write to refuses to start", async () => {
    await assert.rejects(
      startServer({ args: ["--memory", "--log-delivery", "file"] }),
      /server exited with 2: lanyard: the file log delivery needs a directory/,
    );
  });

  test("the stdout sink prints each record as one JSON line", async () => {
    const server = await startServer({ args: ["--memory", "--log-delivery", "stdout"], env: smtpEnv() });
    try {
      let stdout = "";
      server.process.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
      const cognito = server.client();
      const { poolId, clientId } = await poolWithClient(cognito, {
        pool: { AutoVerifiedAttributes: ["email"] },
      });
      await exportNotifications(cognito, poolId);
      await signUpRefused(cognito, clientId, "uma");
      for (let i = 0; i < 40 && !stdout.includes("USER_NOTIFICATION"); i++)
        await new Promise((r) => setTimeout(r, 50));
      const line = stdout.split("\n").find((l) => l.includes("USER_NOTIFICATION"));
      assert.ok(line, `no record on stdout: ${stdout}`);
      const record = JSON.parse(line);
      assert.equal(record.logLevel, "ERROR");
      assert.deepEqual(record.logSourceId, { userPoolId: poolId });
    } finally {
      await server.stop();
    }
  });
});
