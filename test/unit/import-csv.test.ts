/** The import CSV reader (src/domain/import-jobs/csv.ts): records and their lines, however the text is cut. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { CsvReader, type CsvRecord } from "../../src/domain/import-jobs/csv.ts";

function read(pieces: readonly string[]): CsvRecord[] {
  const r = new CsvReader();
  const out: CsvRecord[] = [];
  for (const p of pieces) out.push(...r.push(p));
  out.push(...r.end());
  return out;
}

const FILE =
  'cognito:username,nickname,email\r\nann,"Ann, the ""first""",ann@example.com\n\nbob,Bob\\, Jr.,\n"cat","two\nlines",c@x\nlast,a\\b,';

const EXPECTED: CsvRecord[] = [
  { line: 1, fields: ["cognito:username", "nickname", "email"] },
  { line: 2, fields: ["ann", 'Ann, the "first"', "ann@example.com"] },
  { line: 4, fields: ["bob", "Bob, Jr.", ""] },
  { line: 5, fields: ["cat", "two\nlines", "c@x"] },
  { line: 7, fields: ["last", "a\\b", ""] },
];

test("quotes, doubled quotes, backslash-escaped commas, CRLF, empty lines, a last line without a break", () => {
  assert.deepEqual(read([FILE]), EXPECTED);
});

test("the same records whatever the pieces the text comes in", () => {
  for (let size = 1; size <= 7; size++) {
    const pieces = [];
    for (let i = 0; i < FILE.length; i += size) pieces.push(FILE.slice(i, i + size));
    assert.deepEqual(read(pieces), EXPECTED, `pieces of ${size}`);
  }
});

test("an empty file has no records; a lone header is one", () => {
  assert.deepEqual(read([""]), []);
  assert.deepEqual(read(["a,b\n"]), [{ line: 1, fields: ["a", "b"] }]);
});
