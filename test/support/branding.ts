/**
 * An OAuth app whose pages are branded: a prefix domain, a classic UI customization (CSS and a
 * logo) and a managed login branding style (colours, form logo, favicon, page background), all set
 * through the AWS SDK. What was set is returned, to look for on the pages.
 */
import { randomBytes } from "node:crypto";
import {
  CreateManagedLoginBrandingCommand,
  type CreateUserPoolClientCommandInput,
  CreateUserPoolDomainCommand,
  SetUICustomizationCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { solidIco, solidPng } from "./images.ts";
import { type OAuthApp, oauthApp } from "./oauth.ts";
import type { TestServer } from "./server.ts";

export const CLASSIC_CSS =
  ".label-customizable { color: #5b21b6; }\n.submitButton-customizable { border-radius: 2px; }";

export interface BrandedApp extends OAuthApp {
  prefix: string;
  classicLogo: Buffer;
  formLogo: Buffer;
  favicon: Buffer;
  background: Buffer;
}

export async function brandedApp(
  server: TestServer,
  app: Partial<CreateUserPoolClientCommandInput> = {},
): Promise<BrandedApp> {
  const created = await oauthApp(server, app);
  const sdk = server.client();
  const prefix = `brand-${randomBytes(4).toString("hex")}`;
  await sdk.send(new CreateUserPoolDomainCommand({ UserPoolId: created.poolId, Domain: prefix }));
  const classicLogo = solidPng(120, 40, [200, 30, 30]);
  const formLogo = solidPng(160, 48, [13, 148, 136]);
  const favicon = solidIco([234, 88, 12]);
  const background = solidPng(8, 8, [240, 232, 216]);
  await sdk.send(
    new SetUICustomizationCommand({
      UserPoolId: created.poolId,
      ClientId: created.clientId,
      CSS: CLASSIC_CSS,
      ImageFile: classicLogo,
    }),
  );
  await sdk.send(
    new CreateManagedLoginBrandingCommand({
      UserPoolId: created.poolId,
      ClientId: created.clientId,
      Settings: {
        components: {
          primaryButton: {
            lightMode: { defaults: { backgroundColor: "0d9488ff", textColor: "fffbebff" } },
            darkMode: { defaults: { backgroundColor: "111111ff", textColor: "222222ff" } },
          },
          pageBackground: { image: { enabled: true }, lightMode: { color: "fef3c7ff" } },
        },
        categories: { global: { colorSchemeMode: "LIGHT" } },
      },
      Assets: [
        { Category: "FORM_LOGO", ColorMode: "LIGHT", Extension: "PNG", Bytes: formLogo },
        { Category: "FAVICON_ICO", ColorMode: "DYNAMIC", Extension: "ICO", Bytes: favicon },
        { Category: "PAGE_BACKGROUND", ColorMode: "LIGHT", Extension: "PNG", Bytes: background },
      ],
    }),
  );
  return { ...created, prefix, classicLogo, formLogo, favicon, background };
}
