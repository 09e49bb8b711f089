/**
 * The MFA steps of the managed login, after the password: a code (authenticator app, text message,
 * email), the choice of factor (SELECT_MFA_TYPE), and the setup of a first factor (MFA_SETUP: an
 * authenticator app from a QR code or its secret key, or an email address). Each form carries the
 * sign-in's session and posts back to /login/mfa...; the wording follows Cognito's managed login.
 */
import { type Html, html, raw } from "./html.ts";
import { page } from "./layout.ts";
import type { Common } from "./views.ts";

function frame(c: Common, title: string, body: Html): string {
  return page({
    title,
    ...(c.lang === undefined ? {} : { lang: c.lang }),
    ...(c.branding === undefined ? {} : { branding: c.branding }),
    body,
  });
}

const errorAlert = (error: string | undefined): Html | "" =>
  error ? html`<div class="alert error" role="alert">${error}</div>` : "";

/** What every MFA form carries: the CSRF token, the sign-in's session and the username. */
function carried(v: MfaCommon): Html {
  return html`<input type="hidden" name="_csrf" value="${v.csrf}" />
    <input type="hidden" name="session" value="${v.session}" />
    <input type="hidden" name="username" value="${v.username}" />`;
}

const back = (c: Common): Html => html`<nav><a href="/login?${c.query}">Back to sign in</a></nav>`;

export interface MfaCommon extends Common {
  session: string;
  username: string;
  error?: string;
}

export type CodeFactor = "SOFTWARE_TOKEN_MFA" | "SMS_MFA" | "EMAIL_OTP" | "SMS_OTP";

export interface MfaCodeView extends MfaCommon {
  factor: CodeFactor;
  /** Where the code went (masked), for SMS and email. */
  destination?: string;
}

function codeInput(): Html {
  return html`<label for="code">Code</label>
    <input
      id="code"
      name="answer"
      type="text"
      inputmode="numeric"
      autocomplete="one-time-code"
      pattern="[0-9]*"
      maxlength="8"
      required
      autofocus
    />`;
}

export function mfaCodePage(v: MfaCodeView): string {
  const intro =
    v.factor === "SOFTWARE_TOKEN_MFA"
      ? html`<p>Enter the code from your authenticator app.</p>`
      : v.factor === "SMS_MFA" || v.factor === "SMS_OTP"
        ? html`<p>We texted a code to <strong>${v.destination ?? "your phone"}</strong>. Enter it below.</p>`
        : html`<p>
            We emailed a code to <strong>${v.destination ?? "your email address"}</strong>. Enter it below.
          </p>`;
  return frame(
    v,
    v.factor === "SOFTWARE_TOKEN_MFA" ? "Multi-factor authentication" : "Enter your code",
    html`${errorAlert(v.error)}${intro}
      <form method="post" action="/login/mfa?${v.query}" novalidate>
        ${carried(v)}
        <input type="hidden" name="challenge" value="${v.factor}" />
        ${v.destination ? html`<input type="hidden" name="destination" value="${v.destination}" />` : ""}
        ${codeInput()}
        <button type="submit">Sign in</button>
      </form>
      ${back(v)}`,
  );
}

const FACTOR_LABELS: Record<string, string> = {
  SOFTWARE_TOKEN_MFA: "Authenticator app",
  SMS_MFA: "Text message (SMS)",
  EMAIL_OTP: "Email message",
};

export interface SelectMfaView extends MfaCommon {
  choices: string[];
}

export function selectMfaPage(v: SelectMfaView): string {
  return frame(
    v,
    "Choose an MFA method",
    html`${errorAlert(v.error)}
      <p>How do you want to receive your sign-in code?</p>
      <form method="post" action="/login/mfa?${v.query}" novalidate>
        ${carried(v)}
        <input type="hidden" name="challenge" value="SELECT_MFA_TYPE" />
        <input type="hidden" name="choices" value="${v.choices.join(",")}" />
        ${v.choices.map(
          (c, i) =>
            html`<button type="submit" name="answer" value="${c}" ${i === 0 ? "" : raw('class="secondary"')}>
              ${FACTOR_LABELS[c] ?? c}
            </button>`,
        )}
      </form>
      ${back(v)}`,
  );
}

export interface MfaSetupView extends MfaCommon {
  /** The factors this pool lets the user set up here (authenticator app, email). */
  totp: boolean;
  email: boolean;
}

/** MFA_SETUP with more than one way: an authenticator app, or an email address. */
export function mfaSetupPage(v: MfaSetupView): string {
  return frame(
    v,
    "Set up multi-factor authentication",
    html`${errorAlert(v.error)}
      <p>
        Your account needs a second way to prove it is you. Choose how you want to receive your sign-in codes.
      </p>
      ${
        v.totp
          ? html`<form method="post" action="/login/mfa/totp?${v.query}" novalidate>
              ${carried(v)}
              <button type="submit">Authenticator app</button>
            </form>`
          : ""
      }
      ${
        v.email
          ? html`<form method="post" action="/login/mfa?${v.query}" novalidate>
              ${carried(v)}
              <input type="hidden" name="challenge" value="MFA_SETUP" />
              ${v.totp ? html`<input type="hidden" name="totp" value="1" />` : ""}
              <label for="email">Email address</label>
              <input id="email" name="answer" type="email" autocomplete="email" required />
              <button type="submit" ${v.totp ? raw('class="secondary"') : ""}>Send a code by email</button>
            </form>`
          : ""
      }
      ${back(v)}`,
  );
}

export interface TotpSetupView extends MfaCommon {
  secret: string;
  /** The QR code of the otpauth:// URI, as SVG (made by the qrcode library, no user text in it). */
  qrSvg: string;
}

/** The authenticator app's setup: scan the QR code (or type the key), then enter a code from it. */
export function totpSetupPage(v: TotpSetupView): string {
  const grouped = v.secret.replace(/(.{4})/g, "$1 ").trim();
  return frame(
    v,
    "Set up an authenticator app",
    html`${errorAlert(v.error)}
      <p>Scan the QR code with an authenticator app on your phone, then enter the code it shows.</p>
      <figure class="qr" role="img" aria-label="QR code for your authenticator app">${raw(v.qrSvg)}</figure>
      <p class="hint">Can't scan it? Enter this secret key in your app instead:</p>
      <p><code id="secret-key" data-secret="${v.secret}">${grouped}</code></p>
      <form method="post" action="/login/mfa/totp/verify?${v.query}" novalidate>
        ${carried(v)}
        <input type="hidden" name="secret" value="${v.secret}" />
        ${codeInput()}
        <button type="submit">Verify and sign in</button>
      </form>
      ${back(v)}`,
  );
}
