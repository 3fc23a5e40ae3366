// The storefront app. `vite build web` writes web/dist, which the Worker serves as static assets
// ([assets] in wrangler.toml). `vite web` is the dev server with hot reload: it proxies the API
// to the Worker of `npm run dev`, so the app and the API share one origin as in production.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const api = "http://127.0.0.1:8787";

export default defineConfig({
  plugins: [
    react(),
    {
      // The REST API's OpenAPI document (`npm run openapi`), served as /api/v1/openapi.json.
      name: "openapi-document",
      generateBundle() {
        const source = readFileSync(fileURLToPath(new URL("../openapi/openapi.json", import.meta.url)));
        this.emitFile({ type: "asset", fileName: "api/v1/openapi.json", source });
      },
    },
  ],
  // The client's source, not its built dist/ (client/package.json), as the typecheck sees it.
  resolve: { alias: { "@storefront/client": fileURLToPath(new URL("../client/src/index.ts", import.meta.url)) } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    // Two pages: the app, and the REST API's reference (/api/v1/docs, a static asset: see
    // run_worker_first in wrangler.toml).
    rollupOptions: {
      input: {
        app: fileURLToPath(new URL("./index.html", import.meta.url)),
        docs: fileURLToPath(new URL("./api/v1/docs.html", import.meta.url)),
      },
    },
  },
  server: {
    host: "127.0.0.1",
    port: 5173,
    strictPort: true,
    proxy: { "/trpc": api, "/healthz": api, "/readyz": api, "/dev": api },
  },
});
