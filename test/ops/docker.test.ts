/**
 * The Dockerfile: where Docker is available, the image is built and run, and its health check and
 * /health answer; where it is not, the test says it skipped.
 */
import assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import { test } from "node:test";
import { promisify } from "node:util";
import { root } from "../support/process.ts";

const run = promisify(execFile);
const docker = spawnSync("docker", ["info"], { stdio: "ignore" }).status === 0;

test(
  "the image builds, runs as non-root with /data, and reports healthy",
  { skip: docker ? false : "skipped: Docker is not available on this machine" },
  async () => {
    const tag = `lanyard-test:${process.pid}`;
    await run("docker", ["build", "-t", tag, "."], { cwd: root, maxBuffer: 64 << 20 });
    const { stdout: id } = await run("docker", [
      "run",
      "-d",
      "--rm",
      "-p",
      "127.0.0.1::9229",
      "-e",
      "LANYARD_ACCESS_KEY_ID=AKIDDOCKERTEST",
      "-e",
      "LANYARD_SECRET_ACCESS_KEY=docker-test-secret",
      tag,
    ]);
    const container = id.trim();
    try {
      const user = await run("docker", ["inspect", "-f", "{{.Config.User}}", container]);
      assert.equal(user.stdout.trim(), "node");
      const { stdout: port } = await run("docker", ["port", container, "9229/tcp"]);
      const url = `http://${port.trim().split("\n")[0]}`;
      let status = "";
      for (let i = 0; i < 60 && status !== "healthy"; i++) {
        await new Promise((r) => setTimeout(r, 1000));
        status = (
          await run("docker", ["inspect", "-f", "{{.State.Health.Status}}", container])
        ).stdout.trim();
      }
      assert.equal(status, "healthy");
      const res = await fetch(`${url}/health`);
      assert.equal(res.status, 200);
    } finally {
      await run("docker", ["stop", container]).catch(() => {});
      await run("docker", ["rmi", "-f", tag]).catch(() => {});
    }
  },
);
