/**
 * A streaming reader of the import CSV file: text goes in piece by piece (the pieces may split a
 * record anywhere), whole records come out with the line each starts on (the header is line 1).
 *
 * The format is RFC 4180's (fields in double quotes may hold commas, quotes doubled, and line
 * breaks), plus the rule of Cognito's guide for unquoted values: a comma preceded by a backslash
 * (`\,`) is part of the value. Lines may end in CRLF or LF; empty lines are skipped.
 */
export interface CsvRecord {
  line: number;
  fields: string[];
}

export class CsvReader {
  private field = "";
  private fields: string[] = [];
  private quoted = false;
  /** Inside quotes, a quote was just seen: the next character says whether it ends the field. */
  private quoteSeen = false;
  /** A backslash was just seen outside quotes. */
  private backslash = false;
  /** A field has started (so an empty line is told from an empty field). */
  private started = false;
  private line = 1;
  private recordLine = 1;
  private out: CsvRecord[] = [];

  /** Reads `text`, returning the records it completed. */
  push(text: string): CsvRecord[] {
    const n = text.length;
    let i = 0;
    while (i < n) {
      if (this.quoted) {
        if (this.quoteSeen) {
          this.quoteSeen = false;
          if (text.charCodeAt(i) === 34 /* " */) {
            this.field += '"';
            i++;
            continue;
          }
          this.quoted = false;
          continue; // the closing quote: read this character unquoted
        }
        const q = text.indexOf('"', i);
        const end = q < 0 ? n : q;
        const chunk = text.slice(i, end);
        this.field += chunk;
        for (let k = 0; k < chunk.length; k++) if (chunk.charCodeAt(k) === 10) this.line++;
        if (q < 0) return this.take();
        this.quoteSeen = true;
        i = q + 1;
        continue;
      }
      const c = text.charCodeAt(i);
      if (this.backslash) {
        this.backslash = false;
        this.field += c === 44 /* , */ ? "," : `\\${text[i]!}`;
        if (c === 10) this.endLine();
        i++;
        continue;
      }
      if (c === 44 /* , */) {
        this.fields.push(this.field);
        this.field = "";
        this.started = true;
      } else if (c === 10 /* \n */) {
        this.endRecord();
        this.endLine();
      } else if (c === 13 /* \r */) {
        if (i + 1 < n && text.charCodeAt(i + 1) !== 10) this.field += "\r";
        // A CR at the end of this piece is kept for the next one to decide.
        else if (i + 1 >= n) this.field += "\r";
      } else if (c === 34 /* " */ && this.field === "") {
        this.quoted = true;
        this.started = true;
      } else if (c === 92 /* \ */) {
        this.backslash = true;
        this.started = true;
      } else {
        // The run of plain characters up to the next special one, at once.
        let j = i + 1;
        while (j < n) {
          const d = text.charCodeAt(j);
          if (d === 44 || d === 10 || d === 13 || d === 92) break;
          j++;
        }
        this.field += text.slice(i, j);
        this.started = true;
        i = j;
        continue;
      }
      i++;
    }
    return this.take();
  }

  /** The end of the file: the last record, when it had no line break after it. */
  end(): CsvRecord[] {
    if (this.backslash) this.field += "\\";
    this.backslash = false;
    this.quoted = false;
    this.quoteSeen = false;
    this.endRecord();
    return this.take();
  }

  private endLine(): void {
    this.line++;
    this.recordLine = this.line;
  }

  private endRecord(): void {
    if (this.field.endsWith("\r")) this.field = this.field.slice(0, -1);
    if (this.started || this.field !== "" || this.fields.length > 0) {
      this.fields.push(this.field);
      this.out.push({ line: this.recordLine, fields: this.fields });
    }
    this.fields = [];
    this.field = "";
    this.started = false;
  }

  private take(): CsvRecord[] {
    const out = this.out;
    this.out = [];
    return out;
  }
}
