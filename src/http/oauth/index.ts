/**
 * The OAuth 2.0 / OpenID Connect authorization server and its managed login pages: on the server's
 * own origin the user pool is found from the request's client_id; on a pool's domain (the Host,
 * see ../hosted.ts) only that pool's app clients are found.
 */
import { resolveHostedPool } from "../hosted.ts";
import type { HttpPlugin } from "../plugin.ts";
import { endpointRoutes } from "./endpoints.ts";
import { federationRoutes } from "./federation.ts";
import { bindingRoutes } from "./federation-binding.ts";
import { signInRoutes } from "./login.ts";
import { mfaRoutes } from "./mfa-pages.ts";
import { choiceRoutes } from "./choice-pages.ts";
import { samlRoutes } from "./saml.ts";
import { selfServiceRoutes } from "./self-service.ts";

export const oauth: HttpPlugin = async (app, { services }) => {
  app.addHook("onRequest", async (req) => {
    await resolveHostedPool(services, req);
  });
  signInRoutes(app, services, { signUp: true, forgotPassword: true });
  mfaRoutes(app, services, { signUp: true, forgotPassword: true });
  choiceRoutes(app, services, { signUp: true, forgotPassword: true });
  selfServiceRoutes(app, services);
  endpointRoutes(app, services);
  federationRoutes(app, services);
  bindingRoutes(app);
  samlRoutes(app, services);
};
