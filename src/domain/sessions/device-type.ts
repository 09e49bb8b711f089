/**
 * A session's DeviceType: the operating system and the browser or app of a User-Agent, in
 * Cognito's form ("Chrome 125 / macOS 10.15.7"), or "unknown".
 */
const BROWSERS: readonly [RegExp, string][] = [
  [/\bEdg(?:e|A|iOS)?\/(\d+)/, "Edge"],
  [/\bOPR\/(\d+)/, "Opera"],
  [/\bFirefox\/(\d+)/, "Firefox"],
  [/\bFxiOS\/(\d+)/, "Firefox"],
  [/\bCriOS\/(\d+)/, "Chrome"],
  [/\bHeadlessChrome\/(\d+)/, "Chrome Headless"],
  [/\bChrom(?:e|ium)\/(\d+)/, "Chrome"],
  [/\bVersion\/(\d+)(?:\.\d+)*.*\bSafari\//, "Safari"],
];

function operatingSystem(ua: string): string | undefined {
  let m = /Windows NT (\d+\.\d+)/.exec(ua);
  if (m) return m[1] === "10.0" ? "Windows 10" : `Windows NT ${m[1]}`;
  m = /(?:iPhone|CPU) OS (\d+(?:_\d+)*)/.exec(ua);
  if (m) return `iOS ${m[1]!.replaceAll("_", ".")}`;
  m = /Mac OS X (\d+(?:[._]\d+)*)/.exec(ua);
  if (m) return `macOS ${m[1]!.replaceAll("_", ".")}`;
  m = /Android (\d+(?:\.\d+)*)/.exec(ua);
  if (m) return `Android ${m[1]}`;
  if (/CrOS/.test(ua)) return "ChromeOS";
  if (/Linux/.test(ua)) return "Linux";
  m = /\bos\/([A-Za-z]+)/.exec(ua);
  if (m) return m[1]!.charAt(0).toUpperCase() + m[1]!.slice(1);
  return undefined;
}

function application(ua: string): string | undefined {
  for (const [re, name] of BROWSERS) {
    const m = re.exec(ua);
    if (m) return `${name} ${m[1]}`;
  }
  // Not a browser: the first product token (an SDK, the CLI, an app), as "name version".
  const m = /^([A-Za-z][\w.-]*)\/(\d+(?:\.\d+)*)/.exec(ua);
  return m ? `${m[1]} ${m[2]}` : undefined;
}

export function deviceType(userAgent: string | undefined): string {
  if (!userAgent) return "unknown";
  const parts = [application(userAgent), operatingSystem(userAgent)].filter((p) => p !== undefined);
  return parts.length === 0 ? "unknown" : parts.join(" / ").slice(0, 1024);
}
