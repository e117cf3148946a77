// axe-core on every screen of the three roles (a young person, signed out and signed in; an
// organizer in venue mode; an admin), at 360 px and 1280 px, in Chinese and in English. Every
// rule axe runs by default is checked (WCAG 2.x A and AA, and its best practices); any violation
// fails. One browser context per role and language; each screen is opened once and checked at
// both widths. The last test proves the check fails on a page with a known violation.
const AxeBuilder = require("@axe-core/playwright").default;
const { test, expect } = require("../support/test");
const { startServer } = require("../support/server");
const { signIn } = require("../support/accounts");
const { signUpOthers } = require("../support/sync");
const { createMixer, pushMutations } = require("../support/mixers");
const { ADMIN, ORGANIZER, ORGANIZER_ID, iso, tokenFor, createActivity } = require("../support/activities");

const WIDTHS = [360, 1280];
const LANGS = ["zh-CN", "en"];
// A young person of the demo's past: a finished course (its certificate), credited hours.
const LEARNER = { phone: "18800000001" };
// Another, a man, so the learner has someone to pick at the mixer.
const OTHER = "18800000000";
const ACTIVITY = "社区清洁志愿服务";
const MIXER = "望青团缘·无障碍联谊";
const COURSE = "无障碍夜校·周四晚";

let server;
/** What the setup made: the activity, mixer and lottery course ids. */
const made = {};

/** The violations axe finds on the page as it is now, one line each. */
async function axeViolations(page, where) {
  // Legacy mode runs axe in the page itself rather than finishing each run in a new blank
  // page: the app has no frames, and it is several times faster.
  const { violations } = await new AxeBuilder({ page }).setLegacyMode(true).analyze();
  return violations.map(
    (v) => `${where}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 4).join(" | ")}`,
  );
}

/** Checks the open screen at each width; what is wrong goes into `found`. */
async function checkScreen(page, where, found) {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: width === 360 ? 780 : 900 });
    // A frame for the layout to settle at the new width.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    found.push(...(await axeViolations(page, `${where} @${width}`)));
  }
}

/** A context in `lang`, signed in as `phone` (or not), and its page. */
async function person(browser, lang, phone) {
  const context = await browser.newContext({
    viewport: { width: 360, height: 780 },
    hasTouch: true,
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
  });
  const page = await context.newPage();
  if (phone) await signIn(page, server.url, phone);
  else await page.goto(server.url + "/signin");
  // The language switch keeps its choice here; every load from now on is in `lang`.
  await page.evaluate((l) => localStorage.setItem("qingtuan.lang", JSON.stringify(l)), lang);
  return { context, page };
}

/**
 * Opens each screen (`path`, then `ready`: a locator function that shows it is drawn, then an
 * optional `then` that changes it in place) and checks it. `then` steps are checked as their own
 * screens.
 */
async function visit(page, lang, screens) {
  const found = [];
  for (const s of screens) {
    if (s.path) await page.goto(server.url + s.path);
    if (s.act) await s.act(page);
    await expect(s.ready(page)).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("lang", lang);
    await checkScreen(page, `${s.name} [${lang}]`, found);
  }
  return found;
}

const h1 = (page) => page.locator("main h1, h1").first();
const byId = (id) => (page) => page.getByTestId(id).first();

