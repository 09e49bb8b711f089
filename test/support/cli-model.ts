/**
 * The AWS CLI installed here (v1, botocore 1.43) predates six operations of the user pools API
 * (the replicas and provisioned limits). For the CLI tests, this writes a botocore data directory
 * whose cognito-idp service model is the installed one plus those operations
 * (test/fixtures/cli/replicas-and-limits-model.json, written from the AWS SDK v3 model); the CLI
 * reads it through AWS_DATA_PATH, and keeps its installed files for everything else.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { gunzipSync } from "node:zlib";

const run = promisify(execFile);

interface Model {
  operations: Record<string, unknown>;
  shapes: Record<string, unknown>;
}

let made: Promise<string> | undefined;

/** The AWS_DATA_PATH directory (made once per process). */
export function cliDataPath(): Promise<string> {
  made ??= (async () => {
    const { stdout } = await run("python3", [
      "-c",
      "import botocore, os; print(os.path.join(os.path.dirname(botocore.__file__), 'data'))",
    ]);
    const dir = join(stdout.trim(), "cognito-idp", "2016-04-18");
    const gz = join(dir, "service-2.json.gz");
    const installed = JSON.parse(
      existsSync(gz)
        ? gunzipSync(readFileSync(gz)).toString("utf8")
        : readFileSync(join(dir, "service-2.json"), "utf8"),
    ) as Model;
    const added = JSON.parse(
      readFileSync(join(import.meta.dirname, "../fixtures/cli/replicas-and-limits-model.json"), "utf8"),
    ) as Model;
    for (const [name, op] of Object.entries(added.operations)) installed.operations[name] ??= op;
    for (const [name, shape] of Object.entries(added.shapes)) installed.shapes[name] ??= shape;
    const out = mkdtempSync(join(tmpdir(), "lanyard-cli-model-"));
    mkdirSync(join(out, "cognito-idp", "2016-04-18"), { recursive: true });
    writeFileSync(join(out, "cognito-idp", "2016-04-18", "service-2.json"), JSON.stringify(installed));
    return out;
  })();
  return made;
}
