/** The measured workloads: what each request is and what a correct answer contains. */
import type { Call, Client } from "./load.ts";
import { createUserCall, email, PASSWORD, username } from "./seed.ts";

/** What a workload runs against: one pool holding user0..user(users-1). */
export interface Target {
  poolId: string;
  /** An app client of the pool that allows USER_PASSWORD_AUTH (for the sign-in workload). */
  clientId?: string;
  users: number;
  /** PaginationTokens of later ListUsers pages, with the number of users each page holds. */
  laterPages: { token: string; count: number }[];
  /** Which pages those are, for the report. */
  laterLabel: string;
  /** Email prefixes ("user" + these digits) for the ^= filter, each matching a full page or more. */
  prefixes: number[];
}

export interface Workload {
  key: string;
  label: string;
  /** Count-bounded workloads run a fixed number of requests instead of a fixed time. */
  counted?: boolean;
  make(target: Target): (i: number) => Call;
}

export const PAGE = 60;

function occurrences(body: string, needle: string): number {
  let n = 0;
  for (let at = body.indexOf(needle); at !== -1; at = body.indexOf(needle, at + needle.length)) n++;
  return n;
}

/** Users per ListUsers page: every user has exactly one "Username" key. */
function usersIn(body: string): number {
  return occurrences(body, '"Username"');
}

/** How many of user0..user(users-1) have an email starting with `user<prefix>`. */
export function prefixMatches(prefix: number, users: number): number {
  let n = 0;
  for (let scale = 1; prefix * scale < users; scale *= 10)
    n += Math.min(users, (prefix + 1) * scale) - prefix * scale;
  return n;
}

/**
 * The same prefixes at every size, each matching at least a page of users at the smallest size:
 * two digits ("user12", 111 users at 10,000) when that size allows, else one ("user1").
 */
export function prefixesFor(smallest: number): number[] {
  const two = Array.from({ length: 90 }, (_, i) => 10 + i).filter((k) => prefixMatches(k, smallest) >= PAGE);
  return two.length > 0 ? two : [1, 2, 3, 4, 5, 6, 7, 8, 9];
}

const random = (n: number) => Math.floor(Math.random() * n);

function listUsers(poolId: string, extra: Record<string, unknown>, check: (body: string) => boolean): Call {
  return {
    operation: "ListUsers",
    body: JSON.stringify({ UserPoolId: poolId, Limit: PAGE, ...extra }),
    check,
  };
}

export function workloads(createCount: number): Workload[] {
  let created = 0;
  return [
    {
      key: "create",
      label: `AdminCreateUser (${createCount})`,
      counted: true,
      make: (t) => () => {
        const n = created++;
        return createUserCall(t.poolId, `new-${t.users}-${n}`, {
          given_name: "New",
          email: `new-${t.users}-${n}@example.com`,
          email_verified: "true",
        });
      },
    },
    {
      key: "get",
      label: "AdminGetUser (random user)",
      make: (t) => () => {
        const name = username(random(t.users));
        return {
          operation: "AdminGetUser",
          body: JSON.stringify({ UserPoolId: t.poolId, Username: name }),
          check: (body) => body.includes(`"${name}"`),
        };
      },
    },
    {
      key: "list-first",
      label: "ListUsers first page",
      make: (t) => () => listUsers(t.poolId, {}, (body) => usersIn(body) === Math.min(PAGE, t.users)),
    },
    {
      key: "list-later",
      label: "ListUsers later page",
      make: (t) => () => {
        const page = t.laterPages[random(t.laterPages.length)];
        return listUsers(t.poolId, { PaginationToken: page.token }, (body) => usersIn(body) === page.count);
      },
    },
    {
      key: "sign-in",
      label: "InitiateAuth USER_PASSWORD_AUTH (random user)",
      make: (t) => () => {
        if (!t.clientId) throw new Error("the sign-in workload needs an app client");
        return {
          operation: "InitiateAuth",
          body: JSON.stringify({
            ClientId: t.clientId,
            AuthFlow: "USER_PASSWORD_AUTH",
            AuthParameters: { USERNAME: username(random(t.users)), PASSWORD },
          }),
          check: (body) => body.includes('"AccessToken"'),
        };
      },
    },
    {
      key: "filter-exact",
      label: 'ListUsers email = "userN@…"',
      make: (t) => () => {
        const value = email(random(t.users));
        return listUsers(
          t.poolId,
          { Filter: `email = "${value}"` },
          (body) => usersIn(body) === 1 && body.includes(value),
        );
      },
    },
    {
      key: "filter-prefix",
      label: 'ListUsers email ^= "userK"',
      make: (t) => () => {
        const prefix = t.prefixes[random(t.prefixes.length)];
        const expected = Math.min(PAGE, prefixMatches(prefix, t.users));
        return listUsers(
          t.poolId,
          { Filter: `email ^= "user${prefix}"` },
          (body) => usersIn(body) === expected,
        );
      },
    },
  ];
}

/**
 * Walks ListUsers from the first page, following PaginationToken, to the middle of the pool, and
 * keeps the tokens of the last (up to) 50 pages walked: pages 784-833 of a 100,000-user pool.
 */
export async function collectLaterPages(
  client: Client,
  poolId: string,
  users: number,
  budgetMs = 60_000,
): Promise<{ laterPages: Target["laterPages"]; laterLabel: string }> {
  const pages = Math.max(2, Math.floor(users / PAGE / 2));
  const deadline = performance.now() + budgetMs;
  const walked: { page: number; token: string; count: number }[] = [];
  let token: string | undefined;
  for (let page = 1; page <= pages && performance.now() < deadline; page++) {
    const out = await client.json<{ Users: unknown[]; PaginationToken?: string }>("ListUsers", {
      UserPoolId: poolId,
      Limit: PAGE,
      ...(token ? { PaginationToken: token } : {}),
    });
    if (token) walked.push({ page, token, count: out.Users.length });
    if (!out.PaginationToken) break;
    token = out.PaginationToken;
  }
  if (walked.length === 0) throw new Error("ListUsers returned a single page: no later page to measure");
  const later = walked.slice(-Math.min(50, Math.ceil(walked.length / 2)));
  return {
    laterPages: later.map(({ token, count }) => ({ token, count })),
    laterLabel: `pages ${later[0].page}-${later[later.length - 1].page}`,
  };
}
