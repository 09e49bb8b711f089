/** `GET /<poolId>/ui-customization/<clientId>/<version>/logo.(png|jpg)`: the hosted UI logo (ImageUrl). */
import type { HttpPlugin } from "./plugin.ts";

const POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;

export const uiAssets: HttpPlugin = async (app, { services }) => {
  app.get<{ Params: { poolId: string; clientId: string; version: string; file: string } }>(
    "/:poolId/ui-customization/:clientId/:version/:file",
    async (req, reply) => {
      const { poolId, clientId, version, file } = req.params;
      const c = POOL_ID.test(poolId)
        ? await services.storage.hosting.getUICustomization(poolId, clientId)
        : undefined;
      const name = c?.imageType === "png" ? "logo.png" : "logo.jpg";
      if (!c || c.image === undefined || c.version !== version || file !== name)
        return reply.code(404).send({ message: "Not found." });
      return reply
        .header("content-type", c.imageType === "png" ? "image/png" : "image/jpeg")
        .header("cache-control", "public, max-age=31536000, immutable")
        .send(Buffer.from(c.image, "base64"));
    },
  );
};
