/**
 * The `/_lanyard/*` development routes, each mounted only when its option is on. They have no
 * authentication: guards.ts refuses to start with one on a non-loopback address without
 * `--insecure`, and checks the Host of every request to them.
 */
import { OffsetClock } from "../../context.ts";
import { InboxDelivery } from "../../delivery/inbox.ts";
import type { HttpPlugin } from "../plugin.ts";
import { clock } from "./clock.ts";
import { inbox } from "./inbox.ts";
import { reset } from "./reset.ts";
import { mockIdp } from "./mock-idp.ts";
import { testFederation } from "./test-federation.ts";

export const devRoutes: HttpPlugin = async (app, { services }) => {
  const { config, delivery, clock: serverClock } = services;
  if (config.enableReset) await app.register(reset, { services });
  if (delivery instanceof InboxDelivery) await app.register(inbox, { inbox: delivery });
  if (config.enableTestClock && serverClock instanceof OffsetClock)
    await app.register(clock, { clock: serverClock });
  if (config.enableTestFederation) await app.register(testFederation, { services });
  if (config.enableMockIdp) await app.register(mockIdp, { services });
};
