/**
 * Choice-based sign-in (a pool whose AllowedFirstAuthFactors name more than PASSWORD): the username
 * first, then the ways the user can sign in (password, passkey, a code by email or text message),
 * the passkey step, and `/passkeys/add`. The passkey steps need JavaScript (the browser's WebAuthn
 * API, driven by /login/webauthn.js); they say so when it is off.
 */
import { type Html, html } from "./html.ts";
import { page } from "./layout.ts";
import type { Common } from "./views.ts";

function frame(c: { lang?: string; branding?: Common["branding"] }, title: string, body: Html): string {
  return page({
    title,
    ...(c.lang === undefined ? {} : { lang: c.lang }),
    ...(c.branding === undefined ? {} : { branding: c.branding }),
    body,
  });
}

const errorAlert = (error: string | undefined): Html | "" =>
  error ? html`<div class="alert error" role="alert">${error}</div>` : "";

const csrfField = (csrf: string): Html => html`<input type="hidden" name="_csrf" value="${csrf}" />`;

const script = html`<script src="/login/webauthn.js" defer></script>`;

const noScript = (what: string): Html =>
  html`<noscript
    ><div class="alert error" role="alert">
      ${what} needs JavaScript. Turn JavaScript on in your
      browser${what === "Signing in with a passkey" ? ", or go back and choose another way to sign in" : ""}.
    </div></noscript
  >`;

export interface UsernameView extends Common {
  username?: string;
  error?: string;
  links?: { signUp?: boolean; forgotPassword?: boolean };
}

/** The first step of choice-based sign-in: who is signing in. */
export function usernamePage(v: UsernameView): string {
  return frame(
    v,
    "Sign in",
    html`${errorAlert(v.error)}
      <form method="post" action="/login/start?${v.query}" novalidate>
        ${csrfField(v.csrf)}
        <label for="username">Username</label>
        <input
          id="username"
          name="username"
          type="text"
          autocomplete="username webauthn"
          autocapitalize="none"
          spellcheck="false"
          required
          autofocus
          value="${v.username ?? ""}"
        />
        <button type="submit">Next</button>
      </form>
      <nav>
        ${v.links?.forgotPassword ? html`<a href="/forgotPassword?${v.query}">Forgot your password?</a>` : ""}
        ${v.links?.signUp ? html`<a href="/signup?${v.query}">Need an account? Sign up</a>` : ""}
      </nav>`,
  );
}

export interface ChooseView extends Common {
  session: string;
  username: string;
  /** SELECT_CHALLENGE's AvailableChallenges. */
  available: string[];
  error?: string;
}

/** The user's ways to sign in, as SELECT_CHALLENGE offers them. */
export function choosePage(v: ChooseView): string {
  const carried = html`${csrfField(v.csrf)}
    <input type="hidden" name="session" value="${v.session}" />
    <input type="hidden" name="username" value="${v.username}" />`;
  const action = `/login/choose?${v.query}`;
  const password = v.available.includes("PASSWORD") || v.available.includes("PASSWORD_SRP");
  const others: Html[] = [];
  if (v.available.includes("WEB_AUTHN"))
    others.push(html`<button type="submit" name="answer" value="WEB_AUTHN">Sign in with passkey</button>`);
  if (v.available.includes("EMAIL_OTP"))
    others.push(
      html`<button type="submit" name="answer" value="EMAIL_OTP" class="secondary">Email me a code</button>`,
    );
  if (v.available.includes("SMS_OTP"))
    others.push(
      html`<button type="submit" name="answer" value="SMS_OTP" class="secondary">Text me a code</button>`,
    );
  return frame(
    v,
    "Choose a sign-in method",
    html`${errorAlert(v.error)}
      <p>Signing in as <strong>${v.username}</strong>.</p>
      ${others.length > 0 ? html`<form method="post" action="${action}" novalidate>${carried}${others}</form>` : ""}
      ${
        password
          ? html`<form method="post" action="${action}" novalidate>
              ${carried}
              <input type="hidden" name="answer" value="PASSWORD" />
              <label for="password">Password</label>
              <input id="password" name="password" type="password" autocomplete="current-password" required />
              <button type="submit" class="secondary">Sign in with password</button>
            </form>`
          : ""
      }
      <nav><a href="/login?${v.query}">Sign in as someone else</a></nav>`,
  );
}

