// The committee's numbers on the demo's twenty weeks of history: the admin reads the dashboard
// at 1280 px and at 360 px (figures equal to the API's, month charts drawn as SVG, tables by
// venue and category, filters and periods that change the figures, the programmes counted,
// the dashboard's workbook downloaded as a real .xlsx); the year-end report in print layout
// as an A4 PDF with its figures; the organizer's printable sign-in sheet with its QR code.
const { test, expect } = require("../support/test");
const { startServer } = require("../support/server");
const { signIn, expectTouchFriendly } = require("../support/accounts");
const { ADMIN, ORGANIZER, tokenFor, VenuePage } = require("../support/activities");
const { signUpOthers } = require("../support/sync");

let server;
test.beforeEach(async () => {
  server = await startServer();
});
test.afterEach(async () => {
  await server.stop();
});

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 360, height: 780 };

/** This year in China, as the dashboard and the report default to. */
function chinaYear() {
  return Number(new Intl.DateTimeFormat("en", { timeZone: "Asia/Shanghai", year: "numeric" }).format(new Date()));
}

async function api(request, token, path) {
  const res = await request.get(server.url + path, { headers: { authorization: `Bearer ${token}` } });
  expect(res.ok(), `${path}: ${res.status()}`).toBeTruthy();
  return res.json();
}

const hours = (minutes) => (minutes / 60).toFixed(1);

/** The figures on the screen equal `total`'s. */
async function expectFigures(page, total) {
  await expect(page.getByTestId("fig-events")).toContainText(String(total.events));
  await expect(page.getByTestId("fig-attendances")).toContainText(String(total.attendances));
  await expect(page.getByTestId("fig-people")).toContainText(String(total.people));
  await expect(page.getByTestId("fig-hours")).toContainText(hours(total.volunteer_minutes));
  await expect(page.getByTestId("fig-pairs")).toContainText(String(total.pairs));
}

async function openNumbers(page) {
  await page.goto(server.url + "/admin");
  await page.getByRole("tab", { name: "数据" }).click();
  await expect(page.getByTestId("dash-figures")).toBeVisible();
}

