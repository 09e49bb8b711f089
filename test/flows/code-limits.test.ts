/**
 * Codes cannot be brute-forced: the codes sent to one user, and the wrong codes entered for one
 * user across all their codes, are limited per window (LimitExceededException, Cognito's wording),
 * for real users and, where the client hides which users exist, for unknown names alike.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  AdminCreateUserCommand,
  AdminResetUserPasswordCommand,
  AdminSetUserPasswordCommand,
  type CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ForgotPasswordCommand,
  GetUserAttributeVerificationCodeCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { inbox, latestCode, setClockOffset } from "../support/inbox.ts";
import { startServer, type TestServer } from "../support/server.ts";

const PASSWORD = "C0de-limits!";
const LIMITED = "LimitExceededException: Attempt limit exceeded, please try after some time.";

describe("limits on codes", () => {
  let server: TestServer;
  let client: CognitoIdentityProviderClient;
  let poolId: string;
  let legacy: string;
  let hiding: string;
  let users = 0;

  before(async () => {
    server = await startServer({
      args: ["--memory", "--delivery", "inbox", "--enable-test-clock"],
      // Smaller than the defaults (5 and 10), to show they are configurable.
      env: { LANYARD_CODE_SEND_LIMIT: "4", LANYARD_CODE_GUESS_LIMIT: "7" },
    });
    client = server.client();
    poolId = (
      await client.send(new CreateUserPoolCommand({ PoolName: "codes", AutoVerifiedAttributes: ["email"] }))
    ).UserPool!.Id!;
    const make = async (PreventUserExistenceErrors: "ENABLED" | "LEGACY") =>
      (
        await client.send(
          new CreateUserPoolClientCommand({
            UserPoolId: poolId,
            ClientName: PreventUserExistenceErrors,
            PreventUserExistenceErrors,
            ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
          }),
        )
      ).UserPoolClient!.ClientId!;
    legacy = await make("LEGACY");
    hiding = await make("ENABLED");
  });
  after(() => server.stop());

  /** `__type: message`, or "ok". */
  const outcome = (p: Promise<unknown>) =>
    p.then(
      () => "ok",
      (e: Error) => `${e.name}: ${e.message}`,
    );

  async function confirmedUser(): Promise<string> {
    const Username = `coder${++users}`;
    await client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username,
        MessageAction: "SUPPRESS",
        UserAttributes: [
          { Name: "email", Value: `${Username}@example.com` },
          { Name: "email_verified", Value: "true" },
        ],
      }),
    );
    await client.send(
      new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username, Password: PASSWORD, Permanent: true }),
    );
    return Username;
  }
  const forgot = (ClientId: string, Username: string) =>
    outcome(client.send(new ForgotPasswordCommand({ ClientId, Username })));

  test("a burst of ForgotPassword calls sends no more codes than the limit", async () => {
    const username = await confirmedUser();
    const answers = await Promise.all(Array.from({ length: 60 }, () => forgot(legacy, username)));
    assert.equal(answers.filter((a) => a === "ok").length, 4);
    assert.equal(answers.filter((a) => a === LIMITED).length, 56);
    assert.equal((await inbox(server, { poolId, username })).length, 4);
  });

  test("every way of sending a code counts, and the window reopens an hour later", async () => {
    const username = await confirmedUser();
    const token = (
      await client.send(
        new InitiateAuthCommand({
          ClientId: legacy,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: username, PASSWORD },
        }),
      )
    ).AuthenticationResult!.AccessToken!;
    const attributeCode = () =>
      outcome(
        client.send(
          new GetUserAttributeVerificationCodeCommand({ AccessToken: token, AttributeName: "email" }),
        ),
      );
    const adminReset = () =>
      outcome(client.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: username })));
    assert.deepEqual(
      [await attributeCode(), await forgot(legacy, username), await attributeCode(), await adminReset()],
      ["ok", "ok", "ok", "ok"],
    );
    assert.equal(await attributeCode(), LIMITED);
    assert.equal(await adminReset(), LIMITED);
    assert.equal(await forgot(legacy, username), LIMITED);
    try {
      await setClockOffset(server, 3600_000);
      assert.equal(await forgot(legacy, username), "ok");
    } finally {
      await setClockOffset(server, 0);
    }
  });

  test("ResendConfirmationCode counts with the sign-up's own code", async () => {
    const Username = `signer${++users}`;
    await client.send(
      new SignUpCommand({
        ClientId: legacy,
        Username,
        Password: PASSWORD,
        UserAttributes: [{ Name: "email", Value: `${Username}@example.com` }],
      }),
    );
    const resend = () =>
      outcome(client.send(new ResendConfirmationCodeCommand({ ClientId: legacy, Username })));
    assert.deepEqual([await resend(), await resend(), await resend()], ["ok", "ok", "ok"]);
    assert.equal(await resend(), LIMITED);
  });

  test("wrong codes are capped across all of a user's codes", async () => {
    const Username = `guesser${++users}`;
    await client.send(
      new SignUpCommand({
        ClientId: legacy,
        Username,
        Password: PASSWORD,
        UserAttributes: [{ Name: "email", Value: `${Username}@example.com` }],
      }),
    );
    const confirm = (ConfirmationCode: string) =>
      outcome(client.send(new ConfirmSignUpCommand({ ClientId: legacy, Username, ConfirmationCode })));
    const wrongFor = (code: string) => (code === "000000" ? "111111" : "000000");
    // Five wrong guesses void the first code (the per-code limit)...
    let code = await latestCode(server, { poolId, username: Username });
    for (let i = 0; i < 5; i++)
      assert.equal(
        await confirm(wrongFor(code)),
        "CodeMismatchException: Invalid verification code provided, please try again.",
      );
    assert.equal(await confirm(code), LIMITED);
    // ...and a new code gives only what is left of the user's seven.
    await client.send(new ResendConfirmationCodeCommand({ ClientId: legacy, Username }));
    code = await latestCode(server, { poolId, username: Username });
    for (let i = 0; i < 2; i++)
      assert.equal(
        await confirm(wrongFor(code)),
        "CodeMismatchException: Invalid verification code provided, please try again.",
      );
    assert.equal(await confirm(code), LIMITED);
    try {
      await setClockOffset(server, 3600_000);
      assert.equal(await confirm(code), "ok");
    } finally {
      await setClockOffset(server, 0);
    }
  });

  test("where users are hidden, an unknown name reaches the limits exactly as a real user does", async () => {
    const real = await confirmedUser();
    for (const name of [real, "nobody-at-all"]) {
      // Unknown names, and ConfirmSignUp for a user with nothing to confirm, are wrong codes too.
      assert.equal(
        await outcome(
          client.send(
            new ConfirmSignUpCommand({ ClientId: hiding, Username: name, ConfirmationCode: "123456" }),
          ),
        ),
        "CodeMismatchException: Invalid verification code provided, please try again.",
        name,
      );
      const sends = [];
      for (let i = 0; i < 5; i++) sends.push(await forgot(hiding, name));
      assert.deepEqual(sends, ["ok", "ok", "ok", "ok", LIMITED], name);
      const guesses = [];
      for (let i = 0; i < 8; i++)
        guesses.push(
          await outcome(
            client.send(
              new ConfirmForgotPasswordCommand({
                ClientId: hiding,
                Username: name,
                ConfirmationCode: "123456",
                Password: "An0ther-password!",
              }),
            ),
          ),
        );
      // A code (real or simulated) survives five wrong guesses, then LimitExceededException.
      const mismatch = "CodeMismatchException: Invalid verification code provided, please try again.";
      const expected = [mismatch, mismatch, mismatch, mismatch, mismatch, LIMITED, LIMITED, LIMITED];
      assert.deepEqual(guesses, expected, name);
    }
  });
});
