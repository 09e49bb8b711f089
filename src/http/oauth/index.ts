/**
 * The OAuth 2.0 / OpenID Connect authorization server and its managed login pages, on the server's
 * own origin; the user pool is found from the request's client_id.
 */
import type { HttpPlugin } from "../plugin.ts";
import { endpointRoutes } from "./endpoints.ts";
import { signInRoutes } from "./login.ts";
import { selfServiceRoutes } from "./self-service.ts";

export const oauth: HttpPlugin = async (app, { services }) => {
  signInRoutes(app, services, { signUp: true, forgotPassword: true });
  selfServiceRoutes(app, services);
  endpointRoutes(app, services);
};
