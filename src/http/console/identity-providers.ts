/**
 * The console's identity-provider page: the pool's providers (paged), deleting one, and a new OIDC
 * or SAML provider through CreateIdentityProvider. Social providers (Google, Facebook, Login with
 * Amazon, Sign in with Apple) take the same ProviderDetails through the API or a seed file.
 */
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
import { date, deleteButton, enc, field, form, type Html, html, select, table } from "./views.ts";

/** `pool attribute = provider attribute` lines, one a line, as an AttributeMapping. */
export function attributeMapping(text: string): Record<string, string> | string {
  // Through a Map: a line naming `__proto__` is then a member like any other, for the API to judge.
  const mapping = new Map<string, string>();
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === "") continue;
    const eq = line.indexOf("=");
    if (eq <= 0 || eq === line.length - 1)
      return `Line ${i + 1} of the attribute mapping is not "pool attribute = provider attribute".`;
    mapping.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return Object.fromEntries(mapping);
}

function detailsOf(form: Record<string, string>): Record<string, string> {
  const details: Record<string, string> = {};
  const put = (key: string, value: string | undefined) => {
    if (value !== undefined && value.trim() !== "") details[key] = value.trim();
  };
  if (form.ProviderType === "SAML") {
    put("MetadataURL", form.MetadataURL);
    put("MetadataFile", form.MetadataFile);
  } else {
    put("client_id", form.client_id);
    put("client_secret", form.client_secret);
    put("oidc_issuer", form.oidc_issuer);
    put("authorize_scopes", form.authorize_scopes);
    details.attributes_request_method = form.attributes_request_method === "POST" ? "POST" : "GET";
  }
  return details;
}

export function identityProviderRoutes(router: ConsoleRouter, _app: Console): void {
  async function providersPage(c: ConsoleRequest, error?: string) {
    const poolId = param(c, "poolId");
    const token = query(c, "next");
    const action = `/console/pools/${enc(poolId)}/identity-providers`;
    let rows: Html[][] = [];
    let next: string | undefined;
    try {
      const out = await c.call("ListIdentityProviders", {
        UserPoolId: poolId,
        MaxResults: 60,
        ...(token ? { NextToken: token } : {}),
      });
      rows = (out.Providers ?? []).map((p) => [
        html`${p.ProviderName}`,
        html`${p.ProviderType}`,
        html`${date(p.CreationDate)}`,
        deleteButton(
          c.frame,
          `${action}/delete`,
          "ProviderName",
          p.ProviderName ?? "",
          `Delete identity provider ${p.ProviderName ?? ""}`,
        ),
      ]);
      next = out.NextToken;
    } catch (e) {
      error ??= errorText(e);
    }
    const f = c.form;
    const body = html`${table("Identity providers", ["Name", "Type", "Created", ""], rows, "No identity providers.")}
      ${next ? html`<p><a href="?next=${enc(next)}">Next page</a></p>` : ""}
      <h2>Add an identity provider</h2>
      <p>
        App clients offer a provider once their SupportedIdentityProviders name it. Google, Facebook, Login
        with Amazon and Sign in with Apple are added with CreateIdentityProvider or a seed file.
      </p>
      ${form(
        c.frame,
        action,
        html`<fieldset>
          <legend>OpenID Connect provider</legend>
          <input type="hidden" name="ProviderType" value="OIDC" />
          ${field("oidcName", "Provider name", { name: "ProviderName", required: true, value: f.ProviderType === "OIDC" ? (f.ProviderName ?? "") : "" })}
          ${field("oidc_issuer", "Issuer URL", { required: true, value: f.oidc_issuer ?? "" })}
          ${field("client_id", "Client ID", { required: true, value: f.client_id ?? "" })}
          ${field("client_secret", "Client secret", { type: "password" })}
          ${field("authorize_scopes", "Scopes (space-separated)", { value: f.authorize_scopes ?? "openid email profile" })}
          ${select("attributes_request_method", "User info request method", ["GET", "POST"], f.attributes_request_method ?? "GET")}
          <label for="oidcMapping"
            >Attribute mapping (one "pool attribute = provider attribute" a line)</label
          >
          <textarea id="oidcMapping" name="AttributeMapping">
${f.ProviderType === "OIDC" ? (f.AttributeMapping ?? "") : "email = email"}</textarea>
          <div><button type="submit">Add OIDC provider</button></div>
        </fieldset>`,
      )}
      ${form(
        c.frame,
        action,
        html`<fieldset>
          <legend>SAML provider</legend>
          <input type="hidden" name="ProviderType" value="SAML" />
          ${field("samlName", "Provider name", { name: "ProviderName", required: true, value: f.ProviderType === "SAML" ? (f.ProviderName ?? "") : "" })}
          ${field("MetadataURL", "Metadata URL", { value: f.MetadataURL ?? "" })}
          <label for="MetadataFile">Or the metadata document</label>
          <textarea id="MetadataFile" name="MetadataFile">${f.MetadataFile ?? ""}</textarea>
          <label for="samlMapping">Attribute mapping (one "pool attribute = SAML attribute" a line)</label>
          <textarea id="samlMapping" name="AttributeMapping">
${f.ProviderType === "SAML" ? (f.AttributeMapping ?? "") : ""}</textarea>
          <div><button type="submit">Add SAML provider</button></div>
        </fieldset>`,
      )}`;
    return render(c, {
      title: "Identity providers",
      trail: poolTrail(poolId),
      body,
      error,
      notice: noticeOf(c),
    });
  }

  router.get("/console/pools/:poolId/identity-providers", (c) => providersPage(c));
  router.post("/console/pools/:poolId/identity-providers", async (c) => {
    const poolId = param(c, "poolId");
    const mapping = attributeMapping(c.form.AttributeMapping ?? "");
    if (typeof mapping === "string") return providersPage(c, mapping);
    try {
      await c.call("CreateIdentityProvider", {
        UserPoolId: poolId,
        ProviderName: c.form.ProviderName ?? "",
        ProviderType: c.form.ProviderType === "SAML" ? "SAML" : "OIDC",
        ProviderDetails: detailsOf(c.form),
        ...(Object.keys(mapping).length > 0 ? { AttributeMapping: mapping } : {}),
      });
      return done(c, `/console/pools/${enc(poolId)}/identity-providers`, "Identity provider added.");
    } catch (e) {
      return providersPage(c, errorText(e));
    }
  });
  router.post("/console/pools/:poolId/identity-providers/delete", async (c) => {
    const poolId = param(c, "poolId");
    try {
      await c.call("DeleteIdentityProvider", { UserPoolId: poolId, ProviderName: c.form.ProviderName ?? "" });
      return done(c, `/console/pools/${enc(poolId)}/identity-providers`, "Identity provider deleted.");
    } catch (e) {
      return providersPage(c, errorText(e));
    }
  });
}
