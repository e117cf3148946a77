// The offline reload: after one online visit (the service worker installed and in control, the
// programme list saved in IndexedDB), the network goes off and the page is reloaded N times.
// Each reload is timed from the `page.reload()` call to the first offering card visible, as
// Playwright sees it (the number reported), and, for reference, as the page itself sees it
// (navigation start to the first card in the DOM).
//
//   node offline_reload.js http://127.0.0.1:PORT 10
//
// Prints one line `BENCH_RELOAD {"reload_ms": [...], "in_page_ms": [...], "cards": n}`.
// Same browser settings as the end-to-end suite (tests/e2e/playwright.config.js): Debian's
// Chromium, a 360 px phone screen.
const { chromium } = require("@playwright/test");
const { performance } = require("node:perf_hooks");

async function main() {
  const [url, reloadsArg] = process.argv.slice(2);
  const reloads = Number(reloadsArg || 10);
  if (!url || !(reloads > 0)) throw new Error("usage: node offline_reload.js URL RELOADS");

  const browser = await chromium.launch({
    executablePath: process.env.QT_CHROMIUM || "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  try {
    const context = await browser.newContext({
      viewport: { width: 360, height: 780 },
      hasTouch: true,
      isMobile: true,
      locale: "zh-CN",
      timezoneId: "Asia/Shanghai",
    });
    // In every document: note when the first card enters the DOM (ms since navigation start).
    await context.addInitScript(() => {
      const seen = () => {
        if (window.__benchFirstCard === undefined && document.querySelector('[data-testid="offering-card"]')) {
          window.__benchFirstCard = performance.now();
        }
      };
      new MutationObserver(seen).observe(document, { childList: true, subtree: true });
    });
    const page = await context.newPage();
    const cards = page.getByTestId("offering-card");

    await page.goto(url + "/");
    await cards.first().waitFor({ state: "visible" });
    // The next load can be offline only once the service worker controls the page.
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    if (!(await page.evaluate(() => !!navigator.serviceWorker.controller))) {
      await page.reload();
      await page.waitForFunction(() => !!navigator.serviceWorker.controller);
    }
    await cards.first().waitFor({ state: "visible" });
    const online = await cards.count();

    await context.setOffline(true);
    const reloadMs = [];
    const inPageMs = [];
    for (let i = 0; i < reloads; i++) {
      const start = performance.now();
      // "commit": return as soon as the new document is on its way, then wait for the list.
      await page.reload({ waitUntil: "commit" });
      await cards.first().waitFor({ state: "visible" });
      reloadMs.push(performance.now() - start);
      inPageMs.push(await page.evaluate(() => window.__benchFirstCard ?? null));
      // It really is the offline app showing the saved list.
      if (await page.evaluate(() => navigator.onLine)) throw new Error("the page is online");
      await page.waitForFunction(
        (n) => document.querySelectorAll('[data-testid="offering-card"]').length === n,
        online,
        { timeout: 10_000 },
      );
    }
    console.log(`BENCH_RELOAD ${JSON.stringify({ reload_ms: reloadMs, in_page_ms: inPageMs, cards: online })}`);
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
