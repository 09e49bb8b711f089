/**
 * The managed login session: a sign-in on the login page lets a second authorization request skip
 * the form for an hour, in that pool only; /logout, the hour, a global sign-out or a tampered
 * cookie end it.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { AdminUserGlobalSignOutCommand } from "@aws-sdk/client-cognito-identity-provider";
import { decodeJwt } from "../../src/crypto/jwt.ts";
import { setClockOffset } from "../support/inbox.ts";
import {
  browse,
  CALLBACK,
  callbackOf,
  Jar,
  type OAuthApp,
  oauthApp,
  PASSWORD,
  signInAt,
} from "../support/oauth.ts";
import { startServer, type TestServer } from "../support/server.ts";

describe("managed login session", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ args: ["--memory", "--enable-test-clock"] });
  });
  after(() => server.stop());

  const authorizeUrl = (app: OAuthApp, state = "st") =>
    `${server.url}/oauth2/authorize?${new URLSearchParams({ response_type: "code", client_id: app.clientId, redirect_uri: CALLBACK, scope: "openid", state })}`;

  /** Where a second authorization request goes: "callback" (signed in) or "login" (the form). */
  async function secondVisit(app: OAuthApp, jar: Jar): Promise<"callback" | "login"> {
    const res = await browse(authorizeUrl(app, "again"), jar);
    assert.equal(res.status, 302);
    const location = res.headers.get("location")!;
    if (location.startsWith("/login?")) return "login";
    const url = new URL(location);
    assert.equal(url.searchParams.get("state"), "again");
    assert.ok(url.searchParams.get("code"));
    return "callback";
  }

  async function signedIn(app: OAuthApp): Promise<Jar> {
    const jar = new Jar();
    callbackOf(await signInAt(server, authorizeUrl(app), "alice", PASSWORD, jar));
    return jar;
  }

  test("a second authorize skips the form; the cookie is HttpOnly, SameSite=Lax and lasts an hour", async () => {
    const app = await oauthApp(server);
    const jar = new Jar();
    const res = await signInAt(server, authorizeUrl(app), "alice", PASSWORD, jar);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`lanyard_session_${app.poolId}=`));
    assert.ok(cookie);
    assert.match(cookie, /; HttpOnly/);
    assert.match(cookie, /; SameSite=Lax/);
    assert.match(cookie, /; Max-Age=3600/);
    assert.equal(await secondVisit(app, jar), "callback");

    // The tokens of a later code keep the sign-in's auth_time.
    const idTokenFor = async (location: string) => {
      const code = new URL(location).searchParams.get("code")!;
      const res = await fetch(`${server.url}/oauth2/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "authorization_code",
          client_id: app.clientId,
          code,
          redirect_uri: CALLBACK,
        }),
      });
      return decodeJwt(((await res.json()) as { id_token: string }).id_token)!.claims;
    };
    const first = await idTokenFor(res.headers.get("location")!);
    try {
      await setClockOffset(server, 10 * 60_000);
      const later = await idTokenFor((await browse(authorizeUrl(app), jar)).headers.get("location")!);
      assert.equal(later.auth_time, first.auth_time);
      assert.ok(Number(later.iat) >= Number(first.iat) + 590);
    } finally {
      await setClockOffset(server, 0);
    }
  });

  test("the session is the pool's: another pool's client shows the form", async () => {
    const app = await oauthApp(server);
    const other = await oauthApp(server);
    const jar = await signedIn(app);
    assert.equal(await secondVisit(other, jar), "login");
    assert.equal(await secondVisit(app, jar), "callback");
  });

  test("logout ends it", async () => {
    const app = await oauthApp(server);
    const jar = await signedIn(app);
    const out = await browse(
      `${server.url}/logout?${new URLSearchParams({ client_id: app.clientId, logout_uri: "http://localhost:8976/signed-out" })}`,
      jar,
    );
    assert.equal(out.status, 302);
    assert.equal(await secondVisit(app, jar), "login");
  });

  test("it ends after an hour (test clock)", async () => {
    const app = await oauthApp(server);
    const jar = await signedIn(app);
    try {
      await setClockOffset(server, 59 * 60_000);
      assert.equal(await secondVisit(app, jar), "callback");
      await setClockOffset(server, 61 * 60_000);
      assert.equal(await secondVisit(app, jar), "login");
    } finally {
      await setClockOffset(server, 0);
    }
  });

  test("a global sign-out or a tampered cookie ends it", async () => {
    const app = await oauthApp(server);
    const jar = await signedIn(app);
    const name = `lanyard_session_${app.poolId}`;
    const value = jar.cookies.get(name)!;
    const tampered = new Jar();
    const [payload, mac] = value.split(".");
    const forged = JSON.parse(Buffer.from(payload!, "base64url").toString()) as { e: number };
    forged.e += 86_400_000;
    tampered.cookies.set(name, `${Buffer.from(JSON.stringify(forged)).toString("base64url")}.${mac}`);
    assert.equal(await secondVisit(app, tampered), "login");

    await new Promise((r) => setTimeout(r, 1000));
    await server
      .client()
      .send(new AdminUserGlobalSignOutCommand({ UserPoolId: app.poolId, Username: "alice" }));
    assert.equal(await secondVisit(app, jar), "login");
  });
});
