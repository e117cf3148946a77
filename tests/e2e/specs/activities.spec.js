// Volunteer activities from start to finish, across several devices: an admin publishes an
// activity that needs approval, a young person signs up offline on a phone answering its
// question, the admin approves, two organizer phones check the ticket in offline at one door,
// and the hours reach the young person's ledger and certificate.
const { test, expect } = require("../support/test");
const { startServer } = require("../support/server");
const { AppPage } = require("../support/app");
const { signIn, expectTouchFriendly } = require("../support/accounts");
const {
  ADMIN,
  ORGANIZER,
  YOUTH,
  PHONE,
  DESKTOP,
  iso,
  createActivity,
  OfferingPage,
  AdminPage,
  VenuePage,
} = require("../support/activities");
const { signUpOthers } = require("../support/sync");

const RIVER = "河小青·湘江护河巡查";

let server;
test.beforeEach(async () => {
  // Without the hours' public notice, hours count as soon as they are credited: this journey
  // follows them to the ledger's total and the certificate at once (the notice and its pending
  // hours have their own journey, hours.spec.js).
  server = await startServer({ hoursNoticeDays: 0 });
});
test.afterEach(async () => {
  await server.stop();
});

async function online(context, page) {
  await context.setOffline(false);
  await page.evaluate(() => window.dispatchEvent(new Event("online")));
}

