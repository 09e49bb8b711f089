import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import {
  type CognitoIdentityProviderClient,
  GetUserAttributeVerificationCodeCommand,
  VerifyUserAttributeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../../support/assert.ts";
import { inbox, latestCode, setClockOffset } from "../../support/inbox.ts";
import type { TestServer } from "../../support/server.ts";
import { selfServiceSuite } from "./setup.ts";

describe("token-authorised self-service operations", () => {
  const suite = selfServiceSuite();
  const { accessToken, signedIn, adminAttrs, update } = suite;
  let server: TestServer;
  let client: CognitoIdentityProviderClient;
  before(() => {
    ({ server, client } = suite);
  });

  describe("GetUserAttributeVerificationCode and VerifyUserAttribute", () => {
    const getCode = (token: string, name: string) =>
      client.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: token, AttributeName: name }));
    const verify = (token: string, name: string, code: string) =>
      client.send(new VerifyUserAttributeCommand({ AccessToken: token, AttributeName: name, Code: code }));

    test("a code by email verifies the email; it works once", async () => {
      const { poolId, token } = await signedIn([{ Name: "email", Value: "ann@example.com" }]);
      const out = await getCode(token, "email");
      assert.deepEqual(out.CodeDeliveryDetails, {
        Destination: "a***@e***",
        DeliveryMedium: "EMAIL",
        AttributeName: "email",
      });
      const [message] = await inbox(server, { poolId });
      assert.equal(message?.purpose, "verify_attribute");
      assert.equal(message?.destination, "ann@example.com");
      const wrong = message!.code === "000000" ? "111111" : "000000";
      await rejectsWith(
        verify(token, "email", wrong),
        "CodeMismatchException",
        400,
        /^Invalid verification code provided, please try again\.$/,
      );
      assert.equal((await adminAttrs(poolId, "ann")).email_verified, undefined);
      await verify(token, "email", message!.code);
      assert.equal((await adminAttrs(poolId, "ann")).email_verified, "true");
      await rejectsWith(verify(token, "email", message!.code), "ExpiredCodeException", 400);
    });

    test("a code by SMS verifies the phone number", async () => {
      const { poolId, token } = await signedIn([{ Name: "phone_number", Value: "+15555550123" }]);
      const out = await getCode(token, "phone_number");
      assert.deepEqual(out.CodeDeliveryDetails, {
        Destination: "+*******0123",
        DeliveryMedium: "SMS",
        AttributeName: "phone_number",
      });
      await verify(token, "phone_number", await latestCode(server, { poolId }));
      assert.equal((await adminAttrs(poolId, "ann")).phone_number_verified, "true");
    });

    test("only an email or phone number the user has can be verified", async () => {
      const { token } = await signedIn([{ Name: "given_name", Value: "Ann" }]);
      await rejectsWith(getCode(token, "given_name"), "InvalidParameterException", 400);
      await rejectsWith(getCode(token, "phone_number"), "InvalidParameterException", 400);
      await rejectsWith(verify(token, "given_name", "123456"), "InvalidParameterException", 400);
    });

    test("a code expires after 24 hours", async () => {
      const { poolId, clientId, token } = await signedIn([{ Name: "email", Value: "ann@example.com" }]);
      await getCode(token, "email");
      const code = await latestCode(server, { poolId });
      try {
        await setClockOffset(server, 24 * 3_600_000 + 1000);
        // The access token has expired by then: sign in again.
        const fresh = await accessToken(clientId, "ann");
        await rejectsWith(verify(fresh, "email", code), "ExpiredCodeException", 400);
      } finally {
        await setClockOffset(server, 0);
      }
      assert.equal((await adminAttrs(poolId, "ann")).email_verified, undefined);
    });

    test("a code sent to an earlier email does not verify a changed one", async () => {
      const { poolId, token } = await signedIn([{ Name: "email", Value: "ann@example.com" }]);
      await getCode(token, "email");
      const code = await latestCode(server, { poolId, destination: "ann@example.com" });
      await update(token, [{ Name: "email", Value: "new@example.com" }]);
      await rejectsWith(verify(token, "email", code), "ExpiredCodeException", 400);
      assert.equal((await adminAttrs(poolId, "ann")).email_verified, "false");
    });
  });
});
