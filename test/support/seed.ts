/**
 * Sign-ins used by the seed tests: USER_PASSWORD_AUTH and USER_SRP_AUTH through the SDK, and a
 * start that is expected to fail (a refused seed file).
 */
import {
  type CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { root } from "./process.ts";
import { passwordVerifierResponses, startClientSrp } from "./srp-client.ts";

/** Signs in with USER_PASSWORD_AUTH; answers the AuthenticationResult or the challenge. */
export async function passwordSignIn(
  sdk: CognitoIdentityProviderClient,
  clientId: string,
  username: string,
  password: string,
) {
  return sdk.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }),
  );
}

/** Signs in with USER_SRP_AUTH (PASSWORD_VERIFIER answered as the client libraries do). */
export async function srpSignIn(
  sdk: CognitoIdentityProviderClient,
  poolId: string,
  clientId: string,
  username: string,
  password: string,
) {
  const client = startClientSrp();
  const start = await sdk.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: "USER_SRP_AUTH",
      AuthParameters: { USERNAME: username, SRP_A: client.srpA },
    }),
  );
  return sdk.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: "PASSWORD_VERIFIER",
      ChallengeResponses: passwordVerifierResponses({
        poolId,
        password,
        client,
        challengeParameters: start.ChallengeParameters!,
      }),
    }),
  );
}

/** Runs `lanyard ARGS` to its end (a start refused, or `lanyard export`): exit code, stdout, stderr. */
export function runLanyard(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, "bin", "lanyard.js"), ...args], {
      cwd: root,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
  });
}
