/**
 * Where the authorize endpoint sends a request that names an external identity provider: one
 * start function per ProviderType.
 */
import type { FastifyReply } from "fastify";
import type { RequestContext } from "../../context.ts";
import type { AuthorizationRequest, Params } from "../../domain/oauth/authorize.ts";
import { samlStart } from "./saml.ts";

export type FederatedStart = (
  reply: FastifyReply,
  ctx: RequestContext,
  request: AuthorizationRequest,
  params: Params,
) => Promise<FastifyReply>;

export const FEDERATED_START: Readonly<Record<string, FederatedStart>> = {
  SAML: samlStart,
};
