import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type Case, type Settings, clientsSuite } from "./setup.ts";

describe("app clients and client secrets", () => {
  const suite = clientsSuite();
  const { newClient, refusedCreate } = suite;

  describe("redirect URLs and OAuth", () => {
    const oauth = {
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ["code" as const],
      AllowedOAuthScopes: ["openid"],
    };

    for (const [what, extra, message] of [
      [
        "an http callback URL to another host",
        { CallbackURLs: ["http://app.example.com/cb"] },
        /CallbackURLs must use HTTPS/,
      ],
      [
        "an http logout URL to another host",
        { LogoutURLs: ["http://app.example.com/bye"] },
        /LogoutURLs must use HTTPS/,
      ],
      ["a callback URL with a fragment", { CallbackURLs: ["https://app.example.com/cb#x"] }, /fragment/],
      ["a relative callback URL", { CallbackURLs: ["/cb"] }, /absolute/],
      [
        "a DefaultRedirectURI outside CallbackURLs",
        { CallbackURLs: ["https://a.example.com/cb"], DefaultRedirectURI: "https://b.example.com/cb" },
        /must be one of the CallbackURLs/,
      ],
    ] satisfies Case[])
      test(`${what} is InvalidParameterException`, async () => {
        await refusedCreate(extra, "InvalidParameterException", message);
      });

    test("loopback http callbacks and app schemes are accepted", async () => {
      const urls = [
        "http://localhost:8080/cb",
        "http://127.0.0.1/cb",
        "http://[::1]:9000/cb",
        "com.example.app://cb",
      ];
      const c = await newClient({ ...oauth, CallbackURLs: urls, DefaultRedirectURI: urls[0] });
      assert.deepEqual(c.CallbackURLs, urls);
      assert.equal(c.DefaultRedirectURI, urls[0]);
    });

    for (const [what, extra, name, message] of [
      [
        "OAuth on without flows",
        { AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthScopes: ["openid"] },
        "InvalidOAuthFlowException",
        /^AllowedOAuthFlows and AllowedOAuthScopes are required/,
      ],
      [
        "OAuth on without scopes",
        {
          AllowedOAuthFlowsUserPoolClient: true,
          AllowedOAuthFlows: ["code"],
          CallbackURLs: ["https://a.example.com"],
        },
        "InvalidOAuthFlowException",
        /^AllowedOAuthFlows and AllowedOAuthScopes are required/,
      ],
      [
        "the code flow without callback URLs",
        oauth,
        "InvalidOAuthFlowException",
        /^CallbackUrls can not be empty when code flow or implicit flow is selected$/,
      ],
      [
        "client_credentials without a secret",
        {
          AllowedOAuthFlowsUserPoolClient: true,
          AllowedOAuthFlows: ["client_credentials"],
          AllowedOAuthScopes: ["api/read"],
        },
        "InvalidOAuthFlowException",
        /^client_credentials flow can not be selected if client does not have a client secret\.$/,
      ],
      [
        "client_credentials with code",
        {
          GenerateSecret: true,
          AllowedOAuthFlowsUserPoolClient: true,
          AllowedOAuthFlows: ["client_credentials", "code"],
          AllowedOAuthScopes: ["openid"],
          CallbackURLs: ["https://a.example.com"],
        },
        "InvalidOAuthFlowException",
        /^client_credentials flow can not be selected along with code flow or implicit flow\.$/,
      ],
      [
        "client_credentials with a standard scope",
        {
          GenerateSecret: true,
          AllowedOAuthFlowsUserPoolClient: true,
          AllowedOAuthFlows: ["client_credentials"],
          AllowedOAuthScopes: ["openid"],
        },
        "InvalidOAuthFlowException",
        /^openid is not supported with client_credentials flow$/,
      ],
      [
        "a custom scope (no resource servers exist)",
        { ...oauth, CallbackURLs: ["https://a.example.com"], AllowedOAuthScopes: ["openid", "api/read"] },
        "ScopeDoesNotExistException",
        /^Invalid scope requested: api\/read$/,
      ],
      [
        "a scope Cognito does not know",
        { ...oauth, CallbackURLs: ["https://a.example.com"], AllowedOAuthScopes: ["Cognito"] },
        "ScopeDoesNotExistException",
        /^Invalid scope requested: Cognito$/,
      ],
    ] satisfies [string, Settings, string, RegExp][])
      test(`${what} is ${name}`, async () => {
        await refusedCreate(extra, name, message);
      });

    test("EnablePropagateAdditionalUserContextData needs a client secret", async () => {
      await refusedCreate(
        { EnablePropagateAdditionalUserContextData: true },
        "InvalidParameterException",
        /client secret/,
      );
      const c = await newClient({ GenerateSecret: true, EnablePropagateAdditionalUserContextData: true });
      assert.equal(c.EnablePropagateAdditionalUserContextData, true);
    });
  });
});
