/** `GET /health`: answers while the server is up (for load balancers and start-up scripts). */
import type { HttpPlugin } from "./plugin.ts";

export const health: HttpPlugin = async (app) => {
  app.get("/health", async () => ({ status: "ok" }));
};
