/**
 * The admin console in a real browser: a person's tasks end to end (a pool, an app client, a
 * user found by email, a password reset with the code read in the inbox, disable and enable, the
 * token decoder), escaping, and the protected mode (sign-in with an access key, the session
 * cookie, CSRF). Screenshots are kept in test-results/console/.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  ConfirmForgotPasswordCommand,
  CreateIdentityProviderCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeIdentityProviderCommand,
  DescribeUserPoolCommand,
  InitiateAuthCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { Page } from "playwright-core";
import { artifactsDir } from "../support/artifacts.ts";
import { browserMissing, newContext } from "../support/browser.ts";
import { startServer, type TestServer } from "../support/server.ts";

const shots = artifactsDir("console");
const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });

describe("admin console in a browser", { skip: browserMissing() }, () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ args: ["--memory", "--delivery", "inbox"] });
  });
  after(async () => {
    await server?.stop();
  });

  test("a person's tasks: pool, client, user, search, reset password, inbox, disable, enable, decode a token", async () => {
    const context = await newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${server.url}/console`);
      assert.equal(new URL(page.url()).pathname, "/console/pools");
      assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), "User pools");

      // A pool whose users sign in with their email address.
      await page.getByLabel("Pool name").fill("Shop customers");
      await page.getByRole("button", { name: "Create user pool" }).click();
      await page.getByRole("status").waitFor();
      assert.equal(await page.getByRole("status").textContent(), "User pool created.");
      const poolId = decodeURIComponent(new URL(page.url()).pathname.split("/")[3]!);
      assert.match(poolId, /^us-east-1_[0-9A-Za-z]{9}$/);
      await shot(page, "1-pool");

      // An app client.
      await page.getByRole("link", { name: "App clients" }).click();
      await page.getByLabel("Client name").fill("web");
      await page.getByRole("button", { name: "Create app client" }).click();
      await page.getByRole("status").waitFor();
      const clientId = (await page.locator("table code").first().textContent())!;
      assert.match(clientId, /^[a-z0-9]{26}$/);
      await shot(page, "2-clients");
      await page.getByRole("link", { name: "web" }).click();
      assert.equal(
        await page
          .getByRole("row", { name: /^Client secret/ })
          .getByRole("cell")
          .textContent(),
        "none",
      );
      assert.match(
        (await page
          .getByRole("row", { name: /^Auth flows/ })
          .getByRole("cell")
          .textContent())!,
        /ALLOW_USER_PASSWORD_AUTH/,
      );

      // A user, with their invitation's temporary password set by the admin.
      await page.goto(`${server.url}/console/pools/${poolId}/users`);
      await page.getByLabel("Username (or the email address").fill("ann@example.com");
      await page.getByLabel("Email", { exact: true }).fill("ann@example.com");
      await page.getByLabel("Temporary password").fill("Temp-Passw0rd!");
      await page.getByRole("button", { name: "Create user" }).click();
      await page.getByRole("status").waitFor();
      assert.equal(await page.getByRole("status").textContent(), "User created.");
      assert.match((await page.locator("main table").first().textContent())!, /FORCE_CHANGE_PASSWORD/);
      await shot(page, "3-user");

      // Found by email through ListUsers' filter.
      const sdk = server.client();
      await page.goto(`${server.url}/console/pools/${poolId}/users`);
      await page.getByLabel("Attribute").selectOption("email");
      await page.getByLabel("Match").selectOption("starts with");
      await page.getByLabel("Value").fill("ann@");
      await page.getByRole("button", { name: "Search" }).click();
      assert.equal(await page.locator("main code").first().textContent(), 'email ^= "ann@"');
      const found = page.getByRole("table").getByRole("link");
      assert.equal(await found.count(), 1);
      await shot(page, "4-search");
      await page.getByLabel("Value").fill("bob@");
      await page.getByRole("button", { name: "Search" }).click();
      await page.getByText("No users found.").waitFor();
      await page.getByLabel("Value").fill("ann@");
      await page.getByRole("button", { name: "Search" }).click();
      await page.getByRole("table").getByRole("link").first().click();

      // Set a permanent password (a user who must still change theirs cannot be reset).
      const userPage = page.url();
      await page.getByLabel("New password").fill("First-Passw0rd!");
      await page.getByLabel("Permanent").check();
      await page.getByRole("button", { name: "Set password", exact: true }).click();
      await page.getByRole("status").waitFor();
      assert.equal(await page.getByRole("status").textContent(), "Password set.");
      assert.match((await page.locator("main table").first().textContent())!, /CONFIRMED/);

      // Reset the password: the code arrives in the inbox, and it works.
      await page.getByRole("button", { name: "Reset password" }).click();
      await page.getByRole("status").waitFor();
      assert.equal(await page.getByRole("status").textContent(), "Password reset: the user was sent a code.");
      assert.match((await page.locator("main table").first().textContent())!, /RESET_REQUIRED/);
      await page.goto(`${server.url}/console/pools/${poolId}/inbox`);
      const row = page.locator("tbody tr", { hasText: "forgot_password" }).first();
      const code = (await row.locator("strong.code").textContent())!;
      assert.match(code, /^\d{6}$/);
      await shot(page, "5-inbox");
      await sdk.send(
        new ConfirmForgotPasswordCommand({
          ClientId: clientId,
          Username: "ann@example.com",
          ConfirmationCode: code,
          Password: "New-Passw0rd!",
        }),
      );

      // Disable: sign-in is refused; enable: it works again.
      await page.goto(userPage);
      await page.getByRole("button", { name: "Disable user" }).click();
      await page.getByRole("status").waitFor();
      assert.equal(await page.getByRole("status").textContent(), "User disabled.");
      await shot(page, "6-disabled");
      const signIn = () =>
        sdk.send(
          new InitiateAuthCommand({
            ClientId: clientId,
            AuthFlow: "USER_PASSWORD_AUTH",
            AuthParameters: { USERNAME: "ann@example.com", PASSWORD: "New-Passw0rd!" },
          }),
        );
      await assert.rejects(signIn(), { name: "NotAuthorizedException", message: "User is disabled." });
      await page.getByRole("button", { name: "Enable user" }).click();
      await page.getByRole("status").waitFor();
      assert.equal(await page.getByRole("status").textContent(), "User enabled.");
      const tokens = (await signIn()).AuthenticationResult!;

      // The token decoder checks the ID token against the pool's keys.
      await page.getByRole("link", { name: "Token decoder" }).click();
      await page.getByLabel("ID or access token").fill(tokens.IdToken!);
      await page.getByRole("button", { name: "Decode and check" }).click();
      assert.equal((await page.getByRole("status").textContent())!.trim(), "Valid: every check passed.");
      const claims = JSON.parse((await page.locator("pre").nth(1).textContent())!) as Record<string, unknown>;
      assert.equal(claims.email, "ann@example.com");
      assert.equal(claims.token_use, "id");
      assert.equal(claims.aud, clientId);
      await shot(page, "7-token");
      // A token with another signature fails the signature check and only that.
      const [h, p] = tokens.AccessToken!.split(".");
      const forged = `${h}.${p}.${tokens.IdToken!.split(".")[2]}`;
      await page.getByLabel("ID or access token").fill(forged);
      await page.getByRole("button", { name: "Decode and check" }).click();
      assert.equal(
        (await page.getByRole("status").textContent())!.trim(),
        "Not valid: see the failed checks.",
      );
      const results = await page.locator("tbody tr").evaluateAll((rows) =>
        rows.map((r) =>
          [...r.querySelectorAll("td")]
            .slice(0, 2)
            .map((c) => c.textContent?.trim())
            .join(" "),
        ),
      );
      assert.deepEqual(results, [
        "Format pass",
        "Issuer pass",
        "Signature fail",
        "Expiry pass",
        "token_use pass",
        "Revocation pass",
      ]);
      await shot(page, "8-token-forged");
    } finally {
      await context.close();
    }
  });

  test("groups, auth events, sign out everywhere, identity providers, a domain, and deleting a user, a group, a client and the pool", async () => {
    const sdk = server.client();
    const { UserPool } = await sdk.send(
      new CreateUserPoolCommand({
        PoolName: "Audited",
        UserPoolTier: "PLUS",
        UserPoolAddOns: { AdvancedSecurityMode: "AUDIT" },
      }),
    );
    const poolId = UserPool!.Id!;
    const { UserPoolClient } = await sdk.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: "app",
        ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      }),
    );
    const clientId = UserPoolClient!.ClientId!;
    await sdk.send(
      new AdminCreateUserCommand({ UserPoolId: poolId, Username: "carol", MessageAction: "SUPPRESS" }),
    );
    await sdk.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: poolId,
        Username: "carol",
        Password: "Carol-Passw0rd!",
        Permanent: true,
      }),
    );
    const signedIn = await sdk.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "carol", PASSWORD: "Carol-Passw0rd!" },
      }),
    );
    await sdk.send(
      new CreateIdentityProviderCommand({
        UserPoolId: poolId,
        ProviderName: "Google",
        ProviderType: "Google",
        ProviderDetails: {
          client_id: "google-client",
          client_secret: "google-secret",
          authorize_scopes: "openid email",
        },
        AttributeMapping: { email: "email" },
      }),
    );
    const context = await newContext();
    try {
      const page = await context.newPage();
      const base = `${server.url}/console/pools/${poolId}`;
      await page.goto(`${base}/groups`);
      await page.getByLabel("Group name").fill("admins");
      await page.getByLabel("Description").fill("People who run the shop");
      await page.getByRole("button", { name: "Create group" }).click();
      await page.getByRole("status").waitFor();
      assert.ok(await page.getByRole("cell", { name: "People who run the shop" }).isVisible());

      await page.goto(`${base}/users/carol`);
      const events = page.locator("table", { has: page.getByRole("columnheader", { name: "Event" }) });
      assert.match((await events.textContent())!, /SignIn/);
      await page.getByLabel("Group name").fill("admins");
      await page.getByRole("button", { name: "Add to group" }).click();
      await page.getByRole("status").waitFor();
      assert.equal(await page.getByRole("status").textContent(), "Added to the group.");
      await shot(page, "9-groups-events");
      await page.getByRole("button", { name: "Remove from admins" }).click();
      await page.getByRole("status").waitFor();
      assert.equal(await page.getByRole("status").textContent(), "Removed from the group.");
      await page.getByText("In no group.").waitFor();

      await page.getByRole("button", { name: "Sign out everywhere" }).click();
      await page.getByRole("status").waitFor();
      await assert.rejects(
        sdk.send(
          new InitiateAuthCommand({
            ClientId: clientId,
            AuthFlow: "REFRESH_TOKEN_AUTH",
            AuthParameters: { REFRESH_TOKEN: signedIn.AuthenticationResult!.RefreshToken! },
          }),
        ),
        { name: "NotAuthorizedException" },
      );
      // The decoder says the signed-out access token is revoked.
      await page.goto(`${server.url}/console/token`);
      await page.getByLabel("ID or access token").fill(signedIn.AuthenticationResult!.AccessToken!);
      await page.getByRole("button", { name: "Decode and check" }).click();
      assert.equal(
        await page
          .getByRole("row", { name: /^Revocation/ })
          .getByRole("cell")
          .last()
          .textContent(),
        "Revoked: its sign-in was ended (RevokeToken or a global sign-out).",
      );

      await page.goto(`${base}/identity-providers`);
      assert.deepEqual(await page.locator("tbody tr td:first-child").allTextContents(), ["Google"]);
      // An OIDC provider added on the page, as CreateIdentityProvider would.
      const oidc = page.getByRole("group", { name: "OpenID Connect provider" });
      await oidc.getByLabel("Provider name").fill("Corporate");
      await oidc.getByLabel("Issuer URL").fill("https://login.example.com");
      await oidc.getByLabel("Client ID").fill("corp-client");
      await oidc.getByLabel("Client secret").fill("corp-secret");
      await oidc.getByLabel("Attribute mapping").fill("email = email\nusername = sub");
      await oidc.getByRole("button", { name: "Add OIDC provider" }).click();
      await page.getByRole("status").waitFor();
      assert.equal(await page.getByRole("status").textContent(), "Identity provider added.");
      assert.deepEqual((await page.locator("tbody tr td:first-child").allTextContents()).sort(), [
        "Corporate",
        "Google",
      ]);
      const { IdentityProvider: corp } = await sdk.send(
        new DescribeIdentityProviderCommand({ UserPoolId: poolId, ProviderName: "Corporate" }),
      );
      assert.equal(corp!.ProviderType, "OIDC");
      assert.equal(corp!.ProviderDetails!.oidc_issuer, "https://login.example.com");
      assert.equal(corp!.ProviderDetails!.client_id, "corp-client");
      assert.deepEqual(corp!.AttributeMapping, { email: "email", username: "sub" });
      // A second provider of the same name gets the API's error, on the page.
      await oidc.getByLabel("Provider name").fill("Corporate");
      await oidc.getByLabel("Issuer URL").fill("https://login.example.com");
      await oidc.getByLabel("Client ID").fill("corp-client");
      await oidc.getByRole("button", { name: "Add OIDC provider" }).click();
      assert.match((await page.getByRole("alert").textContent())!, /^DuplicateProviderException: /);
      await shot(page, "10-identity-providers");
      await page.getByRole("button", { name: "Delete identity provider Google" }).click();
      await page.getByRole("status").waitFor();
      assert.deepEqual(await page.locator("tbody tr td:first-child").allTextContents(), ["Corporate"]);

      await page.goto(`${base}/domain`);
      await page.getByLabel("Domain prefix").fill(`audited-${Date.now()}`);
      await page.getByRole("button", { name: "Create domain" }).click();
      await page.getByRole("status").waitFor();
      assert.equal(await page.getByRole("status").textContent(), "Domain created.");
      await shot(page, "11-domain");
      await page.getByRole("button", { name: "Delete the domain" }).click();
      await page.getByText("This pool has no domain.").waitFor();

      // Deleting asks for a confirmation first.
      await page.goto(`${base}/users/carol`);
      await page.getByRole("button", { name: "Delete user" }).click();
      assert.equal(await page.getByRole("alert").textContent(), "Tick the box to confirm the deletion.");
      await page.getByLabel("Yes, delete carol").check();
      await page.getByRole("button", { name: "Delete user" }).click();
      await page.getByRole("status").waitFor();
      assert.equal(await page.getByRole("status").textContent(), "User deleted.");
      assert.equal(new URL(page.url()).pathname, `/console/pools/${poolId}/users`);
      await page.getByText("No users found.").waitFor();

      // A group, the app client and then the pool itself.
      await page.goto(`${base}/groups`);
      await page.getByRole("button", { name: "Delete group admins" }).click();
      await page.getByRole("status").waitFor();
      assert.equal(await page.getByRole("status").textContent(), "Group deleted.");
      await page.getByText("No groups yet.").waitFor();
      await page.goto(`${base}/clients/${clientId}`);
      await page.getByRole("button", { name: "Delete app client" }).click();
      await page.getByRole("status").waitFor();
      assert.equal(await page.getByRole("status").textContent(), "App client deleted.");
      await page.getByText("No app clients yet.").waitFor();
      await page.goto(base);
      await page.getByRole("button", { name: "Delete user pool" }).click();
      assert.equal(await page.getByRole("alert").textContent(), "Tick the box to confirm the deletion.");
      await page.getByLabel(`Yes, delete Audited (${poolId})`).check();
      await page.getByRole("button", { name: "Delete user pool" }).click();
      await page.getByRole("status").waitFor();
      assert.equal(await page.getByRole("status").textContent(), "User pool deleted.");
      assert.equal(new URL(page.url()).pathname, "/console/pools");
      await assert.rejects(sdk.send(new DescribeUserPoolCommand({ UserPoolId: poolId })), {
        name: "ResourceNotFoundException",
      });
    } finally {
      await context.close();
    }
  });

  test("an attribute value or a search term holding <script> is shown as text, never run", async () => {
    const sdk = server.client();
    const context = await newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${server.url}/console/pools`);
      await page.getByLabel("Pool name").fill("Escapes");
      await page.getByLabel("Users sign in with their email address").uncheck();
      await page.getByRole("button", { name: "Create user pool" }).click();
      await page.getByRole("status").waitFor();
      const poolId = decodeURIComponent(new URL(page.url()).pathname.split("/")[3]!);
      const evil = `"><script>window.pwned=1</script><b title='x`;
      await page.goto(`${server.url}/console/pools/${poolId}/users`);
      await page.getByLabel("Username (or the email address").fill("mallory");
      await page.getByRole("button", { name: "Create user" }).click();
      await page.getByRole("status").waitFor();
      await sdk.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: poolId,
          Username: "mallory",
          UserAttributes: [{ Name: "name", Value: evil }],
        }),
      );
      await page.reload();
      assert.ok(await page.getByRole("cell", { name: evil, exact: true }).isVisible());
      // In an attribute value: the search box keeps the term as typed.
      await page.goto(
        `${server.url}/console/pools/${poolId}/users?attribute=name&value=${encodeURIComponent(evil)}`,
      );
      assert.equal(await page.getByLabel("Value").inputValue(), evil);
      assert.equal(await page.getByRole("table").getByRole("link").textContent(), "mallory");
      assert.equal(await page.evaluate(() => (globalThis as { pwned?: number }).pwned), undefined);
      assert.equal(await page.locator("main script, main b").count(), 0);
    } finally {
      await context.close();
    }
  });

  test("the user list pages with ListUsers' PaginationToken, keeping the search", async () => {
    const sdk = server.client();
    const { UserPool } = await sdk.send(new CreateUserPoolCommand({ PoolName: "Many" }));
    const poolId = UserPool!.Id!;
    for (let i = 0; i < 55; i++)
      await sdk.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: `user${String(i).padStart(2, "0")}`,
          MessageAction: "SUPPRESS",
        }),
      );
    const context = await newContext();
    try {
      const page = await context.newPage();
      await page.goto(
        `${server.url}/console/pools/${poolId}/users?attribute=username&match=starts+with&value=user`,
      );
      const names = page.locator("tbody tr td:first-child");
      const first = await names.allTextContents();
      assert.equal(first.length, 50);
      await page.getByRole("link", { name: "Next page" }).click();
      const second = await names.allTextContents();
      assert.equal(second.length, 5);
      assert.equal(await page.getByLabel("Value").inputValue(), "user");
      assert.deepEqual(
        [...first, ...second].sort(),
        Array.from({ length: 55 }, (_, i) => `user${String(i).padStart(2, "0")}`),
      );
      assert.equal(await page.getByRole("link", { name: "Next page" }).count(), 0);

      // A ListUsers filter expression typed as is; a malformed one is AWS's error on the page.
      await page.getByText("Or a ListUsers filter expression").click();
      await page.getByLabel("Filter (for example").fill('username = "user07"');
      await page.getByRole("button", { name: "Search" }).click();
      assert.deepEqual(await names.allTextContents(), ["user07"]);
      await page.getByLabel("Filter (for example").fill("username = user07");
      await page.getByRole("button", { name: "Search" }).click();
      assert.match((await page.getByRole("alert").textContent())!, /^InvalidParameterException: /);
    } finally {
      await context.close();
    }
  });

  test("an AWS error shows as a message on the page, the same as the API's", async () => {
    const context = await newContext();
    try {
      const page = await context.newPage();
      // The console validates through the operation table: the API's error, word for word.
      const name = "<script>alert(1)</script>";
      const api = await server
        .client()
        .send(new CreateUserPoolCommand({ PoolName: name }))
        .then(
          () => assert.fail("the API accepted the pool name"),
          (e: Error) => `${e.name}: ${e.message}`,
        );
      await page.goto(`${server.url}/console/pools`);
      await page.getByLabel("Pool name").fill(name);
      await page.getByRole("button", { name: "Create user pool" }).click();
      assert.equal(await page.getByRole("alert").textContent(), api);
      assert.match(api, /^InvalidParameterException: 1 validation error detected/);
      assert.equal(await page.getByLabel("Pool name").inputValue(), name);
      await page.goto(`${server.url}/console/pools/us-east-1_000000000/users`);
      assert.equal(
        await page.getByRole("alert").textContent(),
        "ResourceNotFoundException: User pool us-east-1_000000000 does not exist.",
      );
    } finally {
      await context.close();
    }
  });

  test("a form without its CSRF token is refused, and nothing is created", async () => {
    const context = await newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${server.url}/console/pools`);
      const before = await page.locator("tbody tr").count();
      const refused = await context.request.post(`${server.url}/console/pools`, {
        form: { PoolName: "no-csrf" },
      });
      assert.equal(refused.status(), 403);
      const forged = await context.request.post(`${server.url}/console/pools`, {
        form: { PoolName: "no-csrf", _csrf: "forged" },
      });
      assert.equal(forged.status(), 403);
      await page.reload();
      assert.equal(await page.locator("tbody tr").count(), before);
    } finally {
      await context.close();
    }
  });
});

const KEY = { accessKeyId: "AKIACONSOLE", secretAccessKey: "console-secret-key-0123456789" };

describe("admin console with access keys configured", { skip: browserMissing() }, () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({
      env: { LANYARD_ACCESS_KEY_ID: KEY.accessKeyId, LANYARD_SECRET_ACCESS_KEY: KEY.secretAccessKey },
    });
  });
  after(async () => {
    await server?.stop();
  });

  test("asks for an access key: a wrong secret is refused, the right one signs in with a strict session cookie", async () => {
    const context = await newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${server.url}/console/pools`);
      assert.equal(new URL(page.url()).pathname, "/console/login");
      await shot(page, "protected-1-login");
      // Without a session, a page's POST is refused even with a good CSRF token.
      const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
      const unsigned = await context.request.post(`${server.url}/console/pools`, {
        form: { PoolName: "x", _csrf: csrf },
      });
      assert.equal(unsigned.status(), 401);

      await page.getByLabel("Access key ID").fill(KEY.accessKeyId);
      await page.getByLabel("Secret access key").fill("not-the-secret-key-000000");
      await page.getByRole("button", { name: "Sign in" }).click();
      assert.equal(
        await page.getByRole("alert").textContent(),
        "The access key ID or the secret access key is wrong.",
      );
      assert.equal(await page.getByLabel("Access key ID").inputValue(), KEY.accessKeyId);
      await shot(page, "protected-2-wrong-secret");
      assert.equal((await context.cookies()).filter((c) => c.name === "lanyard_console").length, 0);

      await page.getByLabel("Secret access key").fill(KEY.secretAccessKey);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL("**/console/pools");
      const cookie = (await context.cookies()).find((c) => c.name === "lanyard_console")!;
      assert.equal(cookie.httpOnly, true);
      assert.equal(cookie.sameSite, "Strict");
      assert.ok(cookie.expires > Date.now() / 1000 && cookie.expires < Date.now() / 1000 + 24 * 3600);
      await page.getByLabel("Pool name").fill("Protected");
      await page.getByRole("button", { name: "Create user pool" }).click();
      await page.getByRole("status").waitFor();
      await shot(page, "protected-3-signed-in");

      // Signed in, a POST without the CSRF token is still refused.
      const noCsrf = await context.request.post(`${server.url}/console/pools`, { form: { PoolName: "y" } });
      assert.equal(noCsrf.status(), 403);

      // A tampered session cookie is no session.
      await context.addCookies([
        { ...cookie, value: cookie.value.replace(/.$/, (c) => (c === "A" ? "B" : "A")) },
      ]);
      await page.goto(`${server.url}/console/pools`);
      assert.equal(new URL(page.url()).pathname, "/console/login");

      // Signing out ends the session.
      await context.addCookies([cookie]);
      await page.goto(`${server.url}/console/pools`);
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL("**/console/login");
      await page.goto(`${server.url}/console/pools`);
      assert.equal(new URL(page.url()).pathname, "/console/login");
    } finally {
      await context.close();
    }
  });
});
