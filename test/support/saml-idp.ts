/**
 * A SAML 2.0 identity provider for the tests: samlify in IdP mode behind a tiny HTTP server on
 * 127.0.0.1. `GET /sso` takes the AuthnRequest (HTTP-Redirect; its signature checked against the
 * SP metadata when `wantAuthnRequestsSigned`) and shows a page where the user types who they are;
 * `POST /sso` answers with an auto-posting form that carries the SAMLResponse to the SP's ACS.
 * `respond()` builds a response directly, with any field overridden (the negative cases).
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import { selfSignedCertificate } from "../../src/crypto/x509.ts";

// samlify's declarations reference the DOM library (through xml-crypto), which would change the
// project's global types; it is loaded with the few types used here.
interface SamlifyEntityMeta {
  getAssertionConsumerService(binding: string): string | string[];
  getEntityID(): string;
}
interface SamlifySp {
  entityMeta: SamlifyEntityMeta;
}
interface SamlifyIdp {
  getMetadata(): string;
  createLoginResponse(
    sp: SamlifySp,
    requestInfo: Record<string, unknown>,
    binding: string,
    user: Record<string, unknown>,
    replace: (template: string) => { id: string; context: string },
  ): Promise<{ context: string }>;
  createLogoutResponse(
    sp: SamlifySp,
    requestInfo: unknown,
    binding: string,
    relayState: string,
  ): { context: string; entityEndpoint: string };
  parseLogoutRequest(
    sp: SamlifySp,
    binding: string,
    req: { query: Record<string, string>; octetString: string },
  ): Promise<{ extract: unknown; samlContent: string }>;
  parseLoginRequest(
    sp: SamlifySp,
    binding: string,
    req: { query: Record<string, string>; octetString: string },
  ): Promise<{ extract: unknown; samlContent: string }>;
}
const samlify = createRequire(import.meta.url)("samlify") as {
  setSchemaValidator(v: { validate: (xml: string) => Promise<string> }): void;
  IdentityProvider(settings: Record<string, unknown>): SamlifyIdp;
  ServiceProvider(settings: Record<string, unknown>): SamlifySp;
  SamlLib: { replaceTagsByValue(xml: string, values: Record<string, string>): string };
  Constants: {
    namespace: { binding: { redirect: string; post: string } };
    StatusCode: { Success: string };
  };
};

// The test IdP does not validate the SP's XML against the SAML schema (Lanyard's own checks are
// what the tests exercise).
samlify.setSchemaValidator({ validate: () => Promise.resolve("skipped") });

const REDIRECT = samlify.Constants.namespace.binding.redirect;

export interface IdpKeys {
  privateKeyPem: string;
  certPem: string;
}

export function idpKeys(name = "test-idp"): IdpKeys {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const cert = selfSignedCertificate(privateKey, publicKey, name, new Date(Date.now() - 60_000));
  const lines = cert.match(/.{1,64}/g)!.join("\n");
  return {
    privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    certPem: `-----BEGIN CERTIFICATE-----\n${lines}\n-----END CERTIFICATE-----\n`,
  };
}

export interface ResponseOverrides {
  inResponseTo?: string;
  destination?: string;
  audience?: string;
  notBefore?: Date;
  notOnOrAfter?: Date;
  assertionId?: string;
  attributes?: Record<string, string>;
  /** Sign with these keys instead of the IdP's. */
  signWith?: IdpKeys;
  /** Encrypt the assertion (the IdP's setting by default). */
  encrypt?: boolean;
  /** Changes the signed XML afterwards (a tampered response). */
  tamper?: (xml: string) => string;
}

export interface TestIdp {
  origin: string;
  entityId: string;
  /** The metadata to put in the provider's MetadataFile. */
  metadata: string;
  /** The AuthnRequests received, decoded. */
  requests: { id: string; signed: boolean; xml: string }[];
  /** The LogoutRequests received (their signatures checked), decoded. */
  logouts: { nameId: string; xml: string }[];
  /** A base64 SAMLResponse for the SP (the SP metadata given to start()). */
  respond(nameId: string, overrides?: ResponseOverrides): Promise<string>;
  close(): Promise<void>;
}

