import { createTransport } from "nodemailer";
import type { SmtpConfig } from "../config/config.ts";
import type { Delivery, OutgoingMessage } from "./delivery.ts";

const HTML = /<\/?[a-z][a-z0-9]*(\s[^>]*)?>/i;

/**
 * Mails each email message through an SMTP server. Lanyard has no SMS gateway: SMS text messages
 * go to the `sms` delivery (the console, as configured by services.ts).
 */
export class SmtpDelivery implements Delivery {
  private readonly transport: ReturnType<typeof createTransport>;
  private readonly from: string;
  private readonly sms: Delivery;

  constructor(config: SmtpConfig, sms: Delivery) {
    if (!config.host) throw new Error("SmtpDelivery needs a host");
    this.transport = createTransport({
      host: config.host,
      port: config.port ?? (config.secure ? 465 : 587),
      secure: config.secure,
      ...(config.user !== undefined ? { auth: { user: config.user, pass: config.pass ?? "" } } : {}),
      // A request waits for its message: fail in seconds, not the two-minute default.
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
    this.from = config.from;
    this.sms = sms;
  }

  async send(m: OutgoingMessage): Promise<void> {
    if (m.channel === "SMS") return this.sms.send(m);
    // Cognito's email templates may hold HTML; plain ones go as text.
    const isHtml = HTML.test(m.body);
    await this.transport.sendMail({
      from: m.from ?? this.from,
      ...(m.replyTo ? { replyTo: m.replyTo } : {}),
      to: m.destination,
      subject: m.subject ?? "",
      ...(isHtml ? { html: m.body } : { text: m.body }),
    });
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}
