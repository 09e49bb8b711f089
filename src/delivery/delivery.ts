/**
 * Code and invitation delivery. Lanyard composes the message (from the pool's templates); a
 * Delivery carries it. Implementations: console (default), SMTP, and an opt-in inbox readable over
 * HTTP for external test suites.
 */
export interface OutgoingMessage {
  poolId: string;
  /** The user the message is for (username as Cognito shows it). */
  username: string;
  channel: "EMAIL" | "SMS";
  /** Email address or phone number. */
  destination: string;
  /** Email subject; absent for SMS. */
  subject?: string;
  body: string;
  /** Sender address for email, when the pool names one (EmailConfiguration.From); else the delivery's own. */
  from?: string;
  /** Reply-To address for email (the pool's EmailConfiguration.ReplyToEmailAddress). */
  replyTo?: string;
  /**
   * Why it is sent: "signup", "resend_code", "forgot_password", "verify_attribute",
   * "update_attribute", "invitation", "resend_invitation".
   */
  purpose: string;
  /** The code (or temporary password) inside the body, for the test inbox. Never logged. */
  code: string;
  /** Epoch ms. */
  sentAt: number;
}

export interface Delivery {
  send(message: OutgoingMessage): Promise<void>;
  close?(): Promise<void>;
}
