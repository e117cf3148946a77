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

test("a first visit does not move the page when the programmes arrive", async ({ page }) => {
  // A slow network: the list is seen loading first, with the filters in their places.
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
  expect(await layoutShifts(page), "layout shifts on the first visit").toEqual([]);
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
