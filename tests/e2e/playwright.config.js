// Playwright against the release build served by the real server, in Debian's Chromium.
// Each spec starts its own server (fresh database, own copy of the built client): see
// support/server.js.
const fs = require("node:fs");
const path = require("node:path");
const { defineConfig } = require("@playwright/test");

// Every spec takes `test` from support/test.js, which fails a test on any Content Security
// Policy violation; a spec that takes it straight from Playwright would skip that check.
const specs = path.join(__dirname, "specs");
for (const file of fs.readdirSync(specs).filter((f) => f.endsWith(".spec.js"))) {
  if (fs.readFileSync(path.join(specs, file), "utf8").includes('require("@playwright/test")')) {
    throw new Error(`${file}: take test and expect from ../support/test, not @playwright/test`);
  }
}

module.exports = defineConfig({
  testDir: "./specs",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 2,
  retries: 0,
  reporter: [["list"]],
  use: {
    browserName: "chromium",
    // Phones first: every journey runs on a 360 px wide screen unless a spec says otherwise.
    viewport: { width: 360, height: 780 },
    hasTouch: true,
    isMobile: true,
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    launchOptions: {
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
    },
    trace: "off",
  },
});
