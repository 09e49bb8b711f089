/**
 * The AWS CLI, run as a user runs it against Lanyard (`aws cognito-idp ... --endpoint-url`).
 *
 * The installed CLI's own service model (botocore's) can predate operations that Lanyard serves
 * (the user session operations, for example), and the CLI refuses a command its model lacks. So the
 * CLI is given the model Lanyard itself is generated from (model/cognito-idp.json, from the AWS
 * SDK's model), written in botocore's form to a data directory named by AWS_DATA_PATH, which
 * botocore searches before its own. Everything else (arguments, signing, output) is the CLI's own.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { root } from "./process.ts";
import type { TestServer } from "./server.ts";

const run = promisify(execFile);

interface ModelMember {
  target: string;
  required?: boolean;
}
interface ModelShape {
  type: string;
  members?: Record<string, ModelMember>;
  member?: string;
  key?: string;
  value?: string;
  error?: { fault: "client" | "server"; status: number };
  [constraint: string]: unknown;
}
interface Model {
  metadata: Record<string, unknown>;
  operations: Record<string, { auth: string; input: string; output: string; errors: string[] }>;
  shapes: Record<string, ModelShape>;
}

/** One shape of Lanyard's model in botocore's form. */
function botocoreShape(name: string, s: ModelShape): Record<string, unknown> {
  const { type, members, member, key, value, error, ...constraints } = s;
  if (type === "document") return { type: "structure", members: {}, document: true };
  const out: Record<string, unknown> = { type, ...constraints };
  if (members) {
    out.members = Object.fromEntries(Object.entries(members).map(([m, d]) => [m, { shape: d.target }]));
    const required = Object.entries(members)
      .filter(([, d]) => d.required)
      .map(([m]) => m);
    if (required.length > 0) out.required = required;
  }
  if (member !== undefined) out.member = { shape: member };
  if (key !== undefined) out.key = { shape: key };
  if (value !== undefined) out.value = { shape: value };
  if (error) {
    out.exception = true;
    out.error = { code: name, httpStatusCode: error.status, senderFault: error.fault === "client" };
    if (error.fault === "server") out.fault = true;
  }
  return out;
}

let dataPath: string | undefined;

/** The data directory holding Lanyard's model as botocore's cognito-idp 2016-04-18 service-2.json. */
export function cliDataPath(): string {
  if (dataPath) return dataPath;
  const model = JSON.parse(readFileSync(join(root, "model", "cognito-idp.json"), "utf8")) as Model;
  const m = model.metadata;
  const service = {
    version: "2.0",
    metadata: {
      apiVersion: m.apiVersion,
      endpointPrefix: m.endpointPrefix,
      jsonVersion: m.jsonVersion,
      protocol: "json",
      protocols: ["json"],
      serviceFullName: m.serviceFullName,
      serviceId: m.serviceId,
      signatureVersion: "v4",
      signingName: m.signingName,
      targetPrefix: m.targetPrefix,
      uid: `cognito-idp-${String(m.apiVersion)}`,
    },
    operations: Object.fromEntries(
      Object.entries(model.operations).map(([name, op]) => [
        name,
        {
          name,
          http: { method: "POST", requestUri: "/" },
          input: { shape: op.input },
          output: { shape: op.output },
          errors: op.errors.map((e) => ({ shape: e })),
          ...(op.auth === "none" ? { authtype: "none", auth: ["smithy.api#noAuth"] } : {}),
        },
      ]),
    ),
    shapes: Object.fromEntries(Object.entries(model.shapes).map(([n, s]) => [n, botocoreShape(n, s)])),
  };
  const dir = mkdtempSync(join(tmpdir(), "lanyard-cli-model-"));
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  const versionDir = join(dir, "cognito-idp", String(m.apiVersion));
  mkdirSync(versionDir, { recursive: true });
  writeFileSync(join(versionDir, "service-2.json"), JSON.stringify(service));
  dataPath = dir;
  return dir;
}

function cliEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    AWS_ACCESS_KEY_ID: "dummy",
    AWS_SECRET_ACCESS_KEY: "dummy",
    AWS_PAGER: "",
    AWS_DATA_PATH: cliDataPath(),
  };
}

/** Runs `aws cognito-idp <args>` against the server; its JSON output ({} when it prints nothing). */
export async function awsCli(server: TestServer, ...args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(
    "aws",
    ["cognito-idp", ...args, "--endpoint-url", server.url, "--region", "us-east-1", "--output", "json"],
    { env: cliEnv() },
  );
  return stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : {};
}

/** Runs a command that must fail; its standard error (the CLI prints the exception's name there). */
export async function awsCliError(server: TestServer, ...args: string[]): Promise<string> {
  try {
    await awsCli(server, ...args);
  } catch (e) {
    return String((e as { stderr?: string }).stderr ?? e);
  }
  throw new Error(`aws cognito-idp ${args.join(" ")} succeeded`);
}