test("sign-up offline with answers, approval, two offline doors, one attendance and one duplicate, hours on the ledger", async ({ browser, request }) => {
  test.setTimeout(240_000);
  const planned = Date.now();
  const activity = await createActivity(request, server.url, {}, { now: planned });
  const startsAt = planned - 2 * 3600_000;
  const TITLE = activity.draft.title;

  // (b) The young person, on a phone, signs up offline, answering the required question.
  const youthCtx = await browser.newContext(PHONE);
  const youth = await youthCtx.newPage();
  await signIn(youth, server.url, YOUTH);
  await new AppPage(youth, server.url).waitForOfflineReady();
  const details = new OfferingPage(youth, server.url);
  await details.goto(activity.id);
  await expect(youth.getByTestId("sync-status")).toContainText("已同步");
  await expect(youth.getByTestId("offering-when")).toBeVisible();
  await expectTouchFriendly(youth, "/o/{id} signing up");

  await youthCtx.setOffline(true);
  await details.submit.click();
  await expect(details.question("衣服尺码").getByRole("alert")).toHaveText("此项必填");
  await details.choose("衣服尺码", "M");
  await details.submit.click();
  await expect(details.state).toContainText("待同步");
  await expect(details.state).toContainText("预计：待审核");
  await online(youthCtx, youth);
  await expect(details.state).toHaveText("待审核");
  await expect(details.ticket).toHaveCount(0);

  // A ticket for another activity, for the door to refuse later.
  await youth.goto(server.url + "/");
  await youth.getByTestId("programme").filter({ hasText: RIVER }).getByRole("button", { name: "报名", exact: true }).click();
  await expect(youth.getByTestId("programme").filter({ hasText: RIVER }).getByTestId("registration-state")).toHaveText("已报名");
  await youth.getByTestId("programme").filter({ hasText: RIVER }).getByTestId("offering-link").click();
  const otherTicket = await new OfferingPage(youth, server.url).ticketText();
  expect(otherTicket).toMatch(/^QT1\./);

  // Organizer B downloads the roster before the approval: the ticket must admit by signature.
  const orgBCtx = await browser.newContext(PHONE);
  const orgB = await orgBCtx.newPage();
  await signIn(orgB, server.url, ORGANIZER);
  await new AppPage(orgB, server.url).waitForOfflineReady();
  const doorB = new VenuePage(orgB, server.url);
  await doorB.open(TITLE);
  await expect(doorB.registered).toHaveText("0");

  // (c) The admin approves in the review queue; the answers are shown.
  const adminCtx = await browser.newContext(DESKTOP);
  const adminPage = await adminCtx.newPage();
  await signIn(adminPage, server.url, ADMIN, "qingtuan-demo", "/admin");
  const admin = new AdminPage(adminPage, server.url);
  await expect(admin.offering(TITLE).getByTestId("offering-status")).toHaveText("已发布");
  await admin.offering(TITLE).getByTestId("open-reviews").click();
  await expect(admin.reviewsTab).toHaveAttribute("aria-selected", "true");
  const item = admin.review("王青青");
  await expect(item).toHaveCount(1);
  await expect(item).toContainText("衣服尺码");
  await expect(item.locator("dd")).toHaveText("M");
  await expectTouchFriendly(adminPage, "/admin reviews");
  await item.getByTestId("approve").click();
  await expect(adminPage.getByTestId("reviews-empty")).toBeVisible();

  // The young person sees the decision and the ticket (and it shows offline).
  await details.goto(activity.id);
  await expect(details.state).toHaveText("已报名");
  const ticket = await details.ticketText();
  expect(ticket).toMatch(/^QT1\./);
  await expect(details.ticket.locator(".ticket-qr svg")).toBeVisible();
  await youthCtx.setOffline(true);
  await youth.reload();
  await expect(details.ticket).toHaveAttribute("data-ticket", ticket);
  await expectTouchFriendly(youth, "/o/{id} with a ticket");
  await youthCtx.setOffline(false);

  // (d) Organizer A downloads after the approval; both doors go offline.
  const orgACtx = await browser.newContext(PHONE);
  const orgA = await orgACtx.newPage();
  await signIn(orgA, server.url, ORGANIZER);
  await new AppPage(orgA, server.url).waitForOfflineReady();
  const doorA = new VenuePage(orgA, server.url);
  await doorA.open(TITLE);
  await expect(doorA.registered).toHaveText("1");
  await expect(orgA.getByTestId("camera")).toHaveCount(0); // no BarcodeDetector in this Chromium
  await expectTouchFriendly(orgA, "/venue/{id}");
  await orgACtx.setOffline(true);
  await orgBCtx.setOffline(true);

  // A's clock says the activity has just begun; B scans at the real time.
  await orgA.clock.install({ time: startsAt + 60_000 });
  await doorA.scan(ticket);
  await expect(doorA.result).toHaveAttribute("data-outcome", "checked-in");
  await expect(doorA.result).toContainText("签到成功：王青青");
  await expect(doorA.checkedIn).toHaveText("1");
  // Scanning again on the same device is a repeat, not a second record.
  await doorA.scan(ticket);
  await expect(doorA.result).toHaveAttribute("data-outcome", "repeat");

  await doorB.scan(ticket);
  await expect(doorB.result).toHaveAttribute("data-outcome", "checked-in");
  await expect(doorB.checkedIn).toHaveText("1");
  await expect(doorB.registered).toHaveText("1");

  // Forged and wrong-activity tickets are refused on the device, offline.
  const last = ticket.at(-2) === "A" ? "B" : "A";
  const forged = ticket.slice(0, -2) + last + ticket.at(-1);
  await doorA.scan(forged);
  await expect(doorA.result).toHaveAttribute("data-outcome", "invalid");
  await expect(doorA.result).toContainText("无效票");
  await doorA.scan(otherTicket);
  await expect(doorA.result).toHaveAttribute("data-outcome", "wrong-offering");
  await expect(doorA.result).toContainText("不是本活动的票");

  // A checks the person out at the real time (the clock is set right before going online).
  await orgA.clock.setSystemTime(Date.now());
  await doorA.mode("签退");
  await doorA.scan(ticket);
  await expect(doorA.result).toHaveAttribute("data-outcome", "checked-out");
  await expect(doorA.checkedOut).toHaveText("1");
  await expect(doorA.waiting).toContainText("待上传");

  // Both come back online and sync: one attendance, one duplicate kept and flagged.
  await online(orgACtx, orgA);
  await expect(doorA.waiting).toHaveCount(0);
  await online(orgBCtx, orgB);
  await expect(doorB.waiting).toHaveCount(0);
  await doorA.downloadRoster();
  for (const door of [doorA, doorB]) {
    await expect(door.checkedIn).toHaveText("1");
    await expect(door.duplicates).toHaveCount(1);
    const first = await door.duplicates.getByTestId("duplicate-first").textContent();
    const second = await door.duplicates.getByTestId("duplicate-second").textContent();
    expect(first).toMatch(/设备 [0-9A-F]{4}/);
    expect(second).toMatch(/设备 [0-9A-F]{4}/);
    expect(first.match(/设备 (\w{4})/)[1]).not.toBe(second.match(/设备 (\w{4})/)[1]);
  }
  await expect(doorA.checkedOut).toHaveText("1");

  // A walk-in at door B takes a free place and is checked in at once.
  const walkIn = orgB.getByTestId("walk-in");
  await expect(walkIn.getByTestId("walk-in-left")).toContainText("剩余 19 个名额");
  await walkIn.getByLabel("姓名或昵称").fill("路人甲");
  await walkIn.getByLabel("手机后四位（选填）").fill("12a4");
  await walkIn.getByRole("button", { name: "登记并签到" }).click();
  await expect(walkIn.getByTestId("walk-in-message")).toHaveText("请填写 4 位数字，或留空");
  await walkIn.getByLabel("手机后四位（选填）").fill("1234");
  await walkIn.getByRole("button", { name: "登记并签到" }).click();
  await expect(walkIn.getByTestId("walk-in-message")).toHaveText("已登记并签到：路人甲");
  await expect(doorB.registered).toHaveText("2");
  await expect(doorB.checkedIn).toHaveText("2");
  await expect(doorB.waiting).toHaveCount(0);
  // The sync that followed changed the activity's seats; the form and its message stayed.
  await expect(walkIn.getByTestId("walk-in-message")).toHaveText("已登记并签到：路人甲");
  await expect(walkIn.getByTestId("walk-in-left")).toContainText("剩余 18 个名额");
  await orgB.getByLabel("姓名或手机后四位").fill("1234");
  const found = orgB.getByTestId("search-results").getByTestId("person");
  await expect(found).toHaveCount(1);
  await expect(found).toContainText("路人甲");
  await expect(found).toContainText("现场报名");
  await doorA.downloadRoster();
  await expect(doorA.registered).toHaveText("2");
  await expect(doorA.checkedIn).toHaveText("2");

  // (e) The hours reach the young person's ledger: present from the start + 1 min, capped at 2 h.
  await youth.goto(server.url + "/me/hours");
  const entry = youth.getByTestId("ledger-entry").filter({ hasText: TITLE });
  await expect
    .poll(async () => {
      await youth.reload();
      return Number((await entry.getAttribute("data-minutes", { timeout: 5_000 }).catch(() => "0")) || 0);
    }, { timeout: 30_000 })
    .toBeGreaterThanOrEqual(115);
  const minutes = Number(await entry.getAttribute("data-minutes"));
  expect(minutes).toBeLessThanOrEqual(120);
  await expect(youth.getByTestId("hours-total")).toHaveAttribute("data-minutes", String(minutes));
  await expectTouchFriendly(youth, "/me/hours");
  await youth.getByTestId("certificate-link").click();
  await expect(youth.getByTestId("certificate")).toContainText("王青青");
  await expect(youth.getByTestId("certificate")).toContainText(TITLE);
  await expect(youth.getByTestId("certificate")).toHaveAttribute("data-minutes", String(minutes));

  // An organizer corrects the hours with a reason (audited); the person sees the correction.
  const roster = orgA.getByTestId("roster");
  await roster.locator("summary").click();
  const row = roster.getByTestId("person").filter({ hasText: "王青青" });
  await row.getByRole("button", { name: "修正时长" }).click();
  await row.getByLabel("修正后的志愿时长（分钟）").fill("100");
  await row.getByRole("button", { name: "提交修正" }).click();
  await expect(row.getByRole("alert")).toHaveText("请填写修正原因（最多 200 字）");
  await row.getByLabel(/修正原因/).fill("中途离场补录");
  await row.getByRole("button", { name: "提交修正" }).click();
  await expect(row.getByRole("status")).toHaveText("修正已记录，联网后同步");
  await expect(doorA.waiting).toHaveCount(0);
  await youth.goto(server.url + "/me/hours");
  await expect(entry).toHaveAttribute("data-minutes", "100");
  await expect(entry).toContainText("1 小时 40 分钟");
  await expect(entry).toContainText("组织者已修正");

  for (const c of [youthCtx, orgACtx, orgBCtx, adminCtx]) await c.close();
});

