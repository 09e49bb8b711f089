/**
 * The frame and the small building blocks of the console's pages: plain server-rendered HTML
 * written only through the escaping template (oauth/pages/html.ts), labelled fields, tables with
 * header cells, a visible focus ring, and no scripts.
 */
import { type Html, html, raw } from "../oauth/pages/html.ts";

export { type Html, html, raw };

export interface Frame {
  /** The CSRF token every form of the page carries. */
  csrf: string;
  /** Whether a person signed in (protected mode): the page offers to sign out. */
  signedIn: boolean;
}

export interface Page {
  title: string;
  /** Where the page sits: [label, href] pairs above the heading. */
  trail?: Array<[string, string]>;
  body: Html;
  notice?: string | undefined;
  error?: string | undefined;
  status?: number;
}

const STYLE = raw(`
body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#111;background:#f6f7f9}
header{background:#1f2937;color:#fff;padding:.5rem 1rem;display:flex;gap:1.5rem;align-items:center;flex-wrap:wrap}
header a{color:#fff}
header form{margin:0 0 0 auto}
main{max-width:72rem;margin:0 auto;padding:1rem}
a{color:#1d4ed8}
:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
table{border-collapse:collapse;width:100%;background:#fff;margin:.5rem 0 1rem}
th,td{border:1px solid #d1d5db;padding:.3rem .5rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:#eef0f3}
form.inline{display:inline}
fieldset{border:1px solid #d1d5db;background:#fff;margin:0 0 1rem;padding:.5rem 1rem}
label{display:block;margin:.25rem 0 0}
label.check{display:inline-block;margin-right:1rem}
input[type=text],input[type=password],input[type=email],select,textarea{font:inherit;padding:.25rem;min-width:18rem;max-width:100%}
textarea{width:100%;min-height:6rem;font-family:ui-monospace,monospace}
button{font:inherit;padding:.25rem .75rem;margin:.5rem .25rem .25rem 0;cursor:pointer}
.notice{background:#dcfce7;border:1px solid #16a34a;padding:.5rem 1rem}
.error{background:#fee2e2;border:1px solid #dc2626;padding:.5rem 1rem}
pre{background:#fff;border:1px solid #d1d5db;padding:.5rem;overflow:auto}
nav.trail ol{list-style:none;padding:0;margin:0;display:flex;gap:.5rem}
nav.trail li+li::before{content:"/";margin-right:.5rem}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.skip{position:absolute;left:-100vw}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem;z-index:1}
.ok{color:#15803d;font-weight:600}.bad{color:#b91c1c;font-weight:600}
`);

export function layout(frame: Frame, page: Page): string {
  const trail = page.trail?.length
    ? html`<nav class="trail" aria-label="Breadcrumb">
        <ol>
          ${page.trail.map(([label, href]) => html`<li><a href="${href}">${label}</a></li>`)}
        </ol>
      </nav>`
    : "";
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${page.title} – Lanyard console</title>
        <style>
          ${STYLE}
        </style>
      </head>
      <body>
        <a class="skip" href="#main">Skip to the content</a>
        <header>
          <strong>Lanyard console</strong>
          <nav aria-label="Console">
            <a href="/console/pools">User pools</a> · <a href="/console/token">Token decoder</a>
          </nav>
          ${
            frame.signedIn
              ? html`<form method="post" action="/console/logout">
                  ${csrfField(frame.csrf)}<button type="submit">Sign out</button>
                </form>`
              : ""
          }
        </header>
        <main id="main">
          ${trail}
          <h1>${page.title}</h1>
          ${page.notice ? html`<p class="notice" role="status">${page.notice}</p>` : ""}
          ${page.error ? html`<p class="error" role="alert">${page.error}</p>` : ""} ${page.body}
        </main>
      </body>
    </html>`.text;
}

export function csrfField(csrf: string): Html {
  return html`<input type="hidden" name="_csrf" value="${csrf}" />`;
}

/** A POST form with its CSRF token. */
export function form(frame: Frame, action: string, content: Html, inline = false): Html {
  return html`<form method="post" action="${action}" ${inline ? raw('class="inline"') : ""}>
    ${csrfField(frame.csrf)}${content}
  </form>`;
}

/** A one-button POST form that names the row's item in a hidden field (a table's Delete button). */
export function deleteButton(frame: Frame, action: string, name: string, value: string, label: string): Html {
  return form(
    frame,
    action,
    html`<input type="hidden" name="${name}" value="${value}" /><button type="submit" aria-label="${label}">
        Delete
      </button>`,
    true,
  );
}

/** A labelled input; `id` ties the label to it. */
export function field(
  id: string,
  label: string,
  options: { name?: string; type?: string; value?: string; required?: boolean; autocomplete?: string } = {},
): Html {
  return html`<label for="${id}">${label}</label>
    <input
      id="${id}"
      name="${options.name ?? id}"
      type="${options.type ?? "text"}"
      value="${options.value ?? ""}"
      ${options.required ? raw("required") : ""}
      autocomplete="${options.autocomplete ?? "off"}"
    />`;
}

export function checkbox(id: string, label: string, checked = false, name = id): Html {
  return html`<label class="check" for="${id}"
    ><input id="${id}" name="${name}" type="checkbox" value="on" ${checked ? raw("checked") : ""} />
    ${label}</label
  >`;
}

export function select(id: string, label: string, options: string[], selected: string): Html {
  return html`<label for="${id}">${label}</label>
    <select id="${id}" name="${id}">
      ${options.map((o) => html`<option value="${o}" ${o === selected ? raw("selected") : ""}>${o}</option>`)}
    </select>`;
}

/** A table with a caption and column headers (th scope=col); `rows` are already cells. */
export function table(caption: string, headers: string[], rows: Html[][], empty = "None."): Html {
  if (rows.length === 0) return html`<p>${empty}</p>`;
  return html`<table>
    <caption class="visually-hidden">
      ${caption}
    </caption>
    <thead>
      <tr>
        ${headers.map((h) => html`<th scope="col">${h}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (cells) =>
          html`<tr>
            ${cells.map((c) => html`<td>${c}</td>`)}
          </tr>`,
      )}
    </tbody>
  </table>`;
}

/** A two-column table of name/value pairs, names as row headers (th scope=row). */
export function facts(caption: string, rows: Array<[string, Html | string]>): Html {
  return html`<table>
    <caption class="visually-hidden">
      ${caption}
    </caption>
    <tbody>
      ${rows.map(
        ([k, v]) =>
          html`<tr>
            <th scope="row">${k}</th>
            <td>${v}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

export function date(value: Date | number | undefined): string {
  if (value === undefined) return "";
  const d = typeof value === "number" ? new Date(value * 1000) : value;
  return Number.isNaN(d.getTime()) ? "" : d.toISOString().replace(".000Z", "Z");
}

export function enc(value: string): string {
  return encodeURIComponent(value);
}
