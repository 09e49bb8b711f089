import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { federatedTokens, jwtClaims } from "../support/federation.ts";
import { startServer, type TestServer } from "../support/server.ts";

const run = promisify(execFile);

/** Identity providers, account linking and AdminDisableUser with the AWS CLI, as an administrator would. */
describe("AWS CLI: identity providers and linking", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ args: ["--memory", "--enable-test-federation"] });
  });
  after(() => server.stop());

  const aws = async (...args: string[]) => {
    const { stdout } = await run(
      "aws",
      ["cognito-idp", ...args, "--endpoint-url", server.url, "--region", "us-east-1", "--output", "json"],
      {
        env: { ...process.env, AWS_ACCESS_KEY_ID: "dummy", AWS_SECRET_ACCESS_KEY: "dummy", AWS_PAGER: "" },
      },
    );
    return stdout.trim() ? JSON.parse(stdout) : {};
  };

  const refused = async (exception: string, ...args: string[]) =>
    assert.rejects(aws(...args), (e: Error & { stderr?: string }) => {
      assert.match(e.stderr ?? "", new RegExp(`\\(${exception}\\)`));
      return true;
    });

  test("create a Google provider, link it to a user, sign in through it, unlink it, disable the user", async () => {
    const poolId: string = (await aws("create-user-pool", "--pool-name", "cli-federation")).UserPool.Id;
    const created = await aws(
      "create-identity-provider",
      "--user-pool-id",
      poolId,
      "--provider-name",
      "Google",
      "--provider-type",
      "Google",
      "--provider-details",
      "client_id=1example.apps.googleusercontent.com,client_secret=secret,authorize_scopes=email profile openid",
      "--attribute-mapping",
      "email=email,username=sub",
      "--idp-identifiers",
      "gmail.com",
    );
    assert.equal(
      created.IdentityProvider.ProviderDetails.token_url,
      "https://www.googleapis.com/oauth2/v4/token",
    );
    const byIdentifier = await aws(
      "get-identity-provider-by-identifier",
      "--user-pool-id",
      poolId,
      "--idp-identifier",
      "gmail.com",
    );
    assert.equal(byIdentifier.IdentityProvider.ProviderName, "Google");
    const listed = await aws("list-identity-providers", "--user-pool-id", poolId);
    assert.deepEqual(
      listed.Providers.map((p: { ProviderName: string }) => p.ProviderName),
      ["Google"],
    );
    await refused(
      "DuplicateProviderException",
      "create-identity-provider",
      "--user-pool-id",
      poolId,
      "--provider-name",
      "Google",
      "--provider-type",
      "Google",
      "--provider-details",
      "client_id=x,client_secret=y,authorize_scopes=email",
    );

    const clientId: string = (
      await aws(
        "create-user-pool-client",
        "--user-pool-id",
        poolId,
        "--client-name",
        "web",
        "--supported-identity-providers",
        "COGNITO",
        "Google",
        "--explicit-auth-flows",
        "ALLOW_USER_PASSWORD_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
      )
    ).UserPoolClient.ClientId;
    await aws(
      "admin-create-user",
      "--user-pool-id",
      poolId,
      "--username",
      "ada",
      "--message-action",
      "SUPPRESS",
    );
    await aws(
      "admin-set-user-password",
      "--user-pool-id",
      poolId,
      "--username",
      "ada",
      "--password",
      "Sup3r-secret!",
      "--permanent",
    );

    await aws(
      "admin-link-provider-for-user",
      "--user-pool-id",
      poolId,
      "--destination-user",
      "ProviderName=Cognito,ProviderAttributeValue=ada",
      "--source-user",
      "ProviderName=Google,ProviderAttributeName=Cognito_Subject,ProviderAttributeValue=10001",
    );
    const linked = await aws("admin-get-user", "--user-pool-id", poolId, "--username", "ada");
    const identities = JSON.parse(
      linked.UserAttributes.find((a: { Name: string }) => a.Name === "identities").Value,
    );
    assert.equal(identities[0].userId, "10001");
    const tokens = await federatedTokens(server, clientId, "Google", {
      sub: "10001",
      email: "ada@gmail.com",
    });
    assert.equal(jwtClaims(tokens.IdToken!)["cognito:username"], "ada");
    await refused(
      "InvalidParameterException",
      "admin-link-provider-for-user",
      "--user-pool-id",
      poolId,
      "--destination-user",
      "ProviderName=Cognito,ProviderAttributeValue=ada",
      "--source-user",
      "ProviderName=Google,ProviderAttributeName=Cognito_Subject,ProviderAttributeValue=10001",
    );

    await aws(
      "admin-disable-provider-for-user",
      "--user-pool-id",
      poolId,
      "--user",
      "ProviderName=Google,ProviderAttributeName=Cognito_Subject,ProviderAttributeValue=10001",
    );
    const unlinked = await federatedTokens(server, clientId, "Google", { sub: "10001" });
    assert.equal(jwtClaims(unlinked.IdToken!)["cognito:username"], "Google_10001");
    const federated = await aws("admin-get-user", "--user-pool-id", poolId, "--username", "Google_10001");
    assert.equal(federated.UserStatus, "EXTERNAL_PROVIDER");

    await aws(
      "admin-disable-provider-for-user",
      "--user-pool-id",
      poolId,
      "--user",
      "ProviderName=Cognito,ProviderAttributeName=Cognito_Subject,ProviderAttributeValue=ada",
    );
    await refused(
      "NotAuthorizedException",
      "initiate-auth",
      "--client-id",
      clientId,
      "--auth-flow",
      "USER_PASSWORD_AUTH",
      "--auth-parameters",
      "USERNAME=ada,PASSWORD=Sup3r-secret!",
    );

    await aws("admin-disable-user", "--user-pool-id", poolId, "--username", "Google_10001");
    const users = await aws("list-users", "--user-pool-id", poolId);
    const disabled = users.Users.find((u: { Username: string }) => u.Username === "Google_10001");
    assert.equal(disabled.Enabled, false);
    await aws("admin-enable-user", "--user-pool-id", poolId, "--username", "Google_10001");
    assert.equal(
      (await aws("admin-get-user", "--user-pool-id", poolId, "--username", "Google_10001")).Enabled,
      true,
    );

    await aws("delete-identity-provider", "--user-pool-id", poolId, "--provider-name", "Google");
    await refused(
      "ResourceNotFoundException",
      "describe-identity-provider",
      "--user-pool-id",
      poolId,
      "--provider-name",
      "Google",
    );
    const client = await aws("describe-user-pool-client", "--user-pool-id", poolId, "--client-id", clientId);
    assert.deepEqual(client.UserPoolClient.SupportedIdentityProviders, ["COGNITO"]);
  });
});