test("the admin creates, publishes and cancels an activity in the editor; the registrant is told why; CSV export", async ({ browser }) => {
  test.setTimeout(120_000);
  const adminCtx = await browser.newContext(DESKTOP);
  const adminPage = await adminCtx.newPage();
  await signIn(adminPage, server.url, ADMIN, "qingtuan-demo", "/admin");
  const admin = new AdminPage(adminPage, server.url);
  await adminPage.getByTestId("new-offering").click();
  const editor = admin.editor;
  await expect(editor).toBeVisible();

  // Errors are shown at their fields before anything is sent.
  await editor.getByTestId("save-publish").click();
  await expect(adminPage.getByTestId("title-error")).toHaveText("此项必填");

  const chinaDay = (days) => new Date(Date.now() + days * 86400_000).toLocaleDateString("sv-SE", { timeZone: "Asia/Shanghai" });
  const day = chinaDay(3);
  await editor.getByLabel("名称").fill("希望小屋周末陪伴");
  await editor.getByLabel("类别").fill("希望小屋");
  await editor.getByLabel("场地").selectOption({ label: "城南青年之家" });
  await editor.getByLabel("开始时间").fill(`${day}T09:00`);
  await editor.getByLabel("结束时间").fill(`${day}T11:00`);
  await editor.getByLabel("报名截止").fill(`${chinaDay(2)}T20:00`);
  await editor.getByLabel("名额", { exact: true }).fill("8");
  await editor.getByTestId("add-question").click();
  await editor.getByLabel("问题 1").fill("是否有陪伴儿童的经验");
  await editor.getByLabel("题型").selectOption("yes_no");
  await editor.getByRole("checkbox", { name: /李组织/ }).check();
  await editor.getByTestId("save-publish").click();
  await expect(adminPage.getByTestId("offerings-flash")).toHaveText("已保存");
  const card = admin.offering("希望小屋周末陪伴");
  await expect(card.getByTestId("offering-status")).toHaveText("已发布");

  // A young person signs up on a phone, answering yes.
  const youthCtx = await browser.newContext(PHONE);
  const youth = await youthCtx.newPage();
  await signIn(youth, server.url, YOUTH);
  await youth.goto(server.url + "/");
  const programme = youth.getByTestId("programme").filter({ hasText: "希望小屋周末陪伴" });
  // With questions to answer, 报名 leads to the details page.
  await programme.getByRole("link", { name: "报名", exact: true }).click();
  const details = new OfferingPage(youth, server.url);
  await details.question("是否有陪伴儿童的经验").getByRole("radio", { name: "是" }).check();
  await details.submit.click();
  await expect(details.state).toHaveText("已报名");
  await expect(details.ticket).toBeVisible();

  // The CSV opens in Excel: a BOM, Chinese headers, the answer as its own column.
  const downloading = adminPage.waitForEvent("download");
  await card.getByTestId("export-csv").click();
  const file = await downloading;
  const csv = require("node:fs").readFileSync(await file.path(), "utf8");
  expect(csv.charCodeAt(0)).toBe(0xfeff);
  expect(csv).toContain("姓名");
  expect(csv).toContain("王青青");
  expect(csv).toContain("是否有陪伴儿童的经验");

  // Cancelling asks for the reason every registrant will read.
  await card.getByRole("button", { name: "取消活动" }).click();
  await card.getByRole("button", { name: "确认取消活动" }).click();
  await expect(card.getByRole("alert")).toHaveText("请填写取消原因（最多 200 字）");
  await card.getByLabel("取消原因").fill("场地临时维修");
  await card.getByRole("button", { name: "确认取消活动" }).click();
  await expect(card.getByTestId("offering-status")).toHaveText("已取消");

  await youth.goto(server.url + "/me");
  const mine = youth.getByTestId("my-registration").filter({ hasText: "希望小屋周末陪伴" });
  await expect(mine.getByTestId("registration-state")).toHaveText("活动已取消：场地临时维修");
  await expectTouchFriendly(youth, "/me with a cancelled activity");
  await youthCtx.close();
  await adminCtx.close();
});

