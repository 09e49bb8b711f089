/**
 * The codes (and temporary passwords) CustomEmailSender and CustomSMSSender triggers get are never in
 * clear: Cognito encrypts them with the AWS Encryption SDK under the pool's KMSKeyID, and the
 * function decrypts them with the same SDK. Lanyard does the same with a KMS keyring when a KMS
 * endpoint is configured; otherwise with a raw AES keyring whose key comes from the configuration,
 * so a function decrypts with a RawAesKeyringNode of the same key, namespace and name. The message
 * is base64, as request.code carries it. The SDK is loaded on first use.
 */
import type { CustomSenderConfig } from "../config/types.ts";
import type { CodeEncryption } from "../context.ts";
import { decodeKeyEncryptionKey } from "../crypto/key-wrap.ts";

/** The region a KMS key ARN names (arn:aws:kms:<region>:<account>:key/<id>). */
function arnRegion(keyId: string): string | undefined {
  const parts = keyId.split(":");
  return parts[0] === "arn" && parts.length > 3 && parts[3] ? parts[3] : undefined;
}

export class SenderCodeEncryption implements CodeEncryption {
  private readonly config: CustomSenderConfig;

  constructor(config: CustomSenderConfig) {
    this.config = config;
  }

  async encrypt(code: string, keyId: string | undefined, context: Record<string, string>): Promise<string> {
    const sdk = await import("@aws-crypto/client-node");
    const { encrypt } = sdk.buildClient(sdk.CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT);
    const keyring = await this.keyring(sdk, keyId);
    const { result } = await encrypt(keyring, Buffer.from(code, "utf8"), { encryptionContext: context });
    return Buffer.from(result).toString("base64");
  }

  private async keyring(
    sdk: typeof import("@aws-crypto/client-node"),
    keyId: string | undefined,
  ): Promise<import("@aws-crypto/client-node").KeyringNode> {
    const { kmsEndpoint, kmsRegion, rawAesKey, keyNamespace, keyName } = this.config;
    if (kmsEndpoint !== undefined) {
      if (!keyId) throw new Error("the pool has no KMSKeyID");
      const region = kmsRegion ?? arnRegion(keyId) ?? "us-east-1";
      const client = new sdk.KMS({ endpoint: kmsEndpoint, region });
      return new sdk.KmsKeyringNode({ generatorKeyId: keyId, clientProvider: () => client });
    }
    const key = rawAesKey === undefined ? undefined : decodeKeyEncryptionKey(rawAesKey);
    if (!key)
      throw new Error("no key to encrypt codes with (customSender.rawAesKey or customSender.kmsEndpoint)");
    return new sdk.RawAesKeyringNode({
      keyNamespace,
      keyName,
      unencryptedMasterKey: new Uint8Array(key),
      wrappingSuite: sdk.RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
    });
  }
}
