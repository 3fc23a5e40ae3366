// The storefront app. `vite build web` writes web/dist, which the Worker serves as static assets
// ([assets] in wrangler.toml). `vite web` is the dev server with hot reload: it proxies the API
// to the Worker of `npm run dev`, so the app and the API share one origin as in production.
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const api = "http://127.0.0.1:8787";

export default defineConfig({
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false },
  server: {
    host: "127.0.0.1",
    port: 5173,
    strictPort: true,
    proxy: { "/trpc": api, "/healthz": api, "/readyz": api, "/dev": api },
  },
});
