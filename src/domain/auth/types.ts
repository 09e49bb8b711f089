import type { RequestContext } from "../../context.ts";
import type { SignInCaller } from "../caller.ts";
import type {
  AuthenticationResultType,
  ChallengeNameType,
  ExplicitAuthFlowsType,
} from "../../generated/types.ts";
import type { UserRecord } from "../../storage/records.ts";

/** What InitiateAuth and RespondToAuthChallenge answer (their admin twins answer the same). */
export interface AuthOutcome {
  ChallengeName?: ChallengeNameType;
  Session?: string;
  ChallengeParameters: Record<string, string>;
  AuthenticationResult?: AuthenticationResultType;
  /** SELECT_CHALLENGE: the first factors the user may choose from (USER_AUTH). */
  AvailableChallenges?: ChallengeNameType[];
}

/**
 * A user who proved their password (or a later factor), with what the sign-in knows of the device
 * it runs on: the DEVICE_KEY it came with (AuthParameters or ChallengeResponses), and whether that
 * device proved itself (DEVICE_PASSWORD_VERIFIER).
 */
export interface SignedIn {
  signedIn: UserRecord;
  deviceKey?: string;
  deviceVerified?: boolean;
  /** The second factor is settled (answered, or replaced by the device): only tokens remain. */
  mfaSettled?: boolean;
  /** The step that completed the sign-in, when it is not the first (PreTokenGeneration's triggerSource). */
  completedBy?: "NewPasswordChallenge" | "AuthenticateDevice";
  /**
   * The Session of the challenge just answered (an MFA code): a device challenge that follows goes
   * on under the same value, since amazon-cognito-identity-js answers DEVICE_SRP_AUTH after an MFA
   * code with the MFA challenge's Session.
   */
  session?: string;
  /** Threat protection's check of the plain password this sign-in proved (domain/threats/compromised.ts). */
  compromisedCredentials?: { detected: boolean; block: boolean };
}

/**
 * Where a flow or a challenge answer ends: an outcome to answer with, or a signed-in user, whose
 * state the engine then turns into tokens or the next challenge (completeSignIn).
 */
export type AuthStep = AuthOutcome | SignedIn;

export type AuthParams = Record<string, string> | undefined;

/**
 * Whether the flow or challenge begins with USERNAME and its SECRET_HASH. When it does, the engine
 * reads USERNAME (Cognito's error when it is missing) and checks SECRET_HASH for it before anything
 * else, and hands the username on.
 */
type WithUsername<Args extends unknown[]> =
  | {
      username: true;
      run(ctx: RequestContext, call: SignInCaller, ...args: [...Args, string]): Promise<AuthStep>;
    }
  | { username: false; run(ctx: RequestContext, call: SignInCaller, ...args: Args): Promise<AuthStep> };

/** An InitiateAuth flow: the ALLOW_* the client must permit, and the API it belongs to. */
export type AuthFlow = {
  allow: ExplicitAuthFlowsType;
  /** Only through InitiateAuth (public) or AdminInitiateAuth (admin); both when unset. */
  api?: "public" | "admin";
  /**
   * A flow that continues a session handed out before (InitiateAuth's Session: ConfirmSignUp's,
   * for USER_AUTH) runs this instead when the request carries one; USERNAME is checked first.
   */
  resume?(
    ctx: RequestContext,
    call: SignInCaller,
    params: AuthParams,
    session: string,
    username: string,
  ): Promise<AuthStep>;
} & WithUsername<[params: AuthParams]>;

/** A challenge: its answer (RespondToAuthChallenge), with the session it was issued with. */
export type AuthChallenge = WithUsername<[responses: AuthParams, session: string | undefined]>;
