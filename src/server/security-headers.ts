// Security headers on every answer (UI, API, API reference), by @fastify/helmet: no framing
// (clickjacking), no MIME sniffing, and a Content Security Policy that lets the built web UI
// run its own scripts and styles and nothing else (issue 9).
import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * The policy of every page. The UI is Vite's build: module scripts and stylesheets from our
 * own origin, no inline script or `<style>` (React `style` props set CSSOM properties, which
 * `style-src` does not govern); the favicon is a `data:` SVG. `upgrade-insecure-requests` is
 * left out: a site serving plain HTTP on its own network would get a blank page.
 */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  baseUri: ["'self'"],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  imgSrc: ["'self'", 'data:'],
  objectSrc: ["'none'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'"],
};

/** Registers the headers for the whole app; call before any route. */
export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(fastifyHelmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    frameguard: { action: 'deny' },
    // Sent by browsers only over HTTPS; not for subdomains, which may be other services.
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: false },
  });
}

/**
 * Swagger UI (at /api/docs) adds one `<style>` element of its own: allowed by its hash, so no
 * other inline style is. A Swagger UI upgrade that changes it shows up as a violation in
 * test/e2e/security-headers.test.ts, whose message names the new hash.
 */
const SWAGGER_UI_STYLE = "'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='";

/** `transformStaticCSP` for @fastify/swagger-ui: the page policy plus Swagger UI's own style. */
export const swaggerUiCsp = (header: string): string => header.replace("style-src 'self'", `style-src 'self' ${SWAGGER_UI_STYLE}`);
