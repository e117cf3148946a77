// A new build deployed while a page is open: the page offers 更新, and updating switches to it.
const { test, expect } = require("../support/test");
const { startServer } = require("../support/server");
const { AppPage } = require("../support/app");

let server;
test.beforeEach(async () => {
  server = await startServer();
});
test.afterEach(async () => {
  await server.stop();
});

const shellCaches = (page) =>
  page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith("qingtuan-shell-")));

test("after a new build is deployed, an open page offers the update", async ({ page }) => {
  const app = new AppPage(page, server.url);
  await app.goto("/");
  await app.expectListShown();
  await app.waitForOfflineReady();
  const before = await shellCaches(page);
  expect(before).toHaveLength(1);
  await expect(app.updateBanner).toBeHidden();

  server.deployNewBuild();
  // What the page does every 15 minutes, when it becomes visible, and when it comes online.
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());

  await expect(app.updateBanner).toBeVisible();
  await expect(app.updateBanner).toContainText("新版本已就绪");
  await app.updateBanner.getByRole("button", { name: "更新" }).click();

  // The page reloads under the new version; the old cache is gone.
  await expect(app.updateBanner).toBeHidden();
  await app.expectListShown();
  await expect.poll(() => shellCaches(page)).toHaveLength(1);
  const after = await shellCaches(page);
  expect(after[0]).not.toEqual(before[0]);
  const precached = await page.evaluate(async (name) => {
    const cache = await caches.open(name);
    return (await cache.keys()).map((r) => new URL(r.url).pathname);
  }, after[0]);
  expect(precached).toContain("/release-note.txt");
});

test("API responses are never served from the service worker's cache", async ({ page, context }) => {
  const app = new AppPage(page, server.url);
  await app.goto("/");
  await app.expectListShown();
  await app.waitForOfflineReady();
  await context.setOffline(true);
  const status = await page.evaluate(async () => {
    try {
      const r = await fetch("/api/v1/catalogue");
      return r.status;
    } catch {
      return "network-error";
    }
  });
  expect(status).toBe("network-error");
});
