/**
 * The regions whose pools `lanyard export` and `prune: true` look at: the storage lists pools by
 * region, and a pool id carries its region. These are the AWS regions of Amazon Cognito; a pool of
 * another region is exported when named (`--pool ID`) and pruned only when its region is the
 * default region or one of the file's pools'.
 */
export const COGNITO_REGIONS: readonly string[] = [
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
  "ca-central-1",
  "ca-west-1",
  "mx-central-1",
  "sa-east-1",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "eu-central-1",
  "eu-central-2",
  "eu-north-1",
  "eu-south-1",
  "eu-south-2",
  "il-central-1",
  "me-south-1",
  "me-central-1",
  "af-south-1",
  "ap-east-1",
  "ap-south-1",
  "ap-south-2",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-southeast-3",
  "ap-southeast-4",
  "ap-southeast-5",
  "us-gov-west-1",
  "us-gov-east-1",
  "cn-north-1",
  "cn-northwest-1",
];

/** The regions to list pools in: Cognito's, the default one, and any others given. */
export function regionsToList(defaultRegion: string, others: Iterable<string> = []): string[] {
  return [...new Set([...COGNITO_REGIONS, defaultRegion, ...others])];
}
