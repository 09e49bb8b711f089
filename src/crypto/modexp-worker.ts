/**
 * The worker thread of modexp.ts: g^x mod N in the SRP group for the exponents it is sent (hex),
 * answered in hex, one at a time, with srp.ts's modPow (OpenSSL).
 */
import { parentPort } from "node:worker_threads";
import { g, modPow } from "./srp.ts";

if (!parentPort) throw new Error("modexp-worker.ts runs as a worker thread");
const port = parentPort;
port.postMessage({ ready: true });
port.on("message", (message: { id: number; exponent: string }) => {
  port.postMessage({ id: message.id, value: modPow(g, BigInt("0x" + message.exponent)).toString(16) });
});
