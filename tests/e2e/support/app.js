// Page object for the app's shell and programme lists.
const { expect } = require("@playwright/test");

class AppPage {
  constructor(page, baseUrl) {
    this.page = page;
    this.baseUrl = baseUrl;
    this.cards = page.getByTestId("offering-card");
    this.langSwitch = page.locator("header").getByTestId("lang-switch");
    this.tabBar = page.getByRole("navigation", { name: "main" });
    this.offlineBanner = page.getByTestId("offline-banner");
    this.updateBanner = page.getByTestId("update-banner");
  }

  async goto(path = "/") {
    await this.page.goto(this.baseUrl + path);
  }

  async expectListShown() {
    await expect(this.cards.first()).toBeVisible();
  }

  /** Waits until the service worker controls the page, so the next load can be offline. */
  async waitForOfflineReady() {
    await this.page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    if (!(await this.page.evaluate(() => !!navigator.serviceWorker.controller))) {
      await this.page.reload();
      await this.page.waitForFunction(() => !!navigator.serviceWorker.controller);
    }
  }
}

/**
 * From the page's next load on, records its layout shifts as the browser reports them:
 * `{ value, nodes }` each. Read them with `layoutShifts(page)`. All of them: Chromium marks
 * some as following "recent input" in Playwright's mobile emulation though nothing was
 * touched, so a test that wants none must not touch the page meanwhile.
 */
async function observeLayoutShifts(page) {
  await page.addInitScript(() => {
    window.__shifts = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        window.__shifts.push({
          value: e.value,
          nodes: e.sources.map((s) => s.node && (s.node.className || s.node.nodeName)),
        });
      }
    }).observe({ type: "layout-shift", buffered: true });
  });
}

/** The layout shifts recorded so far, two frames from now (so the last change is laid out). */
async function layoutShifts(page) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return page.evaluate(() => window.__shifts);
}

module.exports = { AppPage, observeLayoutShifts, layoutShifts };
