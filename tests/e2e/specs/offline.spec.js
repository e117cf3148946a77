// The offline app shell: after one online visit the app and the list load with no network.
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

test("with the network off, a reload still renders the app and the saved list", async ({ page, context }) => {
  const app = new AppPage(page, server.url);
  await app.goto("/");
  await app.expectListShown();
  const online = await app.cards.count();
  await app.waitForOfflineReady();
  await app.expectListShown();

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("活动报名");
  await expect(app.cards).toHaveCount(online);
  await expect(app.offlineBanner).toBeVisible();

  // Other client routes work offline too, from the same cached shell and store.
  await app.goto("/courses");
  await expect(app.cards.filter({ hasText: "书法" }).first()).toBeVisible();
});

test("offline on a device that never saved the list explains what to do", async ({ page, context }) => {
  const app = new AppPage(page, server.url);
  await app.goto("/me");
  await app.waitForOfflineReady();
  // Forget the saved list, keep the cached app shell.
  await page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const req = indexedDB.deleteDatabase("qingtuan");
        req.onsuccess = resolve;
        req.onerror = reject;
        req.onblocked = resolve;
      }),
  );
  await context.setOffline(true);
  await app.goto("/");
  await expect(page.getByTestId("offline-empty")).toBeVisible();
});

test("coming back online refreshes the list without a reload", async ({ page, context }) => {
  const app = new AppPage(page, server.url);
  await app.goto("/");
  await app.expectListShown();
  await app.waitForOfflineReady();
  await context.setOffline(true);
  await page.reload();
  await expect(app.offlineBanner).toBeVisible();
  await context.setOffline(false);
  await page.evaluate(() => window.dispatchEvent(new Event("online")));
  await expect(app.offlineBanner).toBeHidden();
  await app.expectListShown();
});
