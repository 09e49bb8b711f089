import type { AuthenticationResultType, ChallengeNameType } from "../../generated/types.ts";
import type { ClientRecord, PoolRecord } from "../../storage/records.ts";

/** Who is signing in where: the pool, the app client, and whether the admin API was used. */
export interface AuthCall {
  pool: PoolRecord;
  client: ClientRecord;
  admin: boolean;
}

/** What InitiateAuth and RespondToAuthChallenge answer (their admin twins answer the same). */
export interface AuthOutcome {
  ChallengeName?: ChallengeNameType;
  Session?: string;
  ChallengeParameters: Record<string, string>;
  AuthenticationResult?: AuthenticationResultType;
}
