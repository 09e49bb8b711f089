/** Cognito's rules for a user pool's tags, shared by CreateUserPool, UpdateUserPool and TagResource. */
import { InvalidParameterException } from "../../generated/exceptions.ts";

/** "A user pool can have as many as 50 tags." (TagResource, API reference) */
export const MAX_TAGS_PER_POOL = 50;

/** The `aws:` prefix is reserved for tags that AWS itself assigns. */
const RESERVED_PREFIX = /^aws:/i;

/** Checks a pool's complete tag set (after a change) against Cognito's tag rules. */
export function checkTags(tags: Readonly<Record<string, string>>): void {
  const count = Object.keys(tags).length;
  if (count > MAX_TAGS_PER_POOL)
    throw new InvalidParameterException(
      `A user pool can have at most ${MAX_TAGS_PER_POOL} tags; this request would leave it with ${count}.`,
    );
}

/** Checks keys a caller is setting: the reserved `aws:` prefix is refused. */
export function checkNewTagKeys(keys: Iterable<string>): void {
  for (const key of keys)
    if (RESERVED_PREFIX.test(key))
      throw new InvalidParameterException(`Tag keys beginning with 'aws:' are reserved for AWS use: ${key}`);
}
