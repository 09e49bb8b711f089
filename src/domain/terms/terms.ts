/**
 * Terms documents: CreateTerms, DescribeTerms, DescribeTermsByClient, ListTerms, UpdateTerms,
 * DeleteTerms; and the links the managed login sign-up page shows (termsLinksOf). An app client has
 * at most one document of each name (`terms-of-use`, `privacy-policy`), each a map of managed login
 * language (`cognito:default`, `cognito:spanish`, ...) to URL; a pool has at most 40.
 */
import { randomUUID } from "node:crypto";
import type { RequestContext } from "../../context.ts";
import {
  ConcurrentModificationException,
  InvalidParameterException,
  LimitExceededException,
  ResourceNotFoundException,
  TermsExistsException,
} from "../../generated/exceptions.ts";
import type {
  CreateTermsRequest,
  ListTermsRequest,
  ListTermsResponse,
  TermsDescriptionType,
  TermsEnforcementType,
  TermsSourceType,
  TermsType,
  UpdateTermsRequest,
} from "../../generated/types.ts";
import type { TermsRecord } from "../../storage/records.ts";
import { DuplicateKeyError, type Reader, type Transaction } from "../../storage/storage.ts";
import { wireTime } from "../ids.ts";
import { requireClient, requirePool } from "../lookups.ts";
import { fromToken, readPage, toToken } from "../pagination.ts";

/** Cognito's quota: managed login terms documents per user pool. */
export const MAX_TERMS_PER_POOL = 40;
const MAX_PAGE = 60;

function notFound(termsId: string): ResourceNotFoundException {
  return new ResourceNotFoundException(`Terms ${termsId} does not exist.`);
}

function exists(termsName: string, clientId: string): TermsExistsException {
  return new TermsExistsException(
    `Terms with the name ${termsName} already exist for app client ${clientId}.`,
  );
}

/**
 * Each link must be an absolute http(s) URL: the sign-up page puts it in an `href`, where any other
 * scheme (`javascript:`) would run in the page.
 */
function checkLinks(links: Record<string, string>): Record<string, string> {
  for (const [language, link] of Object.entries(links)) {
    let url: URL | undefined;
    try {
      url = new URL(link);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== "https:" && url.protocol !== "http:"))
      throw new InvalidParameterException(`The link for ${language} must be an absolute http or https URL.`);
  }
  return { ...links };
}

export function toTermsType(t: TermsRecord): TermsType {
  return {
    TermsId: t.termsId,
    UserPoolId: t.poolId,
    ClientId: t.clientId,
    TermsName: t.termsName,
    TermsSource: t.termsSource as TermsSourceType,
    Enforcement: t.enforcement as TermsEnforcementType,
    Links: { ...t.links },
    CreationDate: wireTime(t.createdAt),
    LastModifiedDate: wireTime(t.updatedAt),
  };
}

function toDescription(t: TermsRecord): TermsDescriptionType {
  return {
    TermsId: t.termsId,
    TermsName: t.termsName,
    Enforcement: t.enforcement as TermsEnforcementType,
    CreationDate: wireTime(t.createdAt),
    LastModifiedDate: wireTime(t.updatedAt),
  };
}

/** A unique key lost to a concurrent writer (the pool's row lock makes this rare). */
async function writing(tx: Transaction, write: (tx: Transaction) => Promise<void>): Promise<void> {
  try {
    await write(tx);
  } catch (e) {
    if (e instanceof DuplicateKeyError)
      throw new ConcurrentModificationException("The terms were modified concurrently; try again.");
    throw e;
  }
}

