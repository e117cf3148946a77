// The home screen: Chinese by default, an English switch, the programme lists, phone-sized.
const { test, expect } = require("../support/test");
const { startServer } = require("../support/server");
const { AppPage, observeLayoutShifts, layoutShifts } = require("../support/app");
const { expectTouchFriendly } = require("../support/accounts");

let server;
test.beforeAll(async () => {
  server = await startServer();
});
test.afterAll(async () => {
  await server.stop();
});

test("the home screen renders in Chinese and lists the demo activities", async ({ page }) => {
  const app = new AppPage(page, server.url);
  await app.goto("/");
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("活动报名");
  await expect(app.tabBar.getByRole("link", { name: "夜校" })).toBeVisible();
  await app.expectListShown();
  await expect(app.cards.filter({ hasText: "河小青" }).first()).toBeVisible();
  await expect(app.cards.first()).toContainText("剩余");
});

test("switching to English changes every label and is remembered", async ({ page }) => {
  const app = new AppPage(page, server.url);
  await app.goto("/");
  await app.expectListShown();
  await app.langSwitch.click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Activities");
  await expect(app.tabBar.getByRole("link", { name: "Night school" })).toBeVisible();
  await expect(app.cards.first()).toContainText("places");
  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Activities");
  await app.langSwitch.click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("活动报名");
});

