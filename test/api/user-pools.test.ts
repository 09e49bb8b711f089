import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  AddCustomAttributesCommand,
  type CognitoIdentityProviderClient,
  CreateUserPoolCommand,
  DeleteUserPoolCommand,
  DescribeUserPoolCommand,
  ListUserPoolsCommand,
  UpdateUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../support/assert.ts";
import { startServer, type TestServer } from "../support/server.ts";

describe("user pools", () => {
  let server: TestServer;
  let client: CognitoIdentityProviderClient;
  before(async () => {
    server = await startServer();
    client = server.client();
  });
  after(() => server.stop());

  test("CreateUserPool with only a name gets Cognito's defaults", async () => {
    const { UserPool: p } = await client.send(new CreateUserPoolCommand({ PoolName: "defaults" }));
    assert.ok(p);
    assert.match(p.Id ?? "", /^us-east-1_[0-9A-Za-z]{9}$/);
    assert.equal(p.Name, "defaults");
    assert.deepEqual(p.Policies?.PasswordPolicy, {
      MinimumLength: 8,
      RequireUppercase: true,
      RequireLowercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
      TemporaryPasswordValidityDays: 7,
    });
    assert.equal(p.MfaConfiguration, "OFF");
    assert.equal(p.DeletionProtection, "INACTIVE");
    assert.equal(p.EstimatedNumberOfUsers, 0);
    assert.equal(p.AdminCreateUserConfig?.AllowAdminCreateUserOnly, false);
    assert.equal(p.VerificationMessageTemplate?.DefaultEmailOption, "CONFIRM_WITH_CODE");
    assert.equal(p.EmailConfiguration?.EmailSendingAccount, "COGNITO_DEFAULT");
    const names = p.SchemaAttributes?.map((a) => a.Name) ?? [];
    for (const n of ["sub", "email", "email_verified", "phone_number", "name", "updated_at"])
      assert.ok(names.includes(n), n);
    const sub = p.SchemaAttributes?.find((a) => a.Name === "sub");
    assert.equal(sub?.Mutable, false);
    assert.equal(sub?.Required, true);
    assert.equal(p.Arn, `arn:aws:cognito-idp:us-east-1:000000000000:userpool/${p.Id}`);
  });

  test("every setting given to CreateUserPool is stored and returned", async () => {
    const input = {
      PoolName: "full",
      Policies: {
        PasswordPolicy: {
          MinimumLength: 12,
          RequireUppercase: false,
          RequireLowercase: true,
          RequireNumbers: true,
          RequireSymbols: false,
          TemporaryPasswordValidityDays: 3,
        },
      },
      DeletionProtection: "ACTIVE" as const,
      LambdaConfig: { PreSignUp: "arn:aws:lambda:us-east-1:123456789012:function:pre" },
      AutoVerifiedAttributes: ["email" as const],
      AliasAttributes: ["email" as const, "preferred_username" as const],
      VerificationMessageTemplate: {
        EmailMessage: "Your code is {####}",
        EmailSubject: "Verify",
        DefaultEmailOption: "CONFIRM_WITH_CODE" as const,
      },
      MfaConfiguration: "OFF" as const,
      UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ["email" as const] },
      AdminCreateUserConfig: {
        AllowAdminCreateUserOnly: true,
        InviteMessageTemplate: { EmailMessage: "Hi {username}, password {####}", EmailSubject: "Welcome" },
      },
      Schema: [
        { Name: "email", Required: true, Mutable: true },
        {
          Name: "tenant",
          AttributeDataType: "String" as const,
          Mutable: true,
          StringAttributeConstraints: { MaxLength: "64" },
        },
        {
          Name: "level",
          AttributeDataType: "Number" as const,
          NumberAttributeConstraints: { MinValue: "1", MaxValue: "10" },
        },
      ],
      UserPoolTags: { team: "identity" },
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: "verified_email" as const, Priority: 1 }] },
      UsernameConfiguration: { CaseSensitive: false },
      DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false },
      UserPoolAddOns: { AdvancedSecurityMode: "OFF" as const },
      UserPoolTier: "ESSENTIALS" as const,
    };
    const { UserPool: created } = await client.send(new CreateUserPoolCommand(input));
    const { UserPool: p } = await client.send(new DescribeUserPoolCommand({ UserPoolId: created!.Id }));
    assert.ok(p);
    assert.deepEqual(p.Policies?.PasswordPolicy, input.Policies.PasswordPolicy);
    assert.equal(p.DeletionProtection, "ACTIVE");
    assert.deepEqual(p.LambdaConfig, input.LambdaConfig);
    assert.deepEqual(p.AutoVerifiedAttributes, ["email"]);
    assert.deepEqual(p.AliasAttributes, ["email", "preferred_username"]);
    assert.equal(p.VerificationMessageTemplate?.EmailMessage, "Your code is {####}");
    assert.equal(p.EmailVerificationMessage, "Your code is {####}");
    assert.equal(p.EmailVerificationSubject, "Verify");
    assert.deepEqual(p.UserAttributeUpdateSettings, input.UserAttributeUpdateSettings);
    assert.equal(p.AdminCreateUserConfig?.AllowAdminCreateUserOnly, true);
    assert.deepEqual(
      p.AdminCreateUserConfig?.InviteMessageTemplate,
      input.AdminCreateUserConfig.InviteMessageTemplate,
    );
    assert.deepEqual(p.UserPoolTags, { team: "identity" });
    assert.deepEqual(p.AccountRecoverySetting, input.AccountRecoverySetting);
    assert.deepEqual(p.UsernameConfiguration, { CaseSensitive: false });
    assert.deepEqual(p.DeviceConfiguration, input.DeviceConfiguration);
    assert.equal(p.UserPoolTier, "ESSENTIALS");
    const email = p.SchemaAttributes?.find((a) => a.Name === "email");
    assert.equal(email?.Required, true);
    const tenant = p.SchemaAttributes?.find((a) => a.Name === "custom:tenant");
    assert.equal(tenant?.AttributeDataType, "String");
    assert.equal(tenant?.StringAttributeConstraints?.MaxLength, "64");
    const level = p.SchemaAttributes?.find((a) => a.Name === "custom:level");
    assert.deepEqual(level?.NumberAttributeConstraints, { MinValue: "1", MaxValue: "10" });
  });

  test("AliasAttributes and UsernameAttributes together are refused", async () => {
    await rejectsWith(
      client.send(
        new CreateUserPoolCommand({
          PoolName: "both",
          AliasAttributes: ["email"],
          UsernameAttributes: ["email"],
        }),
      ),
      "InvalidParameterException",
      400,
      /aliasAttributes or usernameAttributes/,
    );
  });

  test("a verification message without {####} is refused", async () => {
    await rejectsWith(
      client.send(
        new CreateUserPoolCommand({
          PoolName: "msg",
          VerificationMessageTemplate: { EmailMessage: "no code here" },
        }),
      ),
      "InvalidParameterException",
      400,
    );
  });

  test("pool tags keep AWS's rules: no reserved aws: keys", async () => {
    await rejectsWith(
      client.send(new CreateUserPoolCommand({ PoolName: "reserved", UserPoolTags: { "aws:owner": "x" } })),
      "InvalidParameterException",
      400,
      /reserved/,
    );
    const { UserPools } = await client.send(new ListUserPoolsCommand({ MaxResults: 60 }));
    assert.ok(!UserPools?.some((p) => p.Name === "reserved"));
  });

  test("an invalid pool name is a validation error", async () => {
    await rejectsWith(
      client.send(new CreateUserPoolCommand({ PoolName: "" })),
      "InvalidParameterException",
      400,
      /poolName/,
    );
  });

  test("UpdateUserPool replaces settings and resets the ones left out", async () => {
    const { UserPool: p } = await client.send(
      new CreateUserPoolCommand({
        PoolName: "upd",
        AutoVerifiedAttributes: ["email"],
        Policies: { PasswordPolicy: { MinimumLength: 10 } },
      }),
    );
    await client.send(
      new UpdateUserPoolCommand({
        UserPoolId: p!.Id,
        Policies: { PasswordPolicy: { MinimumLength: 14, RequireNumbers: true } },
        UserPoolTags: { env: "test" },
      }),
    );
    const { UserPool: u } = await client.send(new DescribeUserPoolCommand({ UserPoolId: p!.Id }));
    assert.equal(u?.Policies?.PasswordPolicy?.MinimumLength, 14);
    assert.equal(u?.Policies?.PasswordPolicy?.RequireNumbers, true);
    assert.equal(u?.AutoVerifiedAttributes, undefined);
    assert.deepEqual(u?.UserPoolTags, { env: "test" });
    assert.ok((u?.LastModifiedDate?.getTime() ?? 0) >= (p?.LastModifiedDate?.getTime() ?? 0));
  });

  test("UpdateUserPool on a missing pool is ResourceNotFoundException", async () => {
    await rejectsWith(
      client.send(new UpdateUserPoolCommand({ UserPoolId: "us-east-1_missing00" })),
      "ResourceNotFoundException",
      400,
    );
  });

  test("AddCustomAttributes adds custom: attributes and refuses duplicates", async () => {
    const { UserPool: p } = await client.send(new CreateUserPoolCommand({ PoolName: "custom" }));
    await client.send(
      new AddCustomAttributesCommand({
        UserPoolId: p!.Id,
        CustomAttributes: [{ Name: "plan", AttributeDataType: "String" }],
      }),
    );
    const { UserPool: d } = await client.send(new DescribeUserPoolCommand({ UserPoolId: p!.Id }));
    assert.ok(d?.SchemaAttributes?.some((a) => a.Name === "custom:plan"));
    await rejectsWith(
      client.send(
        new AddCustomAttributesCommand({
          UserPoolId: p!.Id,
          CustomAttributes: [{ Name: "plan", AttributeDataType: "String" }],
        }),
      ),
      "InvalidParameterException",
      400,
    );
    await rejectsWith(
      client.send(
        new AddCustomAttributesCommand({
          UserPoolId: "us-east-1_missing00",
          CustomAttributes: [{ Name: "x", AttributeDataType: "String" }],
        }),
      ),
      "ResourceNotFoundException",
      400,
    );
  });

  test("DeleteUserPool honours deletion protection", async () => {
    const { UserPool: p } = await client.send(
      new CreateUserPoolCommand({ PoolName: "protected", DeletionProtection: "ACTIVE" }),
    );
    await rejectsWith(
      client.send(new DeleteUserPoolCommand({ UserPoolId: p!.Id })),
      "InvalidParameterException",
      400,
      /deletion protection/,
    );
    await client.send(new UpdateUserPoolCommand({ UserPoolId: p!.Id, DeletionProtection: "INACTIVE" }));
    await client.send(new DeleteUserPoolCommand({ UserPoolId: p!.Id }));
    await rejectsWith(
      client.send(new DescribeUserPoolCommand({ UserPoolId: p!.Id })),
      "ResourceNotFoundException",
      400,
    );
    await rejectsWith(
      client.send(new DeleteUserPoolCommand({ UserPoolId: p!.Id })),
      "ResourceNotFoundException",
      400,
    );
  });

  test("ListUserPools pages through every pool once", async () => {
    const region = "ap-south-1";
    const c = server.client(undefined, region);
    const created = new Set<string>();
    for (let i = 0; i < 7; i++) {
      const { UserPool } = await c.send(new CreateUserPoolCommand({ PoolName: `list-${i}` }));
      created.add(UserPool!.Id!);
    }
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await c.send(new ListUserPoolsCommand({ MaxResults: 3, NextToken: token }));
      assert.ok((page.UserPools?.length ?? 0) <= 3);
      for (const p of page.UserPools ?? []) {
        seen.push(p.Id!);
        assert.ok(p.Name && p.CreationDate && p.LastModifiedDate && p.LambdaConfig);
      }
      token = page.NextToken;
    } while (token);
    assert.deepEqual(new Set(seen), created);
    assert.equal(seen.length, created.size);
    await rejectsWith(
      c.send(new ListUserPoolsCommand({ MaxResults: 3, NextToken: "garbage" })),
      "InvalidParameterException",
      400,
    );
  });
});