export interface PasskeyView extends Common {
  session: string;
  username: string;
  /** CREDENTIAL_REQUEST_OPTIONS, the JSON for navigator.credentials.get. */
  options: string;
  error?: string;
}

/** WEB_AUTHN: the browser asks the user's authenticator; the script posts its answer. */
export function passkeyPage(v: PasskeyView): string {
  return frame(
    v,
    "Sign in with passkey",
    html`${errorAlert(v.error)}${noScript("Signing in with a passkey")}
      <div class="alert error" role="alert" id="webauthn-error" hidden></div>
      <p>Use your passkey to sign in as <strong>${v.username}</strong>.</p>
      <form method="post" action="/login/passkey?${v.query}" data-webauthn="get" novalidate>
        ${csrfField(v.csrf)}
        <input type="hidden" name="session" value="${v.session}" />
        <input type="hidden" name="username" value="${v.username}" />
        <input type="hidden" name="options" value="${v.options}" />
        <input type="hidden" name="credential" value="" />
        <button type="submit">Sign in with passkey</button>
      </form>
      <nav><a href="/login?${v.query}">Back to sign in</a></nav>
      ${script}`,
  );
}

export interface AddPasskeyView {
  /** The query of the page (client_id, redirect_uri). */
  query: string;
  csrf: string;
  username: string;
  /** StartWebAuthnRegistration's CredentialCreationOptions, as JSON. */
  options: string;
  error?: string;
  lang?: string;
  branding?: Common["branding"];
}

/** `/passkeys/add`: a passkey registered for the signed-in user. */
export function addPasskeyPage(v: AddPasskeyView): string {
  return frame(
    v,
    "Add a passkey",
    html`${errorAlert(v.error)}${noScript("Adding a passkey")}
      <div class="alert error" role="alert" id="webauthn-error" hidden></div>
      <p>
        Add a passkey to sign in as <strong>${v.username}</strong> with your fingerprint, face or screen lock
        instead of a password.
      </p>
      <form method="post" action="/passkeys/add?${v.query}" data-webauthn="create" novalidate>
        ${csrfField(v.csrf)}
        <input type="hidden" name="options" value="${v.options}" />
        <input type="hidden" name="credential" value="" />
        <button type="submit">Add a passkey</button>
      </form>
      ${script}`,
  );
}

/** `/passkeys/add` without a signed-in user: sign in first. */
export function signInFirstPage(v: { signIn: string; lang?: string; branding?: Common["branding"] }): string {
  return frame(
    v,
    "Add a passkey",
    html`<div class="alert info" role="status">Sign in first, then add your passkey.</div>
      <nav><a href="${v.signIn}">Sign in</a></nav>`,
  );
}

/**
 * The script of the passkey pages: on submit, the form's options go to the browser's WebAuthn API
 * and the credential's JSON (PublicKeyCredential.toJSON) is posted in the `credential` field.
 */
export const WEBAUTHN_SCRIPT = `"use strict";
document.querySelectorAll("form[data-webauthn]").forEach(function (form) {
  var mode = form.getAttribute("data-webauthn");
  var shown = document.getElementById("webauthn-error");
  function fail(message) {
    if (!shown) return;
    shown.textContent = message;
    shown.hidden = false;
  }
  form.addEventListener("submit", function (event) {
    if (form.elements.namedItem("credential").value !== "") return;
    event.preventDefault();
    if (!window.PublicKeyCredential || !PublicKeyCredential.parseRequestOptionsFromJSON) {
      fail("This browser does not support passkeys.");
      return;
    }
    var options = JSON.parse(form.elements.namedItem("options").value);
    var request =
      mode === "create"
        ? navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options) })
        : navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options) });
    request.then(
      function (credential) {
        if (!credential) return fail("No passkey was given.");
        form.elements.namedItem("credential").value = JSON.stringify(credential.toJSON());
        form.submit();
      },
      function (error) {
        fail(mode === "create" ? "The passkey was not added: " + error.message : "No passkey was used: " + error.message);
      },
    );
  });
});
`;