test("each tab lists its own kind of programme", async ({ page }) => {
  const app = new AppPage(page, server.url);
  await app.goto("/");
  await app.tabBar.getByRole("link", { name: "夜校" }).click();
  await expect(page).toHaveURL(/\/courses$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("青年夜校");
  await expect(app.cards.filter({ hasText: "书法" }).first()).toBeVisible();
  await expect(app.cards.filter({ hasText: "河小青" })).toHaveCount(0);
  await app.tabBar.getByRole("link", { name: "联谊" }).click();
  await expect(app.cards).toHaveCount(2);
  await expect(app.cards.first()).toContainText("望青团缘");
});

test("links move between screens in place; the current tab is marked; back and forward work", async ({ page }) => {
  const app = new AppPage(page, server.url);
  await app.goto("/");
  await app.expectListShown();
  // A marker on the window survives only if no page load happens.
  await page.evaluate(() => { window.__sameDocument = true; });
  const sameDocument = () => page.evaluate(() => window.__sameDocument === true);
  const tab = (name) => app.tabBar.getByRole("link", { name });
  await expect(tab("活动")).toHaveAttribute("aria-current", "page");
  await expect(tab("夜校")).not.toHaveAttribute("aria-current", "page");

  await tab("夜校").click();
  await expect(page).toHaveURL(/\/courses$/);
  await expect(tab("夜校")).toHaveAttribute("aria-current", "page");
  await expect(tab("活动")).not.toHaveAttribute("aria-current", "page");
  // A card's link, then the header's plain link home.
  await app.cards.first().getByTestId("offering-link").click();
  await expect(page).toHaveURL(/\/o\/[^/]+$/);
  const detailTitle = await page.getByRole("heading", { level: 1 }).textContent();
  await page.locator("header a.brand").click();
  await expect(page).toHaveURL(new RegExp(`^${server.url}/$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("活动报名");
  expect(await sameDocument()).toBe(true);

  // The browser's back and forward buttons walk the same screens, still without a load.
  await page.goBack();
  await expect(page).toHaveURL(/\/o\/[^/]+$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(detailTitle);
  await page.goBack();
  await expect(page).toHaveURL(/\/courses$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("青年夜校");
  await expect(tab("夜校")).toHaveAttribute("aria-current", "page");
  await page.goForward();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(detailTitle);
  expect(await sameDocument()).toBe(true);

  // A path no screen has: the not-found screen, with a way back.
  await page.evaluate(() => {
    const a = document.createElement("a");
    a.href = "/no-such-screen?x=1";
    a.textContent = "nowhere";
    a.id = "nowhere";
    document.querySelector("main").append(a);
  });
  await page.locator("#nowhere").click();
  await expect(page).toHaveURL(/\/no-such-screen\?x=1$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("页面不存在");
  expect(await sameDocument()).toBe(true);

  // A modified click is the browser's: it does not move this page.
  await page.getByRole("link", { name: "返回首页" }).click({ modifiers: ["Control"] });
  await expect(page).toHaveURL(/\/no-such-screen\?x=1$/);
});

test("a category filter narrows the list", async ({ page }) => {
  const app = new AppPage(page, server.url);
  await app.goto("/courses");
  await app.expectListShown();
  const all = await app.cards.count();
  await page.getByRole("button", { name: "书法" }).click();
  await expect(app.cards).toHaveCount(1);
  await page.getByRole("button", { name: "全部" }).click();
  await expect(app.cards).toHaveCount(all);
});

test("a first visit's page comes drawn, and the app takes it over without moving anything", async ({ page }) => {
  // The wasm held back: what the server sent is all there is.
  let release;
  const held = new Promise((r) => (release = r));
  await page.route(/_bg\.wasm$/, async (route) => {
    await held;
    await route.continue();
  });
  const catalogueAsked = [];
  page.on("request", (r) => {
    if (new URL(r.url()).pathname === "/api/v1/catalogue") catalogueAsked.push(r.url());
  });
  await observeLayoutShifts(page);
  page.drawnAsIs = true;
  const app = new AppPage(page, server.url);
  // The held wasm is preloaded, which holds the load event back too.
  await page.goto(server.url + "/", { waitUntil: "domcontentloaded" });
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("活动报名");
  await app.expectListShown();
  const drawn = await app.cards.count();
  expect(drawn).toBeGreaterThan(1);
  await expect(page.locator("#qt-first")).toHaveCount(1);
  const before = await page.locator(".shell").innerText();

  // The app arrives: one shell, its own, the same cards, nothing moved, nothing asked again.
  release();
  await expect(page.locator("#qt-first")).toHaveCount(0);
  await expect(page.locator(".shell")).toHaveCount(1);
  await expect(app.cards).toHaveCount(drawn);
  expect(await page.locator(".shell").innerText(), "the same page, word for word").toBe(before);
  expect(await layoutShifts(page), "layout shifts on the first visit").toEqual([]);
  expect(catalogueAsked, "the page's catalogue is not asked for again").toEqual([]);
  // The app's files were asked for once the page was painted, not before (first-paint.mjs).
  const order = await page.evaluate(() => ({
    painted: performance.getEntriesByName("first-paint")[0]?.startTime,
    wasm: performance.getEntriesByType("resource").find((e) => e.name.endsWith("_bg.wasm"))?.startTime,
    preloads: document.querySelectorAll('link[rel="preload"], link[rel="modulepreload"]').length,
  }));
  expect(order.painted).toBeGreaterThan(0);
  expect(order.wasm).toBeGreaterThan(order.painted);
  expect(order.preloads).toBe(0);
  // It is the app's page now: a filter works.
  await page.getByRole("button", { name: "河小青" }).click();
  await expect(app.cards).not.toHaveCount(drawn);
  await expect(app.cards.first()).toContainText("河小青");
});

test("a page without its data (as the service worker answers) does not move when the programmes arrive", async ({ page }) => {
  // The plain page, as a device's service worker answers any client route, on a device with
  // no saved list, and a slow network: the list is seen loading first, with the filters in
  // their places.
  await page.route(server.url + "/", async (route) => {
    route.fulfill({ response: await route.fetch({ url: server.url + "/index.html" }) });
  });
  await page.route("**/api/v1/catalogue", async (route) => {
    await new Promise((r) => setTimeout(r, 800));
    await route.continue();
  });
  await observeLayoutShifts(page);
  const app = new AppPage(page, server.url);
  await app.goto("/");
  await expect(page.getByTestId("loading")).toBeVisible();
  await expect(page.getByRole("button", { name: "全部", exact: true })).toBeVisible();
  await app.expectListShown();
  expect(await layoutShifts(page), "layout shifts on a visit without the page's data").toEqual([]);
});

test("on a device with a session, 我的 drawn for someone signed out waits for the app", async ({ page, request }) => {
  // Signed in on this device, no service worker yet (as after clearing it): the session where
  // the app keeps it, put there from a page without the app.
  const res = await request.post(server.url + "/api/v1/auth/login", {
    data: { phone: "13900000003", password: "qingtuan-demo" },
  });
  expect(res.ok()).toBeTruthy();
  const auth = await res.json();
  const session = JSON.stringify({ token: auth.token, user: auth.user, expires_at: auth.expires_at, needs_sign_in: false });
  await page.goto(server.url + "/healthz");
  await page.evaluate((s) => localStorage.setItem("qingtuan.session", s), session);

  let release;
  const held = new Promise((r) => (release = r));
  await page.route(/_bg\.wasm$/, async (route) => {
    await held;
    await route.continue();
  });
  page.drawnAsIs = true;
  await page.goto(server.url + "/me", { waitUntil: "domcontentloaded" });
  await expect(page.locator(".shell")).toHaveCount(1);
  await expect(page.locator("html")).toHaveClass(/qt-personal/);
  // The sign-in prompt drawn for someone signed out is not this person's: hidden.
  await expect(page.getByRole("heading", { level: 1 })).toBeHidden();
  release();
  await expect(page.getByTestId("profile-name")).toHaveText("王青青");
  await expect(page.locator("html")).not.toHaveClass(/qt-personal/);
  await expect(page.locator(".shell")).toHaveCount(1);

  // The same on the plain page (as the service worker answers): the app shows its own at once.
  await page.unroute(/_bg\.wasm$/);
  await page.route(server.url + "/me", async (route) => {
    route.fulfill({ response: await route.fetch({ url: server.url + "/index.html" }) });
  });
  page.drawnAsIs = false;
  await page.goto(server.url + "/me");
  await expect(page.getByTestId("profile-name")).toHaveText("王青青");
  await expect(page.locator("html")).not.toHaveClass(/qt-personal/);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();

  // The public screens are drawn visible for everyone.
  await page.goto(server.url + "/courses");
  await expect(page.locator("html")).not.toHaveClass(/qt-personal/);
});

test("a client route opened directly renders, and an unknown one says so", async ({ page }) => {
  const app = new AppPage(page, server.url);
  await app.goto("/mixers");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("交友联谊");
  await app.goto("/no/such/page");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("页面不存在");
});

test("at 360 px nothing overflows sideways and touch targets are at least 44 px", async ({ page }) => {
  const app = new AppPage(page, server.url);
  for (const path of ["/", "/courses", "/mixers", "/me"]) {
    await app.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    if (path !== "/me") await app.expectListShown();
    await expectTouchFriendly(page, path);
  }
});

test("the web app manifest makes the app installable", async ({ request }) => {
  const res = await request.get(server.url + "/manifest.webmanifest");
  expect(res.ok()).toBeTruthy();
  const manifest = JSON.parse(await res.text());
  expect(manifest.short_name).toBe("青团");
  expect(manifest.display).toBe("standalone");
  const sizes = manifest.icons.map((i) => i.sizes);
  expect(sizes).toContain("192x192");
  expect(sizes).toContain("512x512");
  for (const icon of manifest.icons) {
    const r = await request.get(server.url + icon.src);
    expect(r.ok(), icon.src).toBeTruthy();
  }
});
