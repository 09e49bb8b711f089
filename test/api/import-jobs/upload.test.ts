/**
 * The pre-signed upload URL: signed, expiring, one file, size-limited, with S3's XML errors; the
 * log endpoint's SigV4 check; a job not started within 24 hours Expired; imported users (in
 * RESET_REQUIRED) setting a password through ForgotPassword and signing in.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  AdminGetUserCommand,
  type CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  DescribeUserImportJobCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  StartUserImportJobCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../../support/assert.ts";
import { inbox, setClockOffset } from "../../support/inbox.ts";
import { startServer, type TestServer } from "../../support/server.ts";
import { startClientSrp } from "../../support/srp-client.ts";
import { createJob, csv, curlUpload, header, importPool, userRow, waitForJob } from "./support.ts";

const MAX = 64 * 1024;

describe("the import upload URL and imported users", () => {
  let server: TestServer;
  let client: CognitoIdentityProviderClient;
  before(async () => {
    server = await startServer({
      args: ["--memory", "--delivery", "inbox", "--enable-test-clock"],
      env: { LANYARD_IMPORT_MAX_BYTES: String(MAX) },
    });
    client = server.client();
  });
  after(() => server.stop());

  test("a tampered, unsigned or other job's URL is refused with S3's errors", async () => {
    const { poolId } = await importPool(client);
    const job = await createJob(client, poolId);
    const other = await createJob(client, poolId);
    const url = new URL(job.PreSignedUrl!);
    assert.deepEqual([...url.searchParams.keys()].sort(), ["X-Amz-Date", "X-Amz-Expires", "X-Amz-Signature"]);

    const tampered = new URL(url);
    tampered.searchParams.set("X-Amz-Expires", "999999");
    let res = await curlUpload(tampered.href, "x\n");
    assert.equal(res.status, 403);
    assert.match(res.body, /<Code>SignatureDoesNotMatch<\/Code>/);

    const elsewhere = new URL(other.PreSignedUrl!);
    elsewhere.pathname = url.pathname;
    res = await curlUpload(elsewhere.href, "x\n");
    assert.equal(res.status, 403);
    assert.match(res.body, /<Code>SignatureDoesNotMatch<\/Code>/);

    res = await curlUpload(`${url.origin}${url.pathname}`, "x\n");
    assert.equal(res.status, 403);
    assert.match(res.body, /<Code>AccessDenied<\/Code>/);
    assert.match(res.headers, /content-type: application\/xml/i);

    // Nothing was stored: the real URL still takes its file.
    assert.equal((await curlUpload(job.PreSignedUrl!, "x\n")).status, 200);
  });

  test("a file over the size limit is refused (400 EntityTooLarge) and the URL stays usable", async () => {
    const { poolId } = await importPool(client);
    const job = await createJob(client, poolId);
    const big = Buffer.alloc(MAX + 1, "a");
    const res = await curlUpload(job.PreSignedUrl!, big);
    assert.equal(res.status, 400);
    assert.match(res.body, /<Code>EntityTooLarge<\/Code>/);
    assert.match(res.body, new RegExp(`<MaxSizeAllowed>${MAX}</MaxSizeAllowed>`));
    // Over a megabyte curl asks `Expect: 100-continue`: the answer comes before the body is sent.
    const bigger = await curlUpload(job.PreSignedUrl!, Buffer.alloc(2 * 1024 * 1024, "a"));
    assert.equal(bigger.status, 400);
    assert.match(bigger.body, /<Code>EntityTooLarge<\/Code>/);
    assert.match(bigger.body, new RegExp(`<ProposedSize>${2 * 1024 * 1024}</ProposedSize>`));
    await rejectsWith(
      client.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId })),
      "PreconditionNotMetException",
      400,
    );

    // A body without a declared length (chunked) is cut at the limit too.
    const chunked = await fetch(job.PreSignedUrl!, {
      method: "PUT",
      body: new ReadableStream({
        start(c) {
          for (let i = 0; i < 20; i++) c.enqueue(new Uint8Array(8 * 1024).fill(97));
          c.close();
        },
      }),
      duplex: "half",
    } as RequestInit);
    assert.equal(chunked.status, 400);
    assert.match(await chunked.text(), /<Code>EntityTooLarge<\/Code>/);

    const columns = await header(client, poolId);
    assert.equal((await curlUpload(job.PreSignedUrl!, csv(columns, [userRow("small")]))).status, 200);
  });

  test("the URL expires an hour after the job's creation; an unstarted job is Expired after 24 hours", async () => {
    const { poolId } = await importPool(client);
    const job = await createJob(client, poolId);
    try {
      await setClockOffset(server, 61 * 60 * 1000);
      const res = await curlUpload(job.PreSignedUrl!, "x\n");
      assert.equal(res.status, 403);
      assert.match(res.body, /<Message>Request has expired<\/Message>/);
      await setClockOffset(server, 25 * 60 * 60 * 1000);
      const out = await client.send(
        new DescribeUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId }),
      );
      assert.equal(out.UserImportJob!.Status, "Expired");
      assert.ok(out.UserImportJob!.CompletionDate instanceof Date);
      await rejectsWith(
        client.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId })),
        "PreconditionNotMetException",
        400,
      );
    } finally {
      await setClockOffset(server, 0);
    }
  });

  test("the log endpoint wants a SigV4 signature", async () => {
    const { poolId } = await importPool(client);
    const job = await createJob(client, poolId);
    const res = await fetch(`${server.url}/import-jobs/${poolId}/${job.JobId}/log`);
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { __type: string }).__type, "MissingAuthenticationTokenException");
  });

  test("imported users are RESET_REQUIRED: sign-in asks for a reset; ForgotPassword and ConfirmForgotPassword let them in", async () => {
    const { poolId, clientId } = await importPool(client);
    const columns = await header(client, poolId);
    const job = await createJob(client, poolId);
    assert.equal((await curlUpload(job.PreSignedUrl!, csv(columns, [userRow("gil")]))).status, 200);
    await client.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId }));
    const done = await waitForJob(client, poolId, job.JobId!);
    assert.equal(done.ImportedUsers, 1);
    const signIn = (password: string) =>
      client.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: "gil", PASSWORD: password },
        }),
      );
    await rejectsWith(signIn("Anything-1a"), "PasswordResetRequiredException", 400);
    await rejectsWith(
      client.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: "USER_SRP_AUTH",
          AuthParameters: { USERNAME: "gil", SRP_A: startClientSrp().srpA },
        }),
      ),
      "PasswordResetRequiredException",
      400,
    );
    await client.send(new ForgotPasswordCommand({ ClientId: clientId, Username: "gil" }));
    const [message] = await inbox(server, { poolId, username: "gil" });
    assert.equal(message?.destination, "gil@example.com");
    await client.send(
      new ConfirmForgotPasswordCommand({
        ClientId: clientId,
        Username: "gil",
        ConfirmationCode: message!.code,
        Password: "New-Passw0rd!",
      }),
    );
    const user = await client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "gil" }));
    assert.equal(user.UserStatus, "CONFIRMED");
    assert.ok((await signIn("New-Passw0rd!")).AuthenticationResult?.AccessToken);
  });
});
