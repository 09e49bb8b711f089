/**
 * With `--delivery inbox`: the in-memory inbox of the messages Lanyard sent, newest first
 * (`GET /_lanyard/inbox`), and clearing it (`DELETE /_lanyard/inbox`), both filtered by the query
 * (see README).
 */
import type { FastifyPluginAsync } from "fastify";
import { type InboxDelivery, inboxFilter } from "../../delivery/inbox.ts";

export const inbox: FastifyPluginAsync<{ inbox: InboxDelivery }> = async (app, { inbox }) => {
  app.get("/_lanyard/inbox", async (req) => ({ messages: inbox.list(inboxFilter(queryOf(req.url))) }));
  app.delete("/_lanyard/inbox", async (req) => ({ deleted: inbox.clear(inboxFilter(queryOf(req.url))) }));
};

function queryOf(url: string): URLSearchParams {
  const q = url.indexOf("?");
  return new URLSearchParams(q >= 0 ? url.slice(q + 1) : "");
}
