/**
 * Compromised-credentials detection. Cognito checks a user's username and password against
 * credentials published in breaches; Lanyard, offline, checks the password against a bundled list
 * of the 49,233 passwords most common in breach corpora: the `passwords-common` dictionary of
 * `@zxcvbn-ts/language-common` (MIT), loaded at first use. A password matches when it, or its
 * lowercase form, is on the list.
 *
 * The configuration's EventFilter (SIGN_IN, SIGN_UP, PASSWORD_CHANGE; all when absent) says which
 * events are checked; its action (BLOCK, NO_ACTION) applies only in ENFORCED mode. In AUDIT mode a
 * match is only recorded on the event.
 */
import type { RequestContext } from "../../context.ts";
import { InvalidPasswordException } from "../../generated/exceptions.ts";
import type { EventFilterType } from "../../generated/types.ts";
import type { PoolRecord } from "../../storage/records.ts";
import { audit } from "../audit.ts";
import { effectiveRiskConfiguration, threatMode } from "./config.ts";

let breached: Promise<ReadonlySet<string>> | undefined;

function breachedPasswords(): Promise<ReadonlySet<string>> {
  breached ??= import("@zxcvbn-ts/language-common").then((m) => new Set(m.dictionary["passwords-common"]));
  return breached;
}

/** Whether the password is on the bundled list of breached passwords. */
export async function isBreachedPassword(password: string): Promise<boolean> {
  const list = await breachedPasswords();
  return list.has(password) || list.has(password.toLowerCase());
}

/** What the check found for one event, and whether the configuration blocks it. */
export interface CompromisedCheck {
  detected: boolean;
  block: boolean;
}

const NOT_CHECKED: CompromisedCheck = { detected: false, block: false };

/**
 * Checks the password of an event of kind `filter` for the pool (and the app client whose
 * configuration applies). Nothing is checked while threat protection is OFF, or for an event the
 * EventFilter leaves out.
 */
export async function checkCompromised(
  ctx: RequestContext,
  pool: PoolRecord,
  clientId: string | undefined,
  filter: EventFilterType,
  password: string,
): Promise<CompromisedCheck> {
  const mode = threatMode(pool);
  if (mode === "OFF") return NOT_CHECKED;
  const config = (await effectiveRiskConfiguration(ctx.services.storage, pool.id, clientId))
    .CompromisedCredentialsRiskConfiguration;
  const events = config?.EventFilter?.length ? config.EventFilter : ["SIGN_IN", "SIGN_UP", "PASSWORD_CHANGE"];
  if (!events.includes(filter)) return NOT_CHECKED;
  if (!(await isBreachedPassword(password))) return NOT_CHECKED;
  const block = mode === "ENFORCED" && config?.Actions.EventAction === "BLOCK";
  audit(ctx, "compromised credentials detected", { poolId: pool.id, event: filter, blocked: block });
  return { detected: true, block };
}

/**
 * The check of a new password (SignUp, AdminCreateUser's TemporaryPassword, ChangePassword,
 * ConfirmForgotPassword, AdminSetUserPassword, NEW_PASSWORD_REQUIRED): throws when the
 * configuration blocks it, else tells whether a breached password was detected.
 */
export async function screenNewPassword(
  ctx: RequestContext,
  pool: PoolRecord,
  clientId: string | undefined,
  filter: "SIGN_UP" | "PASSWORD_CHANGE",
  password: string,
): Promise<boolean> {
  const check = await checkCompromised(ctx, pool, clientId, filter, password);
  if (check.block)
    throw new InvalidPasswordException("Provided password cannot be used for security reasons.");
  return check.detected;
}
