import assert from "node:assert/strict";
import { test } from "node:test";
import { deviceType } from "../../src/domain/sessions/device-type.ts";

test("a session's device type: the browser or app and the operating system of the User-Agent", () => {
  const cases: [string | undefined, string][] = [
    [
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36",
      "Chrome 125 / macOS 10.15.7",
    ],
    [
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80",
      "Edge 124 / Windows 10",
    ],
    ["Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0", "Firefox 126 / Linux"],
    [
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
      "Safari 17 / iOS 17.5",
    ],
    [
      "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Mobile Safari/537.36",
      "Chrome 125 / Android 14",
    ],
    [
      "aws-cli/1.45.11 md/Botocore#1.43.11 ua/2.1 os/linux#6.18 md/arch#x86_64 lang/python#3.11.7",
      "aws-cli 1.45.11 / Linux",
    ],
    ["aws-sdk-js/3.1169.0 ua/2.1 os/linux#6.1 lang/js md/nodejs#24.21.0", "aws-sdk-js 3.1169.0 / Linux"],
    ["curl/8.5.0", "curl 8.5.0"],
    ["", "unknown"],
    [undefined, "unknown"],
    ["???", "unknown"],
  ];
  for (const [ua, expected] of cases) assert.equal(deviceType(ua), expected, String(ua));
  assert.ok(deviceType(`x/1 ${"Linux ".repeat(400)}`).length <= 1024);
});