test.beforeAll(async ({ playwright }) => {
  test.setTimeout(60_000);
  server = await startServer();
  const request = await playwright.request.newContext();
  const now = Date.now();
  // Today's activity at the organizer's door: two sign-ups, one checked in.
  made.activity = (await createActivity(request, server.url, { title: ACTIVITY, requires_approval: false, questions: [] })).id;
  await signUpOthers(request, server.url, made.activity, 2);

  // A mixer under way with its picks open: the learner and another person, checked in.
  const admin = await tokenFor(request, server.url, ADMIN);
  made.mixer = await createMixer(request, server.url, { title: MIXER, capacity: 10, minAge: 18, maxAge: 40 });
  const organizer = await tokenFor(request, server.url, ORGANIZER);
  const regs = [];
  for (const [phone, nickname, gender] of [
    [LEARNER.phone, "小青", "female"],
    [OTHER, "阿远", "male"],
  ]) {
    const token = await tokenFor(request, server.url, phone);
    const reg = crypto.randomUUID();
    regs.push(reg);
    const outcomes = await pushMutations(request, server.url, token, crypto.randomUUID(), [
      { name: "mixer.profile", args: { profile: { nickname, gender, education: "bachelor", occupation: "教师", contact_kind: "phone", intro: "喜欢读书", single: true } } },
      { name: "registration.request", args: { registration_id: reg, offering_id: made.mixer } },
    ]);
    for (const o of outcomes) expect(o.outcome, JSON.stringify(o)).toBe("applied");
  }
  const steps = [
    [admin, regs.map((r) => ({ name: "review.decide", args: { registration_id: r, decision: "approve", reason: "" } }))],
    [organizer, regs.map((r) => ({ name: "checkin.record", args: { checkin_id: crypto.randomUUID(), registration_id: r, kind: "in", scanned_at: Date.now(), device_id: "door-axe" } }))],
    [organizer, [{ name: "mixer.open", args: { offering_id: made.mixer } }]],
  ];
  for (const [token, mutations] of steps) {
    const outcomes = await pushMutations(request, server.url, token, crypto.randomUUID(), mutations);
    for (const o of outcomes) expect(o.outcome, JSON.stringify(o)).toBe("applied");
  }

  // A lottery course whose applications close at once: drawn in the last test, by which time
  // the server's sweep has frozen its list (within a minute of the close).
  const lessons = [0, 1, 2, 3].map((w) => {
    const start = now + (7 + 7 * w) * 86400_000;
    return { starts_at: iso(start), ends_at: iso(start + 90 * 60_000) };
  });
  const course = await request.post(server.url + "/api/v1/admin/offerings", {
    headers: { authorization: `Bearer ${admin}` },
    data: {
      publish: true,
      organizer_ids: [ORGANIZER_ID],
      draft: {
        title: COURSE,
        summary: "从握笔开始，四次课写好一幅春联。",
        category: "书法",
        venue_id: "venue-binjiang",
        starts_at: lessons[0].starts_at,
        ends_at: lessons[3].ends_at,
        signup_closes_at: iso(now + 4_000),
        allocation: "lottery",
        waitlist_enabled: true,
        quotas: [{ pool: "all", capacity: 2 }],
        programme: { kind: "course", term: "E2E 冬", teacher: "王老师", lessons, confirm_hours: 24 },
      },
    },
  });
  expect(course.status(), await course.text()).toBe(201);
  made.course = (await course.json()).id;
  await signUpOthers(request, server.url, made.course, 3);
  await request.dispose();
});

test.afterAll(async () => {
  await server.stop();
});

