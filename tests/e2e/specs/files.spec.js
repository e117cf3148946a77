// Files are answered as themselves, never with the app's page: robots.txt for crawlers, and a
// missing file as a 404, by the server and by the service worker once it controls the page.
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

test("robots.txt opens as the file and a missing file is a 404, with the service worker in control too", async ({ page }) => {
  const app = new AppPage(page, server.url);
  await app.goto("/");
  await app.expectListShown();
  await app.waitForOfflineReady();

  const robots = await page.goto(server.url + "/robots.txt");
  expect(robots.status()).toBe(200);
  expect(robots.headers()["content-type"]).toContain("text/plain");
  // A text file is shown as one <pre>; the app's page would have its <noscript> and header.
  await expect(page.locator("body > pre")).toContainText("Disallow: /api/");

  for (const path of ["/favicon.ico", "/.well-known/security.txt", "/missing-0123456789abcdef.js"]) {
    const missing = await page.goto(server.url + path);
    expect(missing.status(), path).toBe(404);
    await expect(page.locator("body > pre"), path).toHaveText("Not found");
  }
});
