/**
 * The console's user pages: the list and search (ListUsers with its Filter, paged with
 * PaginationToken: nothing counts all users), a new user, and one user with what an admin does
 * to them (disable and enable, reset or set the password, groups, sign out everywhere, delete) and
 * their auth events.
 */
import type { AttributeType } from "../../generated/types.ts";
import {
  type Console,
  type ConsoleRequest,
  type ConsoleRouter,
  done,
  errorText,
  noticeOf,
  render,
} from "./context.ts";
import { param, poolTrail, query } from "./pools.ts";
import { checkbox, date, enc, facts, field, form, type Html, html, select, table } from "./views.ts";

/** The attributes ListUsers can filter on (Cognito's list). */
export const FILTER_ATTRIBUTES = [
  "email",
  "username",
  "phone_number",
  "name",
  "given_name",
  "family_name",
  "preferred_username",
  "cognito:user_status",
  "status",
  "sub",
];

/** The ListUsers Filter of the simple search: `attribute = "value"` or `attribute ^= "value"`. */
export function buildFilter(attribute: string, match: string, value: string): string {
  const op = match === "starts with" ? "^=" : "=";
  return `${attribute} ${op} "${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

function attr(attributes: AttributeType[] | undefined, name: string): string {
  return attributes?.find((a) => a.Name === name)?.Value ?? "";
}

export function userRoutes(router: ConsoleRouter, _app: Console): void {
  async function usersPage(c: ConsoleRequest, error?: string) {
    const poolId = param(c, "poolId");
    const base = `/console/pools/${enc(poolId)}/users`;
    const attribute = FILTER_ATTRIBUTES.includes(query(c, "attribute") ?? "")
      ? query(c, "attribute")!
      : "email";
    const match = query(c, "match") === "starts with" ? "starts with" : "equals";
    const value = query(c, "value") ?? "";
    const rawFilter = query(c, "filter") ?? "";
    const filter = rawFilter || (value ? buildFilter(attribute, match, value) : "");
    const token = query(c, "next");
    let rows: Html[][] = [];
    let next: string | undefined;
    try {
      const out = await c.call("ListUsers", {
        UserPoolId: poolId,
        Limit: 50,
        ...(filter ? { Filter: filter } : {}),
        ...(token ? { PaginationToken: token } : {}),
      });
      rows = (out.Users ?? []).map((u) => [
        html`<a href="${base}/${enc(u.Username ?? "")}">${u.Username}</a>`,
        html`${attr(u.Attributes, "email")}`,
        html`${u.UserStatus}`,
        html`${u.Enabled ? "Enabled" : "Disabled"}`,
        html`${date(u.UserCreateDate)}`,
      ]);
      next = out.PaginationToken;
    } catch (e) {
      error ??= errorText(e);
    }
    const nextQuery = new URLSearchParams({
      ...(rawFilter ? { filter: rawFilter } : value ? { attribute, match, value } : {}),
      ...(next ? { next } : {}),
    });
    const body = html`<search>
        <form method="get" action="${base}">
          <fieldset>
            <legend>Find users</legend>
            ${select("attribute", "Attribute", FILTER_ATTRIBUTES, attribute)}
            ${select("match", "Match", ["equals", "starts with"], match)}
            ${field("value", "Value", { value, type: "search" })}
            <details ${rawFilter ? html`open` : ""}>
              <summary>Or a ListUsers filter expression</summary>
              ${field(
                "filter",
                'Filter (for example: email ^= "ann" or cognito:user_status = "UNCONFIRMED")',
                {
                  value: rawFilter,
                },
              )}
            </details>
            <button type="submit">Search</button> <a href="${base}">Show all</a>
          </fieldset>
        </form>
      </search>
      ${filter ? html`<p>Filter: <code>${filter}</code></p>` : ""}
      ${table("Users", ["Username", "Email", "Status", "Enabled", "Created"], rows, "No users found.")}
      ${next ? html`<p><a href="${base}?${nextQuery.toString()}">Next page</a></p>` : ""}
      <h2>Create a user</h2>
      ${form(
        c.frame,
        base,
        html`<fieldset>
          <legend>New user</legend>
          ${field("Username", "Username (or the email address, in a pool that signs in with email)", {
            required: true,
            value: c.form.Username ?? "",
          })}
          ${field("email", "Email", { type: "email", value: c.form.email ?? "" })}
          <div>${checkbox("email_verified", "Email verified", true)}</div>
          ${field("TemporaryPassword", "Temporary password (empty: Lanyard makes one)", { type: "password" })}
          <div>${checkbox("suppress", "Do not send the invitation")}</div>
          <button type="submit">Create user</button>
        </fieldset>`,
      )}`;
    return render(c, { title: "Users", trail: poolTrail(poolId), body, error, notice: noticeOf(c) });
  }

  router.get("/console/pools/:poolId/users", (c) => usersPage(c));
  router.post("/console/pools/:poolId/users", async (c) => {
    const poolId = param(c, "poolId");
    const f = c.form;
    try {
      const attributes: AttributeType[] = [];
      if (f.email) attributes.push({ Name: "email", Value: f.email });
      if (f.email && f.email_verified === "on") attributes.push({ Name: "email_verified", Value: "true" });
      const out = await c.call("AdminCreateUser", {
        UserPoolId: poolId,
        Username: f.Username ?? "",
        ...(attributes.length ? { UserAttributes: attributes } : {}),
        ...(f.TemporaryPassword ? { TemporaryPassword: f.TemporaryPassword } : {}),
        ...(f.suppress === "on"
          ? { MessageAction: "SUPPRESS" as const }
          : f.email
            ? { DesiredDeliveryMediums: ["EMAIL" as const] }
            : {}),
      });
      return done(
        c,
        `/console/pools/${enc(poolId)}/users/${enc(out.User?.Username ?? f.Username ?? "")}`,
        "User created.",
      );
    } catch (e) {
      return usersPage(c, errorText(e));
    }
  });

  async function userPage(c: ConsoleRequest, error?: string) {
    const poolId = param(c, "poolId");
    const username = param(c, "username");
    const base = `/console/pools/${enc(poolId)}/users/${enc(username)}`;
    const trail = [
      ...poolTrail(poolId),
      ["Users", `/console/pools/${enc(poolId)}/users`] as [string, string],
    ];
    let user;
    try {
      user = await c.call("AdminGetUser", { UserPoolId: poolId, Username: username });
    } catch (e) {
      return render(c, {
        title: username,
        trail,
        body: html``,
        error: error ?? errorText(e),
        status: error ? 400 : 404,
      });
    }
    let groups: Html;
    try {
      const out = await c.call("AdminListGroupsForUser", {
        UserPoolId: poolId,
        Username: username,
        Limit: 60,
      });
      groups = table(
        "Groups of the user",
        ["Group", ""],
        (out.Groups ?? []).map((g) => [
          html`${g.GroupName}`,
          form(
            c.frame,
            `${base}/remove-group`,
            html`<input type="hidden" name="GroupName" value="${g.GroupName ?? ""}" />
              <button type="submit">Remove from ${g.GroupName}</button>`,
            true,
          ),
        ]),
        "In no group.",
      );
    } catch (e) {
      groups = html`<p class="error">${errorText(e)}</p>`;
    }
    let events: Html;
    try {
      const out = await c.call("AdminListUserAuthEvents", {
        UserPoolId: poolId,
        Username: username,
        MaxResults: 20,
      });
      events = table(
        "Auth events",
        ["When", "Event", "Response", "Risk", "IP address"],
        (out.AuthEvents ?? []).map((ev) => [
          html`${date(ev.CreationDate)}`,
          html`${ev.EventType}`,
          html`${ev.EventResponse}`,
          html`${ev.EventRisk?.RiskLevel ?? ""} ${ev.EventRisk?.RiskDecision ?? ""}`,
          html`${ev.EventContextData?.IpAddress ?? ""}`,
        ]),
        "No auth events.",
      );
    } catch (e) {
      events = html`<p>${errorText(e)}</p>`;
    }
    const attrs = user.UserAttributes ?? [];
    const body = html`${facts("The user", [
        ["Username", user.Username],
        ["Status", user.UserStatus ?? ""],
        ["Enabled", user.Enabled ? "Enabled" : "Disabled"],
        ["Created", date(user.UserCreateDate)],
        ["Last modified", date(user.UserLastModifiedDate)],
        ["MFA", (user.UserMFASettingList ?? []).join(", ")],
      ])}
      <h2>Attributes</h2>
      ${table(
        "Attributes",
        ["Name", "Value"],
        attrs.map((a) => [html`${a.Name}`, html`${a.Value}`]),
        "No attributes.",
      )}
      <h2>Actions</h2>
      ${
        user.Enabled
          ? form(c.frame, `${base}/disable`, html`<button type="submit">Disable user</button>`)
          : form(c.frame, `${base}/enable`, html`<button type="submit">Enable user</button>`)
      }
      ${form(c.frame, `${base}/reset-password`, html`<button type="submit">Reset password</button>`)}
      ${form(c.frame, `${base}/sign-out`, html`<button type="submit">Sign out everywhere</button>`)}
      ${form(
        c.frame,
        `${base}/set-password`,
        html`<fieldset>
          <legend>Set a password</legend>
          ${field("Password", "New password", { type: "password", required: true, autocomplete: "new-password" })}
          <div>
            ${checkbox("Permanent", "Permanent (otherwise the user must change it at the next sign-in)")}
          </div>
          <button type="submit">Set password</button>
        </fieldset>`,
      )}
      <h2>Groups</h2>
      ${groups}
      ${form(
        c.frame,
        `${base}/add-group`,
        html`<fieldset>
          <legend>Add to a group</legend>
          ${field("GroupName", "Group name", { required: true })}
          <button type="submit">Add to group</button>
        </fieldset>`,
      )}
      <h2>Auth events</h2>
      ${events}
      <h2>Delete</h2>
      ${form(
        c.frame,
        `${base}/delete`,
        html`<div>${checkbox("confirm", `Yes, delete ${user.Username ?? username}`)}</div>
          <button type="submit">Delete user</button>`,
      )}`;
    return render(c, { title: user.Username ?? username, trail, body, error, notice: noticeOf(c) });
  }

  router.get("/console/pools/:poolId/users/:username", (c) => userPage(c));

  const actions: Record<string, (c: ConsoleRequest, poolId: string, username: string) => Promise<string>> = {
    async disable(c, UserPoolId, Username) {
      await c.call("AdminDisableUser", { UserPoolId, Username });
      return "User disabled.";
    },
    async enable(c, UserPoolId, Username) {
      await c.call("AdminEnableUser", { UserPoolId, Username });
      return "User enabled.";
    },
    async "reset-password"(c, UserPoolId, Username) {
      await c.call("AdminResetUserPassword", { UserPoolId, Username });
      return "Password reset: the user was sent a code.";
    },
    async "set-password"(c, UserPoolId, Username) {
      await c.call("AdminSetUserPassword", {
        UserPoolId,
        Username,
        Password: c.form.Password ?? "",
        Permanent: c.form.Permanent === "on",
      });
      return "Password set.";
    },
    async "add-group"(c, UserPoolId, Username) {
      await c.call("AdminAddUserToGroup", { UserPoolId, Username, GroupName: c.form.GroupName ?? "" });
      return "Added to the group.";
    },
    async "remove-group"(c, UserPoolId, Username) {
      await c.call("AdminRemoveUserFromGroup", { UserPoolId, Username, GroupName: c.form.GroupName ?? "" });
      return "Removed from the group.";
    },
    async "sign-out"(c, UserPoolId, Username) {
      await c.call("AdminUserGlobalSignOut", { UserPoolId, Username });
      return "Signed out everywhere.";
    },
    async delete(c, UserPoolId, Username) {
      await c.call("AdminDeleteUser", { UserPoolId, Username });
      return "User deleted.";
    },
  };

  router.post("/console/pools/:poolId/users/:username/:action", async (c) => {
    const poolId = param(c, "poolId");
    const username = param(c, "username");
    const name = param(c, "action");
    const action = Object.hasOwn(actions, name) ? actions[name] : undefined;
    if (!action)
      return render(c, { title: "Not found", body: html``, error: "No such action.", status: 404 });
    if (name === "delete" && c.form.confirm !== "on")
      return userPage(c, "Tick the box to confirm the deletion.");
    try {
      const notice = await action(c, poolId, username);
      const users = `/console/pools/${enc(poolId)}/users`;
      return done(c, name === "delete" ? users : `${users}/${enc(username)}`, notice);
    } catch (e) {
      return userPage(c, errorText(e));
    }
  });
}
