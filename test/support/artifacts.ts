/**
 * Where tests keep what a person may want to look at afterwards (screenshots of the login pages):
 * test-results/<topic>/ at the repository's root, ignored by git.
 */
import fs from "node:fs";
import path from "node:path";

export function artifactsDir(topic: string): string {
  const dir = path.resolve(import.meta.dirname, "..", "..", "test-results", topic);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}