test("a rejection shows its reason; bulk approval approves every one selected", async ({ browser, request }) => {
  test.setTimeout(120_000);
  const activity = await createActivity(request, server.url, {
    title: "青年志愿者骨干培训",
    starts_at: iso(Date.now() + 2 * 86400_000),
    ends_at: iso(Date.now() + 2 * 86400_000 + 3 * 3600_000),
    signup_closes_at: iso(Date.now() + 86400_000),
    questions: [],
  });
  // Three people ask for a place (the demo youth and two new accounts), through the sync API.
  const people = [];
  for (let i = 0; i < 2; i++) {
    const phone = `1350000${String(i).padStart(4, "0")}`;
    const res = await request.post(server.url + "/api/v1/auth/signup", {
      data: { phone, password: "river-patrol-2026", display_name: `骨干${i}`, birth_year: 1999, consent: { version: "2026-11-22", accepted: true } },
    });
    expect(res.status()).toBe(201);
    people.push((await res.json()).token);
  }
  for (const token of people) {
    const push = await request.post(server.url + "/api/v1/sync/push", {
      headers: { authorization: `Bearer ${token}` },
      data: {
        schema_version: 1,
        client_id: crypto.randomUUID(),
        client_time: Date.now(),
        mutations: [{ id: 1, name: "registration.request", args: { registration_id: crypto.randomUUID(), offering_id: activity.id }, created_at: Date.now() }],
      },
    });
    expect(push.ok()).toBeTruthy();
  }
  const youthCtx = await browser.newContext(PHONE);
  const youth = await youthCtx.newPage();
  await signIn(youth, server.url, YOUTH);
  const details = new OfferingPage(youth, server.url);
  await details.goto(activity.id);
  await details.submit.click();
  await expect(details.state).toHaveText("待审核");

  const adminCtx = await browser.newContext(PHONE);
  const adminPage = await adminCtx.newPage();
  await signIn(adminPage, server.url, ADMIN, "qingtuan-demo", "/admin");
  const admin = new AdminPage(adminPage, server.url);
  // The admin area works on a phone too: the list, the editor, the queue.
  await expect(admin.offering("青年志愿者骨干培训")).toBeVisible();
  await expectTouchFriendly(adminPage, "/admin programmes at 360 px");
  await adminPage.getByTestId("new-offering").click();
  await admin.editor.getByTestId("add-question").click();
  await expectTouchFriendly(adminPage, "/admin editor at 360 px");
  await admin.editor.getByRole("button", { name: "返回", exact: true }).click();
  await admin.openReviews();
  await expect(admin.reviews).toHaveCount(3);
  await expectTouchFriendly(adminPage, "/admin reviews at 360 px");
  const wang = admin.review("王青青");
  await wang.getByTestId("reject").click();
  await wang.getByRole("button", { name: "确认拒绝" }).click();
  await expect(wang.getByRole("alert")).toHaveText("请填写拒绝原因（最多 200 字）");
  await wang.getByLabel("拒绝原因").fill("本期仅限社区报名");
  await wang.getByRole("button", { name: "确认拒绝" }).click();
  await expect(admin.reviews).toHaveCount(2);
  await adminPage.getByTestId("select-all").check();
  await expect(adminPage.getByTestId("bulk-approve")).toHaveText("批量通过（2）");
  await adminPage.getByTestId("bulk-approve").click();
  await expect(adminPage.getByTestId("reviews-empty")).toBeVisible();
  // This activity's confirmed sign-ups (the demo's past months have hundreds of others).
  await adminPage.getByLabel("活动", { exact: true }).selectOption(activity.id);
  await adminPage.getByLabel("状态").selectOption("confirmed");
  await expect(admin.reviews).toHaveCount(2);

  await details.goto(activity.id);
  await expect(details.state).toHaveText("审核未通过：本期仅限社区报名");
  await youthCtx.close();
  await adminCtx.close();
});

