// Chromium for the browser tests: the system's own (never downloaded), headless, isolated.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { after, before } from 'node:test';
import { DEMO_PASSWORD, startServer, type ServerOptions, type VigilServer } from './server.js';

export const CHROMIUM = process.env.VIGIL_CHROMIUM ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const SKIP_REASON = `Chromium not found at ${CHROMIUM}: install Debian's chromium package (or set VIGIL_CHROMIUM)`;

/** Headless Chromium that never talks to Google services; each context starts with an empty profile. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-quic',
      '--disable-sync',
    ],
  });
}

export function newContext(browser: Browser, colorScheme: 'light' | 'dark' = 'light'): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme });
}

/** Signs in through the login form, the way a person would. */
export async function signIn(page: Page, baseUrl: string, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

/** The suite's server and browser: started before its tests, stopped after (nothing without Chromium). */
export interface SuiteEnv {
  readonly server: VigilServer;
  readonly browser: Browser;
}

/** Call inside a `describe`: registers the before/after hooks every browser suite needs. */
export function useServerAndBrowser(options: ServerOptions = {}): SuiteEnv {
  let server: VigilServer | undefined;
  let browser: Browser | undefined;
  before(async () => {
    if (!hasChromium) return;
    server = await startServer(options);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    get server() {
      if (!server) throw new Error('the server did not start');
      return server;
    },
    get browser() {
      if (!browser) throw new Error('Chromium did not start');
      return browser;
    },
  };
}
