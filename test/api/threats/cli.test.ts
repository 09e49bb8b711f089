/** Threat protection's five operations through the AWS CLI, as a user would run them against Lanyard. */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { inbox } from "../../support/inbox.ts";
import { startServer, type TestServer } from "../../support/server.ts";

const run = promisify(execFile);

describe("threat protection through the AWS CLI", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ args: ["--memory", "--delivery", "inbox"] });
  });
  after(() => server.stop());

  const aws = async (...args: string[]) => {
    const { stdout } = await run(
      "aws",
      ["cognito-idp", ...args, "--endpoint-url", server.url, "--region", "us-east-1", "--output", "json"],
      {
        env: { ...process.env, AWS_ACCESS_KEY_ID: "dummy", AWS_SECRET_ACCESS_KEY: "dummy", AWS_PAGER: "" },
      },
    );
    return stdout.trim() ? JSON.parse(stdout) : {};
  };
  const fails = (p: Promise<unknown>, name: string) =>
    assert.rejects(p, (e: Error & { stderr?: string }) => {
      assert.match(e.stderr ?? "", new RegExp(name));
      return true;
    });

  test("configure, sign in from a new device, list the events, give feedback", async () => {
    const pool = await aws("create-user-pool", "--pool-name", "cli-threats", "--user-pool-tier", "PLUS");
    const id: string = pool.UserPool.Id;
    // The add-on is OFF: the operations answer UserPoolAddOnNotEnabledException.
    await fails(aws("describe-risk-configuration", "--user-pool-id", id), "UserPoolAddOnNotEnabledException");
    await aws(
      "update-user-pool",
      "--user-pool-id",
      id,
      "--user-pool-tier",
      "PLUS",
      "--user-pool-add-ons",
      "AdvancedSecurityMode=ENFORCED",
    );
    const app = await aws(
      "create-user-pool-client",
      "--user-pool-id",
      id,
      "--client-name",
      "cli",
      "--explicit-auth-flows",
      "ALLOW_ADMIN_USER_PASSWORD_AUTH",
      "ALLOW_REFRESH_TOKEN_AUTH",
    );
    const clientId: string = app.UserPoolClient.ClientId;
    const notify = {
      SourceArn: "arn:aws:ses:us-east-1:123456789012:identity/example.com",
      NoActionEmail: { Subject: "New sign-in", TextBody: "Not you? {one-click-link-invalid}" },
    };
    const set = await aws(
      "set-risk-configuration",
      "--user-pool-id",
      id,
      "--account-takeover-risk-configuration",
      JSON.stringify({
        Actions: { LowAction: { EventAction: "NO_ACTION", Notify: true } },
        NotifyConfiguration: notify,
      }),
      "--risk-exception-configuration",
      "BlockedIPRangeList=192.0.2.0/24",
    );
    assert.equal(set.RiskConfiguration.ClientId, "ALL");
    const described = await aws("describe-risk-configuration", "--user-pool-id", id, "--client-id", clientId);
    assert.deepEqual(described.RiskConfiguration.RiskExceptionConfiguration, {
      BlockedIPRangeList: ["192.0.2.0/24"],
    });
    await fails(
      aws(
        "set-risk-configuration",
        "--user-pool-id",
        id,
        "--risk-exception-configuration",
        "SkippedIPRangeList=nonsense",
      ),
      "InvalidParameterException",
    );

    await aws(
      "admin-create-user",
      "--user-pool-id",
      id,
      "--username",
      "cli-user",
      "--user-attributes",
      "Name=email,Value=cli@example.com",
      "Name=email_verified,Value=true",
      "--message-action",
      "SUPPRESS",
    );
    await aws(
      "admin-set-user-password",
      "--user-pool-id",
      id,
      "--username",
      "cli-user",
      "--password",
      "Correct-Horse-1",
      "--permanent",
    );
    const signIn = (agent: string) =>
      aws(
        "admin-initiate-auth",
        "--user-pool-id",
        id,
        "--client-id",
        clientId,
        "--auth-flow",
        "ADMIN_USER_PASSWORD_AUTH",
        "--auth-parameters",
        "USERNAME=cli-user,PASSWORD=Correct-Horse-1",
        "--context-data",
        JSON.stringify({
          IpAddress: "198.51.100.20",
          ServerName: "app.example.com",
          ServerPath: "/login",
          HttpHeaders: [{ headerName: "User-Agent", headerValue: agent }],
        }),
      );
    assert.ok((await signIn("Desk/1")).AuthenticationResult.AccessToken);
    assert.ok((await signIn("Tablet/1")).AuthenticationResult.AccessToken);

    const listed = await aws("admin-list-user-auth-events", "--user-pool-id", id, "--username", "cli-user");
    assert.equal(listed.AuthEvents.length, 2);
    const [newest] = listed.AuthEvents;
    assert.equal(newest.EventRisk.RiskLevel, "Low");
    assert.equal(newest.EventResponse, "Pass");

    const [mail] = (await inbox(server, { poolId: id, username: "cli-user" })).filter((m) =>
      m.purpose.startsWith("account_takeover"),
    );
    assert.ok(mail, "the NoActionEmail was sent");
    const link = new URL(/Not you\? (\S+)/.exec(mail.body)![1]!);
    await aws(
      "update-auth-event-feedback",
      "--user-pool-id",
      id,
      "--username",
      "cli-user",
      "--event-id",
      newest.EventId,
      // `=`: a base64url token may begin with "-", which the CLI would take for an option.
      `--feedback-token=${link.searchParams.get("feedback_token")!}`,
      "--feedback-value",
      "Invalid",
    );
    await fails(
      aws(
        "update-auth-event-feedback",
        "--user-pool-id",
        id,
        "--username",
        "cli-user",
        "--event-id",
        newest.EventId,
        "--feedback-token",
        "forged",
        "--feedback-value",
        "Valid",
      ),
      "NotAuthorizedException",
    );
    let events = await aws("admin-list-user-auth-events", "--user-pool-id", id, "--username", "cli-user");
    assert.equal(events.AuthEvents[0].EventFeedback.FeedbackValue, "Invalid");
    await aws(
      "admin-update-auth-event-feedback",
      "--user-pool-id",
      id,
      "--username",
      "cli-user",
      "--event-id",
      newest.EventId,
      "--feedback-value",
      "Valid",
    );
    events = await aws(
      "admin-list-user-auth-events",
      "--user-pool-id",
      id,
      "--username",
      "cli-user",
      "--max-results",
      "1",
    );
    assert.equal(events.AuthEvents[0].EventFeedback.FeedbackValue, "Valid");
    assert.equal(events.AuthEvents[0].EventFeedback.Provider, "Admin");
    await fails(
      aws("admin-list-user-auth-events", "--user-pool-id", id, "--username", "nobody"),
      "UserNotFoundException",
    );
  });
});
