/**
 * A small stand-in for AWS KMS (the JSON 1.1 API's GenerateDataKey and Decrypt, all the AWS
 * Encryption SDK's KMS keyring calls), bound to 127.0.0.1: data keys are random and their
 * "ciphertext" is an id this server remembers, so only it can give them back.
 */
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";

export interface FakeKms {
  url: string;
  /** The operations called so far (X-Amz-Target without its prefix). */
  calls: string[];
  close(): Promise<void>;
}

export async function startFakeKms(): Promise<FakeKms> {
  const keys = new Map<string, { plaintext: Buffer; keyId: string; context: string }>();
  const calls: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const op = String(req.headers["x-amz-target"] ?? "").replace("TrentService.", "");
      calls.push(op);
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Record<string, unknown>;
      const reply = (status: number, json: object) => {
        res.writeHead(status, { "content-type": "application/x-amz-json-1.1" });
        res.end(JSON.stringify(json));
      };
      const given = (body.EncryptionContext ?? {}) as Record<string, string>;
      const context = JSON.stringify(Object.entries(given).sort(([a], [b]) => a.localeCompare(b)));
      if (op === "GenerateDataKey") {
        const id = randomBytes(16);
        const plaintext = randomBytes(Number(body.NumberOfBytes ?? 32));
        const keyId = String(body.KeyId);
        keys.set(id.toString("hex"), { plaintext, keyId, context });
        return reply(200, {
          KeyId: keyId,
          Plaintext: plaintext.toString("base64"),
          CiphertextBlob: id.toString("base64"),
        });
      }
      if (op === "Decrypt") {
        const found = keys.get(Buffer.from(String(body.CiphertextBlob), "base64").toString("hex"));
        if (!found || found.context !== context)
          return reply(400, { __type: "InvalidCiphertextException", message: "" });
        return reply(200, { KeyId: found.keyId, Plaintext: found.plaintext.toString("base64") });
      }
      return reply(400, { __type: "UnsupportedOperationException", message: op });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
