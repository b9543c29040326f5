/**
 * Debian's Chromium for the board's browser tests, driven by playwright-core (whose own
 * browser download does not work here). `.ci/run` installs chromium-headless-shell when it
 * is missing and sets BATON_BROWSER_REQUIRED, so CI fails rather than skip; elsewhere the
 * tests skip with a loud message when no browser can be had.
 */
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';

const CANDIDATES = [
  '/usr/lib/chromium/chromium-headless-shell',
  '/usr/lib/chromium/chromium',
  '/usr/bin/chromium',
];

/** The browser executable, or undefined when there is none. */
export function browserPath(): string | undefined {
  const fromEnv = process.env.BATON_CHROMIUM;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  return CANDIDATES.find((p) => existsSync(p));
}

/** Whether the browser tests run here; says loudly why not (and throws where they must). */
export function browserAvailable(): boolean {
  if (browserPath()) return true;
  const message =
    "NO BROWSER: the board browser tests are SKIPPED. Install Debian's chromium-headless-shell " +
    '(apt-get install -y --no-install-recommends chromium-headless-shell) or set BATON_CHROMIUM.';
  if (process.env.BATON_BROWSER_REQUIRED) throw new Error(message);
  console.warn(`\n${'!'.repeat(80)}\n${message}\n${'!'.repeat(80)}\n`);
  return false;
}

/** A headless Chromium with the flags this machine's closed network needs. */
export async function launchBrowser(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: browserPath()!,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