export async function createTerms(ctx: RequestContext, input: CreateTermsRequest): Promise<TermsType> {
  if (input.Links === undefined)
    throw new InvalidParameterException("Links is required: give at least one language and its URL.");
  const links = checkLinks(input.Links);
  const record: TermsRecord = {
    poolId: input.UserPoolId,
    termsId: randomUUID(),
    clientId: input.ClientId,
    termsName: input.TermsName,
    termsSource: input.TermsSource,
    enforcement: input.Enforcement,
    links,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  await ctx.services.storage.transaction(async (tx) => {
    // Reading the pool in the transaction locks it: one pool's terms change one writer at a time.
    await requireClient(tx, input.UserPoolId, input.ClientId);
    if (await tx.terms.getTermsByClient(input.UserPoolId, input.ClientId, input.TermsName))
      throw exists(input.TermsName, input.ClientId);
    if ((await tx.terms.countTerms(input.UserPoolId)) >= MAX_TERMS_PER_POOL)
      throw new LimitExceededException(
        `The user pool has reached its limit of ${MAX_TERMS_PER_POOL} terms documents.`,
      );
    await writing(tx, (t) => t.terms.insertTerms(record));
  });
  return toTermsType(record);
}

export async function describeTerms(
  ctx: RequestContext,
  poolId: string,
  termsId: string,
): Promise<TermsType> {
  const { storage } = ctx.services;
  await requirePool(storage, poolId);
  const t = await storage.terms.getTerms(poolId, termsId);
  if (!t) throw notFound(termsId);
  return toTermsType(t);
}

export async function describeTermsByClient(
  ctx: RequestContext,
  poolId: string,
  clientId: string,
  termsName: string,
): Promise<TermsType> {
  const { storage } = ctx.services;
  await requireClient(storage, poolId, clientId);
  const t = await storage.terms.getTermsByClient(poolId, clientId, termsName);
  if (!t) throw new ResourceNotFoundException(`Terms ${termsName} do not exist for app client ${clientId}.`);
  return toTermsType(t);
}

export async function listTerms(ctx: RequestContext, input: ListTermsRequest): Promise<ListTermsResponse> {
  const { storage } = ctx.services;
  const pool = await requirePool(storage, input.UserPoolId);
  const scope = `terms:${pool.id}`;
  const after = fromToken(input.NextToken, scope);
  const page = await readPage(() => storage.terms.listTerms(pool.id, input.MaxResults ?? MAX_PAGE, after));
  const out: ListTermsResponse = { Terms: page.items.map(toDescription) };
  if (page.next) out.NextToken = toToken(page.next, scope);
  return out;
}

/** The fields the request gives replace the stored ones; Links replaces the whole map. */
export async function updateTerms(ctx: RequestContext, input: UpdateTermsRequest): Promise<TermsType> {
  const links = input.Links === undefined ? undefined : checkLinks(input.Links);
  return ctx.services.storage.transaction(async (tx) => {
    await requirePool(tx, input.UserPoolId);
    const t = await tx.terms.getTerms(input.UserPoolId, input.TermsId);
    if (!t) throw notFound(input.TermsId);
    const next: TermsRecord = { ...t, updatedAt: ctx.now };
    if (input.TermsName !== undefined && input.TermsName !== t.termsName) {
      if (await tx.terms.getTermsByClient(t.poolId, t.clientId, input.TermsName))
        throw exists(input.TermsName, t.clientId);
      next.termsName = input.TermsName;
    }
    if (input.TermsSource !== undefined) next.termsSource = input.TermsSource;
    if (input.Enforcement !== undefined) next.enforcement = input.Enforcement;
    if (links !== undefined) next.links = links;
    await writing(tx, (w) => w.terms.updateTerms(next));
    return toTermsType(next);
  });
}

export async function deleteTerms(ctx: RequestContext, poolId: string, termsId: string): Promise<void> {
  await ctx.services.storage.transaction(async (tx) => {
    await requirePool(tx, poolId);
    if (!(await tx.terms.getTerms(poolId, termsId))) throw notFound(termsId);
    await tx.terms.deleteTerms(poolId, termsId);
  });
}

/** The managed login language of a page's `lang` (managed login localization), by BCP 47 tag. */
const LANGUAGES: Readonly<Record<string, string>> = {
  en: "cognito:english",
  fr: "cognito:french",
  es: "cognito:spanish",
  de: "cognito:german",
  id: "cognito:bahasa-indonesia",
  it: "cognito:italian",
  ja: "cognito:japanese",
  ko: "cognito:korean",
  nl: "cognito:dutch",
  "pt-br": "cognito:portuguese-brazil",
  "zh-cn": "cognito:chinese-simplified",
  "zh-tw": "cognito:chinese-traditional",
};

/** The language id of a page language: its full tag, else its primary subtag; English by default. */
export function termsLanguageOf(lang: string | undefined): string {
  const tag = (lang ?? "en").toLowerCase();
  return LANGUAGES[tag] ?? LANGUAGES[tag.split("-")[0]!] ?? "cognito:english";
}

/** A document's link for a language: that language's, else `cognito:default`'s. */
function linkFor(t: TermsRecord | undefined, language: string): string | undefined {
  return t?.links[language] ?? t?.links["cognito:default"];
}

export interface TermsLinks {
  termsOfUse: string;
  privacyPolicy: string;
}

/**
 * The links the client's sign-up page shows in the page's language, with the fallback to
 * `cognito:default`; none until both documents have a link for that language (Cognito: "you must
 * provide both types of terms documents ... before Amazon Cognito displays your terms documents").
 */
export async function termsLinksOf(
  storage: Reader,
  poolId: string,
  clientId: string,
  lang: string | undefined,
): Promise<TermsLinks | undefined> {
  const docs = await storage.terms.termsOfClient(poolId, clientId);
  const language = termsLanguageOf(lang);
  const termsOfUse = linkFor(
    docs.find((d) => d.termsName === "terms-of-use"),
    language,
  );
  const privacyPolicy = linkFor(
    docs.find((d) => d.termsName === "privacy-policy"),
    language,
  );
  if (termsOfUse === undefined || privacyPolicy === undefined) return undefined;
  return { termsOfUse, privacyPolicy };
}
