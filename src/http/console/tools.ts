/**
 * The console's tools: a pool's inbox (the messages the in-memory inbox delivery kept, with their
 * codes; `--delivery inbox`) and the token decoder.
 */
import { InboxDelivery } from "../../delivery/inbox.ts";
import { type Console, type ConsoleRequest, type ConsoleRouter, done, noticeOf, render } from "./context.ts";
import { param, poolTrail, query } from "./pools.ts";
import { checkToken } from "./token.ts";
import { date, enc, field, form, type Html, html, table } from "./views.ts";

/** How many messages the inbox page shows. */
const INBOX_PAGE = 100;

export function toolRoutes(router: ConsoleRouter, app: Console): void {
  const { delivery } = app.services;
  const inbox = delivery instanceof InboxDelivery ? delivery : undefined;

  router.get("/console/pools/:poolId/inbox", async (c) => {
    const poolId = param(c, "poolId");
    const base = `/console/pools/${enc(poolId)}/inbox`;
    if (!inbox)
      return render(c, {
        title: "Inbox",
        trail: poolTrail(poolId),
        body: html`<p>
          The inbox keeps the messages Lanyard sends only with <code>--delivery inbox</code>; this server
          delivers them another way.
        </p>`,
      });
    const to = query(c, "destination");
    const messages = inbox.list({ poolId, ...(to ? { destination: to } : {}) }).slice(0, INBOX_PAGE);
    const rows: Html[][] = messages.map((m) => [
      html`${date(Math.floor(m.sentAt / 1000))}`,
      html`${m.username}`,
      html`${m.channel} ${m.destination}`,
      html`${m.purpose}`,
      html`<strong class="code">${m.code}</strong>`,
      html`${m.subject ? html`<strong>${m.subject}</strong><br />` : ""}${m.body}`,
    ]);
    const body = html`<form method="get" action="${base}">
        ${field("destination", "Email address or phone number", { value: to ?? "" })}
        <button type="submit">Filter</button> <a href="${base}">Show all</a>
      </form>
      ${table("Messages", ["Sent", "User", "To", "Purpose", "Code", "Message"], rows, "No messages.")}
      ${form(c.frame, `${base}/clear`, html`<button type="submit">Clear this pool's inbox</button>`)}`;
    return render(c, { title: "Inbox", trail: poolTrail(poolId), body, notice: noticeOf(c) });
  });
  router.post("/console/pools/:poolId/inbox/clear", async (c) => {
    const poolId = param(c, "poolId");
    inbox?.clear({ poolId });
    return done(c, `/console/pools/${enc(poolId)}/inbox`, "Inbox cleared.");
  });

  function decoderForm(c: ConsoleRequest, token: string): Html {
    return form(
      c.frame,
      "/console/token",
      html`<label for="token">ID or access token</label>
        <textarea id="token" name="token" required spellcheck="false">${token}</textarea>
        <button type="submit">Decode and check</button>`,
    );
  }

  router.get("/console/token", async (c) => render(c, { title: "Token decoder", body: decoderForm(c, "") }));
  router.post("/console/token", async (c) => {
    const token = c.form.token ?? "";
    const result = await checkToken(app.services, token, app.services.clock.now());
    const json = (v: unknown) => JSON.stringify(v, null, 2);
    const body = html`${decoderForm(c, token)}
      <h2>Checks</h2>
      <p class="${result.valid ? "ok" : "bad"}" role="status">
        ${result.valid ? "Valid: every check passed." : "Not valid: see the failed checks."}
      </p>
      ${table(
        "Checks",
        ["Check", "Result", "Detail"],
        result.checks.map((ch) => [
          html`${ch.name}`,
          html`<span class="${ch.ok ? "ok" : "bad"}">${ch.ok ? "pass" : "fail"}</span>`,
          html`${ch.detail}`,
        ]),
      )}
      ${
        result.header
          ? html`<h2>Header</h2>
              <pre>${json(result.header)}</pre>`
          : ""
      }
      ${
        result.claims
          ? html`<h2>Claims</h2>
              <pre>${json(result.claims)}</pre>`
          : ""
      }`;
    return render(c, { title: "Token decoder", body });
  });
}