export interface TestIdpOptions {
  /** The SP metadata (Lanyard's /saml2/metadata/<poolId>). */
  spMetadata: string;
  wantAuthnRequestsSigned?: boolean;
  encryptAssertions?: boolean;
  attributes?: Record<string, string>;
  keys?: IdpKeys;
}

function escapeXml(s: string): string {
  return s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
}

function attributeStatement(attributes: Record<string, string>): string {
  const entries = Object.entries(attributes);
  if (entries.length === 0) return "";
  return `<saml:AttributeStatement>${entries
    .map(
      ([name, value]) =>
        `<saml:Attribute Name="${escapeXml(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic"><saml:AttributeValue xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:string">${escapeXml(value)}</saml:AttributeValue></saml:Attribute>`,
    )
    .join("")}</saml:AttributeStatement>`;
}

/** The signed part of an HTTP-Redirect query, as it was encoded. */
function octetOf(requestUrl: string): string {
  const parts = (requestUrl.split("?")[1] ?? "").split("&");
  const pick = (name: string) => parts.find((p) => p.startsWith(`${name}=`));
  return ["SAMLRequest", "RelayState", "SigAlg"]
    .map(pick)
    .filter((p): p is string => p !== undefined)
    .join("&");
}

export async function startTestIdp(options: TestIdpOptions): Promise<TestIdp> {
  const keys = options.keys ?? idpKeys();
  const requests: TestIdp["requests"] = [];
  const logouts: TestIdp["logouts"] = [];
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  const origin = `http://127.0.0.1:${address.port}`;
  const entityId = `${origin}/metadata`;

  const makeIdp = (k: IdpKeys, encrypt = options.encryptAssertions ?? false) =>
    samlify.IdentityProvider({
      entityID: entityId,
      signingCert: k.certPem,
      privateKey: k.privateKeyPem,
      wantAuthnRequestsSigned: options.wantAuthnRequestsSigned ?? false,
      wantLogoutRequestSigned: true,
      isAssertionEncrypted: encrypt,
      singleSignOnService: [{ Binding: REDIRECT, Location: `${origin}/sso` }],
      singleLogoutService: [{ Binding: REDIRECT, Location: `${origin}/slo` }],
      nameIDFormat: ["urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"],
    });
  const idp = makeIdp(keys);
  const sp = samlify.ServiceProvider({ metadata: options.spMetadata, wantLogoutResponseSigned: true });

  const acs = sp.entityMeta.getAssertionConsumerService("post") as string;
  if (!acs) throw new Error("the SP metadata has no POST assertion consumer service");

  async function respond(nameId: string, o: ResponseOverrides = {}): Promise<string> {
    const signer = o.signWith || o.encrypt !== undefined ? makeIdp(o.signWith ?? keys, o.encrypt) : idp;
    const now = new Date();
    const notBefore = o.notBefore ?? new Date(now.getTime() - 1000);
    const notOnOrAfter = o.notOnOrAfter ?? new Date(now.getTime() + 5 * 60_000);
    const id = `_${randomBytes(16).toString("hex")}`;
    const values = {
      ID: id,
      AssertionID: o.assertionId ?? `_${randomBytes(16).toString("hex")}`,
      Destination: o.destination ?? acs,
      Audience: o.audience ?? sp.entityMeta.getEntityID(),
      EntityID: sp.entityMeta.getEntityID(),
      SubjectRecipient: acs,
      Issuer: entityId,
      IssueInstant: now.toISOString(),
      AssertionConsumerServiceURL: acs,
      StatusCode: samlify.Constants.StatusCode.Success,
      ConditionsNotBefore: notBefore.toISOString(),
      ConditionsNotOnOrAfter: notOnOrAfter.toISOString(),
      SubjectConfirmationDataNotOnOrAfter: notOnOrAfter.toISOString(),
      NameIDFormat: "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified",
      NameID: nameId,
      InResponseTo: o.inResponseTo ?? "",
      AuthnStatement: "",
      // Filled in after the replacement, which escapes the values.
      AttributeStatement: "ATTRIBUTE-STATEMENT",
    };
    const result = await signer.createLoginResponse(sp, {}, "post", {}, (template: string) => {
      let xml = samlify.SamlLib.replaceTagsByValue(template, values).replace(
        "ATTRIBUTE-STATEMENT",
        attributeStatement(o.attributes ?? options.attributes ?? {}),
      );
      // An IdP-initiated response answers no request.
      if (values.InResponseTo === "") xml = xml.replaceAll(' InResponseTo=""', "");
      return { id, context: xml };
    });
    if (!o.tamper) return result.context;
    return Buffer.from(o.tamper(Buffer.from(result.context, "base64").toString("utf8"))).toString("base64");
  }

  const pending = new Map<string, string>();
  server.on("request", (req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", origin);
      if (req.method === "GET" && url.pathname === "/sso") {
        const octetString = octetOf(req.url ?? "");
        const query = Object.fromEntries(url.searchParams);
        const parsed = await idp.parseLoginRequest(sp, "redirect", { query, octetString });
        const extract = parsed.extract as { request: { id: string } };
        requests.push({
          id: extract.request.id,
          signed: query.Signature !== undefined,
          xml: parsed.samlContent,
        });
        const ticket = randomBytes(16).toString("hex");
        pending.set(ticket, JSON.stringify({ id: extract.request.id, relayState: query.RelayState ?? "" }));
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(
          `<!doctype html><html lang="en"><title>Test IdP</title><form method="post" action="/sso">
<input type="hidden" name="ticket" value="${ticket}">
<label>Subject <input name="subject"></label><button type="submit">Sign in at the IdP</button></form></html>`,
        );
        return;
      }
      if (req.method === "POST" && url.pathname === "/sso") {
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
        const stored = pending.get(form.get("ticket") ?? "");
        if (!stored) {
          res.writeHead(400).end("unknown ticket");
          return;
        }
        pending.delete(form.get("ticket") ?? "");
        const { id, relayState } = JSON.parse(stored) as { id: string; relayState: string };
        const response = await respond(form.get("subject") ?? "", { inResponseTo: id });
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(
          `<!doctype html><html lang="en"><title>Posting</title><body onload="document.forms[0].submit()"><form method="post" action="${escapeXml(acs)}">
<input type="hidden" name="SAMLResponse" value="${escapeXml(response)}"><input type="hidden" name="RelayState" value="${escapeXml(relayState)}"></form></body></html>`,
        );
        return;
      }
      if (req.method === "GET" && url.pathname === "/slo") {
        const query = Object.fromEntries(url.searchParams);
        const parsed = await idp.parseLogoutRequest(sp, "redirect", {
          query,
          octetString: octetOf(req.url ?? ""),
        });
        const extract = parsed.extract as { nameID: string };
        logouts.push({ nameId: extract.nameID, xml: parsed.samlContent });
        const answer = idp.createLogoutResponse(sp, parsed, "post", query.RelayState ?? "");
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(
          `<!doctype html><html lang="en"><title>Signing out</title><body onload="document.forms[0].submit()"><form method="post" action="${escapeXml(answer.entityEndpoint)}">
<input type="hidden" name="SAMLResponse" value="${escapeXml(answer.context)}"><input type="hidden" name="RelayState" value="${escapeXml(query.RelayState ?? "")}"></form></body></html>`,
        );
        return;
      }
      res.writeHead(404).end();
    })().catch((e: unknown) => {
      if (res.headersSent) {
        console.error("test IdP:", e);
        res.destroy();
      } else
        res.writeHead(500, { "content-type": "text/plain" }).end(String(e instanceof Error ? e.stack : e));
    });
  });

  return {
    origin,
    entityId,
    metadata: idp.getMetadata(),
    requests,
    logouts,
    respond,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