test("filters work offline; the home screen reminds of what is coming with a calendar file", async ({ page, context }) => {
  await signIn(page, server.url, YOUTH);
  const app = new AppPage(page, server.url);
  await app.waitForOfflineReady();
  await app.goto("/");
  await expect(page.getByTestId("sync-status")).toContainText("已同步");
  const programme = page.getByTestId("programme").filter({ hasText: RIVER });
  await programme.getByRole("button", { name: "报名", exact: true }).click();
  await expect(programme.getByTestId("registration-state")).toHaveText("已报名");

  // Upcoming: the river patrol is two days away.
  const upcoming = page.getByTestId("upcoming");
  await expect(upcoming.getByTestId("upcoming-item")).toHaveCount(1);
  await expect(upcoming).toContainText(RIVER);
  const downloading = page.waitForEvent("download");
  await upcoming.getByRole("button", { name: "加入日历" }).click();
  const file = await downloading;
  expect(file.suggestedFilename()).toMatch(/^qingtuan-.+\.ics$/);
  const raw = require("node:fs").readFileSync(await file.path(), "utf8");
  const ics = raw.replace(/\r\n /g, ""); // unfolded
  expect(ics).toMatch(/^BEGIN:VCALENDAR\r\n/);
  expect(ics).toContain(`SUMMARY:${RIVER}\r\n`);
  expect(ics).toMatch(/DTSTART:\d{8}T\d{6}Z\r\n/);
  expect(ics).toContain("LOCATION:湘江风光带志愿服务站\\, 湘江风光带杜甫江阁北侧\r\n");
  expect(ics).toContain("TRIGGER:-P1D\r\n");

  // Offline, from what was synced.
  await context.setOffline(true);
  await page.reload();
  await expect(app.cards.first()).toBeVisible();
  const all = await app.cards.count();
  await page.getByLabel("场地").selectOption({ label: "湘江风光带志愿服务站" });
  await expect(app.cards.filter({ hasText: RIVER })).toHaveCount(1);
  for (const card of await app.cards.all()) await expect(card).toContainText("湘江风光带志愿服务站");
  await page.getByRole("button", { name: "今天", exact: true }).click();
  await expect(page.getByTestId("filtered-empty")).toBeVisible();
  await page.getByRole("button", { name: "清除筛选" }).click();
  await expect(app.cards).toHaveCount(all);
  await page.getByRole("button", { name: "选择日期" }).click();
  const in2days = new Date(Date.now() + 2 * 86400_000).toLocaleDateString("sv-SE", { timeZone: "Asia/Shanghai" });
  await page.getByLabel("从", { exact: true }).fill(in2days);
  await page.getByLabel("到", { exact: true }).fill(in2days);
  await expect(app.cards.filter({ hasText: RIVER })).toHaveCount(1);
  expect(await app.cards.count()).toBeLessThan(all);
  await expectTouchFriendly(page, "/ with filters");
});

