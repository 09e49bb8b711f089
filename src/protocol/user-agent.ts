/**
 * The SDK a request's User-Agent names, as Cognito puts it in a trigger event's
 * `callerContext.awsSdkVersion`: the AWS SDKs' product token `aws-sdk-<language>/<version>` as
 * `aws-sdk-<language>-<version>` (`aws-sdk-js/3.893.0 ua/2.1 os/linux ...` is `aws-sdk-js-3.893.0`,
 * `aws-sdk-java/2.20.43 ...` is `aws-sdk-java-2.20.43`, AWS SDK for JavaScript v2 in Node.js
 * `aws-sdk-nodejs-2.856.0`), as in the events Cognito sends. A User-Agent with no such token (the
 * AWS CLI's `aws-cli/...`, boto3's `Boto3/...`, Amplify's `aws-amplify/...`, a browser) names none:
 * the event then says `aws-sdk-unknown-unknown`.
 */
const SDK_TOKEN = /(?:^|\s)aws-sdk-([A-Za-z0-9][A-Za-z0-9_.-]*)\/([A-Za-z0-9][A-Za-z0-9_.+-]*)/;

/** Longest User-Agent looked at; longer ones are cut, so a huge header costs nothing. */
const MAX_LENGTH = 1024;

export function awsSdkVersion(userAgent: string | undefined): string | undefined {
  if (userAgent === undefined) return undefined;
  const m = SDK_TOKEN.exec(userAgent.slice(0, MAX_LENGTH));
  if (!m) return undefined;
  return `aws-sdk-${m[1]!.slice(0, 64)}-${m[2]!.slice(0, 64)}`;
}
