import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  type CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  type CreateUserPoolCommandInput,
  InitiateAuthCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { SMTPServer } from "smtp-server";
import { rejectsWith } from "../support/assert.ts";
import { inbox } from "../support/inbox.ts";
import { startServer, type TestServer } from "../support/server.ts";

const ACME_INVITE = {
  EmailSubject: "Welcome to Acme",
  EmailMessage: "Hello {username}, your temporary password is {####}",
  SMSMessage: "Acme: {username} / {####}",
};

describe("invitations and the inbox", () => {
  let server: TestServer;
  let client: CognitoIdentityProviderClient;
  const pool = async (extra: Partial<CreateUserPoolCommandInput> = {}) =>
    (await client.send(new CreateUserPoolCommand({ PoolName: "invitations", ...extra }))).UserPool!.Id!;

  before(async () => {
    server = await startServer({ args: ["--memory", "--delivery", "inbox"] });
    client = server.client();
  });
  after(() => server.stop());

  test("AdminCreateUser mails the invitation from the pool's template", async () => {
    const poolId = await pool({ AdminCreateUserConfig: { InviteMessageTemplate: ACME_INVITE } });
    await client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: "carol",
        TemporaryPassword: "Temp-Passw0rd1",
        UserAttributes: [{ Name: "email", Value: "carol@example.com" }],
        DesiredDeliveryMediums: ["EMAIL"],
      }),
    );
    const messages = await inbox(server, { poolId });
    assert.equal(messages.length, 1);
    const [m] = messages;
    assert.equal(m?.purpose, "invitation");
    assert.equal(m?.channel, "EMAIL");
    assert.equal(m?.destination, "carol@example.com");
    assert.equal(m?.username, "carol");
    assert.equal(m?.subject, "Welcome to Acme");
    assert.equal(m?.body, "Hello carol, your temporary password is Temp-Passw0rd1");
    assert.equal(m?.code, "Temp-Passw0rd1");
  });

  test("by default the invitation goes by SMS, or by email to users without a phone number", async () => {
    const poolId = await pool();
    const appClient = await client.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: "app",
        ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      }),
    );
    await client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: "dan",
        UserAttributes: [
          { Name: "email", Value: "dan@example.com" },
          { Name: "phone_number", Value: "+15550100" },
        ],
      }),
    );
    await client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: "erin",
        UserAttributes: [{ Name: "email", Value: "erin@example.com" }],
      }),
    );
    const [dan, ...moreForDan] = await inbox(server, { poolId, username: "dan" });
    assert.equal(moreForDan.length, 0);
    assert.equal(dan?.channel, "SMS");
    assert.equal(dan?.destination, "+15550100");
    assert.equal(dan?.body, `Your username is dan and temporary password is ${dan?.code}. `);

    const [erin] = await inbox(server, { poolId, username: "erin" });
    assert.equal(erin?.channel, "EMAIL");
    assert.equal(erin?.subject, "Your temporary password");
    assert.equal(erin?.body, `Your username is erin and temporary password is ${erin?.code}. `);

    // The temporary password in the invitation is the one the user signs in with.
    const signIn = await client.send(
      new InitiateAuthCommand({
        ClientId: appClient.UserPoolClient!.ClientId!,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "erin", PASSWORD: erin!.code },
      }),
    );
    assert.equal(signIn.ChallengeName, "NEW_PASSWORD_REQUIRED");
  });

  test("both media when asked; SUPPRESS sends nothing; RESEND sends a new temporary password", async () => {
    const poolId = await pool({ AdminCreateUserConfig: { InviteMessageTemplate: ACME_INVITE } });
    const attributes = [
      { Name: "email", Value: "fred@example.com" },
      { Name: "phone_number", Value: "+15550101" },
    ];
    await client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: "fred",
        UserAttributes: attributes,
        DesiredDeliveryMediums: ["EMAIL", "SMS"],
      }),
    );
    const both = await inbox(server, { poolId, username: "fred" });
    assert.deepEqual(both.map((m) => m.channel).sort(), ["EMAIL", "SMS"]);
    assert.equal(both[0]?.code, both[1]?.code);

    await client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: "gina",
        UserAttributes: attributes,
        MessageAction: "SUPPRESS",
      }),
    );
    assert.equal((await inbox(server, { poolId, username: "gina" })).length, 0);

    await client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: "fred",
        MessageAction: "RESEND",
        DesiredDeliveryMediums: ["EMAIL"],
      }),
    );
    const [resent, ...earlier] = await inbox(server, { poolId, username: "fred" });
    assert.equal(earlier.length, 2);
    assert.equal(resent?.purpose, "resend_invitation");
    assert.equal(resent?.channel, "EMAIL");
    assert.notEqual(resent?.code, both[0]?.code);
    assert.equal(resent?.body, `Hello fred, your temporary password is ${resent?.code}`);
  });

  test("asking for a medium the user has no attribute for is refused, and creates no user", async () => {
    const poolId = await pool();
    await rejectsWith(
      client.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: "hank",
          UserAttributes: [{ Name: "email", Value: "hank@example.com" }],
          DesiredDeliveryMediums: ["SMS"],
        }),
      ),
      "InvalidParameterException",
      400,
      /SMS requires a phone_number attribute/,
    );
    await rejectsWith(
      client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "hank" })),
      "UserNotFoundException",
      400,
    );
    assert.equal((await inbox(server, { poolId })).length, 0);
  });

  test("in pools that sign in by email the invitation names the email", async () => {
    const poolId = await pool({
      UsernameAttributes: ["email"],
      AdminCreateUserConfig: { InviteMessageTemplate: ACME_INVITE },
    });
    await client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: "ivan@example.com",
        DesiredDeliveryMediums: ["EMAIL"],
      }),
    );
    const [m] = await inbox(server, { destination: "IVAN@example.com" });
    assert.equal(m?.body, `Hello ivan@example.com, your temporary password is ${m?.code}`);
  });

  test("the inbox filters, lists newest first, and can be emptied", async () => {
    const poolId = await pool({ AutoVerifiedAttributes: ["email"] });
    const clientId = (
      await client.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: "app" }))
    ).UserPoolClient!.ClientId!;
    for (const name of ["jan", "kim", "lou"])
      await client.send(
        new SignUpCommand({
          ClientId: clientId,
          Username: name,
          Password: "Corr3ct-Horse",
          UserAttributes: [{ Name: "email", Value: `${name}@example.com` }],
        }),
      );
    const all = await inbox(server, { poolId });
    assert.deepEqual(
      all.map((m) => m.username),
      ["lou", "kim", "jan"],
    );
    assert.deepEqual(
      (await inbox(server, { poolId, destination: "kim@example.com" })).map((m) => m.username),
      ["kim"],
    );
    assert.equal((await inbox(server, { poolId: "us-east-1_nosuchpoo" })).length, 0);

    const res = await fetch(`${server.url}/_lanyard/inbox?poolId=${poolId}&username=jan`, {
      method: "DELETE",
    });
    assert.deepEqual(await res.json(), { deleted: 1 });
    assert.deepEqual(
      (await inbox(server, { poolId })).map((m) => m.username),
      ["lou", "kim"],
    );
  });
});

