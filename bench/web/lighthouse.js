// Lighthouse on the release build, as a new visitor on a phone: its default settings (the mobile
// profile, simulated throttling), the four categories, each page in a fresh Chromium (Debian's,
// launched by Puppeteer: no browser download), so the HTTP cache starts cold.
//
//   node lighthouse.js '{"url": "http://127.0.0.1:PORT", "out": "DIR", "pages": [
//     {"name": "home", "path": "/"},
//     {"name": "me", "path": "/me", "sign_in": {"phone": "139…", "password": "…"}}]}'
//
// Writes each page's Lighthouse report (its JSON "LHR") to DIR/NAME.json and prints one line
// `BENCH_LIGHTHOUSE {"name": …, "seconds": …}` per page; the benchmark reads the reports, and
// NAME.attempts.json: how many runs it took (see RUN_AGAIN).
//
// A page with `sign_in` is measured signed in: the script signs in through the API, then opens
// `/healthz` (same origin, no app, nothing to cache) and puts the session where the app keeps it
// (local storage, `qingtuan.session`). Lighthouse's storage reset is left on: by default it
// clears the HTTP cache, service workers and Cache Storage of the origin but not local storage,
// so the visit is still cold and still signed in. The page is checked afterwards to really show
// the signed-in profile.
const fs = require("node:fs");
const path = require("node:path");
const { performance } = require("node:perf_hooks");
const puppeteer = require("puppeteer-core");

const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"];
// Lighthouse's errors that say the recording went wrong, not the page: now and then (about one
// run in five on this machine) the trace of a fresh Chromium has no navigation start for the
// page. Such a run is made again, at most ATTEMPTS times in all.
const RUN_AGAIN = ["NO_NAVSTART"];
const ATTEMPTS = 3;

async function signIn(base, { phone, password }) {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ phone, password }),
  });
  if (!res.ok) throw new Error(`signing in ${phone}: HTTP ${res.status} ${await res.text()}`);
  const auth = await res.json();
  // The app's saved shape (app/src/state/session.rs, `Saved`).
  return JSON.stringify({
    token: auth.token,
    user: auth.user,
    expires_at: auth.expires_at,
    needs_sign_in: false,
  });
}

async function measure(lighthouse, base, out, page) {
  const browser = await puppeteer.launch({
    executablePath: process.env.QT_CHROMIUM || "/usr/bin/chromium",
    // Puppeteer's `headless: true` is Chromium's new headless mode (it passes --headless=new),
    // on a profile of its own in a temporary folder.
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  try {
    const tab = await browser.newPage();
    if (page.sign_in) {
      const session = await signIn(base, page.sign_in);
      await tab.goto(`${base}/healthz`);
      await tab.evaluate((s) => localStorage.setItem("qingtuan.session", s), session);
    }
    const start = performance.now();
    const result = await lighthouse(
      base + page.path,
      { output: "json", logLevel: "error", onlyCategories: CATEGORIES },
      undefined,
      tab,
    );
    const seconds = (performance.now() - start) / 1000;
    if (!result || !result.lhr) throw new Error(`Lighthouse gave no report for ${page.path}`);
    const failed = result.lhr.runtimeError && result.lhr.runtimeError.code;
    if (RUN_AGAIN.includes(failed)) return { failed, report: result.report };
    if (page.sign_in) {
      const signedIn = await tab.evaluate(() => !!document.querySelector('[data-testid="profile-name"]'));
      if (!signedIn) throw new Error(`${page.path} was not shown signed in`);
    }
    fs.writeFileSync(path.join(out, `${page.name}.json`), result.report);
    console.log(`BENCH_LIGHTHOUSE ${JSON.stringify({ name: page.name, seconds })}`);
    return { failed: null };
  } finally {
    await browser.close();
  }
}

async function main() {
  const spec = JSON.parse(process.argv[2] || "null");
  if (!spec || !spec.url || !spec.out || !Array.isArray(spec.pages)) {
    throw new Error("usage: node lighthouse.js '{\"url\": …, \"out\": …, \"pages\": [{\"name\": …, \"path\": …}]}'");
  }
  // Lighthouse is an ES module.
  const { default: lighthouse } = await import("lighthouse");
  fs.mkdirSync(spec.out, { recursive: true });
  for (const page of spec.pages) {
    // A run Lighthouse could not record (its advice: "run Lighthouse again") is run again, up to
    // ATTEMPTS times in all; the attempts and their errors go beside the report (NAME.attempts.json,
    // in results.json as extra.lighthouse.NAME.attempts), and the last failed report is kept.
    const errors = [];
    for (;;) {
      const { failed, report } = await measure(lighthouse, spec.url, spec.out, page);
      if (!failed) break;
      errors.push(failed);
      console.log(`BENCH_LIGHTHOUSE_AGAIN ${JSON.stringify({ name: page.name, error: failed })}`);
      if (errors.length >= ATTEMPTS) {
        fs.writeFileSync(path.join(spec.out, `${page.name}.json`), report);
        break;
      }
    }
    fs.writeFileSync(
      path.join(spec.out, `${page.name}.attempts.json`),
      JSON.stringify({ attempts: errors.length + (errors.length >= ATTEMPTS ? 0 : 1), errors }),
    );
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
