/**
 * Minimal X.509 v3 certificates (DER), signed with Node's crypto: the self-signed certificate of a
 * pool's signing key that GetSigningCertificate publishes, and the local certificate authority and
 * server certificate of `--tls`. Node can parse and verify certificates (X509Certificate) but not
 * make them; this encodes the few ASN.1 types a certificate needs (RFC 5280), the signatures are
 * Node's.
 */
import { createHash, type KeyObject, randomBytes, sign } from "node:crypto";
import { isIPv4, isIPv6 } from "node:net";

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), len(body.length), body]);
}

const seq = (...parts: Buffer[]) => tlv(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]) => tlv(0x31, Buffer.concat(parts));
const octets = (body: Buffer) => tlv(0x04, body);
const TRUE = Buffer.from([0x01, 0x01, 0xff]);

/**
 * A non-negative DER INTEGER: minimal, so no leading zero byte unless the next byte's high bit is
 * set (a random serial starting with 0x00 was otherwise "illegal padding" to OpenSSL, and the
 * certificate unreadable).
 */
function int(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  const body = trimmed[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed;
  return tlv(0x02, body);
}

function oid(dotted: string): Buffer {
  const parts = dotted.split(".").map(Number);
  const out = [40 * parts[0]! + parts[1]!];
  for (const p of parts.slice(2)) {
    const chunk: number[] = [];
    let v = p;
    do {
      chunk.unshift(v & 0x7f);
      v = Math.floor(v / 128);
    } while (v > 0);
    for (let i = 0; i < chunk.length - 1; i++) chunk[i]! |= 0x80;
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

/** UTCTime through 2049, GeneralizedTime from 2050 (RFC 5280 4.1.2.5). */
function time(d: Date): Buffer {
  const s = d.toISOString().replace(/[-:T]/g, "").slice(0, 14) + "Z";
  return d.getUTCFullYear() < 2050
    ? tlv(0x17, Buffer.from(s.slice(2), "ascii"))
    : tlv(0x18, Buffer.from(s, "ascii"));
}

function name(commonName: string, organization?: string): Buffer {
  const rdns = [];
  if (organization !== undefined)
    rdns.push(set(seq(oid("2.5.4.10"), tlv(0x0c, Buffer.from(organization, "utf8")))));
  rdns.push(set(seq(oid("2.5.4.3"), tlv(0x0c, Buffer.from(commonName, "utf8")))));
  return seq(...rdns);
}

const SHA256_WITH_RSA = seq(oid("1.2.840.113549.1.1.11"), Buffer.from([0x05, 0x00]));
const ECDSA_WITH_SHA256 = seq(oid("1.2.840.10045.4.3.2"));

function signatureAlgorithm(key: KeyObject): Buffer {
  if (key.asymmetricKeyType === "rsa") return SHA256_WITH_RSA;
  if (key.asymmetricKeyType === "ec" && key.asymmetricKeyDetails?.namedCurve === "prime256v1")
    return ECDSA_WITH_SHA256;
  throw new Error(`cannot sign a certificate with a ${key.asymmetricKeyType} key`);
}

/** The certificate: to-be-signed part, algorithm, signature (ECDSA signatures are DER, as X.509 wants). */
function signed(tbs: Buffer, signer: KeyObject): Buffer {
  const signature = sign("sha256", tbs, signer);
  return seq(tbs, signatureAlgorithm(signer), tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
}

/** A self-signed certificate for the key pair, valid for ten years from `notBefore`; base64 DER. */
export function selfSignedCertificate(
  privateKey: KeyObject,
  publicKey: KeyObject,
  commonName: string,
  notBefore: Date,
): string {
  const spki = publicKey.export({ type: "spki", format: "der" });
  const serial = createHash("sha256").update(spki).digest().subarray(0, 16);
  serial[0]! &= 0x7f;
  const notAfter = new Date(notBefore.getTime() + 10 * 365 * 86_400_000);
  const tbs = seq(
    tlv(0xa0, int(Buffer.from([2]))),
    int(serial),
    signatureAlgorithm(privateKey),
    name(commonName),
    seq(time(notBefore), time(notAfter)),
    name(commonName),
    spki,
  );
  return signed(tbs, privateKey).toString("base64");
}

// ---- Certificates of a local certificate authority ----

/** The key identifier of RFC 5280 4.2.1.2 (1): SHA-1 of the subjectPublicKey bits. */
function keyIdentifier(publicKey: KeyObject): Buffer {
  const spki = publicKey.export({ type: "spki", format: "der" });
  // The SPKI is SEQUENCE { AlgorithmIdentifier, BIT STRING }: the bit string ends it; its content
  // (after the unused-bits byte) is the key.
  const bits = lastElement(spki.subarray(headerLength(spki)));
  return createHash("sha1").update(bits.subarray(1)).digest();
}

function headerLength(der: Buffer): number {
  const first = der[1]!;
  return first < 0x80 ? 2 : 2 + (first & 0x7f);
}

function elementLength(der: Buffer): number {
  const first = der[1]!;
  if (first < 0x80) return 2 + first;
  let n = 0;
  for (let i = 0; i < (first & 0x7f); i++) n = n * 256 + der[2 + i]!;
  return headerLength(der) + n;
}

/** The content of the last element of a run of DER elements. */
function lastElement(run: Buffer): Buffer {
  let at = run;
  for (;;) {
    const size = elementLength(at);
    if (size >= at.length) return at.subarray(headerLength(at), size);
    at = at.subarray(size);
  }
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical ? seq(oid(id), TRUE, octets(value)) : seq(oid(id), octets(value));
}

/** The 16 bytes of an IPv6 address, "::" expanded. */
function ipv6Bytes(address: string): Buffer {
  const [head, tail] = address.includes("::") ? address.split("::") : [address, undefined];
  const groups = (s: string | undefined) => (s ? s.split(":") : []);
  const left = groups(head);
  const right = groups(tail);
  const last = (right.length > 0 ? right : left).at(-1) ?? "";
  const v4 = isIPv4(last) ? Buffer.from(last.split(".").map(Number)) : undefined;
  if (v4) (right.length > 0 ? right : left).pop();
  const missing = 8 - (v4 ? 2 : 0) - left.length - right.length;
  const words = [...left, ...Array<string>(tail === undefined ? 0 : missing).fill("0"), ...right];
  const out = Buffer.alloc(16);
  words.forEach((w, i) => out.writeUInt16BE(parseInt(w, 16), i * 2));
  if (v4) v4.copy(out, 12);
  return out;
}

/** subjectAltName GeneralNames: dNSName [2] for names, iPAddress [7] for addresses. */
function subjectAltNames(names: readonly string[]): Buffer {
  return seq(
    ...names.map((n) => {
      if (isIPv4(n)) return tlv(0x87, Buffer.from(n.split(".").map(Number)));
      if (isIPv6(n)) return tlv(0x87, ipv6Bytes(n));
      return tlv(0x82, Buffer.from(n, "ascii"));
    }),
  );
}

export interface CertificateRequest {
  /** The subject's common name (and organisation). */
  commonName: string;
  organization?: string;
  publicKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
  /** The signer: omitted for a self-signed certificate (then `signingKey` is the subject's own). */
  issuer?: { commonName: string; organization?: string; publicKey: KeyObject };
  signingKey: KeyObject;
  /** A certificate authority (may sign certificates), or a TLS server certificate for `names`. */
  ca: boolean;
  /** DNS names (wildcards as `*.example.test`) and IP addresses: the subjectAltName of a server. */
  names?: readonly string[];
}

/**
 * A certificate with the extensions a browser and Node expect: basicConstraints, keyUsage, subject
 * and authority key identifiers, and for a server extendedKeyUsage serverAuth and the
 * subjectAltName. Answers the DER; the serial number is random.
 */
export function issueCertificate(req: CertificateRequest): Buffer {
  const serial = randomBytes(16);
  serial[0]! &= 0x7f;
  serial[0]! |= 0x01;
  const issuer = req.issuer ?? { ...req, publicKey: req.publicKey };
  const extensions = [
    // basicConstraints: cA TRUE with pathLenConstraint 0 (signs servers only), or empty.
    extension("2.5.29.19", true, req.ca ? seq(TRUE, int(Buffer.from([0]))) : seq()),
    // keyUsage: keyCertSign + cRLSign (bits 5, 6) for the CA; digitalSignature (bit 0) for a server.
    extension(
      "2.5.29.15",
      true,
      req.ca ? tlv(0x03, Buffer.from([0x01, 0x06])) : tlv(0x03, Buffer.from([0x07, 0x80])),
    ),
    extension("2.5.29.14", false, octets(keyIdentifier(req.publicKey))),
    extension("2.5.29.35", false, seq(tlv(0x80, keyIdentifier(issuer.publicKey)))),
  ];
  if (!req.ca) {
    extensions.push(extension("2.5.29.37", false, seq(oid("1.3.6.1.5.5.7.3.1"))));
    extensions.push(extension("2.5.29.17", false, subjectAltNames(req.names ?? [])));
  }
  const tbs = seq(
    tlv(0xa0, int(Buffer.from([2]))),
    int(serial),
    signatureAlgorithm(req.signingKey),
    name(issuer.commonName, issuer.organization),
    seq(time(req.notBefore), time(req.notAfter)),
    name(req.commonName, req.organization),
    req.publicKey.export({ type: "spki", format: "der" }),
    tlv(0xa3, seq(...extensions)),
  );
  return signed(tbs, req.signingKey);
}
