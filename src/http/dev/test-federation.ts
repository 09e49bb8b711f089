/**
 * Test only (`--enable-test-federation`): `POST /_lanyard/federated-sign-in` signs a user of one of
 * a pool's identity providers in from claims given in the request, as if the provider had just
 * vouched for them, and answers with the tokens. It runs the same domain function the OAuth2 and
 * SAML endpoints run after checking a provider's response (domain/federation/federated-sign-in.ts),
 * so test suites can exercise federated users and account linking without a real IdP.
 *
 * Request: `{"ClientId": "...", "ProviderName": "Google", "Claims": {"sub": "1234", "email": "..."}}`
 * (for SAML, the assertion's subject goes in the `NameID` claim, its attributes beside it).
 * Response: `{"AuthenticationResult": {...}}`, or an error as the API renders it.
 */
import { federatedSignIn } from "../../domain/federation/federated-sign-in.ts";
import { AwsError } from "../../errors.ts";
import { InvalidParameterException, ResourceNotFoundException } from "../../generated/exceptions.ts";
import { jsonBody } from "../body.ts";
import { requestContext } from "../context.ts";
import { sendError } from "../errors.ts";
import type { HttpPlugin } from "../plugin.ts";
import { requirePool } from "../../domain/lookups.ts";

interface Body {
  ClientId?: unknown;
  ProviderName?: unknown;
  Claims?: unknown;
}

function parse(raw: unknown): { clientId: string; providerName: string; claims: Record<string, unknown> } {
  const body = jsonBody(raw) as Body | null | undefined;
  if (body === undefined) throw new InvalidParameterException("The body must be JSON.");
  if (typeof body?.ClientId !== "string" || typeof body.ProviderName !== "string")
    throw new InvalidParameterException("ClientId and ProviderName are required strings.");
  if (typeof body.Claims !== "object" || body.Claims === null || Array.isArray(body.Claims))
    throw new InvalidParameterException("Claims must be an object.");
  return {
    clientId: body.ClientId,
    providerName: body.ProviderName,
    claims: body.Claims as Record<string, unknown>,
  };
}

export const testFederation: HttpPlugin = async (app, { services }) => {
  app.post("/_lanyard/federated-sign-in", async (req, reply) => {
    try {
      const { clientId, providerName, claims } = parse(req.body);
      const client = await services.storage.pools.getClientById(clientId);
      if (!client) throw new ResourceNotFoundException(`User pool client ${clientId} does not exist.`);
      const pool = await requirePool(services.storage, client.poolId);
      const ctx = requestContext(services, req, { region: pool.region });
      const AuthenticationResult = await federatedSignIn(ctx, pool, client, providerName, claims);
      return reply.header("x-amzn-requestid", req.id).send({ AuthenticationResult });
    } catch (e) {
      if (!(e instanceof AwsError)) throw e;
      return sendError(reply, e);
    }
  });
};