describe("SMTP delivery", () => {
  interface Mail {
    from: string;
    to: string[];
    raw: string;
  }
  const mails: Mail[] = [];
  let smtp: SMTPServer;
  let server: TestServer;
  let client: CognitoIdentityProviderClient;

  before(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => {
          mails.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString("utf8"),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
    const { port } = smtp.server.address() as AddressInfo;
    server = await startServer({
      env: {
        LANYARD_DELIVERY: "smtp",
        LANYARD_SMTP_HOST: "127.0.0.1",
        LANYARD_SMTP_PORT: String(port),
        LANYARD_SMTP_FROM: "Lanyard <no-reply@lanyard.test>",
      },
    });
    client = server.client();
  });
  after(async () => {
    await server.stop();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  test("a sign-up code arrives by mail with the pool's subject and text", async () => {
    const poolId = (
      await client.send(
        new CreateUserPoolCommand({
          PoolName: "smtp",
          AutoVerifiedAttributes: ["email"],
          VerificationMessageTemplate: {
            EmailSubject: "Confirm your Acme account",
            EmailMessage: "Acme code {####}",
          },
        }),
      )
    ).UserPool!.Id!;
    const clientId = (
      await client.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: "app" }))
    ).UserPoolClient!.ClientId!;
    await client.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: "mo",
        Password: "Corr3ct-Horse",
        UserAttributes: [{ Name: "email", Value: "mo@example.com" }],
      }),
    );
    const mail = mails.at(-1);
    assert.ok(mail, "no mail arrived");
    assert.equal(mail.from, "no-reply@lanyard.test");
    assert.deepEqual(mail.to, ["mo@example.com"]);
    assert.match(mail.raw, /^Subject: Confirm your Acme account\r?$/m);
    assert.match(mail.raw, /^To: mo@example\.com\r?$/m);
    assert.match(mail.raw, /^Content-Type: text\/plain/m);
    assert.match(mail.raw, /^Acme code \d{6}\r?$/m);
    // The code is delivered, not logged.
    const code = /^Acme code (\d{6})/m.exec(mail.raw)?.[1];
    assert.ok(code && !server.logs().includes(code));
  });

  test("an HTML invitation goes as HTML from the pool's own sender", async () => {
    const poolId = (
      await client.send(
        new CreateUserPoolCommand({
          PoolName: "smtp-html",
          EmailConfiguration: {
            EmailSendingAccount: "DEVELOPER",
            From: "Acme <accounts@acme.test>",
            ReplyToEmailAddress: "help@acme.test",
            SourceArn: "arn:aws:ses:us-east-1:000000000000:identity/acme.test",
          },
          AdminCreateUserConfig: {
            InviteMessageTemplate: {
              EmailSubject: "Your Acme account",
              EmailMessage: "<p>User <b>{username}</b>, password <code>{####}</code></p>",
            },
          },
        }),
      )
    ).UserPool!.Id!;
    await client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: "nell",
        TemporaryPassword: "Temp-Passw0rd1",
        UserAttributes: [{ Name: "email", Value: "nell@example.com" }],
        DesiredDeliveryMediums: ["EMAIL"],
      }),
    );
    const mail = mails.at(-1);
    assert.ok(mail);
    assert.equal(mail.from, "accounts@acme.test");
    assert.deepEqual(mail.to, ["nell@example.com"]);
    assert.match(mail.raw, /^Subject: Your Acme account\r?$/m);
    assert.match(mail.raw, /^Reply-To: help@acme\.test\r?$/m);
    assert.match(mail.raw, /^Content-Type: text\/html/m);
    assert.match(mail.raw, /<p>User <b>nell<\/b>, password <code>Temp-Passw0rd1<\/code><\/p>/);
  });
});