test("on a slow network the editor opened before the venues arrived keeps what the admin typed", async ({ browser }) => {
  const adminCtx = await browser.newContext(PHONE);
  const adminPage = await adminCtx.newPage();
  await signIn(adminPage, server.url, ADMIN, "qingtuan-demo", "/");
  // The venues take their time; the editor can be opened meanwhile.
  let release;
  const venuesHeld = new Promise((resolve) => (release = resolve));
  await adminPage.route("**/api/v1/admin/venues", async (route) => {
    await venuesHeld;
    await route.continue();
  });
  await adminPage.goto(server.url + "/admin");
  const admin = new AdminPage(adminPage, server.url);
  await adminPage.getByTestId("new-offering").click();
  await admin.editor.getByLabel("名称").fill("青年夜校·摄影入门");
  release();
  await adminPage.waitForResponse((r) => new URL(r.url()).pathname === "/api/v1/admin/venues");
  // The venues fill the list without taking the title away, and the first one is chosen.
  await expect(admin.editor.getByLabel("场地").locator("option")).not.toHaveCount(0);
  await adminPage.waitForTimeout(300); // what arrived is drawn well within this
  await expect(admin.editor.getByLabel("名称")).toHaveValue("青年夜校·摄影入门");
  await expect(admin.editor.getByLabel("场地")).not.toHaveValue("");
  await adminCtx.close();
});

