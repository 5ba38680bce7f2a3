import { existsSync } from "node:fs";

/** Debian's Chromium, installed by .ci/run with apt-get; browser tests skip where it is absent. */
export const CHROMIUM = "/usr/bin/chromium";
export const hasChromium = existsSync(CHROMIUM);

/**
 * As ../shared/FACTS.md says: without these flags headless Chromium spends its time on refused
 * connections (this machine's network is closed) and looks up Google's hosts at every start.
 */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
