import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  DeleteUserPoolClientCommand,
  GetUICustomizationCommand,
  SetUICustomizationCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../../support/assert.ts";
import { rawRequest } from "../../support/server.ts";
import { hostingSuite } from "./setup.ts";

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(64, 7),
]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 3)]);
const CSS =
  ".banner-customizable { background-color: #123456; } .submitButton-customizable:hover { color: red; }";

describe("hosted UI (classic) customization", () => {
  const suite = hostingSuite();

  test("set for the pool and for one client; a client without its own gets the pool's", async () => {
    const { cognito, server } = suite;
    const { poolId } = await suite.poolWithDomain();
    const own = await suite.newClient(poolId);
    const other = await suite.newClient(poolId);

    const empty = await cognito.send(new GetUICustomizationCommand({ UserPoolId: poolId }));
    assert.deepEqual(empty.UICustomization, { UserPoolId: poolId, ClientId: "ALL" });

    const { UICustomization: all } = await cognito.send(
      new SetUICustomizationCommand({ UserPoolId: poolId, ClientId: "ALL", CSS, ImageFile: PNG }),
    );
    assert.equal(all!.UserPoolId, poolId);
    assert.equal(all!.ClientId, "ALL");
    assert.equal(all!.CSS, CSS);
    assert.equal(typeof all!.CSSVersion, "string");
    assert.ok(all!.CreationDate instanceof Date && all!.LastModifiedDate instanceof Date);
    const url = new URL(all!.ImageUrl!);
    assert.equal(url.origin, server.url, "the logo is served under the server's origin");
    const logo = await fetch(all!.ImageUrl!);
    assert.equal(logo.status, 200);
    assert.equal(logo.headers.get("content-type"), "image/png");
    assert.deepEqual(Buffer.from(await logo.arrayBuffer()), PNG);

    const { UICustomization: mine } = await cognito.send(
      new SetUICustomizationCommand({
        UserPoolId: poolId,
        ClientId: own,
        CSS: ".label-customizable{font-weight:400}",
        ImageFile: JPEG,
      }),
    );
    assert.equal(mine!.ClientId, own);
    const jpeg = await fetch(mine!.ImageUrl!);
    assert.equal(jpeg.headers.get("content-type"), "image/jpeg");

    const got = await cognito.send(new GetUICustomizationCommand({ UserPoolId: poolId, ClientId: own }));
    assert.equal(got.UICustomization!.CSS, ".label-customizable{font-weight:400}");
    const fallback = await cognito.send(
      new GetUICustomizationCommand({ UserPoolId: poolId, ClientId: other }),
    );
    assert.equal(fallback.UICustomization!.ClientId, "ALL");
    assert.equal(fallback.UICustomization!.CSS, CSS);

    // A new setting replaces both the CSS and the logo; the old logo's URL stops answering.
    const { UICustomization: replaced } = await cognito.send(
      new SetUICustomizationCommand({ UserPoolId: poolId, CSS: ".logo-customizable { max-width: 60%; }" }),
    );
    assert.equal(replaced!.ImageUrl, undefined);
    assert.notEqual(replaced!.CSSVersion, all!.CSSVersion);
    assert.equal((await fetch(all!.ImageUrl!)).status, 404);

    // A deleted client's customization goes with it: its logo is no longer served.
    await cognito.send(new DeleteUserPoolClientCommand({ UserPoolId: poolId, ClientId: own }));
    assert.equal((await fetch(mine!.ImageUrl!)).status, 404);
  });

  test("CSS is limited to the hosted UI's classes, without at-rules or script", async () => {
    const { cognito } = suite;
    const { poolId } = await suite.poolWithDomain();
    for (const css of [
      ".not-a-class { color: red; }",
      "body { color: red; }",
      ".banner-customizable, .nope { color: red; }",
      "@import url(https://evil.example/x.css);",
      "@media (max-width: 1px) { .banner-customizable { color: red; } }",
      ".banner-customizable { background: url(javascript:alert(1)); }",
      ".banner-customizable { color: red; ",
      ".banner-customizable { color: red; } }",
    ])
      await rejectsWith(
        cognito.send(new SetUICustomizationCommand({ UserPoolId: poolId, CSS: css })),
        "InvalidParameterException",
        400,
        /^The CSS is not valid: /,
      );
  });

  test("the logo is a PNG or JPEG of at most 100 KB", async () => {
    const { cognito } = suite;
    const { poolId } = await suite.poolWithDomain();
    await rejectsWith(
      cognito.send(
        new SetUICustomizationCommand({ UserPoolId: poolId, ImageFile: Buffer.from("GIF89a....") }),
      ),
      "InvalidParameterException",
      400,
      /PNG or JPEG/,
    );
    const big = Buffer.concat([PNG, Buffer.alloc(100 * 1024)]);
    await rejectsWith(
      cognito.send(new SetUICustomizationCommand({ UserPoolId: poolId, ImageFile: big })),
      "InvalidParameterException",
      400,
      /100 KB/,
    );
  });

  test("the errors of the reference: no domain, unknown pool or client, bad input", async () => {
    const { cognito, server } = suite;
    const poolId = await suite.newPool();
    await rejectsWith(
      cognito.send(new SetUICustomizationCommand({ UserPoolId: poolId, CSS })),
      "InvalidParameterException",
      400,
      /existing domain/,
    );
    await rejectsWith(
      cognito.send(new GetUICustomizationCommand({ UserPoolId: poolId, ClientId: "nosuchclient" })),
      "ResourceNotFoundException",
      400,
      /^User pool client nosuchclient does not exist\.$/,
    );
    await rejectsWith(
      cognito.send(new GetUICustomizationCommand({ UserPoolId: "us-east-1_nothere00" })),
      "ResourceNotFoundException",
      400,
      /^User pool us-east-1_nothere00 does not exist\.$/,
    );
    await rejectsWith(
      cognito.send(new SetUICustomizationCommand({ UserPoolId: poolId, ClientId: "bad-id!" })),
      "InvalidParameterException",
      400,
      /clientId/,
    );
    const wrongType = await rawRequest(
      server.url,
      "SetUICustomization",
      JSON.stringify({ UserPoolId: poolId, CSS: 5 }),
    );
    assert.equal(wrongType.status, 400);
    assert.equal(wrongType.json.__type, "SerializationException");
  });
});
