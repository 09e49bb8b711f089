/**
 * User import jobs through the AWS SDK v3: GetCSVHeader, the job's life from Created to Succeeded
 * with the upload by curl, the counts of good, duplicate and invalid rows and the log's reasons,
 * Stop, listing, and the documented errors.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  type CognitoIdentityProviderClient,
  DescribeUserImportJobCommand,
  GetCSVHeaderCommand,
  ListUserImportJobsCommand,
  StartUserImportJobCommand,
  StopUserImportJobCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../../support/assert.ts";
import { startServer, type TestServer } from "../../support/server.ts";
import {
  createJob,
  csv,
  curlUpload,
  header,
  importPool,
  readLog,
  ROLE_ARN,
  userRow,
  waitForJob,
} from "./support.ts";

describe("user import jobs (SDK)", () => {
  let server: TestServer;
  let client: CognitoIdentityProviderClient;
  before(async () => {
    server = await startServer();
    client = server.client();
  });
  after(() => server.stop());

  test("GetCSVHeader lists the pool's schema in Cognito's order, custom attributes, then the cognito: columns", async () => {
    const { poolId } = await importPool(client);
    const out = await client.send(new GetCSVHeaderCommand({ UserPoolId: poolId }));
    assert.equal(out.UserPoolId, poolId);
    assert.deepEqual(out.CSVHeader, [
      "name",
      "given_name",
      "family_name",
      "middle_name",
      "nickname",
      "preferred_username",
      "profile",
      "picture",
      "website",
      "email",
      "email_verified",
      "gender",
      "birthdate",
      "zoneinfo",
      "locale",
      "phone_number",
      "phone_number_verified",
      "address",
      "updated_at",
      "custom:tier",
      "cognito:mfa_enabled",
      "cognito:username",
    ]);
    await rejectsWith(
      client.send(new GetCSVHeaderCommand({ UserPoolId: "us-east-1_missing00" })),
      "ResourceNotFoundException",
      400,
    );
  });

  test("a job goes Created, Pending/InProgress, Succeeded; good, duplicate and invalid rows are counted and logged", async () => {
    const { poolId } = await importPool(client);
    await client.send(
      new AdminCreateUserCommand({ UserPoolId: poolId, Username: "existing", MessageAction: "SUPPRESS" }),
    );
    const columns = await header(client, poolId);
    const job = await createJob(client, poolId, "first-import");
    assert.match(job.JobId!, /^import-[0-9a-zA-Z]{10}$/);
    assert.equal(job.Status, "Created");
    assert.equal(job.JobName, "first-import");
    assert.equal(job.CloudWatchLogsRoleArn, ROLE_ARN);
    assert.ok(job.PreSignedUrl!.startsWith(`${server.url}/import-jobs/${poolId}/${job.JobId}.csv?`));
    assert.ok(job.CreationDate instanceof Date);
    assert.equal(job.StartDate, undefined);
    assert.deepEqual([job.ImportedUsers, job.SkippedUsers, job.FailedUsers], [0, 0, 0]);

    const rows = [
      userRow("ann", { given_name: "Ann", "custom:tier": "gold" }), // line 2: imported
      userRow("bob"), // line 3: imported
      userRow("existing"), // line 4: skipped (the user exists)
      userRow("ann"), // line 5: skipped (line 2 made it)
      userRow("cat", { email_verified: "false" }), // line 6: failed (no auto-verified attribute true)
      userRow("dan", { birthdate: "yesterday" }), // line 7: failed (birthdate's length)
      userRow("", {}), // line 8: failed (no username)
      userRow("eve", { "cognito:mfa_enabled": "maybe" }), // line 9: failed
      userRow("fay", { nickname: "Fay, the first" }), // line 10: imported (a quoted comma)
      userRow("hal", { "cognito:mfa_enabled": "true", phone_number: "+15555550100" }), // line 11: imported, SMS MFA
      userRow("ivy", { "cognito:mfa_enabled": "TRUE" }), // line 12: failed (MFA without a phone number)
    ];
    // As a spreadsheet program saves it: a byte order mark first, CRLF line ends.
    let file = `\uFEFF${csv(columns, rows).replaceAll("\n", "\r\n")}`;
    file = file.replace("Fay, the first", '"Fay, the first"');
    const put = await curlUpload(job.PreSignedUrl!, file);
    assert.equal(put.status, 200, put.body);
    assert.match(put.headers, /^etag: "[0-9a-f]{32}"/im);

    // A job's URL takes one file.
    const again = await curlUpload(job.PreSignedUrl!, file);
    assert.equal(again.status, 403);
    assert.match(again.body, /<Code>AccessDenied<\/Code>/);

    const started = (
      await client.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId }))
    ).UserImportJob!;
    assert.ok(["Pending", "InProgress", "Succeeded"].includes(started.Status!), started.Status);
    assert.ok(started.StartDate instanceof Date);
    const done = await waitForJob(client, poolId, job.JobId!);
    assert.equal(done.Status, "Succeeded", done.CompletionMessage);
    assert.equal(done.CompletionMessage, "Import Job Completed Successfully.");
    assert.deepEqual([done.ImportedUsers, done.SkippedUsers, done.FailedUsers], [4, 2, 5]);
    assert.ok(done.CompletionDate!.getTime() >= done.StartDate!.getTime());

    const ann = await client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "ann" }));
    assert.equal(ann.UserStatus, "RESET_REQUIRED");
    const attrs = Object.fromEntries(ann.UserAttributes!.map((a) => [a.Name, a.Value]));
    assert.equal(attrs.email, "ann@example.com");
    assert.equal(attrs.email_verified, "true");
    assert.equal(attrs.given_name, "Ann");
    assert.equal(attrs["custom:tier"], "gold");
    assert.match(attrs.sub!, /^[0-9a-f-]{36}$/);
    const fay = await client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "fay" }));
    assert.equal(fay.UserAttributes!.find((a) => a.Name === "nickname")?.Value, "Fay, the first");
    const hal = await client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "hal" }));
    assert.deepEqual(hal.UserMFASettingList, ["SMS_MFA"]);
    assert.equal(ann.UserMFASettingList, undefined);
    await rejectsWith(
      client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "cat" })),
      "UserNotFoundException",
      400,
    );

    const log = await readLog(server.url, poolId, job.JobId!);
    const rowsLogged = log.filter((e) => e.line !== undefined).map((e) => [e.line, e.result]);
    assert.deepEqual(rowsLogged, [
      [4, "SKIPPED"],
      [5, "SKIPPED"],
      [6, "FAILED"],
      [7, "FAILED"],
      [8, "FAILED"],
      [9, "FAILED"],
      [12, "FAILED"],
    ]);
    const reason = (line: number) => String(log.find((e) => e.line === line)?.message);
    assert.equal(reason(4), "The user already exists.");
    assert.match(reason(6), /does not set any of the auto verified attributes to true/);
    assert.match(reason(7), /birthdate/);
    assert.match(reason(8), /cognito:username/);
    assert.match(reason(9), /cognito:mfa_enabled/);
    assert.match(reason(12), /phone_number/);
    assert.deepEqual(
      log.filter((e) => e.line === undefined).map((e) => e.result),
      ["STARTED", "COMPLETED"],
    );

    // Started once only.
    await rejectsWith(
      client.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId })),
      "PreconditionNotMetException",
      400,
    );
    await rejectsWith(
      client.send(new StopUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId })),
      "PreconditionNotMetException",
      400,
    );
  });

  test("a file whose header is not the pool's fails the job, with the reason in CompletionMessage", async () => {
    const { poolId } = await importPool(client);
    const job = await createJob(client, poolId);
    const put = await curlUpload(
      job.PreSignedUrl!,
      "cognito:username,email,shoe_size\nann,a@example.com,9\n",
    );
    assert.equal(put.status, 200);
    await client.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId }));
    const done = await waitForJob(client, poolId, job.JobId!);
    assert.equal(done.Status, "Failed");
    assert.match(done.CompletionMessage!, /shoe_size/);
    assert.deepEqual([done.ImportedUsers, done.SkippedUsers, done.FailedUsers], [0, 0, 0]);
  });

  test("StopUserImportJob stops a running job: Stopping, then Stopped with what it imported so far", async () => {
    const { poolId } = await importPool(client);
    const columns = await header(client, poolId);
    const rows = Array.from({ length: 30_000 }, (_, i) => userRow(`stop${i}`));
    const job = await createJob(client, poolId);
    assert.equal((await curlUpload(job.PreSignedUrl!, csv(columns, rows))).status, 200);
    await client.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId }));
    const stopping = (
      await client.send(new StopUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId }))
    ).UserImportJob!;
    assert.equal(stopping.Status, "Stopping");
    const done = await waitForJob(client, poolId, job.JobId!);
    assert.equal(done.Status, "Stopped");
    assert.equal(done.CompletionMessage, "The Import Job was stopped by the developer.");
    assert.ok(done.ImportedUsers! < rows.length, `imported ${done.ImportedUsers}`);
  });

  test("StartUserImportJob needs the uploaded file; Stop needs a running job; unknown jobs are not found", async () => {
    const { poolId } = await importPool(client);
    const job = await createJob(client, poolId);
    await rejectsWith(
      client.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId })),
      "PreconditionNotMetException",
      400,
      /has not been uploaded/,
    );
    await rejectsWith(
      client.send(new StopUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId })),
      "PreconditionNotMetException",
      400,
    );
    for (const send of [
      () => client.send(new DescribeUserImportJobCommand({ UserPoolId: poolId, JobId: "import-0000000000" })),
      () => client.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: "import-0000000000" })),
      () => client.send(new StopUserImportJobCommand({ UserPoolId: poolId, JobId: "import-0000000000" })),
      () =>
        client.send(
          new DescribeUserImportJobCommand({ UserPoolId: "us-east-1_missing00", JobId: job.JobId }),
        ),
    ])
      await rejectsWith(send(), "ResourceNotFoundException", 400);
    // Another pool's job is not found in this one.
    const other = await importPool(client);
    await rejectsWith(
      client.send(new DescribeUserImportJobCommand({ UserPoolId: other.poolId, JobId: job.JobId })),
      "ResourceNotFoundException",
      400,
    );
    // The model's constraints.
    await rejectsWith(
      client.send(new DescribeUserImportJobCommand({ UserPoolId: poolId, JobId: "job-1" })),
      "InvalidParameterException",
      400,
    );
  });

  test("ListUserImportJobs pages through a pool's jobs in creation order", async () => {
    const { poolId } = await importPool(client);
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await createJob(client, poolId, `job${i}`)).JobId);
    const first = await client.send(new ListUserImportJobsCommand({ UserPoolId: poolId, MaxResults: 2 }));
    assert.deepEqual(
      first.UserImportJobs!.map((j) => j.JobId),
      ids.slice(0, 2),
    );
    assert.ok(first.PaginationToken);
    const second = await client.send(
      new ListUserImportJobsCommand({
        UserPoolId: poolId,
        MaxResults: 2,
        PaginationToken: first.PaginationToken,
      }),
    );
    assert.deepEqual(
      second.UserImportJobs!.map((j) => j.JobId),
      ids.slice(2),
    );
    assert.equal(second.PaginationToken, undefined);
    assert.equal(second.UserImportJobs![0]!.Status, "Created");
    await rejectsWith(
      client.send(new ListUserImportJobsCommand({ UserPoolId: poolId, MaxResults: 61 })),
      "InvalidParameterException",
      400,
    );
    await rejectsWith(
      client.send(
        new ListUserImportJobsCommand({ UserPoolId: poolId, MaxResults: 2, PaginationToken: "bogus" }),
      ),
      "InvalidParameterException",
      400,
    );
  });
});
