/** Test only (`--enable-reset`): `POST /_lanyard/reset` wipes every pool, user and token. */
import type { HttpPlugin } from "../plugin.ts";

export const reset: HttpPlugin = async (app, { services }) => {
  app.post("/_lanyard/reset", async () => {
    await services.storage.wipe();
    services.logger.warn("all state wiped through /_lanyard/reset");
    return { reset: true };
  });
};