test("the admin reads the numbers at 1280 px and at 360 px, filters them and downloads the workbook", async ({ browser, request }) => {
  const token = await tokenFor(request, server.url, ADMIN);
  const year = chinaYear();
  const context = await browser.newContext({ viewport: DESKTOP, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
  const page = await context.newPage();
  await signIn(page, server.url, ADMIN);
  await openNumbers(page);

  // The default: this year, everything. The same figures as the API's.
  const whole = await api(request, token, `/api/v1/admin/dashboard?from=${year}-01-01&to=${year}-12-31`);
  expect(whole.total.events).toBeGreaterThan(0);
  await expectFigures(page, whole.total);
  // Month by month: twelve bars, a line through twelve points.
  await expect(page.getByTestId("chart-events").locator("rect.chart-bar")).toHaveCount(12);
  await expect(page.getByTestId("chart-attendances").locator("circle.chart-dot")).toHaveCount(12);
  await expect(page.getByTestId("chart-events").locator("svg")).toHaveAttribute("role", "img");
  // By venue, with the venues' names; by category.
  const venues = page.getByTestId("dash-venues");
  await expect(venues.locator("tbody tr")).toHaveCount(whole.venues.length);
  await expect(venues).toContainText("区青少年活动中心");
  await expect(page.getByTestId("dash-categories").locator("tbody tr")).toHaveCount(whole.categories.length);
  // The programmes counted, behind every figure.
  await page.getByTestId("fig-events").click();
  await expect(page.getByTestId("dash-list").locator("tbody tr").first()).toBeVisible();

  // Night school only.
  await page.getByTestId("dash-kind").selectOption("course");
  const courses = await api(request, token, `/api/v1/admin/dashboard?from=${year}-01-01&to=${year}-12-31&kind=course`);
  await expectFigures(page, courses.total);
  expect(courses.total.events).toBeLessThan(whole.total.events);
  await expect(page.getByTestId("dash-list")).toContainText("夜校");
  await expect(page.getByTestId("dash-list")).not.toContainText("联谊");
  await page.getByTestId("dash-kind").selectOption("");

  // A venue picked from its row in the table.
  await venues.getByRole("button", { name: "区青少年活动中心" }).click();
  await expect(page.getByTestId("dash-venue")).toHaveValue("venue-center");
  const center = await api(request, token, `/api/v1/admin/dashboard?from=${year}-01-01&to=${year}-12-31&venue_id=venue-center`);
  await expectFigures(page, center.total);
  await page.getByTestId("dash-venue").selectOption("");

  // A quarter, then a month, of eight weeks ago (the demo's history has a few events a
  // month): the figures are the API's, and the charts have as many months.
  const then = new Date(Date.now() - 56 * 86_400_000);
  const [ty, tm] = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit" })
    .format(then).split("-").map(Number);
  const days = (y, m) => new Date(y, m, 0).getDate();
  const pad = (n) => String(n).padStart(2, "0");
  const q = Math.floor((tm - 1) / 3) + 1;
  await page.getByTestId("dash-year").selectOption(String(ty));
  await page.getByTestId("span-quarter").click();
  await page.getByTestId("dash-part").selectOption(String(q));
  const quarter = await api(request, token,
    `/api/v1/admin/dashboard?from=${ty}-${pad(q * 3 - 2)}-01&to=${ty}-${pad(q * 3)}-${days(ty, q * 3)}`);
  expect(quarter.total.events).toBeGreaterThan(0);
  await expectFigures(page, quarter.total);
  await expect(page.getByTestId("chart-events").locator("rect.chart-bar")).toHaveCount(3);
  await page.getByTestId("span-month").click();
  await page.getByTestId("dash-part").selectOption(String(tm));
  const month = await api(request, token, `/api/v1/admin/dashboard?from=${ty}-${pad(tm)}-01&to=${ty}-${pad(tm)}-${days(ty, tm)}`);
  expect(month.total.events).toBeGreaterThan(0);
  await expectFigures(page, month.total);
  await expect(page.getByTestId("chart-events").locator("rect.chart-bar")).toHaveCount(1);
  // A year with nothing in it says so.
  await page.getByTestId("span-year").click();
  await page.getByTestId("dash-year").selectOption(String(year - 4));
  await expect(page.getByTestId("dash-empty")).toBeVisible();
  await page.getByTestId("dash-year").selectOption(String(year));
  await expectFigures(page, whole.total);

  // The dashboard's tables as a workbook: a real .xlsx (a zip), not text.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("dash-export").click()]);
  expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
  const file = await download.path();
  const bytes = require("node:fs").readFileSync(file);
  expect(bytes.subarray(0, 2).toString()).toBe("PK");
  await expect(page.getByTestId("dash-message")).toContainText("Excel");
  // The year's volunteer hours, one line per person and activity.
  const [hoursFile] = await Promise.all([page.waitForEvent("download"), page.getByTestId("hours-xlsx").click()]);
  expect(hoursFile.suggestedFilename()).toBe(`${year}年志愿时长.xlsx`);
  expect(require("node:fs").readFileSync(await hoursFile.path()).subarray(0, 2).toString()).toBe("PK");
  // An offering's sign-ups, from its row in the programmes list.
  await page.getByRole("tab", { name: "活动管理" }).click();
  const row = page.getByTestId("admin-offering").filter({ hasText: "河小青·湘江护河巡查" });
  const [signups] = await Promise.all([page.waitForEvent("download"), row.getByTestId("export-xlsx").click()]);
  expect(signups.suggestedFilename()).toBe("河小青·湘江护河巡查-报名表.xlsx");
  expect(require("node:fs").readFileSync(await signups.path()).subarray(0, 2).toString()).toBe("PK");
  await page.getByRole("tab", { name: "数据" }).click();
  await expect(page.getByTestId("dash-figures")).toBeVisible();

  // On a phone: the same figures, nothing scrolls sideways, every target a thumb can hit.
  await page.setViewportSize(PHONE);
  await expectFigures(page, whole.total);
  await expect(page.getByTestId("chart-events")).toBeVisible();
  const svgWidth = await page.getByTestId("chart-events").locator("svg").evaluate((el) => el.getBoundingClientRect().width);
  expect(svgWidth).toBeLessThanOrEqual(360);
  await expectTouchFriendly(page, "the dashboard at 360 px");
  await context.close();
});

test("the year-end report prints on A4 with the year's figures, and comes as a workbook", async ({ browser, request }) => {
  const token = await tokenFor(request, server.url, ADMIN);
  const year = chinaYear();
  const report = await api(request, token, `/api/v1/admin/report?year=${year}`);
  const context = await browser.newContext({ viewport: DESKTOP, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
  const page = await context.newPage();
  await signIn(page, server.url, ADMIN);
  await openNumbers(page);
  await page.getByTestId("dash-report").click();
  await expect(page).toHaveURL(new RegExp(`/admin/report/${year}$`));
  await expect(page.getByTestId("report-title")).toHaveText(`${year} 年度青年工作数据报告`);
  const figures = page.getByTestId("report-figures");
  await expect(figures).toContainText(`场次${report.dashboard.total.events}`);
  await expect(figures).toContainText(`人次${report.dashboard.total.attendances}`);
  await expect(figures).toContainText(hours(report.dashboard.total.volunteer_minutes));
  await expect(page.getByTestId("report-chart-events").locator("rect.chart-bar")).toHaveCount(12);
  await expect(page.getByTestId("report-kinds").locator("tbody tr")).toHaveCount(report.kinds.length);
  await expect(page.getByTestId("report-venues")).toContainText("区青少年活动中心");
  expect(report.top_attendance.length).toBeGreaterThan(0);
  await expect(page.getByTestId("report-top-attendance").locator("tbody tr")).toHaveCount(report.top_attendance.length);
  await expect(page.getByTestId("report-top-attendance").locator("tbody tr").first()).toContainText(report.top_attendance[0].title);

  // Printed: the app's header, tab bar and buttons are gone; the figures are there.
  await page.emulateMedia({ media: "print" });
  await expect(page.locator(".app-header")).toBeHidden();
  await expect(page.getByTestId("report-print")).toBeHidden();
  await expect(figures).toBeVisible();
  await expect(page.getByTestId("report-top-attendance")).toBeVisible();
  const pdf = await page.pdf({ format: "A4", printBackground: true });
  expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
  expect(pages).toBeGreaterThanOrEqual(1);
  expect(pages).toBeLessThanOrEqual(6);
  await page.emulateMedia({ media: "screen" });

  // The same figures as a workbook.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("report-xlsx").click()]);
  expect(download.suggestedFilename()).toBe(`${year}年度报告.xlsx`);
  const bytes = require("node:fs").readFileSync(await download.path());
  expect(bytes.subarray(0, 2).toString()).toBe("PK");

  // Not a year: said so, nothing asked of the server.
  await page.goto(server.url + "/admin/report/19x");
  await expect(page.getByRole("alert")).toContainText("年份无效");
  await context.close();
});

test("the organizer prints a paper sign-in sheet with masked phones and a QR code to the activity", async ({ browser, request }) => {
  await signUpOthers(request, server.url, "act-river-patrol", 3);
  const context = await browser.newContext({ viewport: PHONE, locale: "zh-CN", timezoneId: "Asia/Shanghai", isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await signIn(page, server.url, ORGANIZER);
  const venue = new VenuePage(page, server.url);
  await page.goto(server.url + "/venue/act-river-patrol");
  await venue.downloadRoster();
  await expect(page.getByTestId("venue-title")).toHaveText("河小青·湘江护河巡查");
  await page.getByTestId("sheet-link").click();
  await expect(page).toHaveURL(/\/venue\/act-river-patrol\/sheet$/);
  await expect(page.getByTestId("sheet-title")).toHaveText("河小青·湘江护河巡查 签到表");
  await expect(page.getByTestId("sheet-qr").locator("svg")).toBeVisible();
  // The roster on the device (names, phones masked), then blank lines for walk-ins.
  await expect(page.getByTestId("sheet-row")).toHaveCount(3);
  await expect(page.getByTestId("sheet-row").first()).toContainText(/志愿者\d+/);
  await expect(page.getByTestId("sheet-row").first().locator(".sheet-phone")).toHaveText(/^136\*{4}\d{4}$/);
  await expect(page.locator(".sheet-table tbody tr")).toHaveCount(3 + 8);
  // No whole phone number anywhere on the sheet, read cell by cell: the sheet's text run
  // together joins a cell's masked "…0015" to the blank rows' "4567…" into a false match.
  const cells = await page.getByTestId("sign-in-sheet").locator("td, th, h1, p, figcaption").allTextContents();
  expect(cells.length).toBeGreaterThan(3 * 5);
  for (const cell of cells) expect(cell).not.toMatch(/1[3-9]\d{9}/);
  await expectTouchFriendly(page, "the sign-in sheet at 360 px");
  // The sign-ups as a workbook, for the organizer's own activity.
  await page.getByRole("link", { name: "返回签到" }).click();
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByTestId("venue-export-xlsx").click()]);
  expect(file.suggestedFilename()).toBe("河小青·湘江护河巡查-报名表.xlsx");
  expect(require("node:fs").readFileSync(await file.path()).subarray(0, 2).toString()).toBe("PK");
  await page.getByTestId("sheet-link").click();
  // Printed on A4 without the app around it.
  await page.emulateMedia({ media: "print" });
  await expect(page.getByTestId("sheet-print")).toBeHidden();
  await expect(page.locator(".app-header")).toBeHidden();
  const pdf = await page.pdf({ format: "A4" });
  expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  await context.close();
});
