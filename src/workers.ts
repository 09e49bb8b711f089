/**
 * The environment of every worker thread Lanyard starts (the SRP exponentiation worker, the trigger
 * module workers): the process's own, with the module compile cache bin/lanyard.js enabled. A
 * worker does not inherit the cache from the thread that starts it; without it, it strips the types
 * of every TypeScript module it loads with Node's type stripper, which costs about 20 MB more
 * memory per worker for as long as the worker runs.
 */
import module from "node:module";

export function workerEnv(): NodeJS.ProcessEnv {
  const dir = module.getCompileCacheDir?.();
  return dir ? { ...process.env, NODE_COMPILE_CACHE: dir } : process.env;
}