describe("delivery configuration", () => {
  test("an unreachable SMTP server is CodeDeliveryFailureException", async () => {
    const closed = new SMTPServer({ logger: false });
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.server.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const server = await startServer({
      env: { LANYARD_DELIVERY: "smtp", LANYARD_SMTP_HOST: "127.0.0.1", LANYARD_SMTP_PORT: String(port) },
    });
    try {
      const client = server.client();
      const poolId = (
        await client.send(new CreateUserPoolCommand({ PoolName: "down", AutoVerifiedAttributes: ["email"] }))
      ).UserPool!.Id!;
      const clientId = (
        await client.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: "app" }))
      ).UserPoolClient!.ClientId!;
      await rejectsWith(
        client.send(
          new SignUpCommand({
            ClientId: clientId,
            Username: "olga",
            Password: "Corr3ct-Horse",
            UserAttributes: [{ Name: "email", Value: "olga@example.com" }],
          }),
        ),
        "CodeDeliveryFailureException",
        400,
      );
      // The log line travels on stderr, beside the answer: wait for it a little.
      for (let i = 0; i < 40 && !/message delivery failed/.test(server.logs()); i++)
        await new Promise((r) => setTimeout(r, 50));
      assert.match(server.logs(), /message delivery failed/);
      assert.doesNotMatch(server.logs(), /olga@example\.com/);
    } finally {
      await server.stop();
    }
  });

  test("the inbox and the test clock exist only when enabled", async () => {
    const server = await startServer();
    try {
      assert.equal((await fetch(`${server.url}/_lanyard/inbox`)).status, 404);
      assert.equal((await fetch(`${server.url}/_lanyard/clock`, { method: "POST", body: "{}" })).status, 404);
    } finally {
      await server.stop();
    }
  });

  test("the SMTP delivery without a host refuses to start", async () => {
    await assert.rejects(
      startServer({ args: ["--memory", "--delivery", "smtp"] }),
      /server exited with 2: lanyard: the smtp delivery needs an SMTP host/,
    );
  });
});
