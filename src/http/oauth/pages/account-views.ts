/**
 * The self-service pages: sign up (the pool's required attributes), confirm the account with the
 * code sent, ask for a password reset code, and set the new password with it.
 */
import { type Html, html } from "./html.ts";
import { page } from "./layout.ts";
import type { Common } from "./views.ts";

function alerts(error: string | undefined, info: string | undefined): Html {
  return html`${error ? html`<div class="alert error" role="alert">${error}</div>` : ""}${
    info ? html`<div class="alert info" role="status">${info}</div>` : ""
  }`;
}

function frame(c: Common, title: string, body: Html): string {
  return page({
    title,
    ...(c.lang === undefined ? {} : { lang: c.lang }),
    ...(c.branding === undefined ? {} : { branding: c.branding }),
    body,
  });
}

const csrf = (c: Common): Html => html`<input type="hidden" name="_csrf" value="${c.csrf}" />`;
const back = (c: Common): Html => html`<nav><a href="/login?${c.query}">Back to sign in</a></nav>`;

/** The label and input type of a schema attribute on the sign-up form. */
const ATTRIBUTE_INPUTS: Record<string, { label: string; type: string; autocomplete: string }> = {
  email: { label: "Email", type: "email", autocomplete: "email" },
  phone_number: { label: "Phone number (+15555550100)", type: "tel", autocomplete: "tel" },
  name: { label: "Name", type: "text", autocomplete: "name" },
  given_name: { label: "Given name", type: "text", autocomplete: "given-name" },
  family_name: { label: "Family name", type: "text", autocomplete: "family-name" },
  birthdate: { label: "Birthdate (YYYY-MM-DD)", type: "text", autocomplete: "bday" },
};

export interface SignUpView extends Common {
  /** What the username is: "Username", or "Email" / "Phone number" in pools that sign in with them. */
  usernameLabel: string;
  /** The pool's required attributes, besides the one the username is. */
  attributes: string[];
  values?: Record<string, string>;
  error?: string;
  /** The app client's terms documents, in the page's language (CreateTerms). */
  terms?: { termsOfUse: string; privacyPolicy: string };
}

/** The links to the app client's terms of use and privacy policy, under the sign-up button. */
function termsNotice(terms: SignUpView["terms"]): Html {
  if (!terms) return html``;
  return html`<p class="terms">
    By signing up, you agree to the
    <a id="terms-of-use" href="${terms.termsOfUse}" target="_blank" rel="noopener noreferrer">Terms of use</a>
    and the
    <a id="privacy-policy" href="${terms.privacyPolicy}" target="_blank" rel="noopener noreferrer"
      >Privacy policy</a
    >.
  </p>`;
}

export function signUpPage(v: SignUpView): string {
  const values = v.values ?? {};
  return frame(
    v,
    "Sign up",
    html`${alerts(v.error, undefined)}
      <form method="post" action="/signup?${v.query}" novalidate>
        ${csrf(v)}
        <label for="username">${v.usernameLabel}</label>
        <input
          id="username"
          name="username"
          type="text"
          autocomplete="username"
          autocapitalize="none"
          spellcheck="false"
          required
          autofocus
          value="${values.username ?? ""}"
        />
        ${v.attributes.map((name) => {
          const input = ATTRIBUTE_INPUTS[name] ?? { label: name, type: "text", autocomplete: "off" };
          return html`<label for="attr-${name}">${input.label}</label>
            <input
              id="attr-${name}"
              name="attr:${name}"
              type="${input.type}"
              autocomplete="${input.autocomplete}"
              required
              value="${values[`attr:${name}`] ?? ""}"
            />`;
        })}
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="new-password" required />
        ${termsNotice(v.terms)}
        <button type="submit">Sign up</button>
      </form>
      ${back(v)}`,
  );
}

export interface CodeView extends Common {
  username: string;
  /** Where the code went, as the API names it ("a***@e***"). */
  destination?: string;
  error?: string;
  info?: string;
}

export function confirmPage(v: CodeView): string {
  return frame(
    v,
    "Confirm your account",
    html`${alerts(v.error, v.info)}
      <p>${v.destination ? html`We sent a code to ${v.destination}.` : "Enter the code we sent you."}</p>
      <form method="post" action="/confirm?${v.query}" novalidate>
        ${csrf(v)}
        <input type="hidden" name="username" value="${v.username}" />
        <label for="code">Confirmation code</label>
        <input
          id="code"
          name="code"
          type="text"
          inputmode="numeric"
          autocomplete="one-time-code"
          required
          autofocus
        />
        <button type="submit">Confirm account</button>
      </form>
      <form method="post" action="/confirm/resend?${v.query}">
        ${csrf(v)}
        <input type="hidden" name="username" value="${v.username}" />
        <button type="submit" class="secondary">Send a new code</button>
      </form>
      ${back(v)}`,
  );
}

export interface ForgotView extends Common {
  username?: string;
  error?: string;
}

export function forgotPasswordPage(v: ForgotView): string {
  return frame(
    v,
    "Forgot your password?",
    html`${alerts(v.error, undefined)}
      <p>Enter your username and we will send you a code to reset your password.</p>
      <form method="post" action="/forgotPassword?${v.query}" novalidate>
        ${csrf(v)}
        <label for="username">Username</label>
        <input
          id="username"
          name="username"
          type="text"
          autocomplete="username"
          autocapitalize="none"
          spellcheck="false"
          required
          autofocus
          value="${v.username ?? ""}"
        />
        <button type="submit">Send code</button>
      </form>
      ${back(v)}`,
  );
}

export function confirmForgotPasswordPage(v: CodeView): string {
  return frame(
    v,
    "Reset your password",
    html`${alerts(v.error, v.info)}
      <p>
        ${v.destination ? html`We sent a code to ${v.destination}.` : "Enter the code we sent you and a new password."}
      </p>
      <form method="post" action="/confirmForgotPassword?${v.query}" novalidate>
        ${csrf(v)}
        <input type="hidden" name="username" value="${v.username}" />
        <label for="code">Code</label>
        <input
          id="code"
          name="code"
          type="text"
          inputmode="numeric"
          autocomplete="one-time-code"
          required
          autofocus
        />
        <label for="new_password">New password</label>
        <input id="new_password" name="new_password" type="password" autocomplete="new-password" required />
        <label for="confirm_password">Confirm the new password</label>
        <input
          id="confirm_password"
          name="confirm_password"
          type="password"
          autocomplete="new-password"
          required
        />
        <button type="submit">Reset password</button>
      </form>
      ${back(v)}`,
  );
}
