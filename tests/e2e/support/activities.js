// Page objects for volunteer activities: the details page with its questions and ticket, the
// admin's programmes and review queue, venue mode at the door, and 我的志愿时长.
const { expect } = require("@playwright/test");

const ADMIN = "13900000001";
const ORGANIZER = "13900000002";
const ORGANIZER_ID = "user-13900000002";
const YOUTH = "13900000003";
const PASSWORD = "qingtuan-demo";

const PHONE = {
  viewport: { width: 360, height: 780 },
  isMobile: true,
  hasTouch: true,
  locale: "zh-CN",
  timezoneId: "Asia/Shanghai",
};
const DESKTOP = { viewport: { width: 1280, height: 900 }, locale: "zh-CN", timezoneId: "Asia/Shanghai" };

const iso = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, "Z");

async function tokenFor(request, baseUrl, phone) {
  const login = await request.post(baseUrl + "/api/v1/auth/login", { data: { phone, password: PASSWORD } });
  expect(login.ok()).toBeTruthy();
  return (await login.json()).token;
}

/**
 * Creates and publishes an activity through the admin API. `at` is the real time the activity is
 * planned around; the defaults run it from two hours ago to ten minutes from now. `capacity` and
 * `volunteer_hours` among the overrides go to the plan's one pool and to the activity's own
 * settings.
 */
async function createActivity(request, baseUrl, overrides = {}, { now = Date.now(), organizers = [ORGANIZER_ID] } = {}) {
  const token = await tokenFor(request, baseUrl, ADMIN);
  const { capacity = 20, volunteer_hours = 2, ...rest } = overrides;
  const draft = {
    title: "社区清洁志愿服务",
    summary: "清扫社区公共区域，分类整理垃圾。",
    category: "社区服务",
    venue_id: "venue-binjiang",
    starts_at: iso(now - 2 * 3600_000),
    ends_at: iso(now + 10 * 60_000),
    signup_closes_at: iso(now + 10 * 60_000),
    requires_approval: true,
    waitlist_enabled: true,
    allocation: "first_come",
    questions: [{ id: "size", label: "衣服尺码", kind: "single_choice", options: ["S", "M", "L"], required: true }],
    ...rest,
    quotas: [{ pool: "all", capacity }],
    programme: { kind: "activity", volunteer_hours },
  };
  const res = await request.post(baseUrl + "/api/v1/admin/offerings", {
    headers: { authorization: `Bearer ${token}` },
    data: { draft, publish: true, organizer_ids: organizers },
  });
  expect(res.status(), await res.text()).toBe(201);
  return { ...(await res.json()), draft };
}

class OfferingPage {
  constructor(page, baseUrl) {
    this.page = page;
    this.baseUrl = baseUrl;
    this.form = page.getByTestId("signup-form");
    this.submit = this.form.getByRole("button", { name: /提交报名|报名候补/ });
    this.state = page.getByTestId("my-state").getByTestId("registration-state");
    this.ticket = page.getByTestId("ticket");
    this.cancelled = page.getByTestId("offering-cancelled");
    this.calendar = page.getByTestId("add-to-calendar");
  }

  async goto(id) {
    await this.page.goto(`${this.baseUrl}/o/${id}`);
    await expect(this.page.getByTestId("offering-page")).toBeVisible();
  }

  question(label) {
    return this.form.getByTestId("question").filter({ hasText: label });
  }

  async choose(label, option) {
    await this.question(label).getByRole("radio", { name: option, exact: true }).check();
  }

  async ticketText() {
    await expect(this.ticket).toBeVisible();
    return this.ticket.getAttribute("data-ticket");
  }
}

class AdminPage {
  constructor(page, baseUrl) {
    this.page = page;
    this.baseUrl = baseUrl;
    this.offeringsTab = page.getByRole("tab", { name: "活动管理" });
    this.reviewsTab = page.getByRole("tab", { name: "报名审核" });
    this.offerings = page.getByTestId("admin-offering");
    this.reviews = page.getByTestId("review-item");
    this.editor = page.getByTestId("offering-editor");
  }

  async open() {
    await this.page.goto(this.baseUrl + "/admin");
    await expect(this.offeringsTab).toHaveAttribute("aria-selected", "true");
  }

  offering(title) {
    return this.offerings.filter({ hasText: title });
  }

  review(name) {
    return this.reviews.filter({ hasText: name });
  }

  async openReviews() {
    await this.reviewsTab.click();
    await expect(this.reviewsTab).toHaveAttribute("aria-selected", "true");
  }
}

class VenuePage {
  constructor(page, baseUrl) {
    this.page = page;
    this.baseUrl = baseUrl;
    this.download = page.getByTestId("download-roster");
    this.downloaded = page.getByTestId("roster-downloaded");
    this.code = page.getByLabel("票码");
    this.verify = page.getByTestId("verify-ticket");
    this.result = page.getByTestId("scan-result");
    this.registered = page.getByTestId("count-registered");
    this.checkedIn = page.getByTestId("count-in");
    this.checkedOut = page.getByTestId("count-out");
    this.duplicates = page.getByTestId("duplicates").getByTestId("duplicate");
    this.waiting = page.getByTestId("scans-waiting");
  }

  /** Opens venue mode from 我的 and picks `title` among today's activities. */
  async open(title) {
    await this.page.goto(this.baseUrl + "/me");
    await this.page.getByTestId("open-venue").click();
    await expect(this.page).toHaveURL(/\/venue$/);
    await this.downloadRoster();
    await this.page.getByTestId("venue-today").getByTestId("venue-pick").filter({ hasText: title }).click();
    await expect(this.page.getByTestId("venue-title")).toHaveText(title);
  }

  /** 下载名单, and wait for the sync to finish. */
  async downloadRoster() {
    await expect(this.download).toBeEnabled();
    const before = Number((await this.downloaded.getAttribute("data-synced-at")) || 0);
    await this.download.click();
    await expect
      .poll(async () => Number((await this.downloaded.getAttribute("data-synced-at")) || 0))
      .toBeGreaterThan(before);
    await expect(this.downloaded).toContainText("名单下载于");
  }

  async mode(name) {
    await this.page.getByRole("tab", { name, exact: true }).click();
  }

  async scan(ticket) {
    await this.code.fill(ticket);
    await this.verify.click();
  }
}

module.exports = {
  ADMIN,
  ORGANIZER,
  ORGANIZER_ID,
  YOUTH,
  PASSWORD,
  PHONE,
  DESKTOP,
  iso,
  tokenFor,
  createActivity,
  OfferingPage,
  AdminPage,
  VenuePage,
};
