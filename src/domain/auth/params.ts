import { InvalidParameterException } from "../../generated/exceptions.ts";

/** A required AuthParameters / ChallengeResponses entry, or Cognito's error for its absence. */
export function required(params: Record<string, string> | undefined, name: string): string {
  const v = params?.[name];
  if (v === undefined || v === "") throw new InvalidParameterException(`Missing required parameter ${name}`);
  return v;
}

/** An optional AuthParameters / ChallengeResponses entry; an empty one counts as absent. */
export function optional(params: Record<string, string> | undefined, name: string): string | undefined {
  const v = params?.[name];
  return v === undefined || v === "" ? undefined : v;
}