test("a reject reason being typed stays when the queue reloads after another decision", async ({ browser, request }) => {
  const activity = await createActivity(request, server.url, {
    title: "青年志愿者骨干培训",
    starts_at: iso(Date.now() + 2 * 86400_000),
    ends_at: iso(Date.now() + 2 * 86400_000 + 3 * 3600_000),
    signup_closes_at: iso(Date.now() + 86400_000),
  });
  await signUpOthers(request, server.url, activity.id, 3, { size: "M" });
  const adminCtx = await browser.newContext(PHONE);
  const adminPage = await adminCtx.newPage();
  await signIn(adminPage, server.url, ADMIN, "qingtuan-demo", "/admin");
  const admin = new AdminPage(adminPage, server.url);
  await admin.openReviews();
  await expect(admin.reviews).toHaveCount(3);

  // The first approval is held on its way to the server while the admin starts on the next one.
  let release;
  const held = new Promise((resolve) => (release = resolve));
  await adminPage.route("**/api/v1/sync/push", async (route) => {
    await held;
    await route.continue();
  });
  const [first, second] = [admin.reviews.nth(0), admin.reviews.nth(1)];
  const secondId = await second.getAttribute("data-registration");
  await first.getByTestId("approve").click();
  await second.getByTestId("reject").click();
  await second.getByLabel("拒绝原因").fill("本期仅限社区报名");
  const reloaded = adminPage.waitForResponse((r) => new URL(r.url()).pathname === "/api/v1/admin/reviews");
  release();
  await reloaded;
  // The approved one has left the queue; the reason is still there, in its open form.
  await expect(admin.reviews).toHaveCount(2);
  await adminPage.waitForTimeout(300); // what the reload brought is drawn well within this
  const stillSecond = adminPage.locator(`[data-registration="${secondId}"]`);
  await expect(stillSecond.getByLabel("拒绝原因")).toHaveValue("本期仅限社区报名");
  await stillSecond.getByRole("button", { name: "确认拒绝" }).click();
  await expect(stillSecond.getByTestId("review-local")).toBeVisible();
  await adminCtx.close();
});

test("an hours correction being typed stays through a walk-in and a sync at the door", async ({ browser, request }) => {
  const activity = await createActivity(request, server.url, { requires_approval: false, questions: [] });
  await signUpOthers(request, server.url, activity.id, 2);
  const orgCtx = await browser.newContext(PHONE);
  const org = await orgCtx.newPage();
  await signIn(org, server.url, ORGANIZER, "qingtuan-demo", "/");
  const door = new VenuePage(org, server.url);
  await door.open(activity.draft.title);
  const roster = org.getByTestId("roster");
  await roster.locator("summary").click();
  await expect(roster.getByTestId("person")).toHaveCount(2);
  const name = (await roster.getByTestId("person").first().textContent()).match(/志愿者\d+/)[0];
  const row = roster.getByTestId("person").filter({ hasText: name });
  await row.getByRole("button", { name: "修正时长" }).click();
  await row.getByLabel("修正后的志愿时长（分钟）").fill("90");
  await row.getByLabel(/修正原因/).fill("提前到场布置");

  // Meanwhile a walk-in joins the roster on this device, and its sync brings the server's copy.
  const walkIn = org.getByTestId("walk-in");
  await walkIn.getByLabel("姓名或昵称").fill("路人乙");
  await walkIn.getByRole("button", { name: "登记并签到" }).click();
  await expect(walkIn.getByTestId("walk-in-message")).toHaveText("已登记并签到：路人乙");
  await expect(roster.getByTestId("person")).toHaveCount(3);
  await expect(door.waiting).toHaveCount(0);
  await door.downloadRoster();
  await expect(row.getByLabel("修正后的志愿时长（分钟）")).toHaveValue("90");
  await expect(row.getByLabel(/修正原因/)).toHaveValue("提前到场布置");
  await row.getByRole("button", { name: "提交修正" }).click();
  await expect(row.getByRole("status")).toHaveText(/修正已记录/);
  await orgCtx.close();
});