for (const lang of LANGS) {
  test(`a visitor's screens, signed out [${lang}]`, async ({ browser }) => {
    test.setTimeout(180_000);
    const { context, page } = await person(browser, lang);
    const found = await visit(page, lang, [
      { name: "activities", path: "/", ready: byId("offering-card") },
      { name: "courses", path: "/courses", ready: byId("offering-card") },
      { name: "mixers", path: "/mixers", ready: byId("offering-card") },
      { name: "an activity", path: "/o/act-river-patrol", ready: byId("offering-page") },
      { name: "a course", path: "/o/course-calligraphy", ready: byId("offering-page") },
      { name: "a mixer", path: "/o/mixer-winter", ready: byId("offering-page") },
      { name: "sign in", path: "/signin", ready: byId("signin-form") },
      { name: "sign in, refused", act: (p) => p.getByTestId("signin-form").locator("button[type=submit]").click(), ready: byId("signin-form") },
      { name: "sign up", path: "/signup", ready: byId("signup-form") },
      { name: "sign up, with errors", act: (p) => p.getByTestId("signup-form").locator("button[type=submit]").click(), ready: byId("signup-form") },
      { name: "privacy", path: "/privacy", ready: h1 },
      { name: "notices", path: "/notices", ready: h1 },
      { name: "me, signed out", path: "/me", ready: byId("signed-out-card") },
      { name: "hours, signed out", path: "/me/hours", ready: h1 },
      { name: "certificate check", path: "/certificates/verify", ready: byId("verify-page") },
      { name: "certificate check, a wrong code", path: "/certificates/verify?code=QT-0000-0000", ready: byId("verify-page") },
      { name: "an unknown page", path: "/no-such-page", ready: h1 },
    ]);
    await context.close();
    expect(found).toEqual([]);
  });

  test(`a young person's screens, signed in [${lang}]`, async ({ browser }) => {
    test.setTimeout(180_000);
    const { context, page } = await person(browser, lang, LEARNER.phone);
    const found = await visit(page, lang, [
      { name: "activities, signed in", path: "/", ready: byId("offering-card") },
      { name: "me, with a course and a mixer", path: "/me", ready: byId("pick-form") },
      { name: "an activity's sign-up", path: `/o/${made.activity}`, ready: byId("offering-page") },
      { name: "the mixer, picks open", path: `/o/${made.mixer}`, ready: byId("offering-page") },
      { name: "mixer profile", path: "/me/mixer-profile", ready: byId("mixer-profile-form") },
      { name: "hours", path: "/me/hours", ready: byId("ledger-entry") },
      { name: "hours certificate", act: (p) => p.getByTestId("certificate-link").first().click(), ready: byId("certificate") },
      { name: "notices, signed in", path: "/notices", ready: h1 },
      { name: "course certificate", path: "/me", act: (p) => p.getByTestId("course-certificate-link").first().click(), ready: byId("course-certificate") },
      { name: "certificate check, valid", act: (p) => p.getByTestId("certificate-check-link").click(), ready: byId("certificate-valid") },
    ]);
    await context.close();
    expect(found).toEqual([]);
  });

  test(`an organizer's screens [${lang}]`, async ({ browser }) => {
    test.setTimeout(180_000);
    const { context, page } = await person(browser, lang, ORGANIZER);
    const found = await visit(page, lang, [
      { name: "me, an organizer", path: "/me", ready: byId("venue-mode-card") },
      { name: "venue picker", path: "/venue", ready: byId("download-roster") },
      {
        name: "venue picker, roster downloaded",
        act: async (p) => {
          await p.getByTestId("download-roster").click();
          await expect(p.getByTestId("roster-downloaded")).toBeVisible();
        },
        ready: byId("venue-today"),
      },
      { name: "venue: check-in, roster", path: `/venue/${made.activity}`, ready: byId("scan-form") },
      {
        name: "venue: a scan refused",
        act: async (p) => {
          await p.locator("#ticket-code").fill("not-a-ticket");
          await p.getByTestId("verify-ticket").click();
        },
        ready: byId("scan-result"),
      },
      { name: "venue: check-out mode", act: (p) => p.getByRole("tab").nth(1).click(), ready: byId("scan-form") },
      { name: "venue: paper sheet", path: `/venue/${made.activity}/sheet`, ready: byId("sign-in-sheet") },
      { name: "venue: the mixer", path: `/venue/${made.mixer}`, ready: byId("picks") },
    ]);
    await context.close();
    expect(found).toEqual([]);
  });

  test(`an admin's screens [${lang}]`, async ({ browser }) => {
    test.setTimeout(180_000);
    const { context, page } = await person(browser, lang, ADMIN);
    const tab = (id) => async (p) => {
      await p.locator(`#${id}`).click();
      await expect(p.locator(`#${id}`)).toHaveAttribute("aria-selected", "true");
    };
    const year = new Date().getFullYear();
    const found = await visit(page, lang, [
      { name: "admin: programmes", path: "/admin", ready: byId("admin-offering") },
      { name: "admin: the editor", act: (p) => p.getByTestId("new-offering").click(), ready: byId("offering-editor") },
      { name: "admin: a course's panel", path: "/admin", act: (p) => p.getByTestId("admin-offering").filter({ hasText: COURSE }).getByTestId("open-course").click(), ready: byId("course-panel") },
      { name: "admin: a mixer's panel", act: (p) => p.getByTestId("admin-offering").filter({ hasText: MIXER }).getByTestId("open-mixer").click(), ready: byId("mixer-panel") },
      { name: "admin: reviews", act: tab("tab-reviews"), ready: (p) => p.locator("#panel-reviews") },
      { name: "admin: numbers", act: tab("tab-numbers"), ready: byId("dash-figures") },
      { name: "admin: league", act: tab("tab-league"), ready: (p) => p.locator("#panel-league") },
      { name: "admin: hours requests", act: tab("tab-requests"), ready: (p) => p.locator("#panel-requests") },
      { name: "admin: users", act: tab("tab-users"), ready: (p) => p.locator("#panel-users") },
      { name: "admin: year report", path: `/admin/report/${year}`, ready: byId("report-figures") },
    ]);
    await context.close();
    expect(found).toEqual([]);
  });
}

test("the public draw results, once the course is drawn", async ({ browser, request }) => {
  test.setTimeout(240_000);
  const admin = await tokenFor(request, server.url, ADMIN);
  await expect
    .poll(
      async () => {
        const res = await request.post(`${server.url}/api/v1/admin/offerings/${made.course}/draw`, {
          headers: { authorization: `Bearer ${admin}` },
          data: { public_value: "现场摇号 7 3 9" },
        });
        return res.status();
      },
      { timeout: 100_000, intervals: [2000] },
    )
    .toBe(200);
  for (const lang of LANGS) {
    const { context, page } = await person(browser, lang);
    const found = await visit(page, lang, [
      { name: "draw results", path: `/courses/${made.course}/results`, ready: byId("results-drawn") },
      { name: "draw results, recomputed", act: (p) => p.getByTestId("recompute").click(), ready: byId("recompute-result") },
      { name: "draw results, not drawn", path: "/courses/course-calligraphy/results", ready: byId("results-page") },
    ]);
    await context.close();
    expect(found).toEqual([]);
  }
});

test("the check fails on a screen with a known violation", async ({ page }) => {
  await page.goto(server.url + "/");
  await expect(page.getByTestId("offering-card").first()).toBeVisible();
  // A button with no name and an image with no text: two rules axe always runs.
  await page.evaluate(() => {
    const main = document.querySelector("main");
    const button = document.createElement("button");
    button.id = "axe-probe";
    main.append(button);
    const img = document.createElement("img");
    img.src = "/icon.svg";
    main.append(img);
  });
  const found = await axeViolations(page, "probe");
  expect(found.some((v) => v.includes("button-name") && v.includes("#axe-probe"))).toBe(true);
  expect(found.some((v) => v.includes("image-alt"))).toBe(true);
});
