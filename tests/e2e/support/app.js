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

module.exports = { AppPage };
