/**
 * The managed login pages. Each takes what it shows and the query of the authorization request it
 * belongs to (its forms post back with it). Seams for later: `alternatives` (federation, passkey
 * buttons) and `footer` (terms) on the sign-in page, and the challenge pages as separate views.
 */
import { type Html, html } from "./html.ts";
import { type PageBranding, page } from "./layout.ts";

export interface Common {
  /** The authorization request's query string, without the leading `?`. */
  query: string;
  csrf: string;
  lang?: string;
  branding?: PageBranding;
}

function alert(kind: "error" | "info", message: string | undefined): Html | "" {
  return message
    ? html`<div class="alert ${kind}" role="${kind === "error" ? "alert" : "status"}">${message}</div>`
    : "";
}

const csrfField = (c: Common): Html => html`<input type="hidden" name="_csrf" value="${c.csrf}" />`;

export interface LoginView extends Common {
  username?: string;
  error?: string;
  info?: string;
  /** Links to sign-up and password reset, when those pages exist. */
  links?: { signUp?: boolean; forgotPassword?: boolean };
  /** The username and password form (the client supports COGNITO); shown unless false. */
  passwordForm?: boolean;
  /** Other ways to sign in (identity providers, passkeys), rendered below the form. */
  alternatives?: Html[];
  /** Text below everything (terms of use, privacy). */
  footer?: Html[];
}

export function loginPage(v: LoginView): string {
  const q = v.query;
  return page({
    title: "Sign in",
    ...(v.lang === undefined ? {} : { lang: v.lang }),
    ...(v.branding === undefined ? {} : { branding: v.branding }),
    body: html`${alert("error", v.error)}${alert("info", v.info)}
    ${v.passwordForm === false ? "" : passwordForm(v)} ${v.alternatives ?? []}
    ${
      v.passwordForm === false
        ? ""
        : html`<nav>
            ${v.links?.forgotPassword ? html`<a href="/forgotPassword?${q}">Forgot your password?</a>` : ""}
            ${v.links?.signUp ? html`<a href="/signup?${q}">Need an account? Sign up</a>` : ""}
          </nav>`
    }
    ${v.footer ?? []}`,
  });
}

function passwordForm(v: LoginView): Html {
  const q = v.query;
  return html`<form method="post" action="/login?${q}" novalidate>
    ${csrfField(v)}
    <label for="username">Username</label>
    <input
      id="username"
      name="username"
      type="text"
      autocomplete="username"
      autocapitalize="none"
      spellcheck="false"
      required
      value="${v.username ?? ""}"
      ${v.username ? "" : "autofocus"}
    />
    <label for="password">Password</label>
    <input
      id="password"
      name="password"
      type="password"
      autocomplete="current-password"
      required
      ${v.username ? "autofocus" : ""}
    />
    <button type="submit">Sign in</button>
  </form>`;
}

export interface NewPasswordView extends Common {
  session: string;
  username: string;
  /** Required attributes the user has not given yet. */
  required: string[];
  error?: string;
}

export function newPasswordPage(v: NewPasswordView): string {
  return page({
    title: "Change your password",
    ...(v.lang === undefined ? {} : { lang: v.lang }),
    ...(v.branding === undefined ? {} : { branding: v.branding }),
    body: html`${alert("error", v.error)}
      <p>Please choose a new password to finish signing in as <strong>${v.username}</strong>.</p>
      <form method="post" action="/login/new-password?${v.query}" novalidate>
        ${csrfField(v)}
        <input type="hidden" name="session" value="${v.session}" />
        <input type="hidden" name="username" value="${v.username}" />
        <label for="new_password">New password</label>
        <input
          id="new_password"
          name="new_password"
          type="password"
          autocomplete="new-password"
          required
          autofocus
        />
        <label for="confirm_password">Confirm the new password</label>
        <input
          id="confirm_password"
          name="confirm_password"
          type="password"
          autocomplete="new-password"
          required
        />
        ${v.required.map(
          (name) =>
            html`<label for="attr-${name}">${name}</label>
              <input id="attr-${name}" name="attr:${name}" type="text" required />`,
        )}
        <button type="submit">Change password and sign in</button>
      </form>`,
  });
}

export interface ErrorView {
  error: string;
  description?: string;
  lang?: string;
  branding?: PageBranding;
}

export function errorPage(v: ErrorView): string {
  return page({
    title: "Something went wrong",
    ...(v.lang === undefined ? {} : { lang: v.lang }),
    ...(v.branding === undefined ? {} : { branding: v.branding }),
    body: html`<div class="alert error" role="alert">An error was encountered with the requested page.</div>
      <p><strong>${v.error}</strong></p>
      ${v.description ? html`<p>${v.description}</p>` : ""}`,
  });
}

export function signedOutPage(v: { lang?: string; branding?: PageBranding }): string {
  return page({
    title: "Signed out",
    ...(v.lang === undefined ? {} : { lang: v.lang }),
    ...(v.branding === undefined ? {} : { branding: v.branding }),
    body: html`<div class="alert info" role="status">You have been signed out.</div>`,
  });
}
