/**
 * The console over plain HTTP: one browser's cookie jar and the CSRF token of its last page, and
 * the test clock.
 */
import assert from "node:assert/strict";
import type { TestServer } from "./server.ts";

/** A cookie jar of one browser, and the CSRF token of the last page. */
export class ConsoleBrowser {
  private jar = new Map<string, string>();
  csrf = "";
  private readonly base: string;
  constructor(base: string) {
    this.base = base;
  }

  private take(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(";");
      const [name, value] = pair!.split("=") as [string, string];
      if (attrs.some((a) => a.trim() === "Max-Age=0")) this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }

  private cookie(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  async get(path: string): Promise<Response> {
    const res = await fetch(this.base + path, { headers: { cookie: this.cookie() }, redirect: "manual" });
    this.take(res);
    const text = await res.clone().text();
    this.csrf = /name="_csrf" value="([^"]+)"/.exec(text)?.[1] ?? this.csrf;
    return res;
  }

  async post(path: string, form: Record<string, string>): Promise<Response> {
    const res = await fetch(this.base + path, {
      method: "POST",
      headers: { cookie: this.cookie(), "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ ...form, _csrf: this.csrf }).toString(),
      redirect: "manual",
    });
    this.take(res);
    return res;
  }
}

export async function moveClock(server: TestServer, offsetMs: number): Promise<void> {
  const res = await fetch(`${server.url}/_lanyard/clock`, {
    method: "POST",
    body: JSON.stringify({ offsetMs }),
  });
  assert.equal(res.status, 200);
}
