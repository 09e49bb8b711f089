import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import {
  type CognitoIdentityProviderClient,
  DeleteUserAttributesCommand,
  VerifyUserAttributeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../../support/assert.ts";
import { inbox, latestCode } from "../../support/inbox.ts";
import type { TestServer } from "../../support/server.ts";
import { selfServiceSuite } from "./setup.ts";

describe("token-authorised self-service operations", () => {
  const suite = selfServiceSuite();
  const { pool, appClient, user, signIn, accessToken, signedIn, adminAttrs, update, verifiedEmail } = suite;
  let server: TestServer;
  let client: CognitoIdentityProviderClient;
  before(() => {
    ({ server, client } = suite);
  });

  describe("UpdateUserAttributes", () => {
    test("a changed email is unverified and gets a code when the pool verifies email", async () => {
      const { poolId, token } = await signedIn(verifiedEmail("ann@example.com"), {
        AutoVerifiedAttributes: ["email"],
      });
      const out = await update(token, [
        { Name: "email", Value: "new@example.com" },
        { Name: "given_name", Value: "Annie" },
      ]);
      assert.deepEqual(out.CodeDeliveryDetailsList, [
        { Destination: "n***@e***", DeliveryMedium: "EMAIL", AttributeName: "email" },
      ]);
      assert.deepEqual(await adminAttrs(poolId, "ann"), {
        sub: (await adminAttrs(poolId, "ann")).sub,
        email: "new@example.com",
        email_verified: "false",
        given_name: "Annie",
      });
      const [message] = await inbox(server, { poolId });
      assert.equal(message?.purpose, "update_attribute");
      assert.equal(message?.destination, "new@example.com");
      assert.equal(message?.body, `Your verification code is ${message?.code}. `);

      await client.send(
        new VerifyUserAttributeCommand({ AccessToken: token, AttributeName: "email", Code: message!.code }),
      );
      assert.equal((await adminAttrs(poolId, "ann")).email_verified, "true");
    });

    test("without auto-verification the change is unverified and no code is sent", async () => {
      const { poolId, token } = await signedIn(verifiedEmail("ann@example.com"));
      const out = await update(token, [{ Name: "email", Value: "other@example.com" }]);
      assert.equal(out.CodeDeliveryDetailsList, undefined);
      assert.equal((await adminAttrs(poolId, "ann")).email_verified, "false");
      assert.deepEqual(await inbox(server, { poolId }), []);
    });

    test("an empty value deletes the attribute", async () => {
      const { poolId, token } = await signedIn([{ Name: "given_name", Value: "Ann" }]);
      await update(token, [{ Name: "given_name", Value: "" }]);
      assert.equal((await adminAttrs(poolId, "ann")).given_name, undefined);
    });

    test("users cannot mark their own email verified, nor write what the client may not", async () => {
      const poolId = await pool({ Schema: [{ Name: "team", AttributeDataType: "String" }] });
      const open = await appClient(poolId);
      const narrow = await appClient(poolId, { WriteAttributes: ["given_name"] });
      await user(poolId, "ann", [{ Name: "email", Value: "ann@example.com" }]);
      const before = await adminAttrs(poolId, "ann");
      const token = await accessToken(open, "ann");
      await rejectsWith(
        update(token, [
          { Name: "given_name", Value: "Ann" },
          { Name: "email_verified", Value: "true" },
        ]),
        "NotAuthorizedException",
        400,
        /^A client attempted to write unauthorized attribute$/,
      );
      await rejectsWith(
        update(await accessToken(narrow, "ann"), [{ Name: "custom:team", Value: "red" }]),
        "NotAuthorizedException",
        400,
        /^A client attempted to write unauthorized attribute$/,
      );
      // Bad input changes nothing.
      assert.deepEqual(await adminAttrs(poolId, "ann"), before);
      await update(token, [{ Name: "custom:team", Value: "red" }]);
      assert.equal((await adminAttrs(poolId, "ann"))["custom:team"], "red");
    });

    test("attributes outside the schema or malformed values are refused", async () => {
      const { poolId, token } = await signedIn([{ Name: "given_name", Value: "Ann" }]);
      const before = await adminAttrs(poolId, "ann");
      await rejectsWith(
        update(token, [
          { Name: "given_name", Value: "Changed" },
          { Name: "custom:nope", Value: "x" },
        ]),
        "InvalidParameterException",
        400,
        /custom:nope: Attribute does not exist in the schema/,
      );
      await rejectsWith(
        update(token, [{ Name: "email", Value: "not-an-email" }]),
        "InvalidParameterException",
        400,
        /Invalid email address format/,
      );
      assert.deepEqual(await adminAttrs(poolId, "ann"), before);
    });

    test("with AttributesRequireVerificationBeforeUpdate the original email stays until the new one is verified", async () => {
      const { poolId, clientId, token } = await signedIn(verifiedEmail("ann@example.com"), {
        AliasAttributes: ["email"],
        AutoVerifiedAttributes: ["email"],
        UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ["email"] },
      });
      const out = await update(token, [{ Name: "email", Value: "new@example.com" }]);
      assert.equal(out.CodeDeliveryDetailsList?.[0]?.Destination, "n***@e***");
      assert.equal((await adminAttrs(poolId, "ann")).email, "ann@example.com");
      assert.equal((await adminAttrs(poolId, "ann")).email_verified, "true");
      // The original address still signs in.
      assert.ok((await signIn(clientId, "ann@example.com")).AuthenticationResult);
      const code = await latestCode(server, { poolId, destination: "new@example.com" });
      await rejectsWith(
        client.send(
          new VerifyUserAttributeCommand({
            AccessToken: token,
            AttributeName: "email",
            Code: code === "000000" ? "111111" : "000000",
          }),
        ),
        "CodeMismatchException",
        400,
      );
      assert.equal((await adminAttrs(poolId, "ann")).email, "ann@example.com");
      await client.send(
        new VerifyUserAttributeCommand({ AccessToken: token, AttributeName: "email", Code: code }),
      );
      const now = await adminAttrs(poolId, "ann");
      assert.equal(now.email, "new@example.com");
      assert.equal(now.email_verified, "true");
      assert.ok((await signIn(clientId, "new@example.com")).AuthenticationResult);
    });
  });

  describe("DeleteUserAttributes", () => {
    test("deletes the named attributes, with the verified flag of an email", async () => {
      const { poolId, token } = await signedIn([
        ...verifiedEmail("ann@example.com"),
        { Name: "given_name", Value: "Ann" },
      ]);
      await client.send(
        new DeleteUserAttributesCommand({ AccessToken: token, UserAttributeNames: ["given_name", "email"] }),
      );
      const now = await adminAttrs(poolId, "ann");
      assert.deepEqual(Object.keys(now), ["sub"]);
    });

    test("refuses required, unknown and unwritable attributes, changing nothing", async () => {
      const poolId = await pool({
        Schema: [{ Name: "email", AttributeDataType: "String", Required: true, Mutable: true }],
      });
      const open = await appClient(poolId);
      const narrow = await appClient(poolId, { WriteAttributes: ["email", "given_name"] });
      await user(poolId, "ann", [
        { Name: "email", Value: "ann@example.com" },
        { Name: "family_name", Value: "Smith" },
      ]);
      const token = await accessToken(open, "ann");
      const before = await adminAttrs(poolId, "ann");
      const del = (names: string[], accessToken = token) =>
        client.send(new DeleteUserAttributesCommand({ AccessToken: accessToken, UserAttributeNames: names }));
      await rejectsWith(
        del(["family_name", "email"]),
        "InvalidParameterException",
        400,
        /required attribute/,
      );
      await rejectsWith(del(["custom:nope"]), "InvalidParameterException", 400, /Invalid attribute name/);
      await rejectsWith(
        del(["family_name"], await accessToken(narrow, "ann")),
        "NotAuthorizedException",
        400,
        /^A client attempted to write unauthorized attribute$/,
      );
      assert.deepEqual(await adminAttrs(poolId, "ann"), before);
    });
  });
});
