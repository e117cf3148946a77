// Playwright's `test` and `expect`, with one check every spec gets: a test fails if the browser
// reported a Content Security Policy violation on any page it opened, in the default context
// or in one the test made itself (`browser.newContext()`). Every spec imports `test` from here
// (playwright.config.js refuses a spec that imports it from "@playwright/test").
const base = require("@playwright/test");

const BINDING = "__qtCspViolation";

// Runs in every page before its own scripts: forwards each violation to the test at once, so
// none is lost when the page navigates or closes.
function recordViolations(binding) {
  document.addEventListener(
    "securitypolicyviolation",
    (e) => {
      const report = `${e.effectiveDirective} blocked ${e.blockedURI || "(inline)"} at ${e.documentURI}` +
        (e.sourceFile ? ` (${e.sourceFile}:${e.lineNumber})` : "") +
        (e.sample ? `: ${e.sample}` : "");
      if (typeof window[binding] === "function") window[binding](report);
    },
    true,
  );
}

const watched = new WeakSet();

// A first visit's page comes drawn by the server (ARCHITECTURE.md, "A first visit's page comes
// drawn"): its links work at once, its buttons only once the app has taken the page over, which
// it does when it has read the page's data (`#qt-first`, removed then). A test acts as a person
// who waits for the app: after each load it starts, the page is the app's. A test that looks at
// the drawn page itself sets `page.drawnAsIs = true` first.
function awaitTakeover(page) {
  for (const name of ["goto", "reload", "goBack", "goForward"]) {
    const load = page[name].bind(page);
    page[name] = async (...args) => {
      const response = await load(...args);
      if (!page.drawnAsIs && response && response.ok()) {
        await page.waitForFunction(() => !document.getElementById("qt-first"), null, { timeout: 30_000 });
      }
      return response;
    };
  }
}

/** Reports `context`'s violations (events and console errors) into `violations`. */
async function watch(context, violations) {
  if (watched.has(context)) return;
  watched.add(context);
  await context.exposeBinding(BINDING, (_source, report) => violations.push(report));
  await context.addInitScript(recordViolations, BINDING);
  context.pages().forEach(awaitTakeover);
  context.on("page", awaitTakeover);
  context.on("console", (msg) => {
    if (msg.type() === "error" && msg.text().includes("Content Security Policy")) {
      violations.push(`console: ${msg.text()}`);
    }
  });
}

const test = base.test.extend({
  cspViolations: [
    async ({ browser }, use) => {
      const violations = [];
      // Contexts a test makes itself (some make one per person) are watched too.
      const newContext = browser.newContext;
      browser.newContext = async function (...args) {
        const context = await newContext.apply(this, args);
        await watch(context, violations);
        return context;
      };
      try {
        await use(violations);
      } finally {
        browser.newContext = newContext;
      }
      base.expect(violations, "Content Security Policy violations").toEqual([]);
    },
    { auto: true },
  ],
  context: async ({ context, cspViolations }, use) => {
    await watch(context, cspViolations);
    await use(context);
  },
});

module.exports = { test, expect: base.expect };
