/**
 * The pre-signed upload URL of an import job. Cognito hands out an Amazon S3 pre-signed URL; Lanyard
 * hands out its own: `<publicUrl>/import-jobs/<poolId>/<jobId>.csv`, signed with an HMAC-SHA256
 * under the server secret over the pool, the job and the expiry, and valid for an hour after the
 * job's creation. The query names follow S3's (X-Amz-Date, X-Amz-Expires, X-Amz-Signature).
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const UPLOAD_URL_TTL_MS = 60 * 60 * 1000;
export const UPLOAD_PATH_PREFIX = "/import-jobs/";

function signature(secret: Buffer, poolId: string, jobId: string, issuedAt: number, ttlS: number): string {
  return createHmac("sha256", secret)
    .update(`lanyard import upload\n${poolId}\n${jobId}\n${issuedAt}\n${ttlS}`)
    .digest("hex");
}

/** `20260101T120000Z`, S3's X-Amz-Date form. */
function amzDate(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/[-:]/g, "").replace(".000", "");
}

function parseAmzDate(s: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) return undefined;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
}

export function uploadPath(poolId: string, jobId: string): string {
  return `${UPLOAD_PATH_PREFIX}${poolId}/${jobId}.csv`;
}

export function uploadUrl(
  base: string,
  secret: Buffer,
  poolId: string,
  jobId: string,
  createdAt: number,
): string {
  const issuedAt = Math.floor(createdAt / 1000) * 1000;
  const ttlS = UPLOAD_URL_TTL_MS / 1000;
  const q = new URLSearchParams({
    "X-Amz-Date": amzDate(issuedAt),
    "X-Amz-Expires": String(ttlS),
    "X-Amz-Signature": signature(secret, poolId, jobId, issuedAt, ttlS),
  });
  return `${base.replace(/\/$/, "")}${uploadPath(poolId, jobId)}?${q.toString()}`;
}

export type UploadUrlCheck = "ok" | "unsigned" | "bad-signature" | "expired";

/** Checks the query of an upload request for `poolId`/`jobId` at time `now`. */
export function checkUploadUrl(
  secret: Buffer,
  poolId: string,
  jobId: string,
  query: URLSearchParams,
  now: number,
): UploadUrlCheck {
  const date = query.get("X-Amz-Date");
  const expires = query.get("X-Amz-Expires");
  const given = query.get("X-Amz-Signature");
  if (date === null || expires === null || given === null) return "unsigned";
  const issuedAt = parseAmzDate(date);
  const ttlS = /^\d{1,7}$/.test(expires) ? Number(expires) : undefined;
  if (issuedAt === undefined || ttlS === undefined || !/^[0-9a-f]{64}$/.test(given)) return "bad-signature";
  const wanted = Buffer.from(signature(secret, poolId, jobId, issuedAt, ttlS), "hex");
  if (!timingSafeEqual(wanted, Buffer.from(given, "hex"))) return "bad-signature";
  if (now > issuedAt + ttlS * 1000) return "expired";
  return "ok";
}
