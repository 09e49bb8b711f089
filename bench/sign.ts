/**
 * A small, fast SigV4 signer for the load generator: one SHA-256 of the body, one of the canonical
 * request and one HMAC per request. The signing key is derived once per (day) and kept as a
 * KeyObject; the x-amz-date string is rebuilt once per second.
 */
import { createHmac, createSecretKey, hash, type KeyObject } from "node:crypto";
import { Sha256 } from "@smithy/core/checksum";
import { SignatureV4 } from "@smithy/signature-v4";

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

const SERVICE = "cognito-idp";
const CONTENT_TYPE = "application/x-amz-json-1.1";
const TARGET_PREFIX = "AWSCognitoIdentityProviderService.";
const SIGNED_HEADERS = "content-type;host;x-amz-date;x-amz-target";

export class Signer {
  private readonly credentials: Credentials;
  private readonly region: string;
  private day = "";
  private key: KeyObject | undefined;
  private second = -1;
  private amzDate = "";
  private scope = "";
  private credentialPrefix = "";

  constructor(credentials: Credentials, region = "us-east-1") {
    this.credentials = credentials;
    this.region = region;
  }

  /** The request headers (including Authorization) for POST / with this target and body. */
  sign(host: string, operation: string, body: string, now = Date.now()): Record<string, string> {
    this.refresh(now);
    const target = TARGET_PREFIX + operation;
    const canonical =
      "POST\n/\n\ncontent-type:" +
      CONTENT_TYPE +
      "\nhost:" +
      host +
      "\nx-amz-date:" +
      this.amzDate +
      "\nx-amz-target:" +
      target +
      "\n\n" +
      SIGNED_HEADERS +
      "\n" +
      hash("sha256", body, "hex");
    const toSign =
      "AWS4-HMAC-SHA256\n" + this.amzDate + "\n" + this.scope + "\n" + hash("sha256", canonical, "hex");
    const signature = createHmac("sha256", this.key!).update(toSign).digest("hex");
    return {
      "content-type": CONTENT_TYPE,
      host,
      "x-amz-date": this.amzDate,
      "x-amz-target": target,
      "content-length": String(Buffer.byteLength(body)),
      authorization: this.credentialPrefix + signature,
    };
  }

  private refresh(now: number): void {
    const second = Math.floor(now / 1000);
    if (second === this.second) return;
    this.second = second;
    this.amzDate = new Date(second * 1000)
      .toISOString()
      .replace(/[-:]/g, "")
      .replace(/\.\d{3}/, "");
    const day = this.amzDate.slice(0, 8);
    if (day === this.day) return;
    this.day = day;
    this.scope = day + "/" + this.region + "/" + SERVICE + "/aws4_request";
    this.credentialPrefix =
      "AWS4-HMAC-SHA256 Credential=" +
      this.credentials.accessKeyId +
      "/" +
      this.scope +
      ", SignedHeaders=" +
      SIGNED_HEADERS +
      ", Signature=";
    let k = createHmac("sha256", "AWS4" + this.credentials.secretAccessKey)
      .update(day)
      .digest();
    k = createHmac("sha256", k).update(this.region).digest();
    k = createHmac("sha256", k).update(SERVICE).digest();
    this.key = createSecretKey(createHmac("sha256", k).update("aws4_request").digest());
  }
}

/**
 * Checks this signer against the AWS SDK's own (@smithy/signature-v4) on one request, and measures
 * what a signature costs. Throws when the two disagree.
 */
export async function checkSigner(
  signer: Signer,
  credentials: Credentials,
  region = "us-east-1",
): Promise<{ microsPerSignature: number }> {
  const now = Date.UTC(2025, 0, 2, 3, 4, 5);
  const host = "127.0.0.1:9229";
  const body = JSON.stringify({ UserPoolId: `${region}_abcdefghi`, Username: "user1" });
  const ours = signer.sign(host, "AdminGetUser", body, now);
  const reference = new SignatureV4({
    service: SERVICE,
    region,
    credentials,
    sha256: Sha256,
    applyChecksum: false,
  });
  const signed = await reference.sign(
    {
      method: "POST",
      protocol: "http:",
      hostname: "127.0.0.1",
      port: 9229,
      path: "/",
      headers: { "content-type": CONTENT_TYPE, host, "x-amz-target": TARGET_PREFIX + "AdminGetUser" },
      body,
    },
    { signingDate: new Date(now) },
  );
  const theirs = (signed.headers as Record<string, string>).authorization;
  if (theirs !== ours.authorization)
    throw new Error(
      `signer disagrees with @smithy/signature-v4:\n  ours:   ${ours.authorization}\n  theirs: ${theirs}`,
    );
  const n = 20_000;
  const started = performance.now();
  for (let i = 0; i < n; i++) signer.sign(host, "AdminGetUser", body);
  return { microsPerSignature: ((performance.now() - started) * 1000) / n };
}
