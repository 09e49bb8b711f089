/** The `--social-stand-in` value: `<ProviderType>=<base>` entries, or a bare issuer (Google's). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseStandIns } from "../../src/config/social-stand-in.ts";

test("a bare issuer is Google's; typed entries name their provider", () => {
  assert.deepEqual(parseStandIns("/_lanyard/mock-idp"), { Google: "/_lanyard/mock-idp" });
  assert.deepEqual(
    parseStandIns(
      "Facebook=http://127.0.0.1:4000, SignInWithApple=https://apple.test/x,http://127.0.0.1:9/idp",
    ),
    {
      Facebook: "http://127.0.0.1:4000",
      SignInWithApple: "https://apple.test/x",
      Google: "http://127.0.0.1:9/idp",
    },
  );
});

test("unknown types, bad bases and repeated types are refused", () => {
  assert.throws(() => parseStandIns("Twitter=http://127.0.0.1:1"), /Twitter is not a social provider type/);
  assert.throws(() => parseStandIns("Facebook=ftp://x"), /neither an http\(s\) URL nor a path/);
  assert.throws(() => parseStandIns("Google=/a,/b"), /Google is given more than once/);
});
