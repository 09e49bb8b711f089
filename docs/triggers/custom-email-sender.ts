/**
 * A CustomEmailSender (or CustomSMSSender) function that runs unchanged on AWS Lambda and against
 * Lanyard. On AWS, and against Lanyard with `customSender.kmsEndpoint`, the code is decrypted with a
 * KMS keyring for the pool's KMSKeyID (KEY_ARN). Against Lanyard without a KMS endpoint, set
 * RAW_AES_KEY to Lanyard's `customSender.rawAesKey` (base64): the raw AES keyring with Lanyard's
 * default namespace and name decrypts it.
 */
import {
  buildClient,
  CommitmentPolicy,
  type KeyringNode,
  KmsKeyringNode,
  RawAesKeyringNode,
  RawAesWrappingSuiteIdentifier,
} from "@aws-crypto/client-node";
import type { CustomEmailSenderTriggerHandler } from "aws-lambda";

const { decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT);

const keyring: KeyringNode = process.env.RAW_AES_KEY
  ? new RawAesKeyringNode({
      keyNamespace: "lanyard",
      keyName: "custom-sender",
      unencryptedMasterKey: new Uint8Array(Buffer.from(process.env.RAW_AES_KEY, "base64")),
      wrappingSuite: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
    })
  : new KmsKeyringNode({ keyIds: [process.env.KEY_ARN ?? ""] });

export const handler: CustomEmailSenderTriggerHandler = async (event) => {
  if (!event.request.code) return;
  const { plaintext } = await decrypt(keyring, Buffer.from(event.request.code, "base64"));
  const code = Buffer.from(plaintext).toString("utf8");
  // Send `code` to event.request.userAttributes.email with the provider of your choice.
  console.log(`${event.triggerSource}: a code for ${event.userName} (${code.length} characters)`);
};
