/** A relying party's callback in a browser test: a tiny server on 127.0.0.1 that records what it got. */
import { createServer, type Server } from "node:http";

export interface CallbackSite {
  origin: string;
  /** The callback URL to register with the app client. */
  callback: string;
  /** The URLs the browser arrived at, newest last. */
  hits: URL[];
  close(): Promise<void>;
}

export async function callbackSite(): Promise<CallbackSite> {
  const hits: URL[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
    hits.push(url);
    res
      .writeHead(200, { "content-type": "text/html; charset=utf-8" })
      .end(
        `<!doctype html><html lang="en"><title>Callback</title><h1>Back at the app</h1><p id="path">${url.pathname}</p></html>`,
      );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  const origin = `http://127.0.0.1:${address.port}`;
  return {
    origin,
    callback: `${origin}/callback`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
