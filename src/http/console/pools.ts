/**
 * The console's pool pages: the list of user pools (paged with NextToken) and a new pool, one pool,
 * its app clients, groups, identity providers and domain.
 */
import { type Console, done, errorText, noticeOf, render } from "./context.ts";
import type { ConsoleRequest, ConsoleRouter } from "./context.ts";
import { checkbox, date, deleteButton, enc, facts, field, form, type Html, html, table } from "./views.ts";

export const poolsTrail: [string, string] = ["User pools", "/console/pools"];

export function poolTrail(poolId: string): Array<[string, string]> {
  return [poolsTrail, [poolId, `/console/pools/${enc(poolId)}`]];
}

function param(c: ConsoleRequest, name: string): string {
  return String((c.req.params as Record<string, unknown>)[name] ?? "");
}

function query(c: ConsoleRequest, name: string): string | undefined {
  const v = (c.req.query as Record<string, unknown>)[name];
  return typeof v === "string" && v !== "" ? v : undefined;
}

export { param, query };

export function poolRoutes(router: ConsoleRouter, _app: Console): void {
  async function poolsPage(c: ConsoleRequest, error?: string) {
    const token = query(c, "next");
    let rows: Html[][] = [];
    let next: string | undefined;
    try {
      const out = await c.call("ListUserPools", { MaxResults: 60, ...(token ? { NextToken: token } : {}) });
      rows = (out.UserPools ?? []).map((p) => [
        html`<a href="/console/pools/${enc(p.Id ?? "")}">${p.Name}</a>`,
        html`${p.Id}`,
        html`${date(p.CreationDate)}`,
      ]);
      next = out.NextToken;
    } catch (e) {
      error ??= errorText(e);
    }
    const body = html`${table("User pools", ["Name", "Pool ID", "Created"], rows, "No user pools yet.")}
      ${next ? html`<p><a href="/console/pools?next=${enc(next)}">Next page</a></p>` : ""}
      <h2>Create a user pool</h2>
      ${form(
        c.frame,
        "/console/pools",
        html`<fieldset>
          <legend>New user pool</legend>
          ${field("PoolName", "Pool name", { required: true, value: c.form.PoolName ?? "" })}
          <div>${checkbox("emailSignIn", "Users sign in with their email address", true)}</div>
          <button type="submit">Create user pool</button>
        </fieldset>`,
      )}`;
    return render(c, { title: "User pools", body, error, notice: noticeOf(c) });
  }

  router.get("/console/pools", (c) => poolsPage(c));
  router.post("/console/pools", async (c) => {
    try {
      const email = c.form.emailSignIn === "on";
      const out = await c.call("CreateUserPool", {
        PoolName: c.form.PoolName ?? "",
        ...(email ? { UsernameAttributes: ["email"], AutoVerifiedAttributes: ["email"] } : {}),
      });
      return done(c, `/console/pools/${enc(out.UserPool?.Id ?? "")}`, "User pool created.");
    } catch (e) {
      return poolsPage(c, errorText(e));
    }
  });

  async function poolPage(c: ConsoleRequest, error?: string) {
    const poolId = param(c, "poolId");
    try {
      const { UserPool: p = {} } = await c.call("DescribeUserPool", { UserPoolId: poolId });
      const base = `/console/pools/${enc(poolId)}`;
      const body = html`${facts("User pool", [
          ["Pool ID", p.Id ?? ""],
          ["Name", p.Name ?? ""],
          ["ARN", p.Arn ?? ""],
          ["Username attributes", (p.UsernameAttributes ?? []).join(", ") || "none (usernames)"],
          ["Auto-verified attributes", (p.AutoVerifiedAttributes ?? []).join(", ")],
          ["MFA", p.MfaConfiguration ?? ""],
          ["Estimated number of users", String(p.EstimatedNumberOfUsers ?? 0)],
          ["Domain", p.Domain ?? ""],
          ["Created", date(p.CreationDate)],
        ])}
        <h2>Manage</h2>
        <ul>
          <li><a href="${base}/users">Users</a></li>
          <li><a href="${base}/clients">App clients</a></li>
          <li><a href="${base}/groups">Groups</a></li>
          <li><a href="${base}/identity-providers">Identity providers</a></li>
          <li><a href="${base}/domain">Domain</a></li>
          <li><a href="${base}/inbox">Inbox</a></li>
          <li><a href="/console/token">Token decoder</a></li>
        </ul>
        <h2>Delete the user pool</h2>
        ${form(
          c.frame,
          `${base}/delete`,
          html`<fieldset>
            <legend>Delete this pool, its users, clients and groups</legend>
            <div>${checkbox("confirm", `Yes, delete ${p.Name ?? poolId} (${poolId})`)}</div>
            <button type="submit">Delete user pool</button>
          </fieldset>`,
        )}`;
      return render(c, { title: p.Name ?? poolId, trail: [poolsTrail], body, error, notice: noticeOf(c) });
    } catch (e) {
      return render(c, {
        title: poolId,
        trail: [poolsTrail],
        body: html``,
        error: errorText(e),
        status: 404,
      });
    }
  }
  router.get("/console/pools/:poolId", (c) => poolPage(c));
  router.post("/console/pools/:poolId/delete", async (c) => {
    const poolId = param(c, "poolId");
    if (c.form.confirm !== "on") return poolPage(c, "Tick the box to confirm the deletion.");
    try {
      await c.call("DeleteUserPool", { UserPoolId: poolId });
      return done(c, "/console/pools", "User pool deleted.");
    } catch (e) {
      return poolPage(c, errorText(e));
    }
  });

  async function clientsPage(c: ConsoleRequest, error?: string) {
    const poolId = param(c, "poolId");
    const token = query(c, "next");
    let rows: Html[][] = [];
    let next: string | undefined;
    try {
      const out = await c.call("ListUserPoolClients", {
        UserPoolId: poolId,
        MaxResults: 60,
        ...(token ? { NextToken: token } : {}),
      });
      rows = (out.UserPoolClients ?? []).map((cl) => [
        html`<a href="/console/pools/${enc(poolId)}/clients/${enc(cl.ClientId ?? "")}">${cl.ClientName}</a>`,
        html`<code>${cl.ClientId}</code>`,
      ]);
      next = out.NextToken;
    } catch (e) {
      error ??= errorText(e);
    }
    const body = html`${table("App clients", ["Name", "Client ID"], rows, "No app clients yet.")}
      ${next ? html`<p><a href="?next=${enc(next)}">Next page</a></p>` : ""}
      <h2>Create an app client</h2>
      ${form(
        c.frame,
        `/console/pools/${enc(poolId)}/clients`,
        html`<fieldset>
          <legend>New app client</legend>
          ${field("ClientName", "Client name", { required: true, value: c.form.ClientName ?? "" })}
          <div>
            ${checkbox("GenerateSecret", "Generate a client secret")}
            ${checkbox("passwordAuth", "Allow USER_PASSWORD_AUTH and ADMIN_USER_PASSWORD_AUTH", true)}
          </div>
          <button type="submit">Create app client</button>
        </fieldset>`,
      )}`;
    return render(c, { title: "App clients", trail: poolTrail(poolId), body, error, notice: noticeOf(c) });
  }
  router.get("/console/pools/:poolId/clients", (c) => clientsPage(c));
  router.post("/console/pools/:poolId/clients", async (c) => {
    const poolId = param(c, "poolId");
    try {
      await c.call("CreateUserPoolClient", {
        UserPoolId: poolId,
        ClientName: c.form.ClientName ?? "",
        GenerateSecret: c.form.GenerateSecret === "on",
        ExplicitAuthFlows:
          c.form.passwordAuth === "on"
            ? [
                "ALLOW_USER_SRP_AUTH",
                "ALLOW_USER_PASSWORD_AUTH",
                "ALLOW_ADMIN_USER_PASSWORD_AUTH",
                "ALLOW_REFRESH_TOKEN_AUTH",
              ]
            : ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      });
      return done(c, `/console/pools/${enc(poolId)}/clients`, "App client created.");
    } catch (e) {
      return clientsPage(c, errorText(e));
    }
  });

  async function clientPage(c: ConsoleRequest, error?: string) {
    const poolId = param(c, "poolId");
    const clientId = param(c, "clientId");
    const trail: Array<[string, string]> = [
      ...poolTrail(poolId),
      ["App clients", `/console/pools/${enc(poolId)}/clients`],
    ];
    try {
      const { UserPoolClient: cl = {} } = await c.call("DescribeUserPoolClient", {
        UserPoolId: poolId,
        ClientId: clientId,
      });
      const list = (v: string[] | undefined) => (v ?? []).join(", ");
      const units = cl.TokenValidityUnits ?? {};
      const details = facts("App client", [
        ["Client ID", html`<code>${cl.ClientId}</code>`],
        ["Client secret", cl.ClientSecret ? html`<code>${cl.ClientSecret}</code>` : "none"],
        ["Auth flows", list(cl.ExplicitAuthFlows)],
        ["OAuth flows", list(cl.AllowedOAuthFlows)],
        ["OAuth scopes", list(cl.AllowedOAuthScopes)],
        ["Callback URLs", list(cl.CallbackURLs)],
        ["Sign-out URLs", list(cl.LogoutURLs)],
        ["Identity providers", list(cl.SupportedIdentityProviders)],
        [
          "Token validity",
          `access ${cl.AccessTokenValidity ?? 60} ${units.AccessToken ?? "minutes"}, ID ${cl.IdTokenValidity ?? 60} ${units.IdToken ?? "minutes"}, refresh ${cl.RefreshTokenValidity ?? 30} ${units.RefreshToken ?? "days"}`,
        ],
        ["Created", date(cl.CreationDate)],
      ]);
      const body = html`${details}
      ${form(
        c.frame,
        `/console/pools/${enc(poolId)}/clients/${enc(clientId)}/delete`,
        html`<button type="submit">Delete app client</button>`,
      )}`;
      return render(c, { title: cl.ClientName ?? clientId, trail, body, error });
    } catch (e) {
      return render(c, { title: clientId, trail, body: html``, error: errorText(e), status: 404 });
    }
  }
  router.get("/console/pools/:poolId/clients/:clientId", (c) => clientPage(c));
  router.post("/console/pools/:poolId/clients/:clientId/delete", async (c) => {
    const poolId = param(c, "poolId");
    try {
      await c.call("DeleteUserPoolClient", { UserPoolId: poolId, ClientId: param(c, "clientId") });
      return done(c, `/console/pools/${enc(poolId)}/clients`, "App client deleted.");
    } catch (e) {
      return clientPage(c, errorText(e));
    }
  });

  async function groupsPage(c: ConsoleRequest, error?: string) {
    const poolId = param(c, "poolId");
    const token = query(c, "next");
    let rows: Html[][] = [];
    let next: string | undefined;
    try {
      const out = await c.call("ListGroups", {
        UserPoolId: poolId,
        Limit: 60,
        ...(token ? { NextToken: token } : {}),
      });
      rows = (out.Groups ?? []).map((g) => [
        html`${g.GroupName}`,
        html`${g.Description}`,
        html`${g.Precedence === undefined ? "" : String(g.Precedence)}`,
        deleteButton(
          c.frame,
          `/console/pools/${enc(poolId)}/groups/delete`,
          "GroupName",
          g.GroupName ?? "",
          `Delete group ${g.GroupName ?? ""}`,
        ),
      ]);
      next = out.NextToken;
    } catch (e) {
      error ??= errorText(e);
    }
    const body = html`${table("Groups", ["Name", "Description", "Precedence", ""], rows, "No groups yet.")}
      ${next ? html`<p><a href="?next=${enc(next)}">Next page</a></p>` : ""}
      <h2>Create a group</h2>
      ${form(
        c.frame,
        `/console/pools/${enc(poolId)}/groups`,
        html`<fieldset>
          <legend>New group</legend>
          ${field("GroupName", "Group name", { required: true })} ${field("Description", "Description")}
          <button type="submit">Create group</button>
        </fieldset>`,
      )}`;
    return render(c, { title: "Groups", trail: poolTrail(poolId), body, error, notice: noticeOf(c) });
  }
  router.get("/console/pools/:poolId/groups", (c) => groupsPage(c));
  router.post("/console/pools/:poolId/groups", async (c) => {
    const poolId = param(c, "poolId");
    try {
      await c.call("CreateGroup", {
        UserPoolId: poolId,
        GroupName: c.form.GroupName ?? "",
        ...(c.form.Description ? { Description: c.form.Description } : {}),
      });
      return done(c, `/console/pools/${enc(poolId)}/groups`, "Group created.");
    } catch (e) {
      return groupsPage(c, errorText(e));
    }
  });
  router.post("/console/pools/:poolId/groups/delete", async (c) => {
    const poolId = param(c, "poolId");
    try {
      await c.call("DeleteGroup", { UserPoolId: poolId, GroupName: c.form.GroupName ?? "" });
      return done(c, `/console/pools/${enc(poolId)}/groups`, "Group deleted.");
    } catch (e) {
      return groupsPage(c, errorText(e));
    }
  });

  async function domainPage(c: ConsoleRequest, error?: string) {
    const poolId = param(c, "poolId");
    let domain: string | undefined;
    let custom: string | undefined;
    try {
      const { UserPool: p = {} } = await c.call("DescribeUserPool", { UserPoolId: poolId });
      domain = p.Domain;
      custom = p.CustomDomain;
    } catch (e) {
      error ??= errorText(e);
    }
    const action = `/console/pools/${enc(poolId)}/domain`;
    const current = domain ?? custom;
    const body = current
      ? html`${facts("Domain", [
          ["Domain", current],
          ["Kind", custom ? "custom domain" : "prefix domain"],
        ])}
        ${form(
          c.frame,
          `${action}/delete`,
          html`<input type="hidden" name="Domain" value="${current}" /><button type="submit">
              Delete the domain
            </button>`,
        )}`
      : html`<p>This pool has no domain.</p>
          ${form(
            c.frame,
            action,
            html`<fieldset>
              <legend>New domain</legend>
              ${field("Domain", "Domain prefix", { required: true })}
              <button type="submit">Create domain</button>
            </fieldset>`,
          )}`;
    return render(c, { title: "Domain", trail: poolTrail(poolId), body, error, notice: noticeOf(c) });
  }
  router.get("/console/pools/:poolId/domain", (c) => domainPage(c));
  router.post("/console/pools/:poolId/domain", async (c) => {
    const poolId = param(c, "poolId");
    try {
      await c.call("CreateUserPoolDomain", { UserPoolId: poolId, Domain: c.form.Domain ?? "" });
      return done(c, `/console/pools/${enc(poolId)}/domain`, "Domain created.");
    } catch (e) {
      return domainPage(c, errorText(e));
    }
  });
  router.post("/console/pools/:poolId/domain/delete", async (c) => {
    const poolId = param(c, "poolId");
    try {
      await c.call("DeleteUserPoolDomain", { UserPoolId: poolId, Domain: c.form.Domain ?? "" });
      return done(c, `/console/pools/${enc(poolId)}/domain`, "Domain deleted.");
    } catch (e) {
      return domainPage(c, errorText(e));
    }
  });
}
