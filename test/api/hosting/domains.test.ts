import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { describe, test } from "node:test";
import { promisify } from "node:util";
import {
  CreateUserPoolDomainCommand,
  DeleteUserPoolCommand,
  DeleteUserPoolDomainCommand,
  DescribeUserPoolCommand,
  DescribeUserPoolDomainCommand,
  UpdateUserPoolDomainCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../../support/assert.ts";
import { rawRequest } from "../../support/server.ts";
import { CERT_ARN, hostingSuite, uniquePrefix } from "./setup.ts";

const run = promisify(execFile);

describe("user pool domains", () => {
  const suite = hostingSuite();

  test("a prefix domain: created, described, shown by DescribeUserPool, updated, deleted", async () => {
    const { cognito } = suite;
    const poolId = await suite.newPool();
    const prefix = uniquePrefix();
    const created = await cognito.send(
      new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: prefix }),
    );
    assert.equal(created.ManagedLoginVersion, 1, "the hosted UI (classic) by default");
    assert.equal(created.CloudFrontDomain, undefined, "a prefix domain has no CloudFront target to point at");

    const { DomainDescription: d } = await cognito.send(
      new DescribeUserPoolDomainCommand({ Domain: prefix }),
    );
    assert.equal(d!.UserPoolId, poolId);
    assert.equal(d!.Domain, prefix);
    assert.match(d!.AWSAccountId!, /^\d{12}$/);
    assert.equal(d!.Status, "ACTIVE");
    assert.match(d!.CloudFrontDistribution!, /^d[a-z0-9]{13}\.cloudfront\.net$/);
    assert.equal(typeof d!.S3Bucket, "string");
    assert.match(d!.Version!, /^\d{14}$/);
    assert.equal(d!.ManagedLoginVersion, 1);
    assert.equal(d!.CustomDomainConfig, undefined);

    let { UserPool } = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
    assert.equal(UserPool!.Domain, prefix);
    assert.equal(UserPool!.CustomDomain, undefined);

    const updated = await cognito.send(
      new UpdateUserPoolDomainCommand({ UserPoolId: poolId, Domain: prefix, ManagedLoginVersion: 2 }),
    );
    assert.equal(updated.ManagedLoginVersion, 2);
    const again = await cognito.send(new DescribeUserPoolDomainCommand({ Domain: prefix }));
    assert.equal(again.DomainDescription!.ManagedLoginVersion, 2);

    await cognito.send(new DeleteUserPoolDomainCommand({ UserPoolId: poolId, Domain: prefix }));
    const gone = await cognito.send(new DescribeUserPoolDomainCommand({ Domain: prefix }));
    assert.deepEqual(gone.DomainDescription, {}, "an unknown domain describes as an empty description");
    ({ UserPool } = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId })));
    assert.equal(UserPool!.Domain, undefined);
  });

  test("a custom domain beside a prefix domain; one of each kind per pool", async () => {
    const { cognito } = suite;
    const poolId = await suite.newPool();
    const prefix = uniquePrefix();
    const custom = `auth.${uniquePrefix("site")}.example.com`;
    await cognito.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: prefix }));
    const created = await cognito.send(
      new CreateUserPoolDomainCommand({
        UserPoolId: poolId,
        Domain: custom,
        CustomDomainConfig: { CertificateArn: CERT_ARN },
        ManagedLoginVersion: 2,
      }),
    );
    assert.match(created.CloudFrontDomain!, /^d[a-z0-9]{13}\.cloudfront\.net$/);
    assert.equal(created.ManagedLoginVersion, 2);
    const { DomainDescription: d } = await cognito.send(
      new DescribeUserPoolDomainCommand({ Domain: custom }),
    );
    assert.deepEqual(d!.CustomDomainConfig, { CertificateArn: CERT_ARN });
    assert.equal(d!.CloudFrontDistribution, created.CloudFrontDomain);
    const { UserPool } = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
    assert.equal(UserPool!.Domain, prefix);
    assert.equal(UserPool!.CustomDomain, custom);

    const newArn = CERT_ARN.replace("0a1b2c3d", "ffffffff");
    await cognito.send(
      new UpdateUserPoolDomainCommand({
        UserPoolId: poolId,
        Domain: custom,
        CustomDomainConfig: { CertificateArn: newArn, SecurityPolicy: "TLS_V1_2_2021" },
      }),
    );
    const after = await cognito.send(new DescribeUserPoolDomainCommand({ Domain: custom }));
    assert.deepEqual(after.DomainDescription!.CustomDomainConfig, {
      CertificateArn: newArn,
      SecurityPolicy: "TLS_V1_2_2021",
    });

    await rejectsWith(
      cognito.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: uniquePrefix() })),
      "InvalidParameterException",
      400,
      /^User pool already has a domain configured\.$/,
    );
    await rejectsWith(
      cognito.send(
        new CreateUserPoolDomainCommand({
          UserPoolId: poolId,
          Domain: `login.${uniquePrefix("x")}.example.com`,
          CustomDomainConfig: { CertificateArn: CERT_ARN },
        }),
      ),
      "InvalidParameterException",
      400,
      /^User pool already has a domain configured\.$/,
    );
    await rejectsWith(
      cognito.send(
        new UpdateUserPoolDomainCommand({
          UserPoolId: poolId,
          Domain: prefix,
          CustomDomainConfig: { CertificateArn: CERT_ARN },
        }),
      ),
      "InvalidParameterException",
      400,
    );
  });

  test("a domain name belongs to one pool only", async () => {
    const { cognito } = suite;
    const a = await suite.newPool();
    const b = await suite.newPool();
    const prefix = uniquePrefix();
    await cognito.send(new CreateUserPoolDomainCommand({ UserPoolId: a, Domain: prefix }));
    await rejectsWith(
      cognito.send(new CreateUserPoolDomainCommand({ UserPoolId: b, Domain: prefix })),
      "InvalidParameterException",
      400,
      /^Domain already associated with another user pool\.$/,
    );
    // Another pool cannot update or delete it.
    await rejectsWith(
      cognito.send(new DeleteUserPoolDomainCommand({ UserPoolId: b, Domain: prefix })),
      "InvalidParameterException",
      400,
      /^No such domain or user pool exists\.$/,
    );
    await rejectsWith(
      cognito.send(
        new UpdateUserPoolDomainCommand({ UserPoolId: b, Domain: prefix, ManagedLoginVersion: 2 }),
      ),
      "InvalidParameterException",
      400,
      /^No such domain or user pool exists\.$/,
    );
  });

  test("prefix rules: Cognito's characters, no reserved words", async () => {
    const { cognito } = suite;
    const poolId = await suite.newPool();
    for (const bad of ["Upper", "-dash", "dash-", "under_score", "dot.ted"])
      await rejectsWith(
        cognito.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: bad })),
        "InvalidParameterException",
        400,
        /^The domain name contains an invalid character\. Domain names can only contain lower-case letters, numbers, and hyphens\./,
      );
    for (const word of ["aws", "amazon", "cognito"])
      await rejectsWith(
        cognito.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: `my${word}app` })),
        "InvalidParameterException",
        400,
        new RegExp(`^Domain cannot contain reserved word: ${word}$`),
      );
    await rejectsWith(
      cognito.send(
        new CreateUserPoolDomainCommand({
          UserPoolId: poolId,
          Domain: uniquePrefix(),
          ManagedLoginVersion: 3,
        }),
      ),
      "InvalidParameterException",
      400,
    );
    await rejectsWith(
      cognito.send(
        new CreateUserPoolDomainCommand({
          UserPoolId: poolId,
          Domain: "nodots",
          CustomDomainConfig: { CertificateArn: CERT_ARN },
        }),
      ),
      "InvalidParameterException",
      400,
    );
  });

  test("bad input gets AWS's validation errors; unknown pools are not found", async () => {
    const { cognito, server } = suite;
    await rejectsWith(
      cognito.send(
        new CreateUserPoolDomainCommand({ UserPoolId: "us-east-1_nothere00", Domain: uniquePrefix() }),
      ),
      "ResourceNotFoundException",
      400,
      /^User pool us-east-1_nothere00 does not exist\.$/,
    );
    const poolId = await suite.newPool();
    await rejectsWith(
      cognito.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: "a".repeat(64) })),
      "InvalidParameterException",
      400,
      /Member must have length less than or equal to 63/,
    );
    await rejectsWith(
      cognito.send(
        new CreateUserPoolDomainCommand({
          UserPoolId: poolId,
          Domain: `c.${uniquePrefix()}.example.com`,
          CustomDomainConfig: { CertificateArn: "not-an-arn-at-all-here" },
        }),
      ),
      "InvalidParameterException",
      400,
      /customDomainConfig\.certificateArn/,
    );
    const wrongType = await rawRequest(
      server.url,
      "CreateUserPoolDomain",
      JSON.stringify({ UserPoolId: poolId, Domain: 42 }),
    );
    assert.equal(wrongType.status, 400);
    assert.equal(wrongType.json.__type, "SerializationException");
    const missing = await rawRequest(server.url, "DescribeUserPoolDomain", "{}");
    assert.equal(missing.status, 400);
    assert.match(String(missing.json.message), /Value null at 'domain' failed to satisfy constraint/);
  });

  test("a domain of another region's pool describes as {}", async () => {
    const { cognito, server } = suite;
    const poolId = await suite.newPool();
    const prefix = uniquePrefix();
    await cognito.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: prefix }));
    const elsewhere = server.client(undefined, "eu-west-1");
    const { DomainDescription } = await elsewhere.send(new DescribeUserPoolDomainCommand({ Domain: prefix }));
    assert.deepEqual(DomainDescription, {});
  });

  test("DeleteUserPool deletes its domains, freeing the names", async () => {
    const { cognito } = suite;
    const poolId = await suite.newPool();
    const prefix = uniquePrefix();
    await cognito.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: prefix }));
    await cognito.send(new DeleteUserPoolCommand({ UserPoolId: poolId }));
    const gone = await cognito.send(new DescribeUserPoolDomainCommand({ Domain: prefix }));
    assert.deepEqual(gone.DomainDescription, {});
    const other = await suite.newPool();
    await cognito.send(new CreateUserPoolDomainCommand({ UserPoolId: other, Domain: prefix }));
  });

  test("the AWS CLI creates and describes a domain", async () => {
    const poolId = await suite.newPool();
    const prefix = uniquePrefix("cli");
    const aws = async (...args: string[]) => {
      const { stdout } = await run(
        "aws",
        [
          "cognito-idp",
          ...args,
          "--endpoint-url",
          suite.server.url,
          "--region",
          "us-east-1",
          "--output",
          "json",
        ],
        {
          env: { ...process.env, AWS_ACCESS_KEY_ID: "dummy", AWS_SECRET_ACCESS_KEY: "dummy", AWS_PAGER: "" },
        },
      );
      return stdout.trim() ? JSON.parse(stdout) : {};
    };
    const created = await aws("create-user-pool-domain", "--user-pool-id", poolId, "--domain", prefix);
    assert.equal(created.ManagedLoginVersion, 1);
    const described = await aws("describe-user-pool-domain", "--domain", prefix);
    assert.equal(described.DomainDescription.UserPoolId, poolId);
    assert.equal(described.DomainDescription.Status, "ACTIVE");
  });
});
