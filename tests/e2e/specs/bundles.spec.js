// The client is two builds: everyone's, and the staff screens (venue mode, admin) under /staff/,
// which only organizers' and admins' devices download and keep for offline use.
const { test, expect } = require("../support/test");
const { startServer } = require("../support/server");
const { AppPage } = require("../support/app");
const { MePage, signIn } = require("../support/accounts");
const { ORGANIZER, YOUTH } = require("../support/activities");

let server;
test.beforeEach(async () => {
  server = await startServer();
});
test.afterEach(async () => {
  await server.stop();
});

/** Every URL the service worker's caches hold, as paths. */
async function cachedPaths(page) {
  return page.evaluate(async () => {
    const paths = [];
    for (const key of await caches.keys()) {
      for (const request of await (await caches.open(key)).keys()) paths.push(new URL(request.url).pathname);
    }
    return paths;
  });
}

/** Signs the organizer in and waits until the service worker has saved the staff build. */
async function organizerWithStaffBuild(page) {
  const app = new AppPage(page, server.url);
  await signIn(page, server.url, ORGANIZER);
  await app.waitForOfflineReady();
  // Signed in as an organizer, the app asks the service worker to save the staff build.
  await expect
    .poll(async () => (await cachedPaths(page)).includes("/staff/index.html"), { timeout: 15_000 })
    .toBe(true);
  // And the first sync (the organizer's assignments and rosters) has finished: a test may go
  // offline next.
  await expect(page.getByTestId("sync-status")).toContainText("已同步");
  return app;
}

test("a young person's phone never downloads the staff screens, and says so offline", async ({ page, context }) => {
  const fetched = [];
  context.on("request", (request) => fetched.push(new URL(request.url()).pathname));
  const app = new AppPage(page, server.url);
  await signIn(page, server.url, YOUTH);
  await app.goto("/");
  await app.expectListShown();
  await app.waitForOfflineReady();
  await page.reload();
  await app.expectListShown();

  expect(fetched.filter((p) => p.startsWith("/staff/"))).toEqual([]);
  const cached = await cachedPaths(page);
  expect(cached).toContain("/index.html");
  expect(cached.filter((p) => p.startsWith("/staff/"))).toEqual([]);

  // Offline, a staff screen cannot open: the app explains instead of reloading forever.
  await context.setOffline(true);
  await page.goto(server.url + "/admin");
  const missing = page.getByTestId("screen-not-downloaded");
  await expect(missing).toContainText("这个页面还没有保存到本机");
  await missing.getByRole("link", { name: "返回首页" }).click();
  await expect(app.cards.first()).toBeVisible();
});

test("back online, the not-saved screen's retry opens the staff screen", async ({ page, context }) => {
  const app = new AppPage(page, server.url);
  await signIn(page, server.url, YOUTH);
  await app.waitForOfflineReady();
  await context.setOffline(true);
  await page.goto(server.url + "/admin");
  const missing = page.getByTestId("screen-not-downloaded");
  await expect(missing).toBeVisible();

  await context.setOffline(false);
  await missing.getByRole("button", { name: "重试" }).click();
  // The staff build loads and answers for itself: this person is not an admin.
  await expect(page.getByTestId("admin-only")).toBeVisible();
  await expect(missing).toHaveCount(0);
  expect(new URL(page.url()).pathname).toBe("/admin");
});

test("an organizer's device keeps the staff screens: venue mode opens offline, and back again", async ({ page, context }) => {
  const app = await organizerWithStaffBuild(page);
  const cached = await cachedPaths(page);
  expect(cached.some((p) => /^\/staff\/staff-[0-9a-f]+_bg\.wasm$/.test(p))).toBe(true);

  await context.setOffline(true);
  // From 我的 (the main build) into venue mode (the staff build), with no network.
  await page.goto(server.url + "/me");
  await page.getByTestId("open-venue").click();
  await expect(page).toHaveURL(/\/venue$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("现场签到");
  // The organizer's four demo programmes, from the device's store.
  await expect(page.getByRole("button", { name: "查看其他负责的活动（4）" })).toBeVisible();
  // And back to the main build through the tab bar.
  await page.getByRole("navigation", { name: "main" }).getByRole("link", { name: "活动" }).click();
  await expect(page).toHaveURL(new RegExp(`${server.url}/$`));
  await expect(app.cards.first()).toBeVisible();
});

test("an update keeps the staff screens on an organizer's device", async ({ page, context }) => {
  const app = await organizerWithStaffBuild(page);

  server.deployNewBuild();
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
  await app.updateBanner.getByRole("button", { name: "更新" }).click();
  await expect(app.updateBanner).toBeHidden();
  // One cache left, the new version's, and it holds the staff build again.
  await expect
    .poll(async () => page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith("qingtuan-shell-")).length))
    .toBe(1);
  const cached = await cachedPaths(page);
  expect(cached).toContain("/release-note.txt");
  expect(cached).toContain("/staff/index.html");

  await context.setOffline(true);
  await page.goto(server.url + "/venue");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("现场签到");
});

test("a device that had the staff screens keeps them through an update, even signed out", async ({ page }) => {
  const app = await organizerWithStaffBuild(page);
  // Signed out, the app no longer asks for the staff build: only the update itself can keep it.
  const me = new MePage(page, server.url);
  await me.goto();
  await me.signOut.click();
  await expect(me.flash).toHaveText("已退出登录");
  await page.reload();
  await expect(page.getByTestId("account-link")).toHaveText("登录");

  server.deployNewBuild();
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
  await expect(app.updateBanner).toBeVisible();
  // The new version has installed (it waits to take over): its cache already holds both builds.
  const fresh = await page.evaluate(async () => {
    const keys = (await caches.keys()).filter((k) => k.startsWith("qingtuan-shell-"));
    const out = {};
    for (const k of keys) out[k] = (await (await caches.open(k)).keys()).map((r) => new URL(r.url).pathname);
    return out;
  });
  const newest = Object.values(fresh).find((paths) => paths.includes("/release-note.txt"));
  expect(newest).toBeDefined();
  expect(newest).toContain("/staff/index.html");
});

test("a staff build lost from the device is saved again when the network comes back", async ({ page }) => {
  await organizerWithStaffBuild(page);
  // As if the save had failed (offline at sign-in, a dropped connection): no staff files kept.
  await page.evaluate(async () => {
    for (const key of await caches.keys()) {
      const cache = await caches.open(key);
      for (const request of await cache.keys()) {
        if (new URL(request.url).pathname.startsWith("/staff/")) await cache.delete(request);
      }
    }
  });
  expect((await cachedPaths(page)).filter((p) => p.startsWith("/staff/"))).toEqual([]);
  await page.evaluate(() => window.dispatchEvent(new Event("online")));
  await expect
    .poll(async () => (await cachedPaths(page)).includes("/staff/index.html"), { timeout: 15_000 })
    .toBe(true);
});
