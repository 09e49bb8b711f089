/**
 * The console's sign-in with access keys is throttled per address: ten wrong secrets within 15
 * minutes, and even the right one is refused (429 with Retry-After) until the window moves on.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ConsoleBrowser, moveClock } from "../../support/console-browser.ts";
import { startServer, type TestServer } from "../../support/server.ts";

describe("console sign-in throttle", () => {
  let server: TestServer;
  const KEY = { accessKeyId: "AKIATHROTTLE", secretAccessKey: "throttle-secret-key-0123456789" };
  before(async () => {
    server = await startServer({
      args: ["--memory", "--enable-test-clock"],
      env: { LANYARD_ACCESS_KEY_ID: KEY.accessKeyId, LANYARD_SECRET_ACCESS_KEY: KEY.secretAccessKey },
    });
  });
  after(async () => {
    await moveClock(server, 0);
    await server?.stop();
  });

  test("ten wrong secrets lock the address out for 15 minutes, the right secret included", async () => {
    const b = new ConsoleBrowser(server.url);
    await b.get("/console/login");
    for (let i = 0; i < 10; i++) {
      const wrong = await b.post("/console/login", {
        accessKeyId: KEY.accessKeyId,
        secretAccessKey: `guess-${i}`,
      });
      assert.equal(wrong.status, 401, `attempt ${i + 1}`);
    }
    const locked = await b.post("/console/login", KEY);
    assert.equal(locked.status, 429);
    assert.ok(Number(locked.headers.get("retry-after")) > 800, "Retry-After is about 15 minutes");
    assert.match(await locked.text(), /Too many failed sign-ins from this address/);
    assert.equal((await b.get("/console/pools")).status, 303, "no session was made");

    await moveClock(server, 14 * 60 * 1000);
    assert.equal((await b.post("/console/login", KEY)).status, 429, "still locked after 14 minutes");
    await moveClock(server, 15 * 60 * 1000 + 1000);
    const ok = await b.post("/console/login", KEY);
    assert.equal(ok.status, 303);
    assert.equal((await b.get("/console/pools")).status, 200);
  });
});
