/** App clients' terms documents (terms of use, privacy policy) and their links per language. */
import type { TermsRecord } from "../records.ts";
import { type Page, repository } from "./common.ts";

export interface TermsReader {
  getTerms(poolId: string, termsId: string): Promise<TermsRecord | undefined>;
  getTermsByClient(poolId: string, clientId: string, termsName: string): Promise<TermsRecord | undefined>;
  /** An app client's terms documents, in creation order. */
  termsOfClient(poolId: string, clientId: string): Promise<TermsRecord[]>;
  /** A pool's terms documents, in creation order. */
  listTerms(poolId: string, limit: number, after?: string): Promise<Page<TermsRecord>>;
  countTerms(poolId: string): Promise<number>;
}

export interface TermsRepository extends TermsReader {
  /** Throws DuplicateKeyError when the app client has terms of that name already. */
  insertTerms(terms: TermsRecord): Promise<void>;
  /** Throws DuplicateKeyError when the new name is taken by another of the client's documents. */
  updateTerms(terms: TermsRecord): Promise<void>;
  deleteTerms(poolId: string, termsId: string): Promise<void>;
}

export const TERMS = repository<TermsReader, TermsRepository>({
  getTerms: true,
  getTermsByClient: true,
  termsOfClient: true,
  listTerms: true,
  countTerms: true,
});