test("cancelling one programme leaves the cancel reason being typed for another", async ({ browser, request }) => {
  const at = (days) => iso(Date.now() + days * 86400_000);
  const first = await createActivity(request, server.url, { title: "周末敬老院探访", starts_at: at(3), ends_at: at(3.1), signup_closes_at: at(2) });
  const second = await createActivity(request, server.url, { title: "社区图书角整理", starts_at: at(4), ends_at: at(4.1), signup_closes_at: at(3) });
  const adminCtx = await browser.newContext(PHONE);
  const adminPage = await adminCtx.newPage();
  await signIn(adminPage, server.url, ADMIN, "qingtuan-demo", "/admin");
  const admin = new AdminPage(adminPage, server.url);
  const rowOf = (o) => adminPage.locator(`[data-testid="admin-offering"][data-id="${o.id}"]`);
  await rowOf(second).getByRole("button", { name: "取消活动" }).click();
  await rowOf(second).getByLabel("取消原因").fill("志愿者不足，改期举办");
  await rowOf(first).getByRole("button", { name: "取消活动" }).click();
  await rowOf(first).getByLabel("取消原因").fill("场地临时维修");
  await rowOf(first).getByRole("button", { name: "确认取消活动" }).click();
  await expect(rowOf(first)).toHaveAttribute("data-status", "cancelled");
  await adminPage.waitForTimeout(300); // the list is drawn again well within this
  await expect(rowOf(second).getByLabel("取消原因")).toHaveValue("志愿者不足，改期举办");
  await rowOf(second).getByRole("button", { name: "确认取消活动" }).click();
  await expect(rowOf(second)).toHaveAttribute("data-status", "cancelled");
  await expect(admin.offering("社区图书角整理")).toContainText("志愿者不足，改期举办");
  await adminCtx.close();
});

test("typing an hours correction keeps the focus while that person's own check-in syncs", async ({ browser, request }) => {
  const activity = await createActivity(request, server.url, { requires_approval: false, questions: [] });
  const orgCtx = await browser.newContext(PHONE);
  const org = await orgCtx.newPage();
  await signIn(org, server.url, ORGANIZER, "qingtuan-demo", "/");
  const door = new VenuePage(org, server.url);
  await door.open(activity.draft.title);
  // Offline, a walk-in is checked in; the organizer starts correcting their minutes at once.
  await orgCtx.setOffline(true);
  const walkIn = org.getByTestId("walk-in");
  await walkIn.getByLabel("姓名或昵称").fill("路人丙");
  await walkIn.getByRole("button", { name: "登记并签到" }).click();
  await expect(door.waiting).toContainText("待上传");
  const roster = org.getByTestId("roster");
  await roster.locator("summary").click();
  const row = roster.getByTestId("person").filter({ hasText: "路人丙" });
  await row.getByRole("button", { name: "修正时长" }).click();
  const minutes = row.getByLabel("修正后的志愿时长（分钟）");
  await minutes.click();
  await org.keyboard.type("9");
  // The network returns and the walk-in and check-in sync, changing this person's row.
  await orgCtx.setOffline(false);
  await org.evaluate(() => window.dispatchEvent(new Event("online")));
  await expect(door.waiting).toHaveCount(0);
  await org.waitForTimeout(300); // what the sync brought is drawn well within this
  await org.keyboard.type("0");
  await expect(minutes).toHaveValue("90");
  await expect(minutes).toBeFocused();
  await orgCtx.close();
});
